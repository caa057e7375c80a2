"""Staff's review of applications: approve (team, driver, entry, seat, fees), reserve, refuse,
release; the reserve list moving up when a place frees; each step recorded and e-mailed to
the team in its language, a failing mail server never failing the step."""

from __future__ import annotations

import datetime as dt
import smtplib
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from championships.models import Championship
from entries.eligibility import admission_day
from entries.models import (
    ClassificationSource,
    Driver,
    Entry,
    PackageKind,
    SeatPackage,
    Team,
)
from paddock.models import ApplicationStatus, FeeKind, SeatRequest
from paddock.services.review import (
    admission_problem,
    application_approve,
    application_refuse,
    application_release,
    application_reserve,
    category_in_force,
    reserve_promote,
)
from tests import factories
from tests.paddock.factories import (
    make_application,
    make_entrant_driver,
    make_entrant_team,
    make_window,
)

pytestmark = pytest.mark.django_db

LONG_AGO = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("reviewer", "reviewer@example.com", "pw")


@pytest.fixture
def window():
    return make_window(places=2)


def statuses(application) -> list[str]:
    return list(application.events.order_by("at", "pk").values_list("status", flat=True))


def refresh(application):
    application.refresh_from_db()
    return application


# --- Approve ---------------------------------------------------------------------------------


def test_approving_enters_the_car_with_a_new_team_driver_and_the_fees(
    window, staff, django_capture_on_commit_callbacks
):
    team = make_entrant_team("Lotus Racing")
    driver = make_entrant_driver(team, "Mia", last_name="Chen")
    application = make_application(window, team, driver, car_number=88, category="GOLD")
    Championship.objects.filter(pk=window.championship_id).update(tables_changed_at=LONG_AGO)

    with django_capture_on_commit_callbacks(execute=True):
        application_approve(application=application, by=staff, note="Welcome")

    application = refresh(application)
    entry = application.entry
    assert application.status == ApplicationStatus.APPROVED
    assert (entry.car_number, entry.category, entry.entry_class.code) == (88, "GOLD", "PRO")
    assert entry.rookie and not entry.guest and not entry.arrive_and_drive
    assert entry.team.name == "Lotus Racing" and entry.team.slug == "lotus-racing"
    assert entry.driver.slug == "mia-chen"
    classification = entry.driver.classifications.get()
    assert classification.category == "GOLD"
    assert classification.source == ClassificationSource.SERIES
    assert classification.effective_from == timezone.localdate()
    assert classification.note == application.reference  # the same in every language
    team.refresh_from_db()
    driver.refresh_from_db()
    assert team.team == entry.team and driver.driver == entry.driver
    fees = {fee.kind: fee.amount for fee in application.fees.all()}
    assert fees == {FeeKind.SEASON: Decimal("50000"), FeeKind.DEPOSIT: Decimal("10000")}
    assert {fee.currency for fee in application.fees.all()} == {"USD"}
    event = application.events.get()
    assert (event.status, event.note, event.by, event.emailed) == (
        "APPROVED",
        "Welcome",
        staff,
        True,
    )
    window.championship.refresh_from_db()
    assert window.championship.tables_changed_at > LONG_AGO


def test_approving_reuses_the_team_of_the_same_name_and_the_known_driver(window, staff):
    known_team = factories.make_team("LOTUS RACING")
    known = factories.make_driver(first_name="Mia", last_name="Chen")
    factories.make_entry(factories.make_championship(), driver=known, team=known_team)
    team = make_entrant_team("Lotus Racing")
    driver = make_entrant_driver(
        team, "Mia", last_name="Chen", date_of_birth=known.date_of_birth, nationality="CN"
    )
    application = make_application(window, team, driver)
    teams, drivers = Team.objects.count(), Driver.objects.count()

    application_approve(application=application, by=staff)

    entry = refresh(application).entry
    assert (entry.team, entry.driver) == (known_team, known)
    assert (Team.objects.count(), Driver.objects.count()) == (teams, drivers)
    assert not entry.rookie  # raced before


def test_a_taken_team_slug_gets_a_number(window, staff):
    Team.objects.create(name="Other name", slug="apex")
    application = make_application(window, make_entrant_team("Apex"))

    application_approve(application=application, by=staff)

    assert refresh(application).entry.team.slug == "apex-2"


