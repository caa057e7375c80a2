"""Entered drivers and their documents on the entrants' pages: a manager enters a driver
(matched to the entry lists' driver by name and birth year); the driver and their team's
managers read the driver's page, upload documents checked by their content and download
them; a manager deletes one. Anyone else, another team's manager first, gets a 404 by every
URL, and a refused upload stores nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.documents import MAX_DOCUMENT_BYTES
from paddock.models import DocumentKind, DriverDocument, EntrantDriver, TeamMember, TeamRole
from paddock.services.drivers import entrant_driver_create
from tests.factories import PDF, image_bytes, jpeg_file, make_driver, pdf_file, png_file
from tests.paddock.factories import (
    entrant_client,
    make_account,
    make_document,
    make_entrant_driver,
    make_entrant_team,
    manager_of,
)

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.localdate() + dt.timedelta(days=365)


def stored_files() -> list[Path]:
    root = Path(settings.PADDOCK_UPLOAD_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def driver_data(**overrides) -> dict[str, str]:
    return {
        "first_name": "Mia",
        "last_name": "Tan",
        "date_of_birth": "2004-03-09",
        "nationality": "MY",
        "email": "",
        **overrides,
    }


def licence_data(upload=None, **overrides) -> dict[str, object]:
    return {
        "kind": DocumentKind.LICENCE,
        "file": upload or pdf_file("licence.pdf"),
        "grade": "International C",
        "issued_by": "AAM",
        "number": "MY-123",
        "expires_on": NEXT_YEAR.isoformat(),
        **overrides,
    }


@pytest.fixture
def team():
    return make_entrant_team("Red Lion Racing")


@pytest.fixture
def manager(team):
    return entrant_client(manager_of(team))


@pytest.fixture
def driver(team):
    return make_entrant_driver(team, "Mia", last_name="Tan")


@pytest.fixture
def other_manager():
    """The manager of another team: sees none of the first team's drivers or documents."""
    return entrant_client(manager_of(make_entrant_team("Blue Owl Motorsport")))


# --- Entering a driver ----------------------------------------------------------------------


def test_a_manager_enters_a_driver_and_lands_on_the_drivers_page(team, manager):
    response = manager.post(reverse("paddock:driver-create", args=[team.pk]), driver_data())

    driver = EntrantDriver.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("paddock:driver", args=[driver.pk])
    assert (driver.team, driver.full_name, driver.date_of_birth) == (
        team,
        "Mia Tan",
        dt.date(2004, 3, 9),
    )
    assert (driver.nationality, driver.email, driver.driver) == ("MY", "", None)


def test_the_form_is_labelled_and_offers_the_countries(team, manager):
    page = manager.get(reverse("paddock:driver-create", args=[team.pk])).content.decode()

    for name in ("first_name", "last_name", "date_of_birth", "nationality", "email"):
        assert f'<label for="id_{name}">' in page
    assert '<option value="MY">Malaysia</option>' in page
    assert "<h1>Enter a driver in Red Lion Racing</h1>" in page


def test_a_driver_who_raced_here_is_linked_to_the_entry_lists_driver(team, manager):
    known = make_driver("Mia", "Tan", date_of_birth=dt.date(2004, 11, 30))  # same birth year

    manager.post(reverse("paddock:driver-create", args=[team.pk]), driver_data())

    assert EntrantDriver.objects.get().driver == known


def test_a_namesake_born_another_year_is_not_linked(team, manager):
    make_driver("Mia", "Tan", date_of_birth=dt.date(1990, 3, 9))

    manager.post(reverse("paddock:driver-create", args=[team.pk]), driver_data())

    assert EntrantDriver.objects.get().driver is None


def test_the_same_person_twice_in_a_team_is_refused_clearly(team, manager, driver):
    response = manager.post(
        reverse("paddock:driver-create", args=[team.pk]),
        driver_data(first_name="MIA", date_of_birth=driver.date_of_birth.isoformat()),
    )

    assert response.status_code == 200
    assert "This team has entered this driver already." in response.content.decode()
    assert EntrantDriver.objects.count() == 1


