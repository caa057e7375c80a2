"""The administrative checks at a meeting (the back office's page and its service), the flags
shown on the allocation board and to race control, and the team's own upcoming flags."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from paddock.models import ApplicationStatus, DocumentKind, MeetingCheck
from paddock.services.checks import meeting_check_record, team_document_flags
from staff.roles import RACE_CONTROL_GROUP, READ_ONLY_STAFF_GROUP, SERIES_MANAGER_GROUP
from tests.factories import make_championship, make_entry, make_meeting, make_race, role_client
from tests.paddock.factories import (
    make_application,
    make_entrant_team,
    make_window,
)
from tests.paddock.test_expiry import FIRST, LAST, enter

EXPIRED = "Racing licence expired on 2027-03-31."


@pytest.fixture
def meeting(db):
    return make_meeting(make_championship(year=2027), start_date=FIRST, end_date=LAST)


@pytest.fixture
def account(db):
    return make_entrant_team()


def page(meeting) -> str:
    return reverse("admin:paddock_meetingcheck_meeting", args=[meeting.pk])


def post(client, meeting, entry, **data):
    prefix = f"entry-{entry.pk}"
    fields = {"entry": entry.pk, **{f"{prefix}-{name}": value for name, value in data.items()}}
    return client.post(page(meeting), fields)


# --- The service -------------------------------------------------------------------------------


def test_the_checks_are_recorded_then_corrected_in_one_row(meeting, account, admin_user):
    entry, _ = enter(meeting.championship, account)

    meeting_check_record(
        meeting=meeting, entry=entry, documents_seen=True, signed_on=False, note="", by=admin_user
    )
    check = meeting_check_record(
        meeting=meeting, entry=entry, documents_seen=True, signed_on=True, note=" ok ", by=None
    )

    assert MeetingCheck.objects.get() == check
    assert (check.documents_seen, check.signed_on, check.note) == (True, True, "ok")
    assert check.complete
    assert check.checked_by is None


def test_an_entry_of_another_championship_is_refused_by_name(meeting, admin_user):
    stranger = make_entry(make_championship(year=2027), 77)

    with pytest.raises(ValidationError) as error:
        meeting_check_record(
            meeting=meeting, entry=stranger, documents_seen=True, signed_on=True, note="", by=None
        )

    assert "Car #77 is not entered in" in error.value.message_dict["entry"][0]
    assert not MeetingCheck.objects.exists()


def test_a_note_too_long_is_refused_naming_the_field(meeting, account):
    entry, _ = enter(meeting.championship, account)

    with pytest.raises(ValidationError) as error:
        meeting_check_record(
            meeting=meeting,
            entry=entry,
            documents_seen=True,
            signed_on=True,
            note="x" * 301,
            by=None,
        )

    assert list(error.value.message_dict) == ["note"]


# --- The meeting's page -------------------------------------------------------------------------


def test_race_control_reads_the_flags_and_records_an_entrys_checks(client, meeting, account):
    entry, profile = enter(meeting.championship, account, licence=dt.date(2027, 3, 31))
    client = role_client(client, RACE_CONTROL_GROUP)

    response = client.get(page(meeting))
    html = response.content.decode()
    assert response.status_code == 200
    assert EXPIRED in html
    assert f"/admin/paddock/driverdocument/?driver__id__exact={profile.pk}" in html
    assert f'name="entry-{entry.pk}-signed_on"' in html
    assert f'<label for="id_entry-{entry.pk}-signed_on">' in html

    response = post(client, meeting, entry, documents_seen="on", signed_on="on", note="Seen")

    assert response.status_code == 302
    assert response["Location"].endswith(f"#entry-{entry.pk}")
    check = MeetingCheck.objects.get(meeting=meeting, entry=entry)
    assert (check.documents_seen, check.signed_on, check.note) == (True, True, "Seen")
    assert check.checked_by.username == "staffer"


def test_the_series_manager_records_checks_too(client, meeting, account):
    entry, _ = enter(meeting.championship, account)
    client = role_client(client, SERIES_MANAGER_GROUP)

    assert post(client, meeting, entry, signed_on="on").status_code == 302
    assert MeetingCheck.objects.get().signed_on


def test_read_only_staff_read_the_page_without_forms_and_may_not_post(client, meeting, account):
    entry, _ = enter(meeting.championship, account)
    MeetingCheck.objects.create(meeting=meeting, entry=entry, documents_seen=True, note="Late")
    client = role_client(client, READ_ONLY_STAFF_GROUP)

    response = client.get(page(meeting))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<form" not in html.split('id="meeting-checks"')[1]
    assert "Not signed on" in html and "Late" in html
    assert "driverdocument" not in html  # they may not read documents: no link to a 403

    assert post(client, meeting, entry, signed_on="on").status_code == 403
    assert not MeetingCheck.objects.get().signed_on


def test_staff_without_the_permission_are_refused_the_page(client, meeting):
    client = role_client(client)

    assert client.get(page(meeting)).status_code == 403


def test_an_entry_of_another_championship_is_a_400_saying_so(client, meeting):
    stranger = make_entry(make_championship(year=2027), 77)
    client = role_client(client, RACE_CONTROL_GROUP)

    response = post(client, meeting, stranger, signed_on="on")

    assert response.status_code == 400
    assert "Car #77 is not entered in" in response.content.decode()
    assert not MeetingCheck.objects.exists()


def test_an_unknown_entry_is_a_400(client, meeting):
    client = role_client(client, RACE_CONTROL_GROUP)

    response = client.post(page(meeting), {"entry": "nope"})

    assert response.status_code == 400
    assert "No entry with this id." in response.content.decode()


def test_a_note_too_long_shows_the_form_again_with_its_error(client, meeting, account):
    entry, _ = enter(meeting.championship, account)
    client = role_client(client, RACE_CONTROL_GROUP)

    response = post(client, meeting, entry, note="x" * 301)

    assert response.status_code == 400
    assert "at most 300 characters" in response.content.decode()
    assert not MeetingCheck.objects.exists()


def test_an_unknown_meeting_is_a_404(client, db):
    client = role_client(client, RACE_CONTROL_GROUP)

    assert (
        client.get(reverse("admin:paddock_meetingcheck_meeting", args=[999999])).status_code == 404
    )


def test_the_index_lists_every_meeting_with_its_page(client, meeting):
    client = role_client(client, READ_ONLY_STAFF_GROUP)

    response = client.get(reverse("admin:paddock_meetingcheck_changelist"))

    assert response.status_code == 200
    assert page(meeting) in response.content.decode()


def test_no_add_form_checks_are_written_through_the_meetings_page(client, db):
    client = role_client(client, RACE_CONTROL_GROUP)

    assert client.get(reverse("admin:paddock_meetingcheck_add")).status_code == 403


@pytest.mark.parametrize("count", [2, 20])
def test_the_meetings_page_reads_a_constant_number_of_queries(
    client, meeting, account, count, django_assert_num_queries
):
    for n in range(count):
        entry, _ = enter(meeting.championship, account)
        if n % 2:
            MeetingCheck.objects.create(meeting=meeting, entry=entry, signed_on=True)
        enter(meeting.championship)
    client = role_client(client, RACE_CONTROL_GROUP)

    # session, user, the user's groups' and own permissions, the meeting, the four of the flags
    with django_assert_num_queries(9):
        response = client.get(page(meeting))

    assert response.status_code == 200


# --- Shown where the others look -----------------------------------------------------------------


def test_the_allocation_board_shows_an_entrys_flags(staff_client, meeting, account):
    make_window(meeting.championship)
    entry, _ = enter(meeting.championship, account, licence=dt.date(2027, 3, 31))
    entry.arrive_and_drive = True
    entry.save()

    response = staff_client.get(reverse("admin:entries_carallocation_board", args=[meeting.pk]))

    assert response.status_code == 200
    assert response.context["rows"][0] == (response.context["board"].rows[0], [EXPIRED])
    assert EXPIRED in response.content.decode()


@pytest.mark.parametrize("count", [2, 20])
def test_the_allocation_boards_queries_do_not_grow_with_its_flagged_entries(
    staff_client, meeting, account, count, django_assert_num_queries
):
    make_window(meeting.championship)
    for n in range(count):
        entry, _ = enter(meeting.championship, account, licence=dt.date(2027, 3, 31))
        entry.arrive_and_drive = True
        entry.save()
        if n % 2:
            MeetingCheck.objects.create(meeting=meeting, entry=entry)
    url = reverse("admin:entries_carallocation_board", args=[meeting.pk])

    # session, user, the meeting, the board's entries, allocations, packages, cars, the form's
    # entry choices; the flags' five: the entry window, entries, profiles, documents, checks
    with django_assert_num_queries(13):
        response = staff_client.get(url)

    assert all(flags == [EXPIRED] for _row, flags in response.context["rows"])
    assert len(response.context["rows"]) == count


@pytest.mark.parametrize("view", ["versions", "import_classification"])
def test_race_control_sees_the_meetings_flagged_entries_on_a_race(client, meeting, account, view):
    make_window(meeting.championship)
    race = make_race(meeting)
    flagged, _ = enter(meeting.championship, account, licence=dt.date(2027, 3, 31))
    enter(meeting.championship, account)  # in order: not listed
    client = role_client(client, RACE_CONTROL_GROUP)

    response = client.get(reverse(f"admin:championships_race_{view}", args=[race.pk]))

    assert response.status_code == 200
    assert response.context["flagged_entries"] == [(flagged, [EXPIRED])]
    html = response.content.decode()
    assert 'id="meeting-flags"' in html and EXPIRED in html


def test_race_control_sees_no_flag_box_when_all_is_in_order(client, meeting, account):
    make_window(meeting.championship)
    race = make_race(meeting)
    enter(meeting.championship, account)
    client = role_client(client, RACE_CONTROL_GROUP)

    response = client.get(reverse("admin:championships_race_versions", args=[race.pk]))

    assert 'id="meeting-flags"' not in response.content.decode()


def test_a_championship_without_an_entry_window_raises_no_flags(
    client, staff_client, meeting, account
):
    # Entered by staff or a bundle: every entry would read "No documents on file".
    race = make_race(meeting)
    entry, _ = enter(meeting.championship, account, licence=dt.date(2027, 3, 31))
    entry.arrive_and_drive = True
    entry.save()
    enter(meeting.championship)

    board = staff_client.get(reverse("admin:entries_carallocation_board", args=[meeting.pk]))
    client = role_client(client, RACE_CONTROL_GROUP)
    response = client.get(reverse("admin:championships_race_versions", args=[race.pk]))

    assert [flags for _row, flags in board.context["rows"]] == [[]]
    assert EXPIRED not in board.content.decode()
    assert response.context["flagged_entries"] == []
    assert 'id="meeting-flags"' not in response.content.decode()


# --- The team's own flags ----------------------------------------------------------------------


def approved(window, account, licence: dt.date, **fields):
    entry, profile = enter(window.championship, account, licence=licence)
    make_application(
        window, account, profile, status=ApplicationStatus.APPROVED, entry=entry, **fields
    )
    return entry, profile


def test_the_team_reads_its_upcoming_meetings_with_each_drivers_problems(db):
    championship = make_championship(year=2027)
    past = make_meeting(championship, 1, start_date=dt.date(2027, 3, 1))
    first = make_meeting(championship, 2, start_date=FIRST, end_date=LAST)
    second = make_meeting(championship, 3, start_date=dt.date(2027, 6, 1))
    window = make_window(championship)
    account = make_entrant_team()
    entry, profile = approved(window, account, licence=dt.date(2027, 5, 1))
    guest, _ = approved(window, account, licence=dt.date(2099, 1, 1), meeting=second)
    other_team = make_entrant_team()
    approved(window, other_team, licence=dt.date(2027, 1, 1))

    rows = team_document_flags(account, dt.date(2027, 4, 1))

    assert [(r.meeting, r.entry, r.driver) for r in rows] == [
        (first, entry, profile),
        (second, entry, profile),
        (second, guest, guest.applications.get().driver),
    ]
    assert [[p.message for p in r.problems] for r in rows] == [
        [],
        ["Racing licence expired on 2027-05-01."],
        [],
    ]
    assert past not in {r.meeting for r in rows}


def test_a_team_without_approved_entries_has_no_rows(db, django_assert_num_queries):
    window = make_window(make_championship(year=2027))
    account = make_entrant_team()
    make_application(window, account)  # submitted only

    with django_assert_num_queries(1):
        assert team_document_flags(account, dt.date(2027, 1, 1)) == []


@pytest.mark.parametrize("count", [2, 20])
def test_the_teams_flags_read_three_queries(db, count, django_assert_num_queries):
    championship = make_championship(year=2027)
    make_meeting(championship, 2, start_date=FIRST)
    window = make_window(championship)
    account = make_entrant_team()
    for _ in range(count):
        approved(window, account, licence=dt.date(2027, 4, 10))

    with django_assert_num_queries(3):
        rows = team_document_flags(account, dt.date(2027, 4, 1))

    assert len(rows) == count
    assert all(r.problems for r in rows)
    assert all(r.problems[0].kind == DocumentKind.LICENCE for r in rows)