def test_a_single_meeting_seat_application_is_a_guest_arrive_and_drive_entry(staff):
    window = make_window(seat_meeting_price=Decimal("30000"))
    meeting = window.championship.meetings.get()
    application = make_application(
        window, make_entrant_team(), meeting=meeting, seat=SeatRequest.SINGLE_MEETING
    )

    application_approve(application=application, by=staff)

    entry = refresh(application).entry
    assert entry.guest and entry.arrive_and_drive
    package = SeatPackage.objects.get(entry=entry)
    assert (package.kind, package.meeting, package.price, package.currency) == (
        PackageKind.SINGLE_MEETING,
        meeting,
        Decimal("30000"),
        "USD",
    )
    fees = {fee.kind: fee.amount for fee in application.fees.all()}
    assert fees == {
        FeeKind.MEETING: Decimal("9000"),
        FeeKind.DEPOSIT: Decimal("10000"),
        FeeKind.SEAT: Decimal("30000"),
    }


def test_a_full_season_seat_without_a_price_is_refused_and_nothing_is_written(staff):
    window = make_window()  # no seat prices
    application = make_application(window, make_entrant_team(), seat=SeatRequest.FULL_SEASON)

    with pytest.raises(ValidationError, match="offers no such seat"):
        application_approve(application=application, by=staff)

    assert refresh(application).status == ApplicationStatus.SUBMITTED
    assert not Entry.objects.exists() and not application.fees.exists()


def test_no_deposit_fee_when_the_window_asks_none(staff):
    window = make_window(deposit=Decimal("0"), seat_season_price=Decimal("200000"))
    application = make_application(window, make_entrant_team(), seat=SeatRequest.FULL_SEASON)

    application_approve(application=application, by=staff)

    assert set(application.fees.values_list("kind", flat=True)) == {"SEASON", "SEAT"}
    assert SeatPackage.objects.get().kind == PackageKind.FULL_SEASON


@pytest.mark.parametrize("status", ["APPROVED", "REFUSED", "WITHDRAWN"])
def test_only_a_submitted_or_reserve_application_is_approved(window, staff, status):
    application = make_application(window, make_entrant_team(), status=status, status_reason="x")

    with pytest.raises(ValidationError, match="this step is not possible"):
        application_approve(application=application, by=staff)

    assert not application.events.exists()


def test_a_season_application_is_refused_when_the_places_are_all_taken(window, staff):
    for _ in range(2):
        application_approve(application=make_application(window, make_entrant_team()), by=staff)
    third = make_application(window, make_entrant_team())

    with pytest.raises(ValidationError, match="All 2 places are taken; put this application"):
        application_approve(application=third, by=staff)

    assert refresh(third).status == ApplicationStatus.SUBMITTED


def test_a_guest_application_takes_no_season_place(staff):
    window = make_window(places=1)
    application_approve(application=make_application(window, make_entrant_team()), by=staff)
    guest = make_application(
        window, make_entrant_team(), meeting=window.championship.meetings.get()
    )

    application_approve(application=guest, by=staff)

    assert refresh(guest).entry.guest


def test_a_class_that_does_not_admit_the_category_is_refused(window, staff):
    application = make_application(window, make_entrant_team(), category="BRONZE")

    with pytest.raises(ValidationError, match="Class PRO admits PLATINUM, GOLD, SILVER"):
        application_approve(application=application, by=staff)

    assert not Driver.objects.exists()


def test_a_number_taken_on_the_entry_list_is_refused(window, staff):
    factories.make_entry(window.championship, car_number=7)
    application = make_application(window, make_entrant_team(), car_number=7)

    with pytest.raises(ValidationError, match="Car number 7 is taken"):
        application_approve(application=application, by=staff)


# --- Reserve, refuse -------------------------------------------------------------------------


def test_reserve_then_refuse_each_recorded_with_its_reason(
    window, staff, django_capture_on_commit_callbacks
):
    application = make_application(window, make_entrant_team())

    with django_capture_on_commit_callbacks(execute=True):
        application_reserve(application=application, by=staff, note="Places full")
        application_refuse(application=application, by=staff, reason="Licence grade too low")

    application = refresh(application)
    assert application.status == ApplicationStatus.REFUSED
    assert application.status_reason == "Licence grade too low"
    assert statuses(application) == ["RESERVE", "REFUSED"]
    assert len(mail.outbox) == 2


def test_a_refusal_needs_its_reason(window, staff):
    application = make_application(window, make_entrant_team())

    with pytest.raises(ValidationError) as raised:
        application_refuse(application=application, by=staff, reason="  ")

    assert raised.value.message_dict == {"reason": ["Give the reason; the team reads it."]}
    assert refresh(application).status == ApplicationStatus.SUBMITTED


def test_only_a_submitted_application_goes_on_the_reserve_list(window, staff):
    application = make_application(window, make_entrant_team(), status="RESERVE")

    with pytest.raises(ValidationError, match="is reserve list: this step is not possible"):
        application_reserve(application=application, by=staff)


# --- Release and the reserve list ------------------------------------------------------------


