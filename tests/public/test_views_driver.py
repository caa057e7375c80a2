"""The driver page: this season's entry and results, places in each table, past seasons."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from championships.models import Championship, Race, Result, SeasonStatus, Series
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
    results = html.split('id="best-laps"')[0]  # the best laps by circuit link rounds too
    assert results.count('<a href="/championships/pcca-2024/rounds/') == 8  # every held race


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
    # 1 driver; 2 their entries; 3-6 every season of them at once; 7 this season's races;
    # 8-9 the best laps by circuit (races, sessions); and what the site's navigation reads
    # (base.html), the same on every page.
    with CaptureQueriesContext(connection) as one_season:
        client.get(f"/drivers/{driver.slug}/")
    assert 9 <= len(one_season) <= 10
    for year in range(2021, 2025):
        championship = build_championship(entries=8, rounds=3, year=year)
        factories.make_entry(championship, 50, driver=driver)
    cache.clear()
    with django_assert_num_queries(len(one_season)):
        client.get(f"/drivers/{driver.slug}/")
    assert Driver.objects.count() > 1


# Several series: concurrent championships, drafts -------------------------------------------


def raced(championship: Championship, driver: Driver, car: int, team: str = "Harbour Racing"):
    """``driver`` entered in ``championship`` as car ``car``, last in every race."""
    entry = factories.make_entry(championship, car, driver=driver, team=factories.make_team(team))
    for race in Race.objects.filter(meeting__championship=championship):
        last = Result.objects.filter(race=race).count() + 1
        factories.make_result(race, entry, last)
    return entry


@pytest.fixture
def two_series_driver(db) -> Driver:
    """Kai races the Cup and the Sprint in 2026, raced the Cup in 2025, and is entered in a
    draft 2026 Trophy season."""
    driver = factories.make_driver("Kai", "Lindqvist")
    cup = factories.make_series("Carrera Cup")
    sprint = factories.make_series("Sprint Challenge")
    Series.objects.filter(pk=sprint.pk).update(position=2)
    raced(build_championship(2, 1, year=2026, series=sprint, name="Sprint 2026"), driver, 7)
    raced(build_championship(2, 2, year=2026, series=cup, name="Cup 2026"), driver, 8)
    raced(build_championship(2, 1, year=2025, series=cup, name="Cup 2025"), driver, 9)
    trophy = factories.make_series("Sprint Trophy")
    draft = build_championship(2, 1, year=2026, series=trophy, name="Trophy 2026")
    Championship.objects.filter(pk=draft.pk).update(status=SeasonStatus.DRAFT)
    raced(draft, driver, 10)
    return driver


def test_a_driver_of_two_series_this_year_sees_both_as_this_season(client, two_series_driver):
    response = client.get(f"/drivers/{two_series_driver.slug}/")

    html = response.content.decode()
    this_season = html[html.index("This season") : html.index("Past seasons")]
    # In the series' order: the Cup (position 0), then the Sprint.
    assert this_season.index("Results in Cup 2026") < this_season.index("Results in Sprint 2026")
    assert this_season.count("Place in each table") == 2
    assert "#8 · PRO class" in this_season and "#7 · PRO class" in this_season
    assert [s.entry.championship.name for s in response.context["this_season"]] == [
        "Cup 2026",
        "Sprint 2026",
    ]
    past = html[html.index("Past seasons") :]
    assert "Cup 2025" in past and "Cup 2026" not in past and "Sprint 2026" not in past


def test_each_of_this_seasons_championships_has_its_own_results_and_places(
    client, two_series_driver
):
    context = client.get(f"/drivers/{two_series_driver.slug}/").context
    cup, sprint = context["this_season"]

    assert [r.race.meeting.round for r in cup.results] == [1, 1, 2, 2]
    assert [r.race.meeting.round for r in sprint.results] == [1, 1]
    assert {r.line.entry.car_number for r in cup.results + sprint.results} == {7, 8}
    cup_drivers = next(p for p in cup.places if p.choice.value == "drivers")
    assert cup_drivers.row.entry.car_number == 8
    sprint_teams = next(p for p in sprint.places if p.choice.value == "teams")
    assert sprint_teams.row.team == "Harbour Racing"


def test_a_draft_season_is_never_listed_on_the_driver_page(client, staff_client, two_series_driver):
    for visitor in (Client(), staff_client):
        html = visitor.get(f"/drivers/{two_series_driver.slug}/").content.decode()
        assert "Trophy 2026" not in html
        assert "#10" not in html


def test_the_driver_page_links_each_team(client, two_series_driver):
    html = client.get(f"/drivers/{two_series_driver.slug}/").content.decode()

    assert html.count('<a href="/teams/harbour-racing/">Harbour Racing</a>') == 3


def test_a_driver_with_no_public_season_has_a_page_without_seasons(client, db):
    driver = factories.make_driver("Ana", "Draft")
    draft = build_championship(2, 1, year=2026, status=SeasonStatus.DRAFT)
    raced(draft, driver, 5)

    response = client.get(f"/drivers/{driver.slug}/")

    assert response.status_code == 200
    assert response.context["this_season"] == [] and response.context["past"] == []
    assert "This season" not in response.content.decode()


def test_driver_page_query_count_holds_with_one_or_three_championships_this_year(
    client, db, django_assert_num_queries
):
    driver = factories.make_driver("Kai", "Lindqvist")
    raced(build_championship(2, 1, year=2026, series=factories.make_series("A")), driver, 50)
    with CaptureQueriesContext(connection) as one:
        client.get(f"/drivers/{driver.slug}/")
    for name in ("B", "C"):
        raced(build_championship(3, 2, year=2026, series=factories.make_series(name)), driver, 50)
    cache.clear()
    with django_assert_num_queries(len(one)):
        response = client.get(f"/drivers/{driver.slug}/")
    assert len(response.context["this_season"]) == 3


def test_the_driver_page_lists_the_best_lap_at_each_circuit(client, db):
    import datetime as dt

    from championships.models import Session, SessionKind
    from championships.weekend import session_import

    driver = factories.make_driver("Kai", "Lindqvist")
    championship = factories.make_championship(year=2024)
    sepang = factories.make_circuit("Sepang International Circuit")
    meeting = factories.make_meeting(championship, circuit=sepang)
    race = factories.make_race(meeting)
    entry = factories.make_entry(championship, 50, driver=driver)
    factories.make_result(race, entry, 1, best_lap=dt.timedelta(minutes=2, seconds=5.5))
    session = Session.objects.create(
        meeting=meeting,
        kind=SessionKind.QUALIFYING,
        starts_at=dt.datetime(2024, 4, 19, 3, 0, tzinfo=dt.UTC),
    )
    session_import(session=session, source="POS,NO,LAPS,BEST_LAP\n1,50,5,2:04.321\n", dry_run=False)

    page = client.get(f"/drivers/{driver.slug}/").content.decode()

    assert 'id="best-laps"' in page
    row = page[page.index("Sepang International Circuit", page.index('id="best-laps"')) :]
    assert "2:04.321" in row[:400] and "Qualifying 1" in row[:600]
    assert "2:05.500" not in page[page.index('id="best-laps"') :]
