"""The rules of a team's application (paddock.services.applications): each rule with its good
and bad path. A refused submission stores nothing: no driver, no document, no file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from paddock.models import (
    ApplicationEvent,
    ApplicationStatus,
    DocumentKind,
    DriverDocument,
    EntrantDriver,
    EntryApplication,
    SeatRequest,
)
from paddock.services import applications as service
from paddock.services.applications import (
    ApplicationRefused,
    CarRequest,
    Declaration,
    DocumentUpload,
    NewDriver,
    application_withdraw,
    applications_submit,
)
from tests.factories import (
    make_championship,
    make_classification,
    make_driver,
    make_entry,
    make_meeting,
    make_race,
    make_series,
    pdf_file,
)
from tests.paddock.factories import (
    make_application,
    make_document,
    make_entrant_driver,
    make_entrant_team,
    make_window,
    manager_of,
)

pytestmark = pytest.mark.django_db

FAR = dt.date(2099, 12, 31)


def _documents(licence_expires: dt.date = FAR, medical_expires: dt.date | None = FAR) -> list:
    documents = [
        DocumentUpload(
            DocumentKind.LICENCE,
            pdf_file("licence.pdf"),
            {
                "grade": "National A",
                "issued_by": "AAM",
                "number": "L-1",
                "expires_on": licence_expires,
            },
        )
    ]
    if medical_expires is not None:
        documents.append(
            DocumentUpload(
                DocumentKind.MEDICAL, pdf_file("medical.pdf"), {"expires_on": medical_expires}
            )
        )
    return documents


def _new_car(window, number: int = 55, *, code: str = "PRO_AM", **fields) -> CarRequest:
    """A new driver (Silver, declared), with a licence and a medical certificate."""
    person = fields.pop("person", {})
    return CarRequest(
        car_number=number,
        entry_class=window.championship.classes.get(code=code),
        new_driver=NewDriver(
            first_name=person.get("first_name", "Ana"),
            last_name=person.get("last_name", "Lopes"),
            date_of_birth=person.get("date_of_birth", dt.date(1998, 3, 3)),
            nationality="PT",
            email="ana@example.com",
        ),
        declared_category=fields.pop("declared_category", "SILVER"),
        documents=fields.pop("documents", None) or _documents(),
        **fields,
    )


def _submit(window, team, cars, meeting=None):
    return applications_submit(
        window=window,
        team=team,
        cars=cars,
        declaration=Declaration(
            name="Tan Wei Ming", address="198.51.100.7", regulations_version="2027-1"
        ),
        meeting=meeting,
        by=manager_of(team),
        language="en",
    )


def _files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _refused(window, team, cars, meeting=None) -> list[str]:
    with pytest.raises(ApplicationRefused) as refused:
        _submit(window, team, cars, meeting)
    return refused.value.problems


def _nothing_stored(root: Path, drivers_before: int = 0, applications_before: int = 0) -> None:
    assert EntryApplication.objects.count() == applications_before
    assert EntrantDriver.objects.count() == drivers_before
    assert DriverDocument.objects.count() == 0
    assert _files(root) == []


@pytest.fixture
def window():
    return make_window()


@pytest.fixture
def team():
    return make_entrant_team()


# --- Good paths ------------------------------------------------------------------------------


def test_new_driver_application_stored_with_documents_event_and_email(
    window, team, paddock_upload_root, mailoutbox
):
    [application] = _submit(window, team, [_new_car(window)])
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.category == "SILVER"
    assert application.meeting is None
    assert application.declared_name == "Tan Wei Ming"
    assert application.declared_from == "198.51.100.7"
    assert application.regulations_version == "2027-1"
    driver = application.driver
    assert (driver.team, driver.full_name, driver.driver) == (team, "Ana Lopes", None)
    assert set(driver.documents.values_list("kind", flat=True)) == {"LICENCE", "MEDICAL"}
    assert len(_files(paddock_upload_root)) == 2
    event = ApplicationEvent.objects.get(application=application)
    assert (event.status, event.by, event.emailed) == ("SUBMITTED", manager_of(team), True)
    assert mailoutbox[0].to == team.manager_emails()
    assert application.reference in mailoutbox[0].body


def test_new_driver_linked_to_known_driver_by_duplicate_rule(window, team):
    known = make_driver("Ana", "Lopes", date_of_birth=dt.date(1998, 7, 1), category="SILVER")
    [application] = _submit(window, team, [_new_car(window, declared_category="")])
    assert application.driver.driver == known
    assert application.category == "SILVER"


def test_category_is_the_one_in_force_on_the_first_race_day(window, team):
    first_day = dt.date(window.championship.year, 4, 20)
    known = make_driver("Bo", "Chen", category="GOLD")
    make_classification(known, "BRONZE", first_day + dt.timedelta(days=1))  # too late
    driver = make_entrant_driver(team, "Bo", last_name="Chen", driver=known)
    make_document(driver, DocumentKind.LICENCE)
    make_document(driver, DocumentKind.MEDICAL)
    car = CarRequest(
        car_number=9,
        entry_class=window.championship.classes.get(code="PRO"),
        driver=driver,
        declared_category="BRONZE",  # ignored: a category is on record
    )
    [application] = _submit(window, team, [car])
    assert application.category == "GOLD"


def test_two_cars_stored_each_with_its_reference(window, team):
    cars = [
        _new_car(window, 55),
        _new_car(window, 56, person={"first_name": "Rui"}),
    ]
    applications = _submit(window, team, cars)
    assert [a.car_number for a in applications] == [55, 56]
    assert len({a.reference for a in applications}) == 2


def test_guest_entry_of_a_meeting_not_started(window, team):
    meeting = make_meeting(
        window.championship, 2, start_date=dt.date(window.championship.year, 6, 1)
    )
    car = _new_car(window, seat=SeatRequest.NONE)
    [application] = _submit(window, team, [car], meeting=meeting)
    assert application.meeting == meeting
    assert not application.is_season_entry


# --- Window ----------------------------------------------------------------------------------


def test_window_closed_refused(team, paddock_upload_root):
    past = timezone.now() - dt.timedelta(days=2)
    window = make_window(opens_at=past - dt.timedelta(days=9), closes_at=past)
    problems = _refused(window, team, [_new_car(window)])
    assert "closed" in problems[0]
    _nothing_stored(paddock_upload_root)


def test_meeting_started_refused(window, team, paddock_upload_root):
    today = timezone.localdate()
    meeting = make_meeting(window.championship, 2, start_date=today, end_date=today)
    problems = _refused(window, team, [_new_car(window)], meeting)
    assert problems == ["Guest entries to this meeting are closed: it has started."]
    _nothing_stored(paddock_upload_root)


def test_meeting_of_another_championship_refused(window, team):
    other = make_championship(year=window.championship.year)
    meeting = make_meeting(other, start_date=dt.date(other.year, 6, 1))
    assert _refused(window, team, [_new_car(window)], meeting)


def test_window_problems_is_the_one_open_window_rule(window):
    """The page (public/views/paddock_apply.py) and the submission read it."""
    assert service.window_problems(window) == []
    later = window.closes_at + dt.timedelta(seconds=1)
    assert service.window_problems(window, now=later) == [
        f"Entries to {window.championship} are closed."
    ]
    window.championship.status = "draft"
    window.championship.save(update_fields=["status"])
    assert service.window_problems(window) == [f"Entries to {window.championship} are closed."]


def test_a_draft_seasons_window_refuses_the_submission(team, paddock_upload_root):
    window = make_window()
    window.championship.status = "draft"
    window.championship.save(update_fields=["status"])
    assert "closed" in _refused(window, team, [_new_car(window)])[0]
    _nothing_stored(paddock_upload_root)


# --- The admission day -----------------------------------------------------------------------


def test_season_days_read_the_admission_day(team):
    """Before any race is scheduled: the first meeting's first day (entries.eligibility.
    admission_day, the one the review reads too)."""
    from entries.eligibility import admission_day

    championship = make_championship(year=timezone.localdate().year + 1)
    start = dt.date(championship.year, 5, 2)
    make_meeting(championship, 2, start_date=start, end_date=start + dt.timedelta(days=1))
    window = make_window(championship)
    assert service.season_days(championship, None) == (start, start, None)
    assert admission_day(championship) == start
    guest = make_meeting(championship, 3, start_date=dt.date(championship.year, 8, 1))
    assert service.season_days(championship, guest) == (start, guest.start_date, guest.end_date)
    # The documents of a season entry need to be valid on that day only.
    car = _new_car(window, documents=_documents(licence_expires=start))
    assert _submit(window, team, [car])


def test_season_days_without_a_meeting_read_1_january():
    championship = make_championship(year=2031)
    assert service.season_days(championship, None)[0] == dt.date(2031, 1, 1)


# --- Numbers ---------------------------------------------------------------------------------


def test_number_taken_by_an_entry_refused(window, team, paddock_upload_root):
    make_entry(window.championship, 55)
    problems = _refused(window, team, [_new_car(window, 55)])
    assert problems == ["Car 1 (#55): number 55 is taken in this championship."]
    _nothing_stored(paddock_upload_root)


def test_number_taken_by_an_active_application_refused(window, team, paddock_upload_root):
    other = make_entrant_team()
    make_application(window, other, car_number=55, status=ApplicationStatus.RESERVE)
    problems = _refused(window, team, [_new_car(window, 55)])
    assert problems == ["Car 1 (#55): number 55 is taken in this championship."]


def test_number_of_a_withdrawn_application_is_free(window, team):
    other = make_entrant_team()
    make_application(window, other, car_number=55, status=ApplicationStatus.WITHDRAWN)
    assert _submit(window, team, [_new_car(window, 55)])


def _last_season_holder(window, number: int = 55):
    championship = window.championship
    previous = make_championship(series=championship.series, year=championship.year - 1)
    holder = make_driver("Kim", "Park", date_of_birth=dt.date(1995, 1, 1), category="SILVER")
    make_entry(previous, number, driver=holder, class_code="PRO_AM")
    return holder


def test_number_held_for_last_season_holder_refused(team, paddock_upload_root):
    window = make_window(numbers_held_until=timezone.localdate() + dt.timedelta(days=5))
    _last_season_holder(window)
    problems = _refused(window, team, [_new_car(window, 55)])
    assert problems[0].startswith("Car 1 (#55): number 55 is held until")
    _nothing_stored(paddock_upload_root)


def test_number_holder_keeps_number(team):
    window = make_window(numbers_held_until=timezone.localdate() + dt.timedelta(days=5))
    holder = _last_season_holder(window)
    person = {"first_name": "Kim", "last_name": "Park", "date_of_birth": dt.date(1995, 9, 9)}
    [application] = _submit(window, team, [_new_car(window, 55, person=person)])
    assert application.driver.driver == holder


def test_number_free_after_held_until(team):
    window = make_window(numbers_held_until=timezone.localdate() - dt.timedelta(days=1))
    _last_season_holder(window)
    assert _submit(window, team, [_new_car(window, 55)])


def test_number_of_another_series_is_not_held(team):
    window = make_window(numbers_held_until=timezone.localdate() + dt.timedelta(days=5))
    elsewhere = make_championship(
        series=make_series("Other Cup"), year=window.championship.year - 1
    )
    make_entry(elsewhere, 55)
    assert _submit(window, team, [_new_car(window, 55)])


def test_two_cars_with_one_number_refused(window, team, paddock_upload_root):
    cars = [_new_car(window, 55), _new_car(window, 55, person={"first_name": "Rui"})]
    problems = _refused(window, team, cars)
    assert "Car 2 (#55): another car of this application asks for the same number." in problems
    _nothing_stored(paddock_upload_root)


# --- Class and category ----------------------------------------------------------------------


def test_class_not_admitting_category_refused(window, team, paddock_upload_root):
    problems = _refused(window, team, [_new_car(window, code="AM")])
    assert problems == ["Car 1 (#55): Class AM admits BRONZE, not SILVER."]
    _nothing_stored(paddock_upload_root)


def test_class_minimum_age_refused(window, team):
    pro_am = window.championship.classes.get(code="PRO_AM")
    pro_am.min_age = 30
    pro_am.save()
    problems = _refused(window, team, [_new_car(window)])
    assert "needs drivers aged 30 or more" in problems[0]


def test_class_not_offered_refused(window, team):
    window.classes.remove(window.championship.classes.get(code="PRO_AM"))
    assert _refused(window, team, [_new_car(window)]) == ["Car 1 (#55): this class is not offered."]


def test_category_required_when_none_recorded(window, team):
    problems = _refused(window, team, [_new_car(window, declared_category="")])
    assert problems == [
        "Car 1 (#55): no FIA category is recorded for this driver: give their category."
    ]


# --- Drivers ---------------------------------------------------------------------------------


def test_two_cars_with_one_driver_refused(window, team):
    problems = _refused(window, team, [_new_car(window, 55), _new_car(window, 56)])
    assert "Car 2 (#56): another car of this application has the same driver." in problems


def test_second_application_for_same_driver_refused(window, team, paddock_upload_root):
    other = make_entrant_team()
    # The same person by the duplicate rule: name and birth year, in another team.
    same = make_entrant_driver(other, "ana", last_name="LOPES", date_of_birth=dt.date(1998, 12, 1))
    make_application(window, other, driver=same, car_number=12)
    problems = _refused(window, team, [_new_car(window)])
    assert problems == ["Car 1 (#55): Ana Lopes has an application for this championship already."]
    _nothing_stored(paddock_upload_root, drivers_before=1, applications_before=1)


def test_second_application_matched_by_driver_of_entry_lists(window, team):
    known = make_driver("Kai", "Lee", category="SILVER")
    other = make_entrant_team()
    renamed = make_entrant_driver(other, "Kay", last_name="Li", driver=known)
    make_application(window, other, driver=renamed, car_number=12)
    mine = make_entrant_driver(team, "Kai", last_name="Lee", driver=known)
    car = CarRequest(
        car_number=55,
        entry_class=window.championship.classes.get(code="PRO_AM"),
        driver=mine,
        documents=_documents(),
    )
    assert "has an application for this championship already" in _refused(window, team, [car])[0]


def test_refused_application_frees_the_driver(window, team):
    other = make_entrant_team()
    same = make_entrant_driver(other, "Ana", last_name="Lopes", date_of_birth=dt.date(1998, 3, 3))
    make_application(window, other, driver=same, status="REFUSED", status_reason="Late.")
    assert _submit(window, team, [_new_car(window)])


def test_driver_with_an_entry_refused(window, team):
    known = make_driver("Ana", "Lopes", date_of_birth=dt.date(1998, 1, 1), category="SILVER")
    make_entry(window.championship, 3, driver=known, class_code="PRO_AM")
    problems = _refused(window, team, [_new_car(window)])
    assert problems == ["Car 1 (#55): Ana Lopes is entered in this championship already."]


def test_driver_of_another_team_refused(window, team):
    theirs = make_entrant_driver(make_entrant_team())
    car = CarRequest(
        car_number=55, entry_class=window.championship.classes.get(code="PRO"), driver=theirs
    )
    assert "not one of your team's" in _refused(window, team, [car])[0]


def test_new_driver_already_in_the_team_refused(window, team):
    make_entrant_driver(team, "Ana", last_name="Lopes", date_of_birth=dt.date(1998, 3, 3))
    problems = _refused(window, team, [_new_car(window)])
    assert "your team has entered this driver already" in problems[0]


# --- Documents -------------------------------------------------------------------------------


def test_expired_licence_refused(window, team, paddock_upload_root):
    expired = dt.date(window.championship.year, 4, 19)  # the day before the first race
    problems = _refused(window, team, [_new_car(window, documents=_documents(expired))])
    assert problems == [f"Car 1 (#55): Racing licence expired on {expired}."]
    _nothing_stored(paddock_upload_root)


def test_licence_valid_on_first_race_day_accepted(window, team):
    first_day = dt.date(window.championship.year, 4, 20)
    assert _submit(window, team, [_new_car(window, documents=_documents(first_day))])


def test_missing_medical_refused(window, team):
    problems = _refused(
        window, team, [_new_car(window, documents=_documents(medical_expires=None))]
    )
    assert problems == ["Car 1 (#55): Medical certificate missing."]


def test_existing_driver_expired_document_replaced_by_upload(window, team):
    driver = make_entrant_driver(team, "Bo", last_name="Chen", date_of_birth=dt.date(1990, 1, 1))
    make_document(driver, DocumentKind.LICENCE, expires_on=dt.date(2000, 1, 1))
    make_document(driver, DocumentKind.MEDICAL)
    base = dict(
        car_number=55,
        entry_class=window.championship.classes.get(code="PRO_AM"),
        driver=driver,
        declared_category="BRONZE",
    )
    assert "expired on 2000-01-01" in _refused(window, team, [CarRequest(**base)])[0]
    [application] = _submit(window, team, [CarRequest(**base, documents=_documents()[:1])])
    assert driver.documents.current().get(kind="LICENCE").expires_on == FAR


def test_medical_expiring_during_the_meeting_refused(window, team):
    start = dt.date(window.championship.year, 6, 1)
    meeting = make_meeting(
        window.championship, 2, start_date=start, end_date=start + dt.timedelta(days=2)
    )
    make_race(meeting)
    car = _new_car(window, documents=_documents(medical_expires=start + dt.timedelta(days=1)))
    problems = _refused(window, team, [car], meeting)
    assert "during the meeting" in problems[0]


# --- Seats -----------------------------------------------------------------------------------


def test_seat_asked_when_none_offered_refused(window, team, paddock_upload_root):
    problems = _refused(window, team, [_new_car(window, seat=SeatRequest.FULL_SEASON)])
    assert problems == ["Car 1 (#55): this arrive-and-drive seat is not offered."]
    _nothing_stored(paddock_upload_root)


def test_seat_offered_stored(team):
    window = make_window(seat_season_price=120000)
    [application] = _submit(window, team, [_new_car(window, seat=SeatRequest.FULL_SEASON)])
    assert application.seat == SeatRequest.FULL_SEASON


def test_meeting_seat_for_a_season_entry_refused(team):
    window = make_window(seat_meeting_price=20000)
    assert _refused(window, team, [_new_car(window, seat=SeatRequest.SINGLE_MEETING)])


# --- All or nothing --------------------------------------------------------------------------


def test_one_bad_car_refuses_every_car(window, team, paddock_upload_root):
    cars = [_new_car(window, 55), _new_car(window, 56, code="AM", person={"first_name": "Rui"})]
    problems = _refused(window, team, cars)
    assert problems == ["Car 2 (#56): Class AM admits BRONZE, not SILVER."]
    _nothing_stored(paddock_upload_root)


def test_constraint_race_refused_with_files_deleted(window, team, paddock_upload_root, monkeypatch):
    """Two submissions at the same moment: the checks passed for both, the database's
    constraint stops the second; its files are deleted and the refusal is as clear."""
    other = make_entrant_team()
    make_application(window, other, car_number=55)
    monkeypatch.setattr(service, "_number_problems", lambda *args: [])
    problems = _refused(window, team, [_new_car(window, 55)])
    assert problems == [
        "Another application took one of these numbers or drivers at the same moment."
    ]
    assert EntrantDriver.objects.filter(team=team).count() == 0
    assert DriverDocument.objects.count() == 0
    assert _files(paddock_upload_root) == []


def test_failed_write_deletes_files(window, team, paddock_upload_root, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("mail server on fire")

    monkeypatch.setattr(service.EntryApplication.objects, "create", fail)
    with pytest.raises(RuntimeError):
        _submit(window, team, [_new_car(window)])
    _nothing_stored(paddock_upload_root)


# --- Withdrawal ------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [ApplicationStatus.SUBMITTED, ApplicationStatus.RESERVE])
def test_withdraw_submitted_or_reserve(window, team, status):
    application = make_application(window, team, status=status)
    application_withdraw(application=application, by=manager_of(team))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert application.events.get().status == ApplicationStatus.WITHDRAWN


def test_withdraw_approved_refused(window, team):
    application = make_application(window, team, status=ApplicationStatus.APPROVED)
    with pytest.raises(ApplicationRefused):
        application_withdraw(application=application, by=manager_of(team))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert not application.events.exists()
