"""The practice and qualifying sessions through the API: GET /api/v1/sessions/ (list, detail,
versions), POST /api/v1/sessions/<id>/results/ (the race import's contract) and GET
/api/v1/races/<id>/grid/."""

import datetime as dt
import json

import pytest
from rest_framework.test import APIClient

from championships.models import (
    GridSlot,
    Session,
    SessionKind,
    SessionResult,
    SessionVersion,
)
from championships.weekend import session_import
from tests import factories

pytestmark = pytest.mark.django_db

SESSION_PERMISSIONS = (
    "championships.add_sessionresult",
    "championships.change_sessionresult",
    "championships.delete_sessionresult",
)
CSV = "POS,NO,LAPS,BEST_LAP,SECOND_BEST\n1,7,5,1:58.100,1:58.400\n2,3,6,1:58.200,\n"
# Car 3 now fastest, car 7 second, car 12 did not start.
CSV_2 = "POS,NO,LAPS,BEST_LAP,SECOND_BEST\n1,3,6,1:57.950,1:58.010\n2,7,5,1:58.100,\nDNS,12,0,,\n"


@pytest.fixture
def weekend():
    """A published season's round 1: cars 3, 7 and 12, race 1, and qualifying 1 (no results)."""
    championship = factories.make_championship("cup-2026", year=2026)
    meeting = factories.make_meeting(championship, 1)
    race = factories.make_race(meeting, 1)
    cars = {
        car: factories.make_entry(
            championship, car, driver=factories.make_driver("Ann", f"Car{car}")
        )
        for car in (3, 7, 12)
    }
    qualifying = Session.objects.create(
        meeting=meeting,
        kind=SessionKind.QUALIFYING,
        number=1,
        starts_at=dt.datetime(2026, 4, 20, 3, tzinfo=dt.UTC),
    )
    return championship, race, qualifying, cars


@pytest.fixture
def timing(staff):
    """A timing provider's token: staff with the session results' permissions."""
    return factories.token_client(staff, *SESSION_PERMISSIONS)


