"""The back office of entered drivers and their documents: the series manager and race
control read them and open the files through a view that checks "Opens drivers' documents"
(a 403 naming the roles otherwise), mark documents as checked, and add, change or delete no
file; the series manager links an entered driver to the driver of the entry lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from paddock.models import DocumentKind, DriverDocument, EntrantDriver
from paddock.services.documents import documents_mark_seen
from staff.roles import (
    RACE_CONTROL_GROUP,
    READ_ONLY_STAFF_GROUP,
    SERIES_MANAGER_GROUP,
    TALENT_POOL_REVIEWER_GROUP,
    TIMING_PROVIDER_GROUP,
)
from tests.factories import PDF, image_bytes, make_driver, make_staff, role_client
from tests.paddock.factories import (
    entrant_client,
    make_document,
    make_entrant_driver,
    make_entrant_team,
    manager_of,
)

pytestmark = pytest.mark.django_db

OPENERS = (SERIES_MANAGER_GROUP, RACE_CONTROL_GROUP)
REFUSED = (READ_ONLY_STAFF_GROUP, TALENT_POOL_REVIEWER_GROUP, TIMING_PROVIDER_GROUP, None)


@pytest.fixture
def driver():
    return make_entrant_driver(make_entrant_team("Red Lion Racing"), "Mia", last_name="Tan")


def open_url(document: DriverDocument) -> str:
    return reverse("admin:paddock_driverdocument_open", args=[document.pk])


# --- Opening a document ---------------------------------------------------------------------


@pytest.mark.parametrize("role", OPENERS)
def test_the_roles_that_check_documents_open_a_pdf_privately(client, driver, role):
    document = make_document(driver)
    client = role_client(client, role)

    response = client.get(open_url(document))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="mia-tan-licence-{document.pk}.pdf"'
    )
    assert {"private", "no-store"} <= {p.strip() for p in response["Cache-Control"].split(",")}
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_photo_opens_in_the_page(client, driver):
    document = make_document(driver, DocumentKind.PHOTO)
    document.file.storage.delete(document.file.name)
    name = document.file.storage.save(f"{driver.team_id}/{driver.pk}/photo.png", _png())
    DriverDocument.objects.filter(pk=document.pk).update(file=name, content_type="image/png")

    response = role_client(client, SERIES_MANAGER_GROUP).get(open_url(document))

    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")


def _png():
    from django.core.files.base import ContentFile

    return ContentFile(image_bytes("PNG"))


@pytest.mark.parametrize("role", REFUSED)
def test_every_other_role_is_refused_the_file_with_a_403_naming_who_opens_it(client, driver, role):
    document = make_document(driver)
    client = role_client(client, role)

    response = client.get(open_url(document))

    assert response.status_code == 403
    assert not response.streaming
    assert "This page needs one of these roles: Race control, Series manager." in (
        response.content.decode()
    )


def test_a_staff_member_with_only_the_view_permission_is_refused_the_file(client, driver):
    document = make_document(driver)
    client.force_login(make_staff("viewer", "paddock.view_driverdocument"))

    assert client.get(open_url(document)).status_code == 403


def test_an_entrant_is_sent_to_the_staff_sign_in(driver):
    document = make_document(driver)

    response = entrant_client(manager_of(driver.team)).get(open_url(document))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_an_unknown_document_or_a_missing_file_is_a_404(client, driver):
    document = make_document(driver)
    document.file.storage.delete(document.file.name)
    client = role_client(client, SERIES_MANAGER_GROUP)

    assert (
        client.get(reverse("admin:paddock_driverdocument_open", args=[999999])).status_code == 404
    )
    assert client.get(open_url(document)).status_code == 404


# --- Lists and pages ------------------------------------------------------------------------


def test_the_document_list_shows_kind_driver_team_expiry_and_links_to_open(
    client, driver, django_assert_max_num_queries
):
    expired = make_document(driver, DocumentKind.MEDICAL, expires_on=dt.date(2020, 1, 1))
    valid = make_document(driver)
    client = role_client(client, RACE_CONTROL_GROUP)
    url = reverse("admin:paddock_driverdocument_changelist")

    response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Red Lion Racing" in page and "Mia Tan" in page
    assert open_url(expired) in page and open_url(valid) in page
    rows = {r.pk: r for r in response.context["cl"].result_list}
    assert set(rows) == {expired.pk, valid.pk}
    expired_only = client.get(url, {"expired": "yes"}).context["cl"].result_list
    assert [d.pk for d in expired_only] == [expired.pk]
    medical_only = client.get(url, {"kind__exact": DocumentKind.MEDICAL}).context["cl"]
    assert [d.pk for d in medical_only.result_list] == [expired.pk]


def test_the_document_list_reads_as_many_queries_for_six_documents_as_for_one(
    client, driver, django_assert_num_queries
):
    client = role_client(client, SERIES_MANAGER_GROUP)
    url = reverse("admin:paddock_driverdocument_changelist")
    make_document(driver)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(5):
        make_document(make_entrant_driver(make_entrant_team()), DocumentKind.MEDICAL)

    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)

    assert len(response.context["cl"].result_list) == 6


def test_a_documents_page_shows_its_details_read_only_and_never_a_storage_url(client, driver):
    document = make_document(driver)
    client = role_client(client, SERIES_MANAGER_GROUP)

    response = client.get(reverse("admin:paddock_driverdocument_change", args=[document.pk]))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    page = response.content.decode()
    assert document.number in page
    assert open_url(document) in page
    assert document.file.name not in page


def test_no_document_is_added_changed_or_deleted_from_the_back_office(client, driver, staff_client):
    document = make_document(driver)

    for who in (role_client(client, SERIES_MANAGER_GROUP), staff_client):
        add = who.get(reverse("admin:paddock_driverdocument_add"))
        delete = who.post(
            reverse("admin:paddock_driverdocument_delete", args=[document.pk]), {"post": "yes"}
        )
        change = who.post(
            reverse("admin:paddock_driverdocument_change", args=[document.pk]), {"number": "X"}
        )
        assert (add.status_code, delete.status_code, change.status_code) == (403, 403, 403)
    document.refresh_from_db()
    assert document.number != "X"
    assert len(list(document.file.storage.listdir(f"{driver.team_id}/{driver.pk}")[1])) == 1


# --- Marking as checked ---------------------------------------------------------------------


@pytest.mark.parametrize("role", OPENERS)
def test_the_action_marks_the_selected_documents_as_checked(client, driver, role):
    first, second = make_document(driver), make_document(driver, DocumentKind.MEDICAL)
    client = role_client(client, role)

    response = client.post(
        reverse("admin:paddock_driverdocument_changelist"),
        {"action": "mark_seen", "_selected_action": [first.pk]},
        follow=True,
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.seen_by.username == "staffer"
    assert first.seen_at is not None
    assert (second.seen_by, second.seen_at) == (None, None)
    assert "1 document marked as checked." in response.content.decode()


def test_a_document_checked_already_keeps_who_checked_it_first(driver):
    document = make_document(driver)
    first, later = make_staff("first"), make_staff("later")
    documents_mark_seen(documents=[document], by=first)
    document.refresh_from_db()
    seen_at = document.seen_at

    count = documents_mark_seen(documents=DriverDocument.objects.all(), by=later)

    document.refresh_from_db()
    assert count == 0
    assert (document.seen_by, document.seen_at) == (first, seen_at)


def test_the_action_is_offered_only_to_who_may_open_documents(client, driver):
    make_document(driver)
    viewer = make_staff("viewer", "paddock.view_driverdocument")
    client.force_login(viewer)
    url = reverse("admin:paddock_driverdocument_changelist")

    response = client.get(url)

    assert response.status_code == 200
    assert "mark_seen" not in response.content.decode()
    client.post(url, {"action": "mark_seen", "_selected_action": [DriverDocument.objects.get().pk]})
    assert DriverDocument.objects.get().seen_at is None


# --- Entered drivers ------------------------------------------------------------------------


def test_the_driver_list_shows_name_team_nationality_and_linked_driver(client, driver):
    known = make_driver("Mia", "Tan", date_of_birth=driver.date_of_birth)
    EntrantDriver.objects.filter(pk=driver.pk).update(driver=known)
    client = role_client(client, RACE_CONTROL_GROUP)

    response = client.get(reverse("admin:paddock_entrantdriver_changelist"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Mia Tan" in page and "Red Lion Racing" in page and "MY" in page
    assert str(known) in page


def test_the_drivers_page_lists_its_documents_read_only_with_their_expiry(client, driver):
    document = make_document(driver, DocumentKind.MEDICAL, expires_on=dt.date(2031, 7, 4))
    client = role_client(client, SERIES_MANAGER_GROUP)

    response = client.get(reverse("admin:paddock_entrantdriver_change", args=[driver.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "July 4, 2031" in page
    assert open_url(document) in page
    inline = response.context["inline_admin_formsets"][0]
    assert inline.has_add_permission is False
    assert inline.has_change_permission is False
    assert inline.has_delete_permission is False


def test_the_series_manager_links_an_entered_driver_to_the_entry_lists_driver(client, driver):
    known = make_driver("Mia", "Tan", date_of_birth=driver.date_of_birth)
    client = role_client(client, SERIES_MANAGER_GROUP)
    url = reverse("admin:paddock_entrantdriver_change", args=[driver.pk])

    response = client.post(
        url, {"driver": known.pk, "documents-TOTAL_FORMS": "0", "documents-INITIAL_FORMS": "0"}
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    driver.refresh_from_db()
    assert driver.driver == known
    assert (driver.first_name, driver.last_name) == ("Mia", "Tan")


def test_race_control_reads_an_entered_driver_but_changes_nothing(client, driver):
    known = make_driver("Mia", "Tan", date_of_birth=driver.date_of_birth)
    client = role_client(client, RACE_CONTROL_GROUP)
    url = reverse("admin:paddock_entrantdriver_change", args=[driver.pk])

    assert client.get(url).status_code == 200
    assert client.post(url, {"driver": known.pk}).status_code == 403
    driver.refresh_from_db()
    assert driver.driver is None


def test_no_entered_driver_is_added_or_deleted_from_the_back_office(client, driver):
    client = role_client(client, SERIES_MANAGER_GROUP)

    add = client.get(reverse("admin:paddock_entrantdriver_add"))
    delete = client.post(
        reverse("admin:paddock_entrantdriver_delete", args=[driver.pk]), {"post": "yes"}
    )

    assert (add.status_code, delete.status_code) == (403, 403)
    assert EntrantDriver.objects.filter(pk=driver.pk).exists()


def test_read_only_staff_never_see_drivers_or_documents(client, driver):
    client = role_client(client, READ_ONLY_STAFF_GROUP)

    for name in ("entrantdriver", "driverdocument"):
        assert client.get(reverse(f"admin:paddock_{name}_changelist")).status_code == 403


def test_an_expired_documents_flag_follows_today(client, driver):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    document = make_document(driver, DocumentKind.MEDICAL, expires_on=yesterday)
    client = role_client(client, SERIES_MANAGER_GROUP)

    response = client.get(reverse("admin:paddock_driverdocument_changelist"), {"expired": "no"})

    assert document not in response.context["cl"].result_list
