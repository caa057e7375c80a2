"""GET /api/v1/championships/<slug>/standings/: the contract outside tools rely on."""

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client
from django.utils.http import http_date

from championships.models import Result, ResultStatus
from championships.services import standings_invalidate
from tests.factories import EXAMPLE_SEASON, build_championship

EXPECTED = json.loads((EXAMPLE_SEASON / "expected-standings.json").read_text())["tables"]
URL = "/api/v1/championships/{slug}/standings/"

pytestmark = pytest.mark.django_db


def get(client: Client, slug: str = "pcca-2024", **params: Any) -> HttpResponse:
    return client.get(URL.format(slug=slug), params, **params.pop("headers", {}))


def contract(rows: list[dict]) -> list[dict]:
    """The fields that expected-standings.json holds, of each row."""
    keys = ("position", "car_number", "driver", "team", "points")
    return [{key: row[key] for key in keys if key in row} for row in rows]


def test_it_answers_the_final_drivers_table_by_default(client, pcca):
    response = get(client)

    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("championship", "table", "class", "after_round")} == {
        "championship": "pcca-2024",
        "table": "drivers",
        "class": None,
        "after_round": None,
    }
    assert contract(body["rows"]) == EXPECTED["drivers/final"]
    first = body["rows"][0]
    assert (first["position"], first["car_number"], first["points"]) == (1, 55, 159.5)
    assert {"races", "dropped", "deductions", "ties"} <= set(first)


def test_points_are_json_integers_when_whole(client, pcca):
    raw = json.loads(get(client).content)

    points = {row["car_number"]: row["points"] for row in raw["rows"]}
    assert isinstance(points[99], int) and points[99] == 151
    assert isinstance(points[55], float) and points[55] == 159.5


@pytest.mark.parametrize(
    ("params", "key"),
    [
        ({"table": "rookies"}, "rookies/final"),
        ({"table": "teams"}, "teams/final"),
        ({"table": "dealers", "after_round": "3"}, "dealers/after_3"),
        ({"class": "PRO_AM"}, "class-PRO_AM/final"),
        ({"table": "drivers", "class": "MASTERS", "after_round": "2"}, "class-MASTERS/after_2"),
        ({"after_round": "1"}, "drivers/after_1"),
    ],
)
def test_it_answers_each_table_and_scope(client, pcca, params, key):
    body = get(client, **params).json()

    assert contract(body["rows"]) == EXPECTED[key]
    assert body["class"] == params.get("class")
    assert body["after_round"] == (int(params["after_round"]) if "after_round" in params else None)


def test_team_rows_carry_position_team_points_and_scoring_cars(client, pcca):
    row = get(client, table="teams").json()["rows"][0]

    assert list(row)[:3] == ["position", "team", "points"]
    assert {"race", "points", "cars"} == set(row["races"][0])
    assert len(row["races"][0]["cars"]) <= 2


