"""The back office's review of applications: the read-only application with its review panel
(the driver's documents on the first race day, the class admission), the review view (POST
only, for reviewers only), the list's bulk actions, the entry windows (classes of their own
championship, more places moving the reserve list up) and the team accounts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from entries.eligibility import admission_day
from paddock.models import ApplicationEvent, ApplicationStatus, DocumentKind, EntryWindow
from paddock.services.review import application_approve, places_taken
from staff.roles import READ_ONLY_STAFF_GROUP, SERIES_MANAGER_GROUP
from tests import factories
from tests.factories import role_client
from tests.paddock.factories import (
    make_application,
    make_document,
    make_entrant_driver,
    make_entrant_team,
    make_window,
    manager_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def window():
    return make_window(places=1)


@pytest.fixture
def manager(client):
    return role_client(client, SERIES_MANAGER_GROUP, name="manager")


def review_url(application) -> str:
    return reverse("admin:paddock_entryapplication_review", args=[application.pk])


def change_url(application) -> str:
    return reverse("admin:paddock_entryapplication_change", args=[application.pk])


def status_of(application) -> str:
    application.refresh_from_db()
    return application.status


def test_approving_from_the_review_page_puts_the_car_on_the_public_entry_list(
    manager, window, client
):
    team = make_entrant_team("Lotus Racing")
    driver = make_entrant_driver(team, "Mia", last_name="Chen")
    application = make_application(window, team, driver, car_number=88)
    public_list = f"/championships/{window.championship.slug}/entries/"
    assert "Mia Chen" not in manager.get(public_list).content.decode()  # kept page

    response = manager.post(review_url(application), {"action": "approve", "note": ""})

    assert response.status_code == 302 and response.url == change_url(application)
    assert status_of(application) == ApplicationStatus.APPROVED
    page = manager.get(public_list).content.decode()
    assert "Mia Chen" in page and "Lotus Racing" in page


def test_read_only_staff_read_the_application_but_are_refused_the_review(client, window):
    application = make_application(window, make_entrant_team())
    reader = role_client(client, READ_ONLY_STAFF_GROUP, name="reader")

    page = reader.get(change_url(application))
    response = reader.post(review_url(application), {"action": "approve"})

    assert page.status_code == 200
    assert review_url(application) not in page.content.decode()
    assert response.status_code == 403
    assert status_of(application) == ApplicationStatus.SUBMITTED


def test_the_review_view_takes_only_posts(manager, window):
    application = make_application(window, make_entrant_team())

    assert manager.get(review_url(application)).status_code == 405


def test_an_unknown_application_is_a_404(manager):
    url = reverse("admin:paddock_entryapplication_review", args=[999999])

    assert manager.post(url, {"action": "approve"}).status_code == 404


def test_a_refusal_without_a_reason_is_refused_with_the_message(manager, window):
    application = make_application(window, make_entrant_team())

    response = manager.post(review_url(application), {"action": "refuse", "note": ""}, follow=True)

    assert "Give the reason; the team reads it." in response.content.decode()
    assert status_of(application) == ApplicationStatus.SUBMITTED


def test_refusing_with_a_reason_and_releasing(manager, window):
    refused = make_application(window, make_entrant_team())
    approved = make_application(window, make_entrant_team())
    application_approve(application=approved, by=None)

    manager.post(review_url(refused), {"action": "refuse", "note": "No licence"})
    manager.post(review_url(approved), {"action": "release", "note": "Pulled out"})

    assert status_of(refused) == ApplicationStatus.REFUSED
    assert status_of(approved) == ApplicationStatus.WITHDRAWN


def test_the_panel_shows_the_document_problems_and_the_class_admission(manager, window):
    driver = make_entrant_driver(make_entrant_team())
    make_document(driver, DocumentKind.MEDICAL)
    application = make_application(window, driver.team, driver, category="BRONZE")

    page = manager.get(change_url(application)).content.decode()

    assert "Racing licence missing." in page
    assert "Medical certificate missing." not in page
    assert "Class PRO admits PLATINUM, GOLD, SILVER, not BRONZE." in page
    assert review_url(application) in page


def test_the_panel_judges_the_class_by_the_category_in_force_on_the_first_race_day(manager, window):
    team = make_entrant_team()
    known = factories.make_driver(first_name="Ana", last_name="Silva")  # GOLD since 2000
    first_race_day = admission_day(window.championship)
    factories.make_classification(known, "BRONZE", first_race_day - dt.timedelta(days=3))
    entrant = make_entrant_driver(team, "Ana", last_name="Silva", date_of_birth=known.date_of_birth)
    application = make_application(window, team, entrant, category="GOLD")

    page = manager.get(change_url(application)).content.decode()

    assert "Class PRO admits PLATINUM, GOLD, SILVER, not BRONZE." in page


def test_the_panel_checks_the_documents_on_the_first_meeting_before_any_race(manager):
    championship = factories.make_championship(year=2031)
    factories.make_meeting(championship, start_date=dt.date(2031, 5, 2))  # no race yet
    window = make_window(championship)
    driver = make_entrant_driver(make_entrant_team())
    application = make_application(window, driver.team, driver)

    page = manager.get(change_url(application)).content.decode()

    assert "Racing licence missing." in page


def test_the_steps_read_the_same_queries_for_one_as_for_six(manager, window, django_user_model):
    application = make_application(window, make_entrant_team())

    def step(number: int) -> None:
        by = django_user_model.objects.create_user(f"staff{number}", f"s{number}@example.com")
        ApplicationEvent.objects.create(
            application=application, status="SUBMITTED", note=f"Step {number}", by=by
        )

    step(0)
    manager.get(change_url(application))
    with CaptureQueriesContext(connection) as one:
        assert manager.get(change_url(application)).status_code == 200
    for number in range(1, 6):
        step(number)
    with CaptureQueriesContext(connection) as six:
        page = manager.get(change_url(application)).content.decode()

    assert "Step 5" in page and "staff5" in page
    assert len(six) == len(one)


def test_the_panel_says_when_the_places_are_full(manager, window):
    application_approve(application=make_application(window, make_entrant_team()), by=None)
    waiting = make_application(window, make_entrant_team())

    page = manager.get(change_url(waiting)).content.decode()

    assert "All 1 places are taken; put this application on the reserve list." in page


def test_the_application_is_read_only_but_its_fees_are_recorded(manager, window):
    application = make_application(window, make_entrant_team(), car_number=12)
    application_approve(application=application, by=None)
    fee = application.fees.get(kind="SEASON")
    data = factories.form_fields(manager, change_url(application), "entryapplication_form")
    data.update(
        {
            "car_number": "99",
            f"fees-{_index(data, fee)}-status": "INVOICED",
            f"fees-{_index(data, fee)}-invoice_number": "INV-7",
        }
    )

    response = manager.post(change_url(application), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    application.refresh_from_db()
    fee.refresh_from_db()
    assert application.car_number == 12
    assert (fee.status, fee.invoice_number) == ("INVOICED", "INV-7")
    assert application.events.last().note.startswith("Season entry fee")


def _index(data: dict, fee) -> int:
    return next(
        int(key.split("-")[1])
        for key, value in data.items()
        if key.startswith("fees-") and key.endswith("-id") and str(fee.pk) in value
    )


def test_a_paid_fee_without_its_day_is_refused_on_the_field(manager, window):
    application = make_application(window, make_entrant_team())
    application_approve(application=application, by=None)
    fee = application.fees.get(kind="SEASON")
    data = factories.form_fields(manager, change_url(application), "entryapplication_form")
    data[f"fees-{_index(data, fee)}-status"] = "PAID"

    response = manager.post(change_url(application), data)

    assert response.status_code == 200
    assert "A paid fee needs the day it was paid." in response.content.decode()
    fee.refresh_from_db()
    assert fee.status == "UNPAID"


def test_bulk_approve_and_reserve_from_the_list(manager, window):
    first = make_application(window, make_entrant_team())
    second = make_application(window, make_entrant_team())
    url = reverse("admin:paddock_entryapplication_changelist")

    manager.post(url, {"action": "approve_selected", "_selected_action": [first.pk]})
    response = manager.post(
        url, {"action": "approve_selected", "_selected_action": [second.pk]}, follow=True
    )
    manager.post(url, {"action": "reserve_selected", "_selected_action": [second.pk]})

    assert "All 1 places are taken" in response.content.decode()
    assert status_of(first) == ApplicationStatus.APPROVED
    assert status_of(second) == ApplicationStatus.RESERVE


def test_read_only_staff_get_no_review_actions(client, window):
    make_application(window, make_entrant_team())
    reader = role_client(client, READ_ONLY_STAFF_GROUP, name="reader")

    page = reader.get(reverse("admin:paddock_entryapplication_changelist")).content.decode()

    assert "approve_selected" not in page


def test_the_list_reads_the_same_queries_for_one_application_as_for_five(manager, window):
    url = reverse("admin:paddock_entryapplication_changelist")
    make_application(window, make_entrant_team())
    manager.get(url)
    with CaptureQueriesContext(connection) as one:
        assert manager.get(url).status_code == 200
    for _ in range(4):
        make_application(window, make_entrant_team())
    with CaptureQueriesContext(connection) as five:
        page = manager.get(url)

    assert page.content.decode().count("/change/") >= 5
    assert len(five) == len(one)


# --- Entry windows ---------------------------------------------------------------------------


def test_the_window_offers_only_its_championship_classes(manager, window):
    other = factories.make_championship()
    url = reverse("admin:paddock_entrywindow_change", args=[window.pk])

    form = manager.get(url).context["adminform"].form

    offered = set(form.fields["classes"].queryset)
    assert offered == set(window.championship.classes.all())
    assert not offered & set(other.classes.all())


def test_more_places_move_the_reserve_list_up(manager, window):
    application_approve(application=make_application(window, make_entrant_team()), by=None)
    waiting = make_application(window, make_entrant_team(), status="RESERVE")
    url = reverse("admin:paddock_entrywindow_change", args=[window.pk])
    data = factories.form_fields(manager, url, "entrywindow_form")
    data["places"] = "2"

    response = manager.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert status_of(waiting) == ApplicationStatus.APPROVED


def test_the_window_list_counts_places_taken_and_the_reserve(manager, window):
    application_approve(application=make_application(window, make_entrant_team()), by=None)
    make_application(window, make_entrant_team(), status="RESERVE")
    make_application(window, make_entrant_team(), status="RESERVE")

    response = manager.get(reverse("admin:paddock_entrywindow_changelist"))

    row = response.context["cl"].result_list[0]
    assert (row.places_taken, row.reserve_count) == (1, 2)
    assert EntryWindow.objects.with_places_taken().get().places_taken == places_taken(window) == 1


def test_the_window_saved_with_more_places_e_mails_the_moved_up_team_after_the_commit(
    manager, window, django_capture_on_commit_callbacks
):
    application_approve(application=make_application(window, make_entrant_team()), by=None)
    waiting = make_application(window, make_entrant_team(), status="RESERVE")
    url = reverse("admin:paddock_entrywindow_change", args=[window.pk])
    data = factories.form_fields(manager, url, "entrywindow_form")
    data["places"] = "2"
    mail.outbox.clear()

    with django_capture_on_commit_callbacks() as callbacks:
        manager.post(url, data)
        assert mail.outbox == []  # not while the window is locked

    for callback in callbacks:
        callback()
    (sent,) = mail.outbox
    assert sent.to == waiting.team.manager_emails()
    assert "Moved up from the reserve list: a place was freed" in sent.body
    assert waiting.events.get().emailed is True


# --- Team accounts ---------------------------------------------------------------------------


def test_the_team_account_shows_its_members_read_only(manager):
    team = make_entrant_team("Apex")
    url = reverse("admin:paddock_entrantteam_change", args=[team.pk])

    page = manager.get(url).content.decode()

    assert manager_of(team).email in page
    assert 'name="name"' not in page
