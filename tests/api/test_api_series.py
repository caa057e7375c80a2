"""Several series through the API (issue 17): ``?series=<slug>`` on every list with a
championship path, checked like the other filters; each series with its position, its current
championship and the site's featured one when it is of this series."""

import json

import pytest
from rest_framework.test import APIClient

from championships.models import Championship, Series
from championships.services import season_feature
from tests import factories

pytestmark = pytest.mark.django_db

SERIES_LISTS = [
    "/api/v1/championships/",
    "/api/v1/meetings/",
    "/api/v1/races/",
    "/api/v1/penalties/",
    "/api/v1/entries/",
    "/api/v1/circuits/",
    "/api/v1/drivers/",
    "/api/v1/teams/",
]


@pytest.fixture
def seasons() -> dict[str, Championship]:
    """The Cup (position 2: a 2025 archived season, the 2026 one published and featured) and
    the Sprint (position 1: 2026 published, 2027 a draft), each season with one of everything."""
    cup = factories.make_series("Carrera Cup")
    sprint = factories.make_series("Sprint Trophy")
    Series.objects.filter(pk=cup.pk).update(position=2)
    Series.objects.filter(pk=sprint.pk).update(position=1)
    made = {
        "cup-2025": factories.make_season_with_calendar(
            "cup-2025", cup, year=2025, status="archived"
        ),
        "cup-2026": factories.make_season_with_calendar("cup-2026", cup, year=2026),
        "sprint-2026": factories.make_season_with_calendar("sprint-2026", sprint, year=2026),
        "sprint-2027": factories.make_season_with_calendar(
            "sprint-2027", sprint, year=2027, status="draft"
        ),
    }
    season_feature(championship_id=made["cup-2026"].pk)
    return made


def get(client: APIClient, url: str, **params):
    return client.get(url, params, HTTP_ACCEPT="application/json")


