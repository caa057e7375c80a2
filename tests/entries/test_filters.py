import pytest

from entries.filters import EntryFilter
from entries.models import Entry
from tests.factories import make_championship, make_driver, make_entry, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def grid():
    championship = make_championship("pcca-2024")
    harbour = make_team("Harbour Racing")
    cars = {
        55: make_entry(championship, 55, team=harbour, driver=make_driver(category="GOLD")),
        5: make_entry(
            championship, 5, team=harbour, rookie=True, driver=make_driver(category="SILVER")
        ),
        66: make_entry(
            championship,
            66,
            class_code="AM",
            arrive_and_drive=True,
            driver=make_driver(category="BRONZE", nationality="HK"),
        ),
        911: make_entry(championship, 911, guest=True, driver=make_driver(category="PLATINUM")),
    }
    make_entry(make_championship("pcca-2023", year=2023), 55)
    return cars


def cars(params: dict) -> list[int]:
    result = EntryFilter(params, queryset=Entry.objects.order_by("car_number"))
    assert result.is_valid(), result.errors
    return [e.car_number for e in result.qs]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"championship": "pcca-2024"}, [5, 55, 66, 911]),
        ({"championship": "pcca-2024", "entry_class": "am"}, [66]),
        ({"championship": "pcca-2024", "category": "SILVER"}, [5]),
        ({"championship": "pcca-2024", "team": "harbour-racing"}, [5, 55]),
        ({"championship": "pcca-2024", "nationality": "hk"}, [66]),
        ({"championship": "pcca-2024", "rookie": "true"}, [5]),
        ({"championship": "pcca-2024", "guest": "true"}, [911]),
        ({"championship": "pcca-2024", "arrive_and_drive": "true"}, [66]),
    ],
)
def test_each_filter_narrows_the_entry_list(grid, params, expected):
    assert cars(params) == expected


def test_a_category_that_does_not_exist_is_an_error_naming_the_parameter(grid):
    result = EntryFilter({"category": "DIAMOND"}, queryset=Entry.objects.all())

    assert not result.is_valid()
    assert "category" in result.errors
