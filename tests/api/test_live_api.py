"""Live timing through the API: POST /api/v1/races|sessions/<id>/live/ (JSON or the partial
file), its refusals by line, column or path, its permission and sequence, and GET."""

import datetime as dt

import pytest

from championships.models import (
    ClassificationVersion,
    LiveTiming,
    Result,
    SeasonStatus,
    Session,
    SessionKind,
)
from tests import factories

pytestmark = pytest.mark.django_db

LIVE_WRITE = ("championships.change_livetiming",)
RACE_WRITE = SESSION_WRITE = LIVE_WRITE
CLASSIFICATION_WRITE = (
    "championships.add_result",
    "championships.change_result",
    "championships.delete_result",
)


@pytest.fixture
def weekend():
    championship = factories.make_championship("live-2026", year=2026)
    meeting = factories.make_meeting(championship, 1)
    race = factories.make_race(meeting, 1)
    for car in (3, 7, 55):
        factories.make_entry(championship, car)
    session = Session.objects.create(
        meeting=meeting,
        kind=SessionKind.QUALIFYING,
        starts_at=dt.datetime(2026, 4, 19, 3, tzinfo=dt.UTC),
    )
    return championship, race, session


def body(sequence=None, flag="GREEN", **changes):
    cars = [
        {"position": 1, "number": 55, "laps": 7, "gap": "", "last_lap": "2:05.321",
         "best_lap": "2:04.998", "status": "RUNNING", "pit": False},
        {"position": 2, "number": 7, "laps": 7, "gap": "+1.234", "last_lap": "125.9",
         "best_lap": "2:05.100"},
        {"position": 3, "number": 3, "laps": 6, "gap": "+1 LAP", "status": "PIT", "pit": True},
    ]  # fmt: skip
    payload = {"flag": flag, "cars": cars, **changes}
    if sequence is not None:
        payload["sequence"] = sequence
    return payload


@pytest.mark.parametrize("what", ["race", "session"])
def test_the_timing_provider_pushes_the_running_order_and_anyone_reads_it(
    api, staff, weekend, what
):
    _championship, race, session = weekend
    subject, permissions = (race, RACE_WRITE) if what == "race" else (session, SESSION_WRITE)
    url = f"/api/v1/{what}s/{subject.pk}/live/"
    client = factories.token_client(staff, *permissions)

    pushed = client.post(url, body(sequence=4, flag="SC"), format="json")

    assert pushed.status_code == 200, pushed.content
    state = api.get(url).json()
    assert (state["sequence"], state["flag"], state["official"]) == (4, "SC", False)
    assert state["cars"][0] == {
        "position": 1,
        "car_number": 55,
        "laps": 7,
        "gap_ms": None,
        "gap_laps": 0,
        "last_lap_ms": 125321,
        "best_lap_ms": 124998,
        "status": "RUNNING",
        "pit": False,
    }
    assert (state["cars"][1]["gap_ms"], state["cars"][1]["last_lap_ms"]) == (1234, 125900)
    assert state["cars"][2]["gap_laps"] == 1 and state["cars"][2]["pit"] is True


def test_a_push_never_writes_a_result_nor_a_version(staff, weekend):
    championship, race, _session = weekend
    changed = championship.tables_changed_at
    client = factories.token_client(staff, *RACE_WRITE)

    client.post(f"/api/v1/races/{race.pk}/live/", body(), format="json")

    championship.refresh_from_db()
    assert LiveTiming.objects.count() == 1
    assert not Result.objects.exists() and not ClassificationVersion.objects.exists()
    assert championship.tables_changed_at == changed


def test_the_partial_file_is_read_like_the_json_with_flag_and_sequence_in_the_query(staff, weekend):
    _championship, race, _session = weekend
    client = factories.token_client(staff, *RACE_WRITE)
    partial = (
        "POSITION;NUMBER;LAPS;GAP_FIRST;LAST_LAP_TIME;FL_TIME;STATUS;IN_PIT\n"
        "1;7;12;;1'58.452;1'57.900;Running;0\n"
        "2;55;12;+0,845;1'58.700;1'58.001;Running;\n"
        "3;3;9;+3 Laps;;;Retired;\n"
    )

    response = client.post(
        f"/api/v1/races/{race.pk}/live/?flag=yellow&sequence=9", partial, content_type="text/csv"
    )

    assert response.status_code == 200, response.content
    timing = LiveTiming.objects.get()
    assert (timing.sequence, timing.flag) == (9, "YELLOW")
    assert [(c["car_number"], c["status"]) for c in timing.cars] == [
        (7, "RUNNING"),
        (55, "RUNNING"),
        (3, "DNF"),
    ]
    assert (timing.cars[1]["gap_ms"], timing.cars[2]["gap_laps"]) == (845, 3)


