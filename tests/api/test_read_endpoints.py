"""The public read API: each endpoint's fields, filters, ordering, paging and errors."""

import datetime as dt

import pytest

from championships.models import Penalty, Race
from entries.models import Driver, Entry

pytestmark = pytest.mark.django_db


def get(api, url: str, **params):
    return api.get(url, params, HTTP_ACCEPT="application/json")


def results(api, url: str, **params) -> list[dict]:
    response = get(api, url, **params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.parametrize(
    ("url", "fields"),
    [
        (
            "/api/v1/series/",
            {
                "slug",
                "name",
                "name_zh_hans",
                "url",
                "position",
                "current_championship",
                "featured_championship",
            },
        ),
        (
            "/api/v1/championships/",
            {
                "slug",
                "name",
                "name_zh_hans",
                "year",
                "series",
                "series_slug",
                "race_points",
                "pole_points",
                "fastest_lap_points",
                "dropped_results",
                "drop_disqualified",
                "tie_break",
                "positions",
                "classes",
                "tables_changed_at",
                "url",
                "standings_url",
                "status",
                "featured",
            },
        ),
        (
            "/api/v1/meetings/",
            {
                "id",
                "championship",
                "round",
                "circuit",
                "start_date",
                "end_date",
                "supporting_event",
                "supporting_event_zh_hans",
                "races",
                "url",
            },
        ),
        (
            "/api/v1/races/",
            {
                "id",
                "championship",
                "round",
                "number",
                "meeting",
                "circuit",
                "timezone",
                "starts_at",
                "local_start",
                "points_factor",
                "held",
                "url",
            },
        ),
        (
            "/api/v1/entries/",
            {
                "id",
                "championship",
                "car_number",
                "driver",
                "team",
                "entry_class",
                "category",
                "rookie",
                "guest",
                "arrive_and_drive",
                "dealer_trophy",
                "url",
            },
        ),
        (
            "/api/v1/drivers/",
            {"slug", "first_name", "last_name", "full_name", "nationality", "category", "url"},
        ),
        ("/api/v1/teams/", {"slug", "name", "url"}),
        ("/api/v1/circuits/", {"id", "name", "name_zh_hans", "country", "timezone", "url"}),
        (
            "/api/v1/penalties/",
            {
                "id",
                "championship",
                "meeting",
                "round",
                "race",
                "race_number",
                "entry",
                "car_number",
                "driver",
                "kind",
                "value",
                "reason",
                "reason_zh_hans",
                "url",
            },
        ),
    ],
)
def test_each_list_answers_exactly_its_fields(api, pcca, url, fields):
    body = get(api, url).json()

    assert set(body) == {"count", "next", "previous", "results"}
    assert body["results"], url
    assert all(set(row) == fields for row in body["results"])


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/series/porsche-carrera-cup-asia/",
        "/api/v1/championships/pcca-2024/",
        "/api/v1/drivers/kai-lindqvist/",
        "/api/v1/teams/harbour-racing/",
    ],
)
def test_details_are_addressed_by_stable_slugs(api, pcca, url):
    response = get(api, url)

    assert response.status_code == 200
    assert response.json()["url"] == f"http://testserver{url}"


def test_no_personal_data_leaves_the_api(api, pcca):
    everything = b"".join(
        get(api, url).content
        for url in ("/api/v1/drivers/", "/api/v1/entries/", "/api/v1/penalties/")
    )
    driver = Driver.objects.get(slug="kai-lindqvist")

    assert b"date_of_birth" not in everything
    assert driver.date_of_birth.isoformat().encode() not in everything
    assert b"email" not in everything and b"phone" not in everything