def test_releasing_frees_the_place_and_the_first_reserve_moves_up(
    window, staff, django_capture_on_commit_callbacks
):
    approved = [make_application(window, make_entrant_team()) for _ in range(2)]
    for application in approved:
        application_approve(application=application, by=staff)
    later = make_application(window, make_entrant_team())
    first = make_application(
        window, make_entrant_team(), submitted_at=timezone.now() - dt.timedelta(days=1)
    )
    application_reserve(application=later, by=staff)
    application_reserve(application=first, by=staff)
    entry_pk = refresh(approved[0]).entry_id
    Championship.objects.filter(pk=window.championship_id).update(tables_changed_at=LONG_AGO)

    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        application_release(application=approved[0], by=staff, reason="Team pulled out")

    released = refresh(approved[0])
    assert (released.status, released.entry, released.status_reason) == (
        "WITHDRAWN",
        None,
        "Team pulled out",
    )
    assert not Entry.objects.filter(pk=entry_pk).exists()
    assert refresh(first).status == ApplicationStatus.APPROVED
    moved_up = refresh(first).events.last()
    assert (moved_up.status, moved_up.note, moved_up.emailed) == ("APPROVED", "", True)
    withdrawn, approved_mail = mail.outbox
    assert "is withdrawn, for this reason:\n\nTeam pulled out" in withdrawn.body
    assert "Moved up from the reserve list: a place was freed" in approved_mail.body
    assert refresh(later).status == ApplicationStatus.RESERVE
    window.championship.refresh_from_db()
    assert window.championship.tables_changed_at > LONG_AGO


def test_a_raced_entry_is_not_released(window, staff):
    application = make_application(window, make_entrant_team())
    application_approve(application=application, by=staff)
    entry = refresh(application).entry
    race = window.championship.meetings.get().races.get()
    factories.make_result(race, entry, position=1)

    with pytest.raises(ValidationError, match="has raced"):
        application_release(application=application, by=staff, reason="Team pulled out")

    assert refresh(application).status == ApplicationStatus.APPROVED
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_a_release_needs_its_reason(window, staff):
    application = make_application(window, make_entrant_team())
    application_approve(application=application, by=staff)

    with pytest.raises(ValidationError, match="Give the reason"):
        application_release(application=application, by=staff, reason="")


def test_promote_skips_one_whose_number_is_now_taken(staff):
    window = make_window(places=1)
    blocked = make_application(
        window,
        make_entrant_team(),
        car_number=5,
        status="RESERVE",
        submitted_at=timezone.now() - dt.timedelta(days=2),
    )
    next_one = make_application(window, make_entrant_team(), status="RESERVE")
    factories.make_entry(window.championship, car_number=5)  # entered by hand since

    promoted = reserve_promote(window=window, by=staff)

    assert promoted == [next_one]
    assert refresh(next_one).status == ApplicationStatus.APPROVED
    assert refresh(blocked).status == ApplicationStatus.RESERVE
    assert "Car number 5 is taken" in blocked.events.get().note


def test_promote_stops_when_the_places_are_full(staff):
    window = make_window(places=1)
    first = make_application(window, make_entrant_team(), status="RESERVE")
    second = make_application(window, make_entrant_team(), status="RESERVE")

    reserve_promote(window=window, by=staff)

    assert refresh(first).status == ApplicationStatus.APPROVED
    assert refresh(second).status == ApplicationStatus.RESERVE
    assert not second.events.exists()


# --- E-mails ---------------------------------------------------------------------------------


def test_the_e_mail_goes_to_the_managers_in_the_team_language(
    window, staff, django_capture_on_commit_callbacks
):
    Championship.objects.filter(pk=window.championship_id).update(
        name_en="Carrera Cup", name_zh_hans="卡雷拉杯"
    )
    chinese = make_entrant_team()
    chinese.language = "zh-hans"
    chinese.save()
    english = make_entrant_team()

    with django_capture_on_commit_callbacks(execute=True):
        application_reserve(application=make_application(window, chinese), by=staff)
        application_reserve(application=make_application(window, english), by=staff)

    to_chinese, to_english = mail.outbox
    assert to_chinese.to == chinese.manager_emails()
    assert "卡雷拉杯" in to_chinese.body and "Carrera Cup" not in to_chinese.body
    assert "Carrera Cup" in to_english.body


def mail_sends(callbacks) -> list:
    """The e-mail's own callbacks among those run after the commit."""
    return [callback for callback in callbacks if getattr(callback, "__name__", "") == "send"]


