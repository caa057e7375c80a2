"""The back office: only reviewers see applications and documents; the selection flow."""

import pytest
from django.contrib.auth.models import Group, Permission

from core.documents import talentpool_storage as private_storage
from entries.models import Entry
from talentpool.models import Application, ErasureRecord, Review, StatusChange
from talentpool.services import applications_erase
from tests.factories import (
    PDF,
    edition_form_data,
    make_staff,
    make_team,
    management_form,
    role_client,
    submit,
)

CHANGELIST = "/admin/talentpool/application/"


@pytest.fixture
def reviewer_client(client, db):
    return role_client(client, "Talent Pool reviewer", name="reviewer")


@pytest.fixture
def other_staff_client(client, db):
    # Everything on the Application model except the reviewer permission.
    perms = ["view_application", "change_application", "delete_application"]
    client.force_login(make_staff("clerk", *(f"talentpool.{p}" for p in perms)))
    return client


def document_url(application, field):
    return f"/admin/talentpool/application/{application.pk}/document/{field}/"


# --- Permissions -----------------------------------------------------------------------------


def test_staff_without_the_reviewer_permission_see_no_application(other_staff_client, application):
    assert other_staff_client.get(CHANGELIST).status_code == 403
    assert other_staff_client.get(f"{CHANGELIST}{application.pk}/change/").status_code == 403
    assert other_staff_client.get("/admin/talentpool/review/").status_code == 403
    assert b"Applications" not in other_staff_client.get("/admin/").content


def test_staff_without_the_reviewer_permission_get_no_document(other_staff_client, application):
    for field in ("cv", "licence_scan", "photo"):
        assert other_staff_client.get(document_url(application, field)).status_code == 403


def test_visitors_are_sent_to_the_login_page_for_documents(client, application):
    response = client.get(document_url(application, "cv"))

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_a_reviewer_gets_each_document_streamed_with_its_real_type(reviewer_client, application):
    cv = reviewer_client.get(document_url(application, "cv"))
    photo = reviewer_client.get(document_url(application, "photo"))

    assert cv.status_code == 200 and b"".join(cv.streaming_content) == PDF
    assert cv["Content-Type"] == "application/pdf" and cv["Content-Disposition"].startswith(
        "attachment"
    )
    assert photo["Content-Type"] == "image/png" and photo["Content-Disposition"].startswith(
        "inline"
    )
    assert "private" in cv["Cache-Control"] and "no-store" in cv["Cache-Control"]
    assert cv["X-Content-Type-Options"] == "nosniff"


def test_an_unknown_document_is_not_found(reviewer_client, application):
    assert reviewer_client.get(document_url(application, "motivation")).status_code == 404
    assert reviewer_client.get(document_url(application, "password")).status_code == 404


def test_a_document_missing_on_disk_is_not_found(reviewer_client, application, upload_root):
    (upload_root / application.cv.name).unlink()

    assert reviewer_client.get(document_url(application, "cv")).status_code == 404


def test_documents_have_no_public_url(application, client):
    with pytest.raises(ValueError, match="no public URL"):
        private_storage.url(application.cv.name)
    assert client.get(f"/media/{application.cv.name}").status_code == 404


def test_the_reviewer_group_holds_the_talent_pool_reviewer_permission(db):
    permission = Permission.objects.get(codename="review_application")

    assert permission.name == "Talent Pool reviewer"
    assert (
        Group.objects.get(name="Talent Pool reviewer").permissions.filter(pk=permission.pk).exists()
    )


def test_a_reviewer_sees_the_list_with_averages_and_the_application_with_documents(
    reviewer_client, application
):
    listing = reviewer_client.get(CHANGELIST).content.decode()
    page = reviewer_client.get(f"{CHANGELIST}{application.pk}/change/").content.decode()

    assert application.reference in listing and "Average score" in listing
    assert document_url(application, "cv") in page and document_url(application, "photo") in page
    assert "Rotax" in page  # the racing record