def test_a_race_answers_its_final_classification_after_penalties(api, pcca):
    penalty = Penalty.objects.get(kind="TIME")  # 5 s for car 5 in R1-2
    race = penalty.race

    body = get(api, f"/api/v1/races/{race.pk}/").json()

    rows = body["classification"]
    recorded = list(race.results.order_by("position").values_list("entry__car_number", flat=True))
    final = [row["car_number"] for row in rows]
    assert final != recorded[: len(final)]  # the time penalty moved car 5 back
    five = next(row for row in rows if row["car_number"] == 5)
    assert five["penalties"] == ["5 s time penalty: Causing a collision at turn 14"]
    assert [row["position"] for row in rows if row["status"] == "CLASSIFIED"] == list(
        range(1, 1 + sum(row["status"] == "CLASSIFIED" for row in rows))
    )
    assert {"driver", "team", "entry_class", "laps", "total_time", "best_lap", "grid"} <= set(
        rows[0]
    )


def test_a_disqualified_car_is_dsq_in_the_classification(api, pcca):
    penalty = Penalty.objects.get(kind="DSQ")

    rows = get(api, f"/api/v1/races/{penalty.race_id}/").json()["classification"]

    row = next(row for row in rows if row["car_number"] == penalty.entry.car_number)
    assert (row["position"], row["status"]) == (None, "DSQ")


def test_a_race_not_held_has_an_empty_classification(api, pcca):
    race = Race.objects.filter(results__isnull=True).first()
    assert race is not None

    body = get(api, f"/api/v1/races/{race.pk}/").json()

    assert (body["held"], body["classification"]) == (False, [])


def test_datetimes_are_iso_8601_with_offsets(api, pcca):
    race = get(api, "/api/v1/races/").json()["results"][0]

    starts_at = dt.datetime.fromisoformat(race["starts_at"])
    local = dt.datetime.fromisoformat(race["local_start"])
    assert starts_at.utcoffset() == dt.timedelta(0)
    assert race["local_start"].endswith("+08:00")  # Shanghai
    assert local == starts_at


def test_times_are_written_as_timing_sheets_write_them(api, pcca):
    race = Race.objects.filter(results__isnull=False).first()

    row = get(api, f"/api/v1/races/{race.pk}/").json()["classification"][0]

    assert row["total_time"] == "30:01.632"
    assert row["best_lap"] == "1:58.452"


def test_meetings_carry_their_races_in_order(api, pcca):
    meeting = get(api, "/api/v1/meetings/", championship="pcca-2024", round=1).json()["results"]

    assert len(meeting) == 1
    assert [race["number"] for race in meeting[0]["races"]] == [1, 2]
    assert meeting[0]["circuit"]["timezone"] == "Asia/Shanghai"


def test_entries_carry_the_category_of_the_season(api, pcca):
    entry = Entry.objects.get(championship=pcca, car_number=55)

    row = results(api, "/api/v1/entries/", championship="pcca-2024", ordering="car_number")
    found = next(r for r in row if r["car_number"] == 55)

    assert found["category"] == entry.category
    assert found["driver"]["slug"] == entry.driver.slug


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"rookie": "true"}, lambda e: e.rookie),
        ({"guest": "true"}, lambda e: e.guest),
        ({"arrive_and_drive": "true"}, lambda e: e.arrive_and_drive),
        ({"entry_class": "pro_am"}, lambda e: e.entry_class.code == "PRO_AM"),
        ({"category": "BRONZE"}, lambda e: e.category == "BRONZE"),
        ({"team": "harbour-racing"}, lambda e: e.team.slug == "harbour-racing"),
        ({"nationality": "cn"}, lambda e: e.driver.nationality == "CN"),
        ({"championship": "pcca-2024", "rookie": "false"}, lambda e: not e.rookie),
    ],
)
def test_entries_filter(api, pcca, params, expected):
    cars = {row["car_number"] for row in results(api, "/api/v1/entries/", **params)}

    wanted = {e.car_number for e in Entry.objects.with_people() if expected(e)}
    assert cars == wanted and cars