def test_a_failing_mail_server_never_fails_the_step(
    window, staff, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPException("down")

    monkeypatch.setattr("paddock.emails.send_mail", refuse)
    application = make_application(window, make_entrant_team())

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        application_approve(application=application, by=staff)
    assert len(mail_sends(callbacks)) == 1  # the send was tried, after the commit

    application = refresh(application)
    assert application.status == ApplicationStatus.APPROVED
    assert application.events.get().emailed is False


def test_the_e_mail_is_sent_only_once_the_step_is_committed(
    window, staff, django_capture_on_commit_callbacks
):
    application = make_application(window, make_entrant_team())

    with django_capture_on_commit_callbacks() as callbacks:
        application_approve(application=application, by=staff)
        # Still in the transaction: nothing sent, the step says so.
        assert mail.outbox == []
        assert application.events.get().emailed is False

    [send] = mail_sends(callbacks)  # (the tables' webhook is told after the commit too)
    assert mail.outbox == []
    send()
    assert len(mail.outbox) == 1
    assert application.events.get().emailed is True


def test_a_release_rolled_back_e_mails_nothing(window, staff, django_capture_on_commit_callbacks):
    application = make_application(window, make_entrant_team())
    application_approve(application=application, by=staff)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            application_release(application=application, by=staff, reason="Team pulled out")
            raise RuntimeError("what followed the release failed")

    assert callbacks == [] and mail.outbox == []
    assert refresh(application).status == ApplicationStatus.APPROVED


def test_a_reserve_not_moved_up_is_told_in_the_team_language(
    staff, django_capture_on_commit_callbacks
):
    window = make_window(places=1)
    Championship.objects.filter(pk=window.championship_id).update(
        name_en="Carrera Cup", name_zh_hans="卡雷拉杯"
    )
    team = make_entrant_team()
    team.language = "zh-hans"
    team.save()
    blocked = make_application(window, team, car_number=5, status="RESERVE")
    factories.make_entry(window.championship, car_number=5)

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        assert reserve_promote(window=window, by=staff) == []

    note = blocked.events.get().note
    assert "卡雷拉杯" in note and "Carrera Cup" not in note  # "Car number 5 is taken in ..."
    assert mail.outbox == []  # the team is told when it moves up, not while it waits


# --- The category in force on the admission day ----------------------------------------------


def known_driver(team, **classification):
    """An entrant driver who is a driver of the entry lists (GOLD since 2000)."""
    driver = factories.make_driver(first_name="Ana", last_name="Silva")
    if classification:
        factories.make_classification(driver, **classification)
    entrant = make_entrant_driver(
        team, "Ana", last_name="Silva", date_of_birth=driver.date_of_birth
    )
    return driver, entrant


def test_approval_uses_the_category_staff_recorded_before_the_first_race_day(window, staff):
    team = make_entrant_team()
    first_race_day = admission_day(window.championship)
    driver, entrant = known_driver(
        team, category="SILVER", effective_from=first_race_day - dt.timedelta(days=10)
    )
    application = make_application(window, team, entrant, category="GOLD")

    application_approve(application=application, by=staff)

    application = refresh(application)
    assert application.category == "SILVER"
    assert (application.entry.category, application.entry.driver) == ("SILVER", driver)


def test_a_category_recorded_after_the_first_race_day_is_not_the_one_in_force(window, staff):
    team = make_entrant_team()
    first_race_day = admission_day(window.championship)
    _, entrant = known_driver(
        team, category="BRONZE", effective_from=first_race_day + dt.timedelta(days=1)
    )
    application = make_application(window, team, entrant, category="SILVER")

    application_approve(application=application, by=staff)

    assert refresh(application).entry.category == "GOLD"  # recorded since 2000


def test_the_class_admits_by_the_category_in_force_not_the_declared_one(window, staff):
    team = make_entrant_team()
    first_race_day = admission_day(window.championship)
    _, entrant = known_driver(
        team, category="BRONZE", effective_from=first_race_day - dt.timedelta(days=1)
    )
    application = make_application(window, team, entrant, category="GOLD")  # PRO class

    assert admission_problem(application) == "Class PRO admits PLATINUM, GOLD, SILVER, not BRONZE."
    with pytest.raises(ValidationError, match="not BRONZE"):
        application_approve(application=application, by=staff)

    assert refresh(application).category == "GOLD" and not Entry.objects.exists()


def test_a_driver_new_to_the_entry_lists_keeps_the_declared_category(window, staff):
    application = make_application(window, make_entrant_team(), category="SILVER")

    assert category_in_force(application) == "SILVER"
    application_approve(application=application, by=staff)

    assert refresh(application).entry.category == "SILVER"


def test_a_known_driver_with_no_category_recorded_keeps_the_declared_one(window, staff):
    team = make_entrant_team()
    driver = factories.make_driver(first_name="Ana", last_name="Silva", category=None)
    entrant = make_entrant_driver(
        team, "Ana", last_name="Silva", date_of_birth=driver.date_of_birth
    )
    application = make_application(window, team, entrant, category="PLATINUM")

    application_approve(application=application, by=staff)

    assert refresh(application).entry.category == "PLATINUM"
