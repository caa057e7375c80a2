"""The entry list page: the shared EntryFilter, its errors shown, its query budget."""

import pytest

from championships.services import standings_invalidate
from tests.factories import make_championship, make_driver, make_entry, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def grid():
    championship = make_championship("pcca-2024")
    harbour = make_team("Harbour Racing")
    make_entry(championship, 55, team=harbour, driver=make_driver("Kai", "Lindqvist"))
    make_entry(
        championship,
        5,
        team=harbour,
        rookie=True,
        driver=make_driver("Jun", "Takeda", category="SILVER"),
    )
    make_entry(
        championship,
        66,
        class_code="AM",
        arrive_and_drive=True,
        driver=make_driver("Ivan", "Petrov", category="BRONZE"),
    )
    return championship


def page(client, query: str = "", status: int = 200) -> str:
    response = client.get(f"/championships/pcca-2024/entries/{query}")
    assert response.status_code == status
    return response.content.decode()


def test_it_lists_every_entry_by_car_number_with_category_badges(client, grid):
    html = page(client)

    assert html.index("Jun Takeda") < html.index("Kai Lindqvist") < html.index("Ivan Petrov")
    assert '<span class="badge badge-silver">Silver</span>' in html
    assert "3 entries" in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("?entry_class=AM", "Ivan Petrov", "Kai Lindqvist"),
        ("?category=SILVER", "Jun Takeda", "Kai Lindqvist"),
        ("?team=harbour-racing", "Kai Lindqvist", "Ivan Petrov"),
        ("?rookie=true", "Jun Takeda", "Kai Lindqvist"),
        ("?arrive_and_drive=true", "Ivan Petrov", "Jun Takeda"),
    ],
)
def test_each_filter_narrows_the_list(client, grid, query, shown, hidden):
    html = page(client, query)

    assert shown in html and hidden not in html


def test_every_filter_control_has_a_label(client, grid):
    html = page(client)

    for name in ("entry_class", "category", "team", "rookie", "arrive_and_drive"):
        assert f'<label for="id_{name}">' in html


def test_a_bad_filter_value_is_shown_as_an_error_not_a_crash(client, grid):
    html = page(client, "?category=DIAMOND", status=400)

    assert 'id="id_category_error"' in html
    assert "DIAMOND is not one of the available choices" in html
    assert "3 entries" in html  # the bad filter is left out, the list still shows


def test_the_current_championships_list_is_at_entries(client, grid):
    assert "Kai Lindqvist" in client.get("/entries/").content.decode()


def test_entry_list_query_count_holds_with_more_entries(client, grid, django_assert_num_queries):
    # 1 the championship's version and 2 the series menu (the kept page's key); 3 the
    # championship, whole, for a page not yet kept; 4 its classes and 5 its teams for the
    # filter lists; 6 the entries.
    with django_assert_num_queries(6):
        client.get("/championships/pcca-2024/entries/?rookie=false")
    for number in range(100, 130):
        make_entry(grid, number)
    standings_invalidate(championship_id=grid.pk)  # as every write path does
    with django_assert_num_queries(6):
        client.get("/championships/pcca-2024/entries/?rookie=false")


def test_the_entry_list_answers_a_conditional_get_with_304(client, grid):
    first = client.get("/entries/")

    assert client.get("/entries/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_every_list_offers_an_all_choice_named_in_words(client, grid):
    html = page(client)

    for words in ("All classes", "All categories", "All teams", "Either"):
        assert f'<option value="" selected>{words}</option>' in html
    assert "---------" not in html
