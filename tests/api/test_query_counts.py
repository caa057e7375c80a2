"""Every list endpoint runs the same number of queries for one row as for many."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

# (list, queries): each list counts its rows (1) and reads a page (1); some prefetch (1).
BUDGETS = [
    ("/api/v1/series/", 4),  # + every series' current season (1) and the featured one (1)
    ("/api/v1/championships/", 3),  # + the classes of the page's championships
    ("/api/v1/meetings/", 3),  # + the races of the page's meetings
    ("/api/v1/races/", 2),  # meeting, circuit and championship joined; held as EXISTS
    # + the championships' data version (kept lists); driver, team, class, championship joined
    ("/api/v1/entries/", 3),
    ("/api/v1/drivers/", 2),
    ("/api/v1/teams/", 2),
    ("/api/v1/circuits/", 2),
    ("/api/v1/penalties/", 2),  # meeting, championship, race, entry and driver joined
]


def seasons(count: int) -> None:
    """``count`` championships, each with a meeting, two races, two entries and a penalty."""
    for n in range(count):
        series = factories.make_series(f"Series {n}")
        championship = factories.make_championship(year=2000 + n, series=series)
        meeting = factories.make_meeting(
            championship, circuit=factories.make_circuit(f"Circuit {n}")
        )
        races = [factories.make_race(meeting, number) for number in (1, 2)]
        entries = [factories.make_entry(championship, car) for car in (7, 55)]
        for race in races:
            for position, entry in enumerate(entries, start=1):
                factories.make_result(race, entry, position)
        factories.make_penalty(entries[0], race=races[0])


@pytest.mark.parametrize(("url", "queries"), BUDGETS)
@pytest.mark.parametrize("count", [1, 6])
def test_a_list_costs_the_same_queries_for_one_row_and_many(
    api, django_assert_num_queries, url, queries, count
):
    seasons(count)

    with django_assert_num_queries(queries):
        response = api.get(url, HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert response.json()["count"] >= count


def test_a_race_costs_the_same_queries_with_few_results_and_many(api, django_assert_num_queries):
    seasons(1)
    race = factories.Race.objects.first()

    # The race and its joins (1); then the season of the standings, once: classes, entries,
    # results, penalties (4); the championship's cached season serves later requests.
    with django_assert_num_queries(5):
        api.get(f"/api/v1/races/{race.pk}/", HTTP_ACCEPT="application/json")
    with django_assert_num_queries(1):
        api.get(f"/api/v1/races/{race.pk}/", HTTP_ACCEPT="application/json")


@pytest.mark.parametrize("count", [1, 6])
def test_a_kept_entry_list_costs_one_query(api, django_assert_num_queries, count):
    seasons(count)
    url = f"/api/v1/entries/?championship={factories.Championship.objects.get(year=2000).slug}"
    first = api.get(url, HTTP_ACCEPT="application/json")

    # The championship's data version only: the list itself is kept rendered.
    with django_assert_num_queries(1):
        kept = api.get(url, HTTP_ACCEPT="application/json")

    assert kept.content == first.content
    assert kept.json()["count"] == 2
