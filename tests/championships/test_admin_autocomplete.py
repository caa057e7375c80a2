"""Issue 14.18: the entry autocomplete of results and penalties names each entry's championship
and offers only the entries of the championship being edited."""

import pytest
from django.urls import reverse

from tests.factories import (
    make_championship,
    make_driver,
    make_entry,
    make_meeting,
    make_race,
    make_result,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_seasons():
    """Ming Zhao in car 99 in two seasons."""
    driver = make_driver("Ming", "Zhao")
    seasons = [make_championship(f"pcca-{year}", year=year) for year in (2024, 2025)]
    entries = [make_entry(season, 99, driver=driver) for season in seasons]
    return seasons, entries


def search(client, url: str, **params) -> list[dict]:
    """What the widget asks: its address, plus the term and the field searched from."""
    query = {"term": "Zhao", "app_label": "championships", "model_name": "result"}
    return client.get(url, {**query, "field_name": "entry", **params}).json()["results"]


def test_the_autocomplete_names_the_championship_of_each_entry(staff_client, two_seasons):
    seasons, entries = two_seasons

    found = search(staff_client, reverse("admin:championships_result_entry_autocomplete"))

    labels = sorted(result["text"] for result in found)
    assert labels == sorted(f"{season} · #99 Ming Zhao" for season in seasons)
    assert len(set(labels)) == 2


def test_the_autocomplete_of_a_race_offers_only_its_championships_entries(
    staff_client, two_seasons
):
    seasons, entries = two_seasons
    race = make_race(make_meeting(seasons[1]))
    make_result(race, entries[1], position=1)

    page = staff_client.get(reverse("admin:championships_race_change", args=[race.pk]))
    url = reverse("admin:championships_result_entry_autocomplete")
    address = f"{url}?championship={seasons[1].pk}"

    assert f'data-ajax--url="{address}"' in page.content.decode()
    found = search(staff_client, url, championship=seasons[1].pk)
    assert [result["id"] for result in found] == [str(entries[1].pk)]


def test_a_results_page_labels_the_chosen_entry_with_its_championship(staff_client, two_seasons):
    seasons, entries = two_seasons
    result = make_result(make_race(make_meeting(seasons[0])), entries[0], position=1)

    page = staff_client.get(reverse("admin:championships_result_change", args=[result.pk]))

    text = page.content.decode()
    assert f"{seasons[0]} · #99 Ming Zhao" in text
    assert f"?championship={seasons[0].pk}" in text


def test_a_result_cannot_be_given_an_entry_of_another_championship(staff_client, two_seasons):
    seasons, entries = two_seasons
    result = make_result(make_race(make_meeting(seasons[0])), entries[0], position=1)
    form = {
        "race": result.race_id,
        "entry": entries[1].pk,
        "position": 1,
        "status": "CLASSIFIED",
        "laps": 15,
        "seen_version": 0,
    }

    refused = staff_client.post(
        reverse("admin:championships_result_change", args=[result.pk]), form
    )

    assert refused.status_code == 200
    assert "entry" in refused.context["adminform"].form.errors
