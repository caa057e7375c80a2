"""Every list filter and search of the driver, team and entry admins picks the right rows."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse

from tests.factories import make_championship, make_class, make_driver, make_entry, make_team


@pytest.fixture
def cars(db):
    """Two seasons' cars that differ in everything the filters look at; ``b`` is to be found."""
    a = make_championship(year=2023)
    b = make_championship(year=2024, classes=False)
    make_class(b, "GT3_AM", ["BRONZE"])
    zhang = make_driver("Wei", "Zhang", nationality="CN", category="BRONZE")
    return SimpleNamespace(
        championship_b=b,
        zhang=zhang,
        a=make_entry(
            a, car_number=55, driver=make_driver("Kai", "Lindqvist"), team=make_team("Alpha")
        ),
        b=make_entry(
            b,
            car_number=155,
            driver=zhang,
            team=make_team("Bravo Racing"),
            class_code="GT3_AM",
            rookie=True,
            guest=True,
            arrive_and_drive=True,
            dealer_trophy=True,
        ),
    )


def listed(client, model_name: str, params: dict) -> list:
    response = client.get(reverse(f"admin:entries_{model_name}_changelist"), params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


ENTRY_FILTERS = [
    lambda cars: {"championship__id__exact": cars.championship_b.pk},
    lambda cars: {"entry_class__code": "GT3_AM"},
    lambda cars: {"category__exact": "BRONZE"},
    lambda cars: {"rookie__exact": "1"},
    lambda cars: {"guest__exact": "1"},
    lambda cars: {"arrive_and_drive__exact": "1"},
    lambda cars: {"dealer_trophy__exact": "1"},
]


@pytest.mark.parametrize(
    "params",
    ENTRY_FILTERS,
    ids=[
        "championship",
        "class",
        "category",
        "rookie",
        "guest",
        "arrive_and_drive",
        "dealer_trophy",
    ],
)
def test_entry_list_filter_keeps_only_the_matching_cars(params, cars, staff_client):
    assert listed(staff_client, "entry", params(cars)) == [cars.b]


@pytest.mark.parametrize("params", [{"category__exact": "BRONZE"}, {"nationality": "CN"}])
def test_driver_list_filter_keeps_only_the_matching_drivers(params, cars, staff_client):
    assert listed(staff_client, "driver", params) == [cars.zhang]


@pytest.mark.parametrize("term", ["Zhang", "wei", "Wei Zhang"])
def test_entry_search_finds_cars_by_driver_name(term, cars, staff_client):
    assert listed(staff_client, "entry", {"q": term}) == [cars.b]


@pytest.mark.parametrize("term", ["55", "#55"])
def test_entry_search_finds_a_car_by_its_exact_number(term, cars, staff_client):
    # Car 155 must not match "55".
    assert listed(staff_client, "entry", {"q": term}) == [cars.a]


def test_entry_search_ignores_numbers_no_car_can_have(cars, staff_client):
    assert listed(staff_client, "entry", {"q": "12345678901234567890"}) == []


def test_driver_search_finds_a_driver_by_last_name(cars, staff_client):
    assert listed(staff_client, "driver", {"q": "zhang"}) == [cars.zhang]


def test_team_search_finds_a_team_by_name(cars, staff_client):
    assert listed(staff_client, "team", {"q": "bravo"}) == [cars.b.team]


def test_entry_autocomplete_for_results_finds_a_car_by_number(cars, staff_client):
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "championships", "model_name": "result", "field_name": "entry", "term": "55"},
    )

    assert [r["text"] for r in response.json()["results"]] == [str(cars.a)]


def test_driver_autocomplete_for_entries_finds_a_driver_by_name(cars, staff_client):
    make_driver("Wei", "Wang", date_of_birth=dt.date(1999, 5, 1))

    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "entries", "model_name": "entry", "field_name": "driver", "term": "zhang"},
    )

    assert [r["text"] for r in response.json()["results"]] == ["Wei Zhang"]
