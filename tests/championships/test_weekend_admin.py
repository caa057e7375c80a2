"""The back office of the weekend: a session's upload (dry run, then apply) and versions, a
race's Grid page (the plan, publishing, who may), the round's sessions inline, and the
``import_session_classification`` command."""

import datetime as dt
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from championships.models import BoardDocument, BoardKind, Session, SessionKind
from championships.weekend import session_import
from staff.roles import RACE_CONTROL_GROUP, READ_ONLY_STAFF_GROUP
from tests.factories import make_championship, make_entry, make_meeting, make_race, role_client

QUALIFYING = "POS,NO,LAPS,BEST_LAP,SECOND_BEST\n1,7,6,1:58.100,1:58.400\n2,3,5,1:58.200,\n"


@pytest.fixture
def session(db):
    championship = make_championship("gt-2024")
    meeting = make_meeting(championship, round=3)
    for number in (3, 7):
        make_entry(championship, number)
    make_race(meeting, 1)
    return Session.objects.create(
        meeting=meeting,
        kind=SessionKind.QUALIFYING,
        number=1,
        starts_at=dt.datetime(2024, 4, 20, 3, 0, tzinfo=dt.UTC),
    )


def url(name: str, obj) -> str:
    return reverse(f"admin:championships_{obj._meta.model_name}_{name}", args=[obj.pk])


def upload(client, session, text, name="Q1.csv"):
    return client.post(
        url("import_classification", session),
        {"classification": SimpleUploadedFile(name, text.encode()), "reason": "Qualifying"},
    )


def test_the_dry_run_shows_the_classification_and_writes_nothing(staff_client, session):
    response = upload(staff_client, session, QUALIFYING)

    page = response.content.decode()
    assert response.status_code == 200 and 'id="session-lines"' in page
    assert "1:58.100" in page and "2 added" in page
    assert not session.results.exists()


def test_applying_records_version_1_and_lands_on_the_versions(staff_client, session):
    token = upload(staff_client, session, QUALIFYING).context["token"]

    response = staff_client.post(
        url("import_classification", session), {"token": token, "apply": "1"}
    )

    assert response.status_code == 302 and response["Location"] == url("versions", session)
    versions = staff_client.get(response["Location"]).content.decode()
    assert "Version 1" in versions and "Qualifying" in versions and "+0.100" in versions
    assert session.versions.get().created_by.username == "admin"


def test_a_bad_file_lists_its_problems_by_line_and_column(staff_client, session):
    response = upload(staff_client, session, "POS,NO,LAPS,BEST_LAP\n1,7,6,\n")

    page = response.content.decode()
    assert 'id="classification-problems"' in page
    assert "Q1.csv, line 2, column BEST_LAP" in page
    assert not session.results.exists()


def test_an_upload_applied_after_another_is_refused_naming_it(staff_client, session):
    token = upload(staff_client, session, QUALIFYING).context["token"]
    session_import(
        session=session, source=QUALIFYING.replace("1:58.200", "1:58.300"), dry_run=False
    )

    response = staff_client.post(
        url("import_classification", session), {"token": token, "apply": "1"}, follow=True
    )

    assert "changed while you worked" in response.content.decode()
    assert session.versions.count() == 1


def test_read_only_staff_read_the_versions_but_may_not_upload(client, session):
    role_client(client, READ_ONLY_STAFF_GROUP)

    assert client.get(url("versions", session)).status_code == 200
    assert client.get(url("import_classification", session)).status_code == 403


def test_the_grid_page_shows_the_plan_and_race_control_publishes_it(client, session):
    session_import(session=session, source=QUALIFYING, dry_run=False)
    race = session.meeting.races.get()
    role_client(client, RACE_CONTROL_GROUP)

    page = client.get(url("grid", race)).content.decode()
    assert 'id="grid-plan"' in page and "Qualifying 1, best times" in page
    response = client.post(url("grid", race), follow=True)

    assert list(race.grid_slots.values_list("entry__car_number", flat=True)) == [7, 3]
    assert 'id="grid-published"' in response.content.decode()
    assert BoardDocument.objects.filter(kind=BoardKind.GRID, race=race).count() == 1


