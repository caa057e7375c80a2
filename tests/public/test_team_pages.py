"""The team page (/teams/<slug>/): its cars this season in each championship, its places in the
teams tables, earlier seasons; never a draft."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from championships.models import Championship, Race, Result, SeasonStatus, Series
from entries.models import Entry, Team
from tests import factories
from tests.factories import build_championship

pytestmark = pytest.mark.django_db

TEAM = "Harbour Racing"


def team_car(championship: Championship, car: int, name: str, **fields) -> Entry:
    """A car of the team in ``championship``, driven by ``name``, last in every race."""
    first, last = name.split()
    driver = factories.make_driver(first, last)
    entry = factories.make_entry(
        championship, car, driver=driver, team=factories.make_team(TEAM), **fields
    )
    for race in Race.objects.filter(meeting__championship=championship):
        factories.make_result(race, entry, Result.objects.filter(race=race).count() + 1)
    return entry


@pytest.fixture
def team(db) -> Team:
    """Harbour Racing: two cars in the 2026 Cup (one for the dealer trophy), one in the 2026
    Sprint, one in the 2025 Cup, one in a draft 2026 Trophy season."""
    cup = factories.make_series("Carrera Cup")
    sprint = factories.make_series("Sprint Challenge")
    Series.objects.filter(pk=sprint.pk).update(position=2)
    cup_2026 = build_championship(2, 2, year=2026, series=cup, name="Cup 2026")
    team_car(cup_2026, 50, "Kai Lindqvist", dealer_trophy=True)
    team_car(cup_2026, 51, "Mei Tan", class_code="PRO_AM", category="SILVER")
    team_car(build_championship(2, 1, year=2026, series=sprint, name="Sprint 2026"), 52, "Ana Ito")
    team_car(build_championship(2, 1, year=2025, series=cup, name="Cup 2025"), 53, "Old Hand")
    trophy = factories.make_series("Sprint Trophy")
    draft = build_championship(2, 1, year=2026, series=trophy, name="Trophy 2026")
    Championship.objects.filter(pk=draft.pk).update(status=SeasonStatus.DRAFT)
    team_car(draft, 54, "Secret Driver")
    return Team.objects.get(name=TEAM)


def test_the_team_page_lists_its_cars_this_season_in_each_championship(client, team):
    response = client.get("/teams/harbour-racing/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{TEAM}</h1>" in html
    this_season = html[html.index("This season") : html.index("Past seasons")]
    assert this_season.index("Cup 2026") < this_season.index("Sprint 2026")
    assert '<a href="/drivers/kai-lindqvist/">Kai Lindqvist</a>' in this_season
    assert '<th scope="row" class="num car-number">51</th>' in this_season
    assert "<td>PRO-AM</td>" in this_season
    cup, sprint = response.context["this_season"]
    assert [car.car_number for car in cup.cars] == [50, 51]
    assert [car.car_number for car in sprint.cars] == [52]


def test_the_team_page_gives_its_place_in_each_teams_table(client, team):
    context = client.get("/teams/harbour-racing/").context
    cup, sprint = context["this_season"]

    assert [p.choice.value for p in cup.places] == ["teams", "dealers"]
    assert [p.choice.value for p in sprint.places] == ["teams"]  # no dealer car there
    assert all(p.row.team == TEAM and p.row.position >= 1 for p in cup.places + sprint.places)
    html = client.get("/teams/harbour-racing/").content.decode()
    assert "/championships/" in html and "standings/?table=dealers" in html


def test_earlier_seasons_are_listed_and_drafts_never(client, staff_client, team):
    for visitor in (Client(), staff_client):
        response = visitor.get("/teams/harbour-racing/")
        html = response.content.decode()
        past = html[html.index("Past seasons") :]
        assert "Cup 2025" in past and "Old Hand" in past
        assert "Trophy 2026" not in html and "Secret Driver" not in html
    assert [s.championship.name for s in response.context["past"]] == ["Cup 2025"]


def test_an_unknown_team_is_a_404(client, db):
    assert client.get("/teams/nobody-racing/").status_code == 404


def test_the_team_page_is_in_chinese_too(client, team):
    response = client.get("/zh-hans/teams/harbour-racing/")

    assert response.status_code == 200
    assert response.context["team"].name == TEAM


def test_entry_lists_and_driver_pages_link_the_team(client, team):
    cup = Championship.objects.get(name="Cup 2026")
    entries = client.get(f"/championships/{cup.slug}/entries/")
    driver = client.get("/drivers/kai-lindqvist/")

    link = f'<a href="/teams/harbour-racing/">{TEAM}</a>'
    assert link in entries.content.decode()
    assert link in driver.content.decode()


def test_team_page_query_count_holds_with_one_or_three_championships(
    client, db, django_assert_num_queries
):
    team_car(build_championship(2, 1, year=2026, series=factories.make_series("A")), 50, "A B")
    with CaptureQueriesContext(connection) as one:
        client.get("/teams/harbour-racing/")
    # Team, its cars, every season of them at once (4), and the navigation's (base.html).
    assert len(one) <= 7
    team_car(build_championship(3, 2, year=2026, series=factories.make_series("B")), 50, "C D")
    team_car(build_championship(3, 2, year=2024, series=factories.make_series("C")), 50, "E F")
    cache.clear()
    with django_assert_num_queries(len(one)):
        response = client.get("/teams/harbour-racing/")
    assert len(response.context["this_season"]) == 2 and len(response.context["past"]) == 1