def test_reviewers_cannot_erase_without_the_delete_permission(reviewer_client, application):
    response = reviewer_client.get(f"{CHANGELIST}{application.pk}/delete/")

    assert response.status_code == 403


# --- Reviews ---------------------------------------------------------------------------------


def test_a_review_is_the_signed_in_reviewers_own(reviewer_client, application):
    response = reviewer_client.post(
        "/admin/talentpool/review/add/",
        {"application": application.pk, "racing_record": 8, "fitness": 7, "notes": "Quick"},
    )

    assert response.status_code == 302
    review = Review.objects.get()
    assert review.reviewer.username == "reviewer" and review.average == 7.5


def test_a_reviewer_cannot_review_twice_or_score_outside_1_to_10(reviewer_client, application):
    reviewer_client.post("/admin/talentpool/review/add/", {"application": application.pk})

    twice = reviewer_client.post("/admin/talentpool/review/add/", {"application": application.pk})
    eleven = reviewer_client.post(
        f"/admin/talentpool/review/{Review.objects.get().pk}/change/",
        {"application": application.pk, "media": 11},
    )

    assert "You have already reviewed this application." in twice.content.decode()
    assert "less than or equal to 10" in eleven.content.decode()
    assert Review.objects.get().media is None


def test_a_reviewer_cannot_change_anothers_review(reviewer_client, application, django_user_model):
    other = Review.objects.create(
        application=application, reviewer=django_user_model.objects.create_user("o"), media=3
    )

    reviewer_client.post(
        f"/admin/talentpool/review/{other.pk}/change/", {"application": application.pk, "media": 9}
    )

    other.refresh_from_db()
    assert other.media == 3


def test_the_ranking_orders_the_shortlist_by_average(
    reviewer_client, application, django_user_model
):
    edition = application.edition
    better = submit(edition, email="b@example.com", first_name="Ann")
    someone = django_user_model.objects.create_user("s")
    Review.objects.create(application=application, reviewer=someone, racing_record=5)
    Review.objects.create(application=better, reviewer=someone, racing_record=9, media=8)
    Application.objects.update(status="shortlisted")

    html = reviewer_client.get(f"/admin/talentpool/talentpooledition/{edition.pk}/ranking/")

    text = html.content.decode()
    assert text.index(better.reference) < text.index(application.reference)
    assert "8.5" in text and "5.0" in text


def test_the_ranking_is_for_reviewers_only(other_staff_client, application):
    url = f"/admin/talentpool/talentpooledition/{application.edition.pk}/ranking/"

    assert other_staff_client.get(url).status_code == 403


# --- The selection from the back office ------------------------------------------------------


def test_a_reviewer_moves_an_application_from_its_page(reviewer_client, application, mailoutbox):
    mailoutbox.clear()
    response = reviewer_client.post(
        f"{CHANGELIST}{application.pk}/change/",
        {
            "new_status": "under_review",
            "note": "Good record",
            "notify": "on",
            **_inline_management(),
        },
    )

    assert response.status_code == 302
    change = StatusChange.objects.get(to_status="under_review")
    assert change.changed_by.username == "reviewer" and change.note == "Good record"
    assert change.email_sent and len(mailoutbox) == 1


def test_a_status_that_is_not_next_is_refused_on_the_page(reviewer_client, application):
    response = reviewer_client.post(
        f"{CHANGELIST}{application.pk}/change/", {"new_status": "selected", **_inline_management()}
    )

    assert response.status_code == 200
    assert Application.objects.get().status == "submitted"


def _inline_management():
    """The application page's three inlines, empty."""
    prefixes = ("racing_record", "reviews", "status_changes")
    return {k: v for p in prefixes for k, v in management_form(p, total=0).items()}