def rows(client: APIClient, url: str, **params) -> list[dict]:
    response = get(client, url, **params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def seasons_of(url: str, listed: list[dict]) -> set[str]:
    """The championship of each row, whatever the list: its slug, or the championship each
    row's own slug (driver-of-<slug>, <slug> for a team) or circuit name was made for."""
    if url.endswith(("/championships/",)):
        return {row["slug"] for row in listed}
    if url.endswith("/circuits/"):
        return {row["name"].removeprefix("Circuit of ") for row in listed}
    if url.endswith("/drivers/"):
        return {row["slug"].removeprefix("driver-of-") for row in listed}
    if url.endswith("/teams/"):
        return {row["slug"] for row in listed}
    return {row["championship"] for row in listed}


@pytest.mark.parametrize("url", SERIES_LISTS)
def test_each_list_keeps_the_rows_of_the_series_asked_for(api, seasons, url):
    assert seasons_of(url, rows(api, url, series="carrera-cup")) == {"cup-2025", "cup-2026"}
    assert seasons_of(url, rows(api, url, series="sprint-trophy")) == {"sprint-2026"}


@pytest.mark.parametrize("url", SERIES_LISTS)
def test_staff_filtering_by_series_get_its_draft_too(seasons, url):
    client = factories.token_client(factories.make_staff("boss", "championships.view_championship"))

    assert seasons_of(url, rows(client, url, series="sprint-trophy")) == {
        "sprint-2026",
        "sprint-2027",
    }


@pytest.mark.parametrize("url", SERIES_LISTS)
@pytest.mark.parametrize("slug", ["no-such-series", "Not a slug!", "carrera-cup-"])
def test_an_unknown_series_finds_nothing_as_the_other_slug_filters(api, seasons, url, slug):
    response = get(api, url, series=slug)

    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize("url", SERIES_LISTS)
def test_an_empty_series_filter_is_no_filter(api, seasons, url):
    assert len(rows(api, url, series="")) == len(rows(api, url))


def test_a_series_filter_goes_with_the_others(api, seasons):
    listed = rows(api, "/api/v1/championships/", series="carrera-cup", year="2025")

    assert [row["slug"] for row in listed] == ["cup-2025"]


def test_kept_entry_lists_are_kept_apart_per_series(api, seasons):
    cup = {row["championship"] for row in rows(api, "/api/v1/entries/", series="carrera-cup")}
    sprint = {row["championship"] for row in rows(api, "/api/v1/entries/", series="sprint-trophy")}
    again = {row["championship"] for row in rows(api, "/api/v1/entries/", series="carrera-cup")}

    assert (cup, sprint, again) == ({"cup-2025", "cup-2026"}, {"sprint-2026"}, cup)


def test_the_schema_documents_the_series_filter_on_each_list(client):
    openapi = json.loads(client.get("/api/v1/schema/", {"format": "json"}).content)

    for url in SERIES_LISTS:
        parameters = openapi["paths"][url]["get"]["parameters"]
        assert "series" in {p["name"] for p in parameters if p["in"] == "query"}, url


# --- /api/v1/series/ --------------------------------------------------------------------------


def link(slug: str) -> dict:
    championship = Championship.objects.get(slug=slug)
    return {
        "slug": slug,
        "name": championship.name,
        "year": championship.year,
        "url": f"http://testserver/api/v1/championships/{slug}/",
    }


def test_the_series_come_in_their_position_with_their_current_and_featured_season(api, seasons):
    listed = rows(api, "/api/v1/series/")

    assert [(s["slug"], s["position"]) for s in listed] == [
        ("sprint-trophy", 1),
        ("carrera-cup", 2),
    ]
    sprint, cup = listed
    assert (cup["current_championship"], cup["featured_championship"]) == (
        link("cup-2026"),
        link("cup-2026"),
    )
    # The Sprint's 2027 season is a draft: never its current one, not even for staff.
    assert (sprint["current_championship"], sprint["featured_championship"]) == (
        link("sprint-2026"),
        None,
    )


def test_a_draft_is_never_a_series_current_season_for_staff_either(seasons):
    client = factories.token_client(factories.make_staff("boss", "championships.view_championship"))

    sprint = get(client, "/api/v1/series/sprint-trophy/").json()

    assert sprint["current_championship"] == link("sprint-2026")


def test_a_series_with_only_archived_seasons_has_its_latest_as_current(api, seasons):
    Championship.objects.filter(slug="cup-2026").update(status="archived", featured=False)

    cup = get(api, "/api/v1/series/carrera-cup/").json()

    assert (cup["current_championship"], cup["featured_championship"]) == (
        link("cup-2026"),
        None,
    )


def test_a_series_without_a_season_is_for_staff_only_and_has_neither(api, seasons):
    factories.make_series("Sprint Challenge")
    staff = APIClient()
    staff.force_authenticate(factories.make_staff("viewer", "championships.view_championship"))

    new = get(staff, "/api/v1/series/sprint-challenge/").json()

    assert (new["current_championship"], new["featured_championship"]) == (None, None)
    assert get(api, "/api/v1/series/sprint-challenge/").status_code == 404


def test_featuring_another_season_moves_the_featured_championship(api, seasons):
    season_feature(championship_id=seasons["sprint-2026"].pk)

    by_slug = {s["slug"]: s for s in rows(api, "/api/v1/series/")}

    assert by_slug["sprint-trophy"]["featured_championship"] == link("sprint-2026")
    assert by_slug["carrera-cup"]["featured_championship"] is None


def test_the_series_can_be_ordered_by_name(api, seasons):
    listed = rows(api, "/api/v1/series/", ordering="name")

    assert [s["slug"] for s in listed] == ["carrera-cup", "sprint-trophy"]


def many_series(count: int) -> None:
    for n in range(count):
        series = factories.make_series(f"Series {n}")
        for year, status in ((2025, "archived"), (2026, "published"), (2027, "draft")):
            factories.make_championship(f"s{n}-{year}", year=year, series=series, status=status)
    season_feature(championship_id=Championship.objects.get(slug="s0-2026").pk)


@pytest.mark.parametrize("count", [1, 3])
def test_the_series_list_costs_the_same_queries_for_one_series_and_three(
    api, django_assert_num_queries, count
):
    many_series(count)

    # Count and page (2), every series' current season (1), the featured season (1).
    with django_assert_num_queries(4):
        listed = rows(api, "/api/v1/series/")

    assert len(listed) == count
    assert all(s["current_championship"]["year"] == 2026 for s in listed)


@pytest.mark.parametrize("count", [1, 3])
def test_the_championship_list_costs_the_same_queries_with_drafts_around(
    api, django_assert_num_queries, count
):
    many_series(count)

    with django_assert_num_queries(3):  # count, page, the page's classes
        listed = rows(api, "/api/v1/championships/")

    assert len(listed) == 2 * count
    assert {row["status"] for row in listed} == {"published", "archived"}
    assert [row["featured"] for row in listed].count(True) == 1


def test_any_slug_a_series_may_have_is_filterable(api, seasons):
    series = Series.objects.create(name="Sprint Asia", slug="Sprint_Asia")
    factories.make_season_with_calendar("sprint-asia-2026", series)

    listed = rows(api, "/api/v1/races/", series="Sprint_Asia")

    assert seasons_of("/api/v1/races/", listed) == {"sprint-asia-2026"}