def test_another_team_may_enter_the_same_person(team, driver):
    other = make_entrant_team()
    fields = {**driver_data(), "date_of_birth": driver.date_of_birth}

    entered = entrant_driver_create(team=other, fields=fields, by=manager_of(other))

    assert entered.team == other
    assert EntrantDriver.objects.count() == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "", "This field is required."),
        ("nationality", "", "This field is required."),
        ("nationality", "XX", "Select a valid choice. XX is not one of the available choices."),
        ("date_of_birth", "not a date", "Enter a valid date."),
        ("date_of_birth", "2999-01-01", "The date of birth must be in the past."),
        ("date_of_birth", "1900-01-01", "Check the date of birth: the year looks wrong."),
        ("email", "not-an-address", "Enter a valid email address."),
    ],
)
def test_bad_driver_details_are_refused_beside_their_field(team, manager, field, value, message):
    response = manager.post(
        reverse("paddock:driver-create", args=[team.pk]), driver_data(**{field: value})
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not EntrantDriver.objects.exists()


def test_only_the_teams_managers_enter_its_drivers(team, other_manager):
    member = make_account()
    TeamMember.objects.create(team=team, user=member, role=TeamRole.STAFF)
    url = reverse("paddock:driver-create", args=[team.pk])

    assert other_manager.get(url).status_code == 404
    assert other_manager.post(url, driver_data()).status_code == 404
    assert entrant_client(member).post(url, driver_data()).status_code == 404
    assert not EntrantDriver.objects.exists()


def test_the_service_refuses_someone_who_does_not_manage_the_team(team):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        entrant_driver_create(
            team=team,
            fields={**driver_data(), "date_of_birth": dt.date(2004, 3, 9)},
            by=make_account(),
        )
    assert not EntrantDriver.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, team, driver):
    for url in (
        reverse("paddock:driver-create", args=[team.pk]),
        reverse("paddock:driver", args=[driver.pk]),
        reverse("paddock:document-add", args=[driver.pk]),
        reverse("paddock:document", args=[make_document(driver).pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


# --- The driver's page ----------------------------------------------------------------------


def test_the_drivers_page_lists_current_and_earlier_documents_with_their_expiry(
    manager, driver, django_assert_num_queries
):
    old = make_document(driver, expires_on=dt.date(2020, 1, 31), number="OLD-1")
    old.uploaded_at = timezone.now() - dt.timedelta(days=400)
    old.save()
    licence = make_document(driver, number="NEW-2", expires_on=NEXT_YEAR)
    medical = make_document(driver, DocumentKind.MEDICAL, expires_on=dt.date(2021, 6, 1))
    url = reverse("paddock:driver", args=[driver.pk])
    manager.get(url)  # the session and the user are read once warm

    # session, user, driver, current, older, manages, the series menu
    with django_assert_num_queries(7):
        response = manager.get(url)

    assert response.status_code == 200
    assert [d.pk for d in response.context["current"]] == [licence.pk, medical.pk]
    assert [d.pk for d in response.context["older"]] == [old.pk]
    page = response.content.decode()
    assert "International C, no. NEW-2, issued by AAM" in page
    current_rows = page.split("Earlier documents")[0]
    medical_row = current_rows.split(f'id="document-{medical.pk}"')[1].split("</tr>")[0]
    licence_row = current_rows.split(f'id="document-{licence.pk}"')[1].split("</tr>")[0]
    assert "expired" in medical_row
    assert "expired" not in licence_row
    assert reverse("paddock:document", args=[licence.pk]) in page
    assert "Malaysia" in page


def test_the_query_count_does_not_grow_with_the_documents(
    manager, driver, django_assert_num_queries
):
    for kind in DocumentKind.values:
        make_document(driver, kind)
        make_document(driver, kind)
    url = reverse("paddock:driver", args=[driver.pk])
    manager.get(url)

    with django_assert_num_queries(7):
        manager.get(url)


def test_the_driver_reads_their_own_page_but_is_offered_no_delete(team, driver):
    account = make_account()
    driver.user = account
    driver.save()
    document = make_document(driver)

    response = entrant_client(account).get(reverse("paddock:driver", args=[driver.pk]))

    assert response.status_code == 200
    assert reverse("paddock:document-delete", args=[document.pk]) not in response.content.decode()


def test_a_manager_is_offered_the_delete_button(manager, driver):
    document = make_document(driver)

    page = manager.get(reverse("paddock:driver", args=[driver.pk])).content.decode()

    assert reverse("paddock:document-delete", args=[document.pk]) in page


# --- Uploading ------------------------------------------------------------------------------


def test_a_manager_uploads_a_licence_with_its_details(manager, driver):
    response = manager.post(reverse("paddock:document-add", args=[driver.pk]), licence_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("paddock:driver", args=[driver.pk])
    document = DriverDocument.objects.get()
    assert (document.kind, document.grade, document.issued_by, document.number) == (
        DocumentKind.LICENCE,
        "International C",
        "AAM",
        "MY-123",
    )
    assert document.expires_on == NEXT_YEAR
    assert document.content_type == "application/pdf"
    assert document.uploaded_by == manager_of(driver.team)
    assert "licence.pdf" not in document.file.name  # the uploader's name is not kept
    assert [p.read_bytes() for p in stored_files()] == [PDF]


def test_the_driver_uploads_their_own_medical_certificate_as_a_jpeg(driver):
    account = make_account()
    driver.user = account
    driver.save()

    entrant_client(account).post(
        reverse("paddock:document-add", args=[driver.pk]),
        {"kind": DocumentKind.MEDICAL, "file": jpeg_file(), "expires_on": NEXT_YEAR.isoformat()},
    )

    document = DriverDocument.objects.get()
    assert (document.kind, document.content_type, document.grade) == (
        DocumentKind.MEDICAL,
        "image/jpeg",
        "",
    )


def test_a_photo_keeps_no_details_even_if_some_are_sent(manager, driver):
    manager.post(
        reverse("paddock:document-add", args=[driver.pk]),
        licence_data(png_file(), kind=DocumentKind.PHOTO),
    )

    document = DriverDocument.objects.get()
    assert (document.kind, document.content_type) == (DocumentKind.PHOTO, "image/png")
    assert (document.grade, document.number, document.expires_on) == ("", "", None)


def test_a_new_upload_replaces_the_current_one_and_keeps_the_earlier(manager, driver):
    first = make_document(driver, uploaded_at=timezone.now() - dt.timedelta(days=1))

    manager.post(reverse("paddock:document-add", args=[driver.pk]), licence_data(number="MY-999"))

    current = DriverDocument.objects.current().get()
    assert current.number == "MY-999"
    assert DriverDocument.objects.filter(pk=first.pk).exists()


def truncated_png() -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.png", image_bytes("PNG")[:60], content_type="image/png")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            licence_data(SimpleUploadedFile("licence.pdf", b"just some text", "application/pdf")),
            "file",
            "This file is not a PDF, JPEG or PNG: the document must be one of these.",
        ),
        (
            {"kind": DocumentKind.PHOTO, "file": truncated_png()},
            "file",
            "This file is not a JPEG or PNG image: the photo must be one of these.",
        ),
        (
            {"kind": DocumentKind.PHOTO, "file": pdf_file("photo.pdf")},
            "file",
            "This file is not a JPEG or PNG image: the photo must be one of these.",
        ),
        (
            licence_data(SimpleUploadedFile("empty.pdf", b"", "application/pdf")),
            "file",
            "The submitted file is empty.",
        ),
        (
            licence_data(pdf_file(content=PDF + b"0" * MAX_DOCUMENT_BYTES)),
            "file",
            "This file is 5.0 MB; the limit is 5 MB.",
        ),
        (licence_data(grade=""), "grade", "Racing licence: this field is required."),
        (licence_data(issued_by=""), "issued_by", "Racing licence: this field is required."),
        (licence_data(number=""), "number", "Racing licence: this field is required."),
        (licence_data(expires_on=""), "expires_on", "Racing licence: this field is required."),
        (
            licence_data(expires_on="2020-01-31"),
            "expires_on",
            "Racing licence: it expired on Jan. 31, 2020; upload the current one.",
        ),
        (
            {"kind": DocumentKind.MEDICAL, "file": pdf_file()},
            "expires_on",
            "Medical certificate: this field is required.",
        ),
        (
            {"kind": DocumentKind.AUTHORISATION, "file": pdf_file()},
            "expires_on",
            "Home authority's authorisation: this field is required.",
        ),
        (
            licence_data(kind="VISA"),
            "kind",
            "Select a valid choice. VISA is not one of the available choices.",
        ),
        (licence_data(expires_on="31/31/2031"), "expires_on", "Enter a valid date."),
    ],
    ids=[
        "text-renamed-pdf",
        "truncated-png",
        "pdf-as-photo",
        "empty",
        "too-large",
        "licence-no-grade",
        "licence-no-authority",
        "licence-no-number",
        "licence-no-expiry",
        "licence-expired",
        "medical-no-expiry",
        "authorisation-no-expiry",
        "unknown-kind",
        "bad-date",
    ],
)
def test_a_refused_upload_says_why_beside_the_field_and_stores_nothing(
    manager, driver, data, field, message
):
    for value in data.values():
        if hasattr(value, "seek"):
            value.seek(0)

    response = manager.post(reverse("paddock:document-add", args=[driver.pk]), data)

    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert "Nothing was saved." in response.content.decode()
    assert not DriverDocument.objects.exists()
    assert stored_files() == []


def test_no_file_is_left_behind_when_the_row_is_refused(driver, monkeypatch):
    """The file is written before the row; a refusal of the row deletes it."""
    from django.core.exceptions import ValidationError

    from paddock.services.documents import document_add

    with pytest.raises(ValidationError):
        document_add(
            driver=driver,
            kind=DocumentKind.LICENCE,
            upload=pdf_file(),
            details={"expires_on": NEXT_YEAR},  # no grade, authority nor number
            by=manager_of(driver.team),
        )

    assert not DriverDocument.objects.exists()
    assert stored_files() == []


def test_the_upload_form_is_labelled(manager, driver):
    page = manager.get(reverse("paddock:document-add", args=[driver.pk])).content.decode()

    for name in ("kind", "file", "grade", "issued_by", "number", "expires_on"):
        assert f'<label for="id_{name}">' in page
    assert 'enctype="multipart/form-data"' in page


# --- Downloading ----------------------------------------------------------------------------


def test_a_manager_downloads_a_document_privately(manager, driver):
    document = make_document(driver)

    response = manager.get(reverse("paddock:document", args=[document.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="mia-tan-licence-{document.pk}.pdf"'
    )
    assert {"private", "no-store"} <= {p.strip() for p in response["Cache-Control"].split(",")}
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_driver_downloads_their_own_document(driver):
    account = make_account()
    driver.user = account
    driver.save()
    document = make_document(driver, DocumentKind.MEDICAL)

    response = entrant_client(account).get(reverse("paddock:document", args=[document.pk]))

    assert response.status_code == 200


def test_a_document_whose_file_is_gone_is_a_404(manager, driver):
    document = make_document(driver)
    document.file.storage.delete(document.file.name)

    assert manager.get(reverse("paddock:document", args=[document.pk])).status_code == 404


def test_a_document_has_no_storage_url(driver):
    document = make_document(driver)

    with pytest.raises(ValueError, match="no public URL"):
        document.file.url  # noqa: B018


# --- Deleting -------------------------------------------------------------------------------


def test_a_manager_deletes_a_document_and_its_file_goes_after_the_commit(
    manager, driver, django_capture_on_commit_callbacks
):
    document = make_document(driver)
    assert len(stored_files()) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(reverse("paddock:document-delete", args=[document.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("paddock:driver", args=[driver.pk])
    assert not DriverDocument.objects.exists()
    assert stored_files() == []


def test_deleting_is_a_post(manager, driver):
    document = make_document(driver)

    response = manager.get(reverse("paddock:document-delete", args=[document.pk]))

    assert response.status_code == 405
    assert DriverDocument.objects.filter(pk=document.pk).exists()


def test_the_driver_cannot_delete_a_document(driver):
    account = make_account()
    driver.user = account
    driver.save()
    document = make_document(driver)

    response = entrant_client(account).post(reverse("paddock:document-delete", args=[document.pk]))

    assert response.status_code == 404
    assert DriverDocument.objects.filter(pk=document.pk).exists()


# --- Another team's driver and documents: a 404 by every URL --------------------------------


def outsiders(team) -> dict[str, object]:
    """Every account that is neither the driver nor one of the team's managers."""
    staff_member, team_driver = make_account(), make_account()
    TeamMember.objects.create(team=team, user=staff_member, role=TeamRole.STAFF)
    TeamMember.objects.create(team=team, user=team_driver, role=TeamRole.DRIVER)
    return {
        "another team's manager": manager_of(make_entrant_team()),
        "the team's staff": staff_member,
        "another driver of the team": team_driver,
        "an account of no team": make_account(),
    }


def test_every_url_is_a_404_for_anyone_else(team, driver):
    other_driver = make_entrant_driver(team, "Lee")
    other_driver.user = outsiders_driver = make_account()
    other_driver.save()
    document = make_document(driver)
    people = {**outsiders(team), "another driver with a profile": outsiders_driver}

    for who, account in people.items():
        client = entrant_client(account)
        answers = {
            "driver": client.get(reverse("paddock:driver", args=[driver.pk])),
            "upload page": client.get(reverse("paddock:document-add", args=[driver.pk])),
            "upload": client.post(
                reverse("paddock:document-add", args=[driver.pk]), licence_data()
            ),
            "download": client.get(reverse("paddock:document", args=[document.pk])),
            "delete": client.post(reverse("paddock:document-delete", args=[document.pk])),
        }
        assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(
            answers, 404
        ), who

    assert list(DriverDocument.objects.all()) == [document]
    assert len(stored_files()) == 1


def test_another_teams_manager_cannot_enter_a_driver_in_this_team(team, other_manager):
    response = other_manager.post(reverse("paddock:driver-create", args=[team.pk]), driver_data())

    assert response.status_code == 404
    assert not EntrantDriver.objects.exists()


def test_unknown_ids_are_a_404(manager):
    for url in (
        reverse("paddock:driver-create", args=[999999]),
        reverse("paddock:driver", args=[999999]),
        reverse("paddock:document-add", args=[999999]),
        reverse("paddock:document", args=[999999]),
    ):
        assert manager.get(url).status_code == 404, url
    assert manager.post(reverse("paddock:document-delete", args=[999999])).status_code == 404


# --- Both languages -------------------------------------------------------------------------


def test_the_pages_answer_in_chinese(manager, driver, team):
    make_document(driver)
    for url in (
        reverse("paddock:driver-create", args=[team.pk]),
        reverse("paddock:driver", args=[driver.pk]),
        reverse("paddock:document-add", args=[driver.pk]),
    ):
        response = manager.get(f"/zh-hans{url}")
        assert response.status_code == 200, url
        assert '<html lang="zh-hans">' in response.content.decode()


# --- One list of the details each kind needs -----------------------------------------------


@pytest.mark.parametrize("kind", DocumentKind.values)
def test_the_details_each_kind_needs_are_the_ones_the_database_holds_it_to(driver, kind):
    """KIND_DETAILS (paddock/models/documents.py), which the forms require and the services
    store, agrees with the constraints: every detail listed is needed, and they are enough."""
    from django.core.exceptions import ValidationError

    from paddock.models.documents import DETAIL_FIELDS, KIND_DETAILS

    full = {"grade": "International C", "issued_by": "AAM", "number": "L1", "expires_on": NEXT_YEAR}
    assert set(DETAIL_FIELDS) == set(full)

    def document(**details) -> DriverDocument:
        return DriverDocument(
            driver=driver, kind=kind, file="x.pdf", content_type="application/pdf", **details
        )

    document(**{name: full[name] for name in KIND_DETAILS[kind]}).validate_constraints()
    for missing in KIND_DETAILS[kind]:
        given = {name: full[name] for name in KIND_DETAILS[kind] if name != missing}
        with pytest.raises(ValidationError):
            document(**given).validate_constraints()


def test_the_upload_form_requires_the_details_of_the_kind_and_keeps_only_those(driver):
    from paddock.document_forms import DocumentForm
    from paddock.models.documents import KIND_DETAILS

    for kind, details in KIND_DETAILS.items():
        upload = png_file() if kind == DocumentKind.PHOTO else pdf_file()
        form = DocumentForm({"kind": kind}, {"file": upload})
        assert form.is_valid() == (not details)
        assert set(form.errors) == set(details), kind
        upload.seek(0)
        data = {"kind": kind, "grade": "A", "issued_by": "AAM", "number": "L1"}
        form = DocumentForm({**data, "expires_on": NEXT_YEAR.isoformat()}, {"file": upload})
        assert form.is_valid(), form.errors
        assert set(form.details()) == set(details)


# --- One download response ------------------------------------------------------------------


def test_an_image_is_downloaded_too_never_shown_on_the_public_site(manager, driver):
    """paddock.downloads.document_response: the entrant's download is always an attachment
    (the back office shows images inline: tests/paddock/test_documents_admin.py)."""
    from paddock.services.documents import document_add

    photo = document_add(
        driver=driver,
        kind=DocumentKind.PHOTO,
        upload=png_file("My Photo.png"),
        details={},
        by=manager_of(driver.team),
    )

    response = manager.get(reverse("paddock:document", args=[photo.pk]))

    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == (
        f'attachment; filename="mia-tan-photo-{photo.pk}.png"'
    )
    assert {"private", "no-store"} <= {p.strip() for p in response["Cache-Control"].split(",")}
    assert response["X-Content-Type-Options"] == "nosniff"


def test_uploads_are_limited_per_address_and_the_one_over_stores_nothing(manager, driver, settings):
    settings.PADDOCK_UPLOAD_RATE_LIMIT = "2/h"
    url = reverse("paddock:document-add", args=[driver.pk])
    assert [manager.post(url, licence_data()).status_code for _ in range(2)] == [302, 302]

    response = manager.post(url, licence_data())

    assert response.status_code == 429
    assert "<h1>Too many attempts</h1>" in response.content.decode()
    assert DriverDocument.objects.count() == 2
    assert len(stored_files()) == 2