def test_the_bulk_action_moves_every_selected_application(reviewer_client, application):
    second = submit(application.edition, email="b@example.com", first_name="Ann")
    ids = [application.pk, second.pk]

    page = reviewer_client.post(CHANGELIST, {"action": "change_status", "_selected_action": ids})
    done = reviewer_client.post(
        CHANGELIST,
        {
            "action": "change_status",
            "_selected_action": ids,
            "apply": "1",
            "to_status": "under_review",
        },
    )

    assert "Change the status" in page.content.decode()
    assert done.status_code == 302
    assert set(Application.objects.values_list("status", flat=True)) == {"under_review"}


def test_the_placement_action_needs_entry_permissions(reviewer_client, application):
    page = reviewer_client.get(CHANGELIST).content.decode()

    assert "place_on_grid" not in page


def test_the_placement_action_enters_the_selected_applicants(client, application, admin_user):
    client.force_login(admin_user)
    Application.objects.update(status="selected")
    championship = application.edition.championship
    team = make_team("Talent Pool Racing")

    response = client.post(
        CHANGELIST,
        {
            "action": "place_on_grid",
            "_selected_action": [application.pk],
            "apply": "1",
            "team": team.pk,
            "entry_class": championship.classes.get(code="PRO").pk,
            "default_category": "SILVER",
            "first_car_number": 88,
        },
    )

    assert response.status_code == 302
    entry = Entry.objects.get()
    assert (entry.car_number, entry.driver.full_name, entry.arrive_and_drive) == (
        88,
        "Mei Tan",
        True,
    )


def test_the_erase_action_asks_then_erases_with_the_files(
    client, application, admin_user, upload_root, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    ask = client.post(CHANGELIST, {"action": "erase", "_selected_action": [application.pk]})

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            CHANGELIST, {"action": "erase", "_selected_action": [application.pk], "apply": "1"}
        )

    assert "erased for good" in ask.content.decode()
    assert Application.objects.count() == 0
    assert not any(p.is_file() for p in upload_root.rglob("*"))
    record = ErasureRecord.objects.get()
    assert (record.reference, record.erased_by) == (application.reference, admin_user)


def test_deleting_from_the_page_erases_the_files_too(
    client, application, admin_user, upload_root, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{CHANGELIST}{application.pk}/delete/", {"post": "yes"})

    assert Application.objects.count() == 0
    assert not any(p.is_file() for p in upload_root.rglob("*"))


def test_the_edition_window_is_typed_in_the_editions_time_zone(admin_client, application):
    edition = application.edition
    data = edition_form_data(edition)

    response = admin_client.post(f"/admin/talentpool/talentpooledition/{edition.pk}/change/", data)

    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.opens_at.isoformat() == "2026-01-01T01:00:00+00:00"


# --- Erasure records (issue 14.11) -----------------------------------------------------------

ERASURES = "/admin/talentpool/erasurerecord/"


def erased(application, user):
    applications_erase(applications=[application], by=user)
    return ErasureRecord.objects.get()


def test_reviewers_read_the_erasure_records_and_change_nothing(
    reviewer_client, application, admin_user
):
    record = erased(application, admin_user)

    listing = reviewer_client.get(ERASURES)
    page = reviewer_client.get(f"{ERASURES}{record.pk}/change/")

    assert listing.status_code == 200 and application.reference in listing.content.decode()
    assert page.status_code == 200
    assert 'name="reference"' not in page.content.decode()  # read-only, no input
    assert reviewer_client.get(f"{ERASURES}add/").status_code == 403
    assert (
        reviewer_client.post(f"{ERASURES}{record.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert ErasureRecord.objects.count() == 1


def test_not_even_a_superuser_changes_or_deletes_an_erasure_record(
    admin_client, application, admin_user
):
    record = erased(application, admin_user)

    admin_client.post(f"{ERASURES}{record.pk}/change/", {"reference": "TP26-FAKE-FAKE"})
    admin_client.post(f"{ERASURES}{record.pk}/delete/", {"post": "yes"})

    assert ErasureRecord.objects.get().reference == application.reference


def test_staff_without_a_talent_pool_role_do_not_see_the_erasure_records(
    other_staff_client, application, admin_user
):
    erased(application, admin_user)

    assert other_staff_client.get(ERASURES).status_code == 403