def post(client: APIClient, session: Session, body: str | bytes, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    url = f"/api/v1/sessions/{session.pk}/results/?{query}"
    return client.post(url, body, content_type="text/csv")


def recorded(session: Session) -> list[tuple]:
    return list(
        SessionResult.objects.filter(session=session)
        .order_by("entry__car_number")
        .values_list("entry__car_number", "position", "status", "laps", "best_lap")
    )


def lap(text: str) -> dt.timedelta:
    minutes, seconds = text.split(":")
    return dt.timedelta(minutes=int(minutes), seconds=float(seconds))


# Reading -------------------------------------------------------------------------------------


def test_the_list_gives_each_session_with_its_round_and_championship(api, weekend):
    championship, _race, qualifying, _cars = weekend
    practice = Session.objects.create(
        meeting=qualifying.meeting,
        kind=SessionKind.PRACTICE,
        number=1,
        starts_at=qualifying.starts_at - dt.timedelta(hours=3),
    )

    body = api.get("/api/v1/sessions/").json()

    assert body["count"] == 2
    first, second = body["results"]
    assert [first["id"], second["id"]] == [practice.pk, qualifying.pk]  # in start order
    assert second["championship"] == championship.slug and second["round"] == 1
    assert second["kind"] == "QUALIFYING" and second["label"] == "Qualifying 1"
    assert second["local_start"] == "2026-04-20T11:00:00+08:00"
    assert second["url"].endswith(f"/api/v1/sessions/{qualifying.pk}/")


def test_the_list_filters_by_championship_round_and_kind(api, weekend):
    championship, _race, qualifying, _cars = weekend
    other = factories.make_championship("other-2026", year=2026)
    Session.objects.create(
        meeting=factories.make_meeting(other, 2),
        kind=SessionKind.PRACTICE,
        number=1,
        starts_at=qualifying.starts_at,
    )

    def ids(**params) -> list[int]:
        return [row["id"] for row in api.get("/api/v1/sessions/", params).json()["results"]]

    assert ids(championship=championship.slug) == [qualifying.pk]
    assert ids(championship=championship.slug, round=2) == []
    assert ids(round=1) == [qualifying.pk]
    assert ids(kind="QUALIFYING") == [qualifying.pk]
    assert len(ids(kind="PRACTICE")) == 1
    assert api.get("/api/v1/sessions/", {"round": "one"}).status_code == 400
    assert api.get("/api/v1/sessions/", {"rond": 1}).status_code == 400  # a typo is no filter


def test_the_list_reads_a_fixed_number_of_queries(api, weekend, django_assert_num_queries):
    qualifying = weekend[2]

    with django_assert_num_queries(2):  # the count, the page of sessions with their meetings
        api.get("/api/v1/sessions/")
    for number in range(2, 8):
        Session.objects.create(
            meeting=qualifying.meeting,
            kind=SessionKind.PRACTICE,
            number=number,
            starts_at=qualifying.starts_at,
        )
    with django_assert_num_queries(2):
        assert api.get("/api/v1/sessions/").json()["count"] == 7


def test_the_detail_gives_the_classification_with_gaps(api, weekend):
    _championship, _race, qualifying, cars = weekend
    session_import(session=qualifying, source=CSV, dry_run=False)

    body = api.get(f"/api/v1/sessions/{qualifying.pk}/").json()

    assert body["classification_version"] == 1
    assert body["classification"] == [
        {
            "position": 1,
            "status": "CLASSIFIED",
            "car_number": 7,
            "driver": "Ann Car7",
            "team": cars[7].team.name,
            "laps": 5,
            "best_lap": "1:58.100",
            "gap": None,
            "second_best_lap": "1:58.400",
        },
        {
            "position": 2,
            "status": "CLASSIFIED",
            "car_number": 3,
            "driver": "Ann Car3",
            "team": cars[3].team.name,
            "laps": 6,
            "best_lap": "1:58.200",
            "gap": "+0.100",
            "second_best_lap": None,
        },
    ]


def test_the_detail_reads_a_fixed_number_of_queries(api, weekend, django_assert_num_queries):
    _championship, _race, qualifying, _cars = weekend
    session_import(session=qualifying, source=CSV, dry_run=False)
    url = f"/api/v1/sessions/{qualifying.pk}/"

    with django_assert_num_queries(2) as few:  # the session, its results with the entries
        api.get(url)
    session_import(session=qualifying, source=CSV_2, dry_run=False, expected_version=1)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(api.get(url).json()["classification"]) == 3


def test_the_versions_are_a_bare_array_oldest_first_with_the_etag(api, weekend, staff):
    _championship, _race, qualifying, _cars = weekend
    staff.first_name, staff.last_name = "Tina", "Timer"
    staff.save()
    session_import(session=qualifying, source=CSV, dry_run=False, user=staff, reason="Official")
    session_import(session=qualifying, source=CSV_2, dry_run=False, expected_version=1)

    response = api.get(f"/api/v1/sessions/{qualifying.pk}/versions/")

    body = response.json()
    assert isinstance(body, list)
    assert [v["number"] for v in body] == [1, 2]
    assert body[0]["by"] == "Tina Timer" and body[0]["reason"] == "Official"
    assert body[1]["by"] is None
    assert body[1]["classification"][2] == {
        "position": None,
        "status": "DNS",
        "car_number": 12,
        "driver": "Ann Car12",
        "team": body[1]["classification"][2]["team"],
        "laps": 0,
        "best_lap": None,
        "gap": None,
        "second_best_lap": None,
    }
    assert body[1]["classification"][1]["gap"] == "+0.150"
    assert response["ETag"] == f'"session-{qualifying.pk}-v2"'


def test_a_session_without_versions_has_an_empty_list_and_version_0(api, weekend):
    _championship, _race, qualifying, _cars = weekend

    response = api.get(f"/api/v1/sessions/{qualifying.pk}/versions/")

    assert response.json() == []
    assert response["ETag"] == f'"session-{qualifying.pk}-v0"'


def test_the_grid_is_a_bare_array_pole_first(api, weekend):
    _championship, race, _qualifying, cars = weekend
    at = dt.datetime(2026, 4, 20, 6, tzinfo=dt.UTC)
    GridSlot.objects.bulk_create(
        [
            GridSlot(
                race=race,
                entry=cars[3],
                position=3,
                qualified=1,
                time=lap("1:57.950"),
                published_at=at,
            ),
            GridSlot(
                race=race,
                entry=cars[7],
                position=1,
                qualified=2,
                time=lap("1:58.100"),
                published_at=at,
            ),
            GridSlot(race=race, entry=cars[12], position=2, qualified=3, published_at=at),
        ]
    )

    body = api.get(f"/api/v1/races/{race.pk}/grid/").json()

    assert body == [
        {
            "position": 1,
            "qualified": 2,
            "car_number": 7,
            "entry": cars[7].pk,
            "driver": "Ann Car7",
            "time": "1:58.100",
            "published_at": "2026-04-20T06:00:00Z",
        },
        {
            "position": 2,
            "qualified": 3,
            "car_number": 12,
            "entry": cars[12].pk,
            "driver": "Ann Car12",
            "time": None,
            "published_at": "2026-04-20T06:00:00Z",
        },
        {
            "position": 3,
            "qualified": 1,
            "car_number": 3,
            "entry": cars[3].pk,
            "driver": "Ann Car3",
            "time": "1:57.950",
            "published_at": "2026-04-20T06:00:00Z",
        },
    ]


def test_a_race_without_a_published_grid_answers_an_empty_array(api, weekend):
    _championship, race, _qualifying, _cars = weekend

    response = api.get(f"/api/v1/races/{race.pk}/grid/")

    assert response.status_code == 200 and response.json() == []
    assert api.get("/api/v1/races/999999/grid/").status_code == 404


def test_the_schema_documents_every_session_endpoint_and_the_grid(client):
    openapi = json.loads(client.get("/api/v1/schema/", {"format": "json"}).content)
    paths = openapi["paths"]

    assert paths["/api/v1/sessions/"]["get"]["summary"]
    assert paths["/api/v1/sessions/{id}/"]["get"]["summary"]
    versions = paths["/api/v1/sessions/{id}/versions/"]["get"]
    assert versions["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
    upload = paths["/api/v1/sessions/{id}/results/"]["post"]
    assert {"text/csv", "multipart/form-data"} <= set(upload["requestBody"]["content"])
    assert {"200", "400", "412", "428"} <= set(upload["responses"])
    assert {p["name"] for p in upload["parameters"]} >= {"dry_run", "expected_version", "If-Match"}
    grid = paths["/api/v1/races/{id}/grid/"]["get"]
    assert grid["summary"] and not [p for p in grid.get("parameters", []) if p["in"] == "query"]


# Drafts --------------------------------------------------------------------------------------


@pytest.fixture
def draft_session():
    championship = factories.make_championship("draft-2027", year=2027, status="draft")
    meeting = factories.make_meeting(championship, 1)
    factories.make_race(meeting, 1)
    return Session.objects.create(
        meeting=meeting,
        kind=SessionKind.PRACTICE,
        number=1,
        starts_at=dt.datetime(2027, 4, 20, 3, tzinfo=dt.UTC),
    )


def test_a_draft_seasons_sessions_are_hidden_from_the_public(api, weekend, draft_session):
    race = draft_session.meeting.races.get()

    listed = [row["id"] for row in api.get("/api/v1/sessions/").json()["results"]]
    by_filter = api.get("/api/v1/sessions/", {"championship": "draft-2027"}).json()

    assert draft_session.pk not in listed and listed == [weekend[2].pk]
    assert by_filter["count"] == 0
    assert api.get(f"/api/v1/sessions/{draft_session.pk}/").status_code == 404
    assert api.get(f"/api/v1/sessions/{draft_session.pk}/versions/").status_code == 404
    assert api.get(f"/api/v1/races/{race.pk}/grid/").status_code == 404


def test_staff_who_see_drafts_get_the_draft_seasons_sessions(weekend, draft_session):
    boss = factories.token_client(factories.make_staff("boss", "championships.view_championship"))

    listed = [row["id"] for row in boss.get("/api/v1/sessions/").json()["results"]]

    assert draft_session.pk in listed
    assert boss.get(f"/api/v1/sessions/{draft_session.pk}/").status_code == 200
    assert boss.get(f"/api/v1/sessions/{draft_session.pk}/versions/").status_code == 200


# The import ----------------------------------------------------------------------------------


def test_anonymous_cannot_import(api, weekend):
    qualifying = weekend[2]

    response = post(api, qualifying, CSV)

    assert response.status_code == 401
    assert recorded(qualifying) == []


def test_staff_without_the_session_results_permissions_cannot_import(weekend, staff):
    qualifying = weekend[2]
    read_only = factories.token_client(staff, "championships.view_session")
    almost = factories.token_client(
        factories.make_staff("almost"),
        "championships.add_sessionresult",
        "championships.change_sessionresult",
    )

    assert post(read_only, qualifying, CSV).status_code == 403
    assert post(almost, qualifying, CSV).status_code == 403
    assert recorded(qualifying) == []


def test_a_dry_run_answers_the_difference_and_writes_nothing(weekend, timing):
    qualifying = weekend[2]

    response = post(timing, qualifying, CSV, dry_run=1)

    assert response.status_code == 200
    body = response.json()
    assert body["dry_run"] is True and body["session"] == qualifying.pk
    assert (body["added"], body["changed"], body["removed"]) == (2, 0, 0)
    assert body["version"] is None and body["base_version"] == 0
    assert body["lines"][0] == {
        "position": 1,
        "status": "CLASSIFIED",
        "car_number": 7,
        "laps": 5,
        "best_lap": "1:58.100",
        "second_best_lap": "1:58.400",
    }
    assert response["ETag"] == f'"session-{qualifying.pk}-v0"'
    assert recorded(qualifying) == []
    assert not SessionVersion.objects.filter(session=qualifying).exists()
    qualifying.refresh_from_db()
    assert qualifying.classification_version == 0


def test_an_import_makes_version_1_then_version_2(weekend, timing):
    qualifying = weekend[2]

    first = post(timing, qualifying, CSV)
    etag = timing.get(f"/api/v1/sessions/{qualifying.pk}/versions/")["ETag"]
    second = timing.post(
        f"/api/v1/sessions/{qualifying.pk}/results/",
        CSV_2,
        content_type="text/csv",
        HTTP_IF_MATCH=etag,
    )

    assert first.status_code == 200 and first.json()["version"] == 1
    assert first["ETag"] == etag == f'"session-{qualifying.pk}-v1"'
    assert second.status_code == 200
    assert (second.json()["added"], second.json()["changed"]) == (1, 2)
    assert second.json()["version"] == 2 and second["ETag"] == f'"session-{qualifying.pk}-v2"'
    assert list(qualifying.versions.values_list("number", flat=True)) == [1, 2]
    assert recorded(qualifying) == [
        (3, 1, "CLASSIFIED", 6, lap("1:57.950")),
        (7, 2, "CLASSIFIED", 5, lap("1:58.100")),
        (12, None, "DNS", 0, None),
    ]


def test_a_file_can_be_sent_as_a_form_field(weekend, timing):
    from django.core.files.uploadedfile import SimpleUploadedFile

    qualifying = weekend[2]
    upload = SimpleUploadedFile("Q1.csv", CSV.encode(), content_type="text/csv")

    response = timing.post(f"/api/v1/sessions/{qualifying.pk}/results/", {"file": upload})

    assert response.status_code == 200 and response.json()["version"] == 1


def test_a_bad_file_is_a_400_with_line_and_column_and_nothing_is_written(weekend, timing):
    qualifying = weekend[2]
    text = CSV.replace("1,7,5,", "1,77,5,").replace("1:58.200", "a minute or so")

    response = post(timing, qualifying, text)

    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("The file has ")
    where = [(e["file"], e["line"], e["column"]) for e in body["errors"]]
    assert ("sessions/R1-Q1.csv", 2, "NO") in where
    assert any(line == 3 and column == "BEST_LAP" for _file, line, column in where)
    assert all(e["message"] for e in body["errors"])
    assert "car 77 is not an entry of cup-2026" in [e["message"] for e in body["errors"]]
    assert recorded(qualifying) == []
    assert not SessionVersion.objects.filter(session=qualifying).exists()


def test_a_stale_if_match_is_412_and_writes_nothing(weekend, timing):
    qualifying = weekend[2]
    read = timing.get(f"/api/v1/sessions/{qualifying.pk}/versions/")["ETag"]  # version 0
    assert post(timing, qualifying, CSV).status_code == 200  # someone else: version 1
    before = recorded(qualifying)

    by_etag = timing.post(
        f"/api/v1/sessions/{qualifying.pk}/results/",
        CSV_2,
        content_type="text/csv",
        HTTP_IF_MATCH=read,
    )
    by_parameter = post(timing, qualifying, CSV_2, expected_version=0)

    assert by_etag.status_code == by_parameter.status_code == 412
    assert "changed while you worked" in by_etag.json()["detail"]
    assert recorded(qualifying) == before
    assert list(qualifying.versions.values_list("number", flat=True)) == [1]


@pytest.mark.parametrize(
    "if_match",
    ['"race-{pk}-v1"', '"session-999999-v1"', '"session-{pk}-vx"', "garbage"],
)
def test_an_etag_that_names_no_version_of_this_session_is_412(weekend, timing, if_match):
    qualifying = weekend[2]
    post(timing, qualifying, CSV)

    response = timing.post(
        f"/api/v1/sessions/{qualifying.pk}/results/",
        CSV_2,
        content_type="text/csv",
        HTTP_IF_MATCH=if_match.format(pk=qualifying.pk),
    )

    assert response.status_code == 412
    assert qualifying.versions.count() == 1


def test_a_weak_etag_reads_as_its_version(weekend, timing):
    qualifying = weekend[2]
    post(timing, qualifying, CSV)

    response = timing.post(
        f"/api/v1/sessions/{qualifying.pk}/results/",
        CSV_2,
        content_type="text/csv",
        HTTP_IF_MATCH=f'W/"session-{qualifying.pk}-v1"',
    )

    assert response.status_code == 200 and response.json()["version"] == 2


def test_replacing_a_classification_without_a_version_read_is_428(weekend, timing):
    qualifying = weekend[2]
    post(timing, qualifying, CSV)

    bare = post(timing, qualifying, CSV_2)
    star = timing.post(
        f"/api/v1/sessions/{qualifying.pk}/results/",
        CSV_2,
        content_type="text/csv",
        HTTP_IF_MATCH="*",
    )

    assert bare.status_code == star.status_code == 428
    assert "If-Match" in bare.json()["detail"]
    assert qualifying.versions.count() == 1
    assert post(timing, qualifying, CSV_2, dry_run=1).status_code == 200  # a dry run need not


def test_bad_parameters_empty_bodies_and_json_are_refused(weekend, timing):
    qualifying = weekend[2]
    url = f"/api/v1/sessions/{qualifying.pk}/results/"

    perhaps = post(timing, qualifying, CSV, dry_run="perhaps")
    empty = timing.post(url, "", content_type="text/csv")
    as_json = timing.post(url, {"a": 1}, format="json")

    assert perhaps.status_code == 400 and "dry_run" in perhaps.json()
    assert empty.status_code == 400 and "file" in empty.json()
    assert as_json.status_code == 415
    assert (
        timing.post("/api/v1/sessions/999999/results/", CSV, content_type="text/csv").status_code
        == 404
    )