def test_the_grid_page_says_what_is_missing(staff_client, session):
    race = session.meeting.races.get()

    page = staff_client.get(url("grid", race)).content.decode()

    assert 'id="grid-problem"' in page and "Qualifying 1" in page
    assert "Publish this grid" not in page


def test_read_only_staff_may_not_publish_a_grid(client, session):
    session_import(session=session, source=QUALIFYING, dry_run=False)
    race = session.meeting.races.get()
    role_client(client, READ_ONLY_STAFF_GROUP)

    assert "Publish this grid" not in client.get(url("grid", race)).content.decode()
    assert client.post(url("grid", race)).status_code == 403
    assert not race.grid_slots.exists()


def test_the_rounds_page_lists_its_sessions(staff_client, session):
    page = staff_client.get(url("change", session.meeting)).content.decode()

    assert 'name="sessions-0-kind"' in page


# The command ------------------------------------------------------------------------------


def test_the_command_imports_and_publishes_race_1s_grid(session, tmp_path):
    path = tmp_path / "q1.csv"
    path.write_text(QUALIFYING)
    out = StringIO()

    call_command(
        "import_session_classification",
        "gt-2024",
        "3",
        "qualifying",
        "1",
        str(path),
        "--publish-grid",
        "1",
        stdout=out,
    )

    assert "version 1" in out.getvalue() and "grid published" in out.getvalue()
    assert session.meeting.races.get().grid_slots.count() == 2


def test_the_command_reports_each_problem_and_writes_nothing(session, tmp_path):
    path = tmp_path / "q1.csv"
    path.write_text("POS,NO,LAPS,BEST_LAP\n1,44,6,1:58.000\n")
    err = StringIO()

    with pytest.raises(CommandError, match="1 problem; nothing written"):
        call_command(
            "import_session_classification",
            "gt-2024",
            "3",
            "qualifying",
            "1",
            str(path),
            stderr=err,
        )
    assert "q1.csv, line 2, column NO: car 44 is not an entry" in err.getvalue()
    assert not session.results.exists()


def test_the_command_names_a_session_that_does_not_exist(session, tmp_path):
    path = tmp_path / "q1.csv"
    path.write_text(QUALIFYING)

    with pytest.raises(CommandError, match="no practice 2 in round 3"):
        call_command("import_session_classification", "gt-2024", "3", "practice", "2", str(path))


def test_a_sessions_start_is_typed_and_shown_in_the_circuits_time(staff_client, db):
    from tests.factories import make_circuit

    championship = make_championship("tz-2024")
    meeting = make_meeting(
        championship, circuit=make_circuit("Sepang", country="MY", timezone="Asia/Kuala_Lumpur")
    )
    response = staff_client.post(
        reverse("admin:championships_session_add"),
        {
            "meeting": meeting.pk,
            "kind": SessionKind.QUALIFYING,
            "number": 1,
            "group": "",
            "starts_at_0": "2024-04-20",
            "starts_at_1": "11:30:00",
            "results-TOTAL_FORMS": 0,
            "results-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    session = Session.objects.get(meeting=meeting)
    assert session.starts_at == dt.datetime(2024, 4, 20, 3, 30, tzinfo=dt.UTC)
    page = staff_client.get(url("change", session)).content.decode()
    assert 'value="11:30:00"' in page and "Local time at the circuit." in page
    assert '<label for="id_starts_at_0">' in page


def test_a_session_with_a_published_classification_is_kept_and_stays_in_its_round(
    staff_client, session
):
    session_import(session=session, source=QUALIFYING, dry_run=False)

    deleting = staff_client.post(url("delete", session), {"post": "yes"})
    page = staff_client.get(url("change", session)).content.decode()

    assert Session.objects.filter(pk=session.pk).exists()
    assert "protected" in deleting.content.decode().lower()
    assert 'name="meeting"' not in page and 'name="number"' not in page