@pytest.mark.parametrize(
    ("url", "params", "count"),
    [
        ("/api/v1/championships/", {"series": "porsche-carrera-cup-asia", "year": "2024"}, 1),
        ("/api/v1/championships/", {"year": "2023"}, 0),
        ("/api/v1/meetings/", {"championship": "pcca-2024"}, 7),
        ("/api/v1/races/", {"championship": "pcca-2024", "round": "1"}, 2),
        ("/api/v1/races/", {"held": "false"}, None),
        ("/api/v1/penalties/", {"kind": "DSQ"}, 1),
        ("/api/v1/penalties/", {"round": "4"}, 1),
        ("/api/v1/drivers/", {"championship": "pcca-2024", "nationality": "cn"}, None),
        ("/api/v1/drivers/", {"team": "harbour-racing"}, None),
        ("/api/v1/teams/", {"championship": "pcca-2024"}, 8),
        ("/api/v1/circuits/", {"championship": "pcca-2024", "country": "th"}, 2),
        ("/api/v1/entries/", {"championship": "no-such-cup"}, 0),
    ],
)
def test_lists_filter(api, pcca, url, params, count):
    body = get(api, url, **params).json()

    assert body["count"] == count if count is not None else 0 < body["count"]


def test_a_driver_with_two_entries_of_a_team_is_listed_once(api, pcca):
    driver = Driver.objects.get(slug="kai-lindqvist")
    second = Entry.objects.get(driver=driver)
    second.pk, second.championship = (
        None,
        pcca.__class__.objects.create(series=pcca.series, slug="pcca-2025", name="2025", year=2025),
    )
    second.entry_class = second.championship.classes.create(code="PRO", categories=["GOLD"])
    second.save()

    slugs = [row["slug"] for row in results(api, "/api/v1/drivers/", team=second.team.slug)]

    assert slugs.count("kai-lindqvist") == 1


def test_lists_order_by_the_fields_they_name(api, pcca):
    numbers = [r["car_number"] for r in results(api, "/api/v1/entries/", ordering="-car_number")]

    assert numbers == sorted(numbers, reverse=True)


def test_every_list_is_paged(api, pcca):
    body = get(api, "/api/v1/entries/", page_size=5, page=2).json()

    assert body["count"] == 18 and len(body["results"]) == 5
    assert "page=3" in body["next"] and "page_size=5" in body["next"]


@pytest.mark.parametrize(
    ("url", "params", "parameter"),
    [
        ("/api/v1/entries/", {"rookie": "maybe"}, "rookie"),
        ("/api/v1/entries/", {"category": "DIAMOND"}, "category"),
        ("/api/v1/entries/", {"rokie": "true"}, "rokie"),
        ("/api/v1/races/", {"round": "one"}, "round"),
        ("/api/v1/races/", {"round": "1.5"}, "round"),
        ("/api/v1/races/", {"round": str(10**30)}, "round"),
        ("/api/v1/races/", {"ordering": "-driver"}, "ordering"),
        ("/api/v1/penalties/", {"kind": "CAUTION"}, "kind"),
        ("/api/v1/championships/", {"year": "last"}, "year"),
        ("/api/v1/drivers/", {"date_of_birth": "2000-01-01"}, "date_of_birth"),
    ],
)
def test_a_bad_filter_is_a_400_naming_the_parameter(api, pcca, url, params, parameter):
    response = get(api, url, **params)

    assert response.status_code == 400
    assert list(response.json()) == [parameter]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/championships/no-such-cup/",
        "/api/v1/drivers/nobody-1900/",
        "/api/v1/races/999999/",
        "/api/v1/races/99999999999999999999999/",
        "/api/v1/circuits/abc/",
        "/api/v1/entries/?page=99",
    ],
)
def test_an_unknown_object_is_a_404(api, pcca, url):
    response = api.get(url, HTTP_ACCEPT="application/json")

    assert response.status_code == 404
    assert "detail" in response.json()