@pytest.mark.parametrize(
    ("params", "parameter", "message"),
    [
        (
            {"table": "constructors"},
            "table",
            'table must be one of drivers, rookies, teams or dealers, not "constructors".',
        ),
        (
            {"class": "GT3"},
            "class",
            '"GT3" is not a class of this championship; use PRO, PRO_AM, AM, MASTERS.',
        ),
        (
            {"class": "PRO", "table": "teams"},
            "class",
            "class goes with table=drivers only, not with table=teams.",
        ),
        *(
            (
                {"after_round": bad},
                "after_round",
                "after_round must be a round number: a whole number of 1 or more.",
            )
            for bad in ("abc", "0", "-1", "2.5", "3.0", "+3", "1_0")
        ),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it_and_why(client, pcca, params, parameter, message):
    response = get(client, **params)

    assert response.status_code == 400
    assert response.json() == {parameter: [message]}


def test_an_unknown_championship_is_a_404(client, db):
    assert get(client, slug="no-such-cup").status_code == 404


def test_it_sends_etag_and_last_modified(client, pcca):
    response = get(client)

    assert response.headers["ETag"].startswith('"')
    assert response.headers["Last-Modified"] == http_date(pcca.tables_changed_at.timestamp())
    assert get(client, table="teams").headers["ETag"] != response.headers["ETag"]


def test_a_conditional_get_with_the_etag_is_a_304(client, pcca):
    etag = get(client).headers["ETag"]

    response = get(client, headers={"HTTP_IF_NONE_MATCH": etag})

    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["ETag"] == etag
    assert get(client, headers={"HTTP_IF_NONE_MATCH": '"stale"'}).status_code == 200


def test_a_conditional_get_since_last_modified_is_a_304(client, pcca):
    last_modified = get(client).headers["Last-Modified"]

    response = get(client, headers={"HTTP_IF_MODIFIED_SINCE": last_modified})

    assert response.status_code == 304
    assert "Last-Modified" in response.headers


def test_a_changed_result_shows_once_the_standings_are_invalidated(client, pcca):
    before = get(client)
    results = Result.objects.filter(race__meeting__championship=pcca, entry__car_number=55)
    results.update(position=None, status=ResultStatus.DNF)

    # Without invalidation the cached table is served: the write paths must invalidate.
    assert get(client).json()["rows"][0]["car_number"] == 55
    standings_invalidate(championship_id=pcca.pk)
    after = get(client, headers={"HTTP_IF_NONE_MATCH": before.headers["ETag"]})

    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    row = next(row for row in after.json()["rows"] if row["car_number"] == 55)
    assert row["points"] < 159.5
    assert all(line["rank"] is None for line in row["races"])


@pytest.mark.parametrize("entries", [5, 40])
def test_query_count_is_the_same_for_a_small_and_a_large_championship(
    client, django_assert_num_queries, entries
):
    championship = build_championship(entries=entries, rounds=2 if entries == 5 else 12)

    # The championship's version (the key), the championship whole for a table not yet kept,
    # then the loader's classes, entries, results and penalties.
    with django_assert_num_queries(6):
        assert get(client, championship.slug).status_code == 200
    # A kept table needs the championship's version only.
    with django_assert_num_queries(1):
        assert get(client, championship.slug).status_code == 200
    # Another table of the same season: the version, the class codes to check the class
    # parameter and the championship whole; the season's data is already loaded and cached.
    with django_assert_num_queries(3):
        assert get(client, championship.slug, **{"class": "PRO"}).status_code == 200
    # Kept, a class table is still checked: the version and the class codes.
    with django_assert_num_queries(2):
        assert get(client, championship.slug, **{"class": "PRO"}).status_code == 200
    cache.clear()
    # Cold, a class table costs the class codes on top of the version, the championship and
    # the loader.
    with django_assert_num_queries(7):
        assert get(client, championship.slug, **{"class": "AM"}).status_code == 200
    # The PRO table was forgotten with the rest, but its season was loaded again just now.
    with django_assert_num_queries(3):
        assert get(client, championship.slug, **{"class": "PRO"}).status_code == 200


def test_a_kept_json_answer_is_the_one_drf_renders(client, pcca, monkeypatch):
    first = get(client, after_round="2")
    kept = get(client, after_round="2")
    # The browsable API goes through DRF's Response and renderers every time.
    browsable = get(client, after_round="2", format="api")

    assert kept.content == first.content
    assert kept["Content-Type"] == first["Content-Type"] == "application/json"
    assert kept.json()["after_round"] == 2
    assert browsable.status_code == 200
    assert browsable["Content-Type"].startswith("text/html")


def test_an_indented_answer_is_kept_apart_from_the_compact_one(client, pcca):
    compact = get(client)
    indented = get(client, headers={"HTTP_ACCEPT": "application/json; indent=4"})

    assert b"\n" not in compact.content
    assert b'\n    "championship"' in indented.content
    assert get(client).content == compact.content
    assert indented.json() == compact.json()


def test_an_unknown_championship_says_so_in_json(client, db):
    response = get(client, slug="no-such-cup")

    assert response.json() == {"detail": "No Championship matches the given query."}


def test_a_bad_query_is_refused_every_time_beside_kept_tables(client, pcca):
    assert get(client, after_round="2").status_code == 200  # kept from now on

    for _ in range(2):
        response = get(client, after_round="2.0")
        assert response.status_code == 400
        assert "after_round" in response.json()


def test_the_same_table_however_spelled_is_one_kept_answer(client, pcca, django_assert_num_queries):
    first = get(client, table="drivers", after_round="2")

    with django_assert_num_queries(1):  # the championship: the rest is the kept answer
        spelled_apart = client.get(URL.format(slug="pcca-2024") + "?after_round=02&_=1234")

    assert first.status_code == spelled_apart.status_code == 200
    assert first.headers["ETag"] == spelled_apart.headers["ETag"]
    assert first.content == spelled_apart.content


def test_a_bad_query_is_a_400_even_with_conditional_headers(client, pcca):
    first = get(client, after_round="2")

    response = get(
        client,
        after_round="2.0",
        headers={
            "HTTP_IF_NONE_MATCH": first.headers["ETag"],
            "HTTP_IF_MODIFIED_SINCE": first.headers["Last-Modified"],
        },
    )

    assert response.status_code == 400
    assert "after_round" in response.json()
