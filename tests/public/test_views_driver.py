"""The driver page: this season's entry and results, places in each table, past seasons."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from entries.models import Driver
from tests import factories
from tests.factories import build_championship

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def test_it_shows_nationality_category_team_and_this_seasons_results(client, demo):
    html = client.get("/drivers/kai-lindqvist/").content.decode()

    assert "<h1>Kai Lindqvist</h1>" in html
    assert "<dd>SE</dd>" in html
    assert '<span class="badge badge-gold">Gold</span>' in html
    assert "Harbour Racing" in html
    assert "Results in Porsche Carrera Cup Asia 2024" in html
    assert html.count("Round 1, race 1</a>") == 1
    assert html.count('<a href="/championships/pcca-2024/rounds/') == 8  # every held race


def test_it_gives_the_place_in_each_table_of_the_entry(client, demo):
    html = client.get("/drivers/kai-lindqvist/").content.decode()

    places = html[html.index("Place in each table") : html.index("Results in")]
    for table in ("Drivers", "PRO class", "Teams", "Dealer trophy"):
        assert f">{table}</a>" in places
    assert ">Rookies</a>" not in places


def test_it_lists_past_seasons_with_their_places(client, demo):
    html = client.get("/drivers/kai-lindqvist/").content.decode()

    past = html[html.index("Past seasons") :]
    assert "Porsche Carrera Cup Asia 2023" in past
    assert "Drivers: P" in past


def test_an_unknown_driver_is_a_404(client, db):
    assert client.get("/drivers/nobody-1999/").status_code == 404


def test_driver_page_query_count_holds_with_more_seasons(client, db, django_assert_num_queries):
    driver = factories.make_driver("Kai", "Lindqvist")
    first = build_championship(entries=2, rounds=1, year=2020)
    factories.make_entry(first, 50, driver=driver)
    # 1 driver; 2 their entries; 3-6 every season of them at once; 7 this season's races.
    with django_assert_num_queries(7):
        client.get(f"/drivers/{driver.slug}/")
    for year in range(2021, 2025):
        championship = build_championship(entries=8, rounds=3, year=year)
        factories.make_entry(championship, 50, driver=driver)
    cache.clear()
    with django_assert_num_queries(7):
        client.get(f"/drivers/{driver.slug}/")
    assert Driver.objects.count() > 1