def test_a_bad_json_push_names_each_problem_by_its_path_and_keeps_nothing(staff, weekend):
    _championship, race, _session = weekend
    client = factories.token_client(staff, *RACE_WRITE)
    payload = body(flag="PURPLE")
    payload["cars"][1]["gap"] = "soon"
    payload["cars"][2]["number"] = 55

    response = client.post(f"/api/v1/races/{race.pk}/live/", payload, format="json")

    assert response.status_code == 400
    errors = {(e["column"], e["message"].split(",")[0]) for e in response.json()["errors"]}
    assert ("cars[1].gap", "expected a gap such as +1.234") in errors
    assert ("cars[2].number", "car 55 is already at cars[0]") in errors
    assert any(column == "flag" for column, _message in errors)
    assert not LiveTiming.objects.exists()


def test_a_bad_partial_file_names_line_and_column(staff, weekend):
    _championship, race, _session = weekend
    client = factories.token_client(staff, *RACE_WRITE)

    response = client.post(
        f"/api/v1/races/{race.pk}/live/",
        "POSITION;NUMBER;LAPS;FL_TIME\n1;7;x;1'58.0\n2;99;4;\n",
        content_type="text/csv",
    )

    assert response.status_code == 400
    errors = [(e["file"], e["line"], e["column"]) for e in response.json()["errors"]]
    assert errors == [("live.csv", 2, "LAPS")]
    # Once the file reads, a car that is no entry is refused by its line too.
    response = client.post(
        f"/api/v1/races/{race.pk}/live/",
        "POSITION;NUMBER;LAPS\n1;7;4\n2;99;4\n",
        content_type="text/csv",
    )
    [error] = response.json()["errors"]
    assert (error["line"], error["column"]) == (3, "NUMBER")
    assert "99 is not an entry" in error["message"]
    assert not LiveTiming.objects.exists()


def test_an_older_push_arriving_late_is_refused_with_409(staff, weekend):
    _championship, race, _session = weekend
    client = factories.token_client(staff, *RACE_WRITE)
    url = f"/api/v1/races/{race.pk}/live/"
    assert client.post(url, body(sequence=5), format="json").status_code == 200

    late = client.post(url, body(sequence=4, flag="RED"), format="json")
    following = client.post(url, body(), format="json")  # no sequence: the next one

    assert late.status_code == 409
    assert "not above 5" in late.json()["detail"]
    assert following.status_code == 200 and following.json()["sequence"] == 6
    assert LiveTiming.objects.get().flag == "GREEN"


def test_pushing_needs_the_live_timing_permission_not_the_classifications(
    api, staff, weekend, django_user_model
):
    _championship, race, _session = weekend
    url = f"/api/v1/races/{race.pk}/live/"
    importer = django_user_model.objects.create_user("importer", password="pw", is_staff=True)

    anonymous = api.post(url, body(), format="json")
    without = factories.token_client(staff).post(url, body(), format="json")
    results_only = factories.token_client(importer, *CLASSIFICATION_WRITE).post(
        url, body(), format="json"
    )

    assert anonymous.status_code in (401, 403) and without.status_code == 403
    assert results_only.status_code == 403
    assert not LiveTiming.objects.exists()


@pytest.mark.parametrize(
    ("role", "pushes"),
    [("Timing provider", True), ("Race control", True), ("Read-only staff", False)],
)
def test_the_timing_provider_and_race_control_push_read_only_staff_do_not(
    client, weekend, role, pushes
):
    _championship, race, _session = weekend
    user = factories.make_staff(f"live-{role}", roles=(role,))

    response = factories.token_client(user).post(
        f"/api/v1/races/{race.pk}/live/", body(), format="json"
    )

    assert response.status_code == (200 if pushes else 403)


def test_a_rehearsal_is_cleared_and_the_session_starts_again_from_sequence_1(api, staff, weekend):
    _championship, race, _session = weekend
    url = f"/api/v1/races/{race.pk}/live/"
    client = factories.token_client(staff, *LIVE_WRITE, "championships.delete_livetiming")
    client.post(url, body(sequence=200), format="json")

    cleared = client.delete(url)
    again = client.delete(url)
    restarted = client.post(url, body(sequence=1), format="json")

    assert (cleared.status_code, again.status_code) == (204, 404)
    assert restarted.status_code == 200 and api.get(url).json()["sequence"] == 1


def test_clearing_needs_the_permission_to_delete_live_timing(staff, weekend):
    _championship, race, _session = weekend
    url = f"/api/v1/races/{race.pk}/live/"
    client = factories.token_client(staff, *LIVE_WRITE)
    client.post(url, body(), format="json")

    assert client.delete(url).status_code == 403
    assert LiveTiming.objects.exists()


def test_the_live_state_is_never_kept_by_a_cache(api, staff, weekend):
    _championship, race, _session = weekend
    url = f"/api/v1/races/{race.pk}/live/"
    factories.token_client(staff, *LIVE_WRITE).post(url, body(), format="json")

    response = api.get(url)

    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]


def test_nothing_live_is_a_404_and_a_draft_seasons_live_is_hidden(api, staff, weekend):
    championship, race, _session = weekend
    url = f"/api/v1/races/{race.pk}/live/"
    assert api.get(url).status_code == 404
    factories.token_client(staff, *RACE_WRITE).post(url, body(), format="json")
    Championship = type(championship)
    Championship.objects.filter(pk=championship.pk).update(status=SeasonStatus.DRAFT)

    assert api.get(url).status_code == 404
