"""Laps through the API: GET and POST /api/v1/races/<id>/laps/ and /api/v1/sessions/<id>/laps/,
the lap export's import with its dry run, its refusals by line and column, its permissions,
and draft seasons hidden."""

import datetime as dt

import pytest

from championships.models import Lap, SeasonStatus, Session, SessionKind
from tests import factories

pytestmark = pytest.mark.django_db

LAPS = (
    "NUMBER;LAP_NUMBER;LAP_TIME;CROSSING_FINISH_LINE_IN_PIT\n"
    "7;1;2'00.000;\n7;2;1'58.500;B\n3;1;2'01.000;\n"
)


@pytest.fixture
def weekend():
    championship = factories.make_championship("laps-2026", year=2026)
    meeting = factories.make_meeting(championship, 1)
    race = factories.make_race(meeting, 1)
    for car in (3, 7):
        factories.make_entry(championship, car)
    session = Session.objects.create(
        meeting=meeting,
        kind=SessionKind.QUALIFYING,
        starts_at=dt.datetime(2026, 4, 19, 3, tzinfo=dt.UTC),
    )
    return championship, race, session


def post(client, url: str, body: str, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.post(f"{url}?{query}", body, content_type="text/csv")


@pytest.mark.parametrize("what", ["race", "session"])
def test_a_timing_provider_checks_then_imports_the_laps_and_anyone_reads_them(
    api, staff, weekend, what
):
    _championship, race, session = weekend
    subject, permissions = (
        (
            race,
            (
                "championships.add_result",
                "championships.change_result",
                "championships.delete_result",
            ),
        )
        if what == "race"
        else (
            session,
            (
                "championships.add_sessionresult",
                "championships.change_sessionresult",
                "championships.delete_sessionresult",
            ),
        )
    )
    url = f"/api/v1/{what}s/{subject.pk}/laps/"
    client = factories.token_client(staff, *permissions)

    checked = post(client, url, LAPS, dry_run=1)
    assert checked.status_code == 200, checked.content
    assert checked.json()["dry_run"] is True and not Lap.objects.exists()
    applied = post(client, url, LAPS)

    assert applied.status_code == 200
    body = applied.json()
    assert (body["laps"], body["replaced"]) == (3, 0)
    assert body["cars"][0] == {
        "car_number": 7,
        "laps": 2,
        "best": "1:58.500",
        "total": "03:58.500",
        "pits": 1,
    }
    assert api.get(url).json() == [
        {"car_number": 3, "lap": 1, "time": "2:01.000", "pit": False},
        {"car_number": 7, "lap": 1, "time": "2:00.000", "pit": False},
        {"car_number": 7, "lap": 2, "time": "1:58.500", "pit": True},
    ]


def test_a_bad_file_is_a_400_naming_line_and_column_and_writes_nothing(staff, weekend):
    _championship, race, _session = weekend
    client = factories.token_client(
        staff,
        "championships.add_result",
        "championships.change_result",
        "championships.delete_result",
    )

    response = post(
        client, f"/api/v1/races/{race.pk}/laps/", "NUMBER;LAP_NUMBER;LAP_TIME\n7;2;2'00.000\n"
    )

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["line"], error["column"]) == (2, "LAP_NUMBER")
    assert "no lap 1" in error["message"]
    assert not Lap.objects.exists()


def test_posting_laps_needs_a_token_with_the_classifications_permissions(api, staff, weekend):
    _championship, race, _session = weekend
    url = f"/api/v1/races/{race.pk}/laps/"

    assert post(api, url, LAPS).status_code in (401, 403)
    assert post(factories.token_client(staff), url, LAPS).status_code == 403
    assert not Lap.objects.exists()


def test_a_draft_seasons_laps_are_hidden_from_the_public(api, weekend):
    championship, race, _session = weekend
    championship.status = SeasonStatus.DRAFT
    championship.save()

    assert api.get(f"/api/v1/races/{race.pk}/laps/").status_code == 404
