"""The flags of a meeting's entries: documents that expire before or during the meeting, a
missing licence or medical, no documents on file, administrative checks missing once the
meeting has started; read for the whole meeting in a constant number of queries."""

import datetime as dt

import pytest

from entries.models import Entry
from paddock.expiry import check_problems, document_problems, entry_flags
from paddock.models import (
    ApplicationStatus,
    DocumentKind,
    DriverDocument,
    EntrantDriver,
    EntrantTeam,
    MeetingCheck,
)
from paddock.services.checks import meeting_check_rows, meeting_document_flags
from tests.factories import make_championship, make_driver, make_entry, make_meeting, make_team
from tests.paddock.factories import (
    make_application,
    make_document,
    make_entrant_driver,
    make_entrant_team,
    make_window,
)

FIRST, LAST = dt.date(2027, 4, 20), dt.date(2027, 4, 21)
BEFORE = dt.date(2027, 4, 1)


def doc(kind: str, expires_on: dt.date | None) -> DriverDocument:
    return DriverDocument(kind=kind, expires_on=expires_on)


def valid(**expiry: dt.date) -> list[DriverDocument]:
    return [
        doc(DocumentKind.LICENCE, expiry.get("licence", dt.date(2099, 1, 1))),
        doc(DocumentKind.MEDICAL, expiry.get("medical", dt.date(2099, 1, 1))),
    ]


def flags(documents, check=None, *, today=BEFORE) -> list[str]:
    return entry_flags(documents, check, first_day=FIRST, last_day=LAST, today=today)


# --- The rule, pure ------------------------------------------------------------------------


def test_valid_documents_raise_no_flag():
    assert flags(valid()) == []


def test_a_licence_expired_before_the_meeting_is_flagged():
    assert flags(valid(licence=dt.date(2027, 4, 19))) == ["Racing licence expired on 2027-04-19."]


def test_a_medical_expiring_during_the_meeting_is_flagged():
    assert flags(valid(medical=FIRST)) == [
        "Medical certificate expires on 2027-04-20, during the meeting."
    ]


def test_a_document_expiring_on_the_meetings_last_day_is_still_valid():
    assert flags(valid(licence=LAST, medical=LAST)) == []


def test_a_missing_licence_is_flagged():
    assert flags([doc(DocumentKind.MEDICAL, dt.date(2099, 1, 1))]) == ["Racing licence missing."]


def test_a_missing_medical_is_flagged():
    assert flags([doc(DocumentKind.LICENCE, dt.date(2099, 1, 1))]) == [
        "Medical certificate missing."
    ]


def test_an_expired_authorisation_is_flagged_too():
    documents = [*valid(), doc(DocumentKind.AUTHORISATION, dt.date(2027, 3, 1))]

    assert flags(documents) == ["Home authority's authorisation expired on 2027-03-01."]


def test_a_driver_without_a_profile_has_no_documents_on_file():
    assert flags(None) == ["No documents on file: this entry was not made through a team account."]


def test_checks_are_not_asked_before_the_meeting_starts():
    assert check_problems(None, started=False) == []
    assert flags(valid(), today=FIRST - dt.timedelta(days=1)) == []


def test_checks_not_recorded_are_flagged_from_the_first_day():
    assert flags(valid(), today=FIRST) == ["Administrative checks not recorded."]


def test_checks_half_done_say_what_is_missing():
    seen_only = MeetingCheck(documents_seen=True, signed_on=False)
    signed_only = MeetingCheck(documents_seen=False, signed_on=True)

    assert flags(valid(), seen_only, today=LAST) == ["Not signed on."]
    assert flags(valid(), signed_only, today=LAST) == [
        "Documents not seen at the administrative checks."
    ]
    assert flags(valid(), MeetingCheck(documents_seen=True, signed_on=True), today=LAST) == []


def test_document_problems_keeps_its_signature():
    # Other rooms (the application's review) call it with the first day only.
    assert document_problems(valid(licence=FIRST), FIRST) == []


# --- A meeting's flags, loaded -----------------------------------------------------------------


def enter(
    championship, account: EntrantTeam | None = None, *, documents: bool = True, **expiry
) -> tuple[Entry, EntrantDriver | None]:
    """An entry of ``championship``; with ``account``, its driver has a profile in that team
    account (racing as its team), with a licence and a medical (``licence=``/``medical=``:
    their expiry)."""
    driver = make_driver()
    if account is None:
        return make_entry(championship, driver=driver), None
    if account.team_id is None:
        account.team = make_team()
        account.save()
    entry = make_entry(championship, driver=driver, team=account.team)
    profile = make_entrant_driver(account, driver=driver)
    if documents:
        make_document(profile, DocumentKind.LICENCE, expires_on=expiry.get("licence"))
        make_document(profile, DocumentKind.MEDICAL, expires_on=expiry.get("medical"))
    return entry, profile


@pytest.fixture
def meeting(db):
    return make_meeting(make_championship(year=2027), start_date=FIRST, end_date=LAST)


@pytest.fixture
def before_the_meeting(monkeypatch):
    """Today is ``BEFORE`` for the provider (it reads the local day)."""
    monkeypatch.setattr("paddock.services.checks.timezone.localdate", lambda: BEFORE)


