"""The entry list is kept rendered until a championship's data changes (KeptListMixin)."""

import pytest

from championships.models import Championship
from championships.services import standings_invalidate
from tests import factories

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def numbers(response) -> list[int]:
    return [row["car_number"] for row in response.json()["results"]]


def test_a_new_entry_shows_at_once_once_its_championship_changed(api, pcca):
    url = "/api/v1/entries/?championship=pcca-2024&ordering=-car_number"
    before = api.get(url, **JSON)
    factories.make_entry(pcca, 998)

    assert numbers(api.get(url, **JSON)) == numbers(before)  # kept: nothing said it changed
    standings_invalidate(championship_id=pcca.pk)  # as every write path does
    assert numbers(api.get(url, **JSON))[0] == 998


def test_the_list_of_every_championship_changes_with_any_of_them(api, pcca):
    before = api.get("/api/v1/entries/?page_size=200", **JSON).json()["count"]
    other = factories.make_championship(year=2023)
    factories.make_entry(other, 1)
    standings_invalidate(championship_id=other.pk)

    assert api.get("/api/v1/entries/?page_size=200", **JSON).json()["count"] == before + 1


def test_deleting_a_championship_changes_the_list_of_every_championship(api, pcca):
    other = factories.make_championship(year=2023)
    factories.make_entry(other, 1)
    before = api.get("/api/v1/entries/", **JSON).json()["count"]
    other.entries.all().delete()
    Championship.objects.filter(pk=other.pk).delete()  # no one left to move tables_changed_at

    assert api.get("/api/v1/entries/", **JSON).json()["count"] == before - 1


def test_filters_pages_and_orderings_are_kept_apart(api, pcca):
    pro = api.get("/api/v1/entries/?championship=pcca-2024&entry_class=PRO", **JSON)
    am = api.get("/api/v1/entries/?championship=pcca-2024&entry_class=AM", **JSON)
    first = api.get("/api/v1/entries/?championship=pcca-2024&page_size=5", **JSON)
    second = api.get("/api/v1/entries/?championship=pcca-2024&page_size=5&page=2", **JSON)

    assert {row["entry_class"] for row in pro.json()["results"]} == {"PRO"}
    assert {row["entry_class"] for row in am.json()["results"]} == {"AM"}
    assert set(numbers(first)).isdisjoint(numbers(second))
    assert first.json()["next"].startswith("http://testserver/api/v1/entries/")


def test_bad_parameters_are_refused_every_time(api, pcca):
    for _ in range(2):
        response = api.get("/api/v1/entries/?championship=pcca-2024&rokie=true", **JSON)
        assert response.status_code == 400
        assert "rokie" in response.json()


def test_an_unknown_championship_is_never_kept(api, pcca, django_assert_num_queries):
    api.get("/api/v1/entries/?championship=no-such-cup", **JSON)

    # The data version finds no championship (1), so the list is counted again (1).
    with django_assert_num_queries(2):
        response = api.get("/api/v1/entries/?championship=no-such-cup", **JSON)
    assert response.json()["count"] == 0


def test_the_browsable_api_is_not_kept(api, pcca):
    response = api.get("/api/v1/entries/?championship=pcca-2024", HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