def test_the_meetings_flags_name_each_entrys_problems(meeting, before_the_meeting):
    make_window(meeting.championship)
    account = make_entrant_team()
    fine, _ = enter(meeting.championship, account)
    expired, _ = enter(meeting.championship, account, licence=dt.date(2027, 3, 31))
    staff_made, _ = enter(meeting.championship)

    found = meeting_document_flags(meeting)

    assert fine.pk not in found
    assert found[expired.pk] == ["Racing licence expired on 2027-03-31."]
    assert found[staff_made.pk] == [
        "No documents on file: this entry was not made through a team account."
    ]


def test_a_replaced_document_counts_no_more(meeting):
    account = make_entrant_team()
    entry, profile = enter(meeting.championship, account, licence=dt.date(2027, 3, 31))
    make_document(profile, DocumentKind.LICENCE, expires_on=dt.date(2028, 3, 31))

    (row,) = meeting_check_rows(meeting, today=BEFORE)

    assert row.entry == entry
    assert row.flags == []


def test_the_profile_of_the_team_the_entry_races_as_is_read(meeting):
    racing_as = make_entrant_team()
    entry, _ = enter(meeting.championship, racing_as)
    other = make_entrant_team()
    other.team = make_team()
    other.save()
    old_profile = make_entrant_driver(
        other, driver=entry.driver, created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    make_document(old_profile, DocumentKind.LICENCE, expires_on=dt.date(2021, 1, 1))

    (row,) = meeting_check_rows(meeting, today=BEFORE)

    assert row.profile.team == racing_as
    assert row.flags == []


def test_without_a_profile_of_its_team_another_profile_of_the_driver_is_read(meeting):
    account = make_entrant_team()
    entry, profile = enter(meeting.championship, account, medical=dt.date(2027, 1, 1))
    entry.team = make_team()  # staff moved the car to a team without an account
    entry.save()

    (row,) = meeting_check_rows(meeting, today=BEFORE)

    assert row.profile == profile
    assert row.flags == ["Medical certificate expired on 2027-01-01."]


def test_a_profile_without_documents_misses_both(meeting):
    entry, _ = enter(meeting.championship, make_entrant_team(), documents=False)

    (row,) = meeting_check_rows(meeting, today=BEFORE)

    assert row.flags == ["Racing licence missing.", "Medical certificate missing."]


def test_checks_missing_are_flagged_once_the_meeting_has_started(meeting):
    account = make_entrant_team()
    unchecked, _ = enter(meeting.championship, account)
    checked, _ = enter(meeting.championship, account)
    half, _ = enter(meeting.championship, account)
    MeetingCheck.objects.create(meeting=meeting, entry=checked, documents_seen=True, signed_on=True)
    MeetingCheck.objects.create(meeting=meeting, entry=half, documents_seen=True)

    before = {row.entry: row.flags for row in meeting_check_rows(meeting, today=BEFORE)}
    during = {row.entry: row.flags for row in meeting_check_rows(meeting, today=FIRST)}

    assert before == {unchecked: [], checked: [], half: []}
    assert during == {
        unchecked: ["Administrative checks not recorded."],
        checked: [],
        half: ["Not signed on."],
    }


def test_checks_of_another_meeting_do_not_count(meeting):
    entry, _ = enter(meeting.championship, make_entrant_team())
    other = make_meeting(meeting.championship, 2, start_date=dt.date(2027, 5, 20))
    MeetingCheck.objects.create(meeting=other, entry=entry, documents_seen=True, signed_on=True)

    (row,) = meeting_check_rows(meeting, today=FIRST)

    assert row.flags == ["Administrative checks not recorded."]


def test_entries_of_another_championship_are_not_read(meeting):
    enter(make_championship(year=2027), make_entrant_team())

    assert meeting_check_rows(meeting, today=BEFORE) == []


def test_a_guest_entry_is_read_at_its_own_meeting_only(meeting):
    championship = meeting.championship
    window = make_window(championship)
    other = make_meeting(championship, 2, start_date=dt.date(2027, 5, 20))
    account = make_entrant_team()
    season, _ = enter(championship, account)
    guest, profile = enter(championship, account, licence=dt.date(2027, 3, 31))
    guest.guest = True
    guest.save()
    make_application(
        window, account, profile, status=ApplicationStatus.APPROVED, entry=guest, meeting=other
    )
    staff_guest, _ = enter(championship)  # a guest entered by staff: its meeting is not known
    staff_guest.guest = True
    staff_guest.save()

    here = {row.entry for row in meeting_check_rows(meeting, today=BEFORE)}
    there = {row.entry: row.flags for row in meeting_check_rows(other, today=BEFORE)}

    assert here == {season, staff_guest}
    assert there[guest] == ["Racing licence expired on 2027-03-31."]
    assert set(there) == {season, guest, staff_guest}
    assert guest.pk not in meeting_document_flags(meeting)
    assert guest.pk in meeting_document_flags(other)


@pytest.mark.parametrize("count", [2, 20])
def test_the_meetings_flags_read_five_queries_however_many_entries(
    meeting, count, before_the_meeting, django_assert_num_queries
):
    make_window(meeting.championship)
    account = make_entrant_team()
    for n in range(count):
        entry, _ = enter(meeting.championship, account, licence=dt.date(2027, 4, 20))
        if n % 2:
            MeetingCheck.objects.create(meeting=meeting, entry=entry, documents_seen=True)
        enter(meeting.championship)  # and as many without a profile

    # the entry window, entries, profiles with their team accounts, their current documents,
    # the checks
    with django_assert_num_queries(5):
        found = meeting_document_flags(meeting)

    assert len(found) == 2 * count
