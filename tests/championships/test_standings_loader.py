"""The loader: a championship into plain data, in a fixed number of queries."""

import datetime as dt
import random
from decimal import Decimal

import pytest

from championships.models import PenaltyKind, ResultStatus
from championships.standings.data import Scheme
from championships.standings.loader import QUERIES, season_load
from championships.standings.tables import SeasonTables
from tests import factories
from tests.factories import build_championship

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("entries", [5, 40])
def test_loader_queries_are_the_same_for_a_small_and_a_large_championship(
    django_assert_num_queries, entries
):
    championship = build_championship(entries=entries, rounds=3 if entries == 5 else 12)

    # Classes, entries, results with their races, penalties with their rounds.
    with django_assert_num_queries(4):
        season = season_load(championship)

    assert QUERIES == 4
    assert len(season.entries) == entries
    assert sum(len(race.results) for race in season.races) == entries * len(season.races)


def test_loader_reads_entries_races_results_and_penalties(championship):
    guest = factories.make_entry(
        championship, 911, driver=factories.make_driver("Cyril", "Dubois"), guest=True
    )
    rookie = factories.make_entry(
        championship,
        7,
        driver=factories.make_driver("Aiden", "Tan", category="SILVER"),
        team=factories.make_team("Lion City Motorsport"),
        class_code="PRO_AM",
        rookie=True,
        dealer_trophy=True,
    )
    meeting = factories.make_meeting(championship, 2)
    half = factories.make_race(meeting, 2, points_factor="0.5")
    factories.make_race(meeting, 3)  # not held: no results, so not loaded
    factories.make_result(
        half, rookie, 1, total_time=dt.timedelta(minutes=30), best_lap=dt.timedelta(seconds=118)
    )
    factories.make_result(half, guest, status=ResultStatus.DNS)
    factories.make_penalty(rookie, PenaltyKind.TIME, race=half, value=Decimal("5"))
    factories.make_penalty(rookie, PenaltyKind.POINTS, meeting=meeting, value=Decimal("2.5"))

    season = season_load(championship)

    assert season.slug == "pcca-test"
    # The factory leaves every class at sort_order 0, so the codes come alphabetically.
    assert season.class_codes == ("AM", "PRO", "PRO_AM")
    assert [(e.car_number, e.driver, e.team, e.class_code) for e in season.entries] == [
        (7, "Aiden Tan", "Lion City Motorsport", "PRO_AM"),
        (911, "Cyril Dubois", guest.team.name, "PRO"),
    ]
    assert (season.entries[0].rookie, season.entries[0].dealer_trophy) == (True, True)
    assert season.entries[1].guest
    (race,) = season.races
    assert (race.label, race.factor) == ("R2-2", Decimal("0.5"))
    assert [(r.entry_id, r.position, r.status) for r in race.results] == [
        (rookie.id, 1, "CLASSIFIED"),
        (guest.id, None, "DNS"),
    ]
    assert race.results[0].best_lap == dt.timedelta(seconds=118)
    assert [(p.kind, p.round, p.race_id, p.value) for p in season.penalties] == [
        ("TIME", 2, half.id, Decimal("5")),
        ("POINTS", 2, None, Decimal("2.5")),
    ]


def test_loader_schemes_fall_back_to_the_drivers_points_by_rank(db):
    championship = factories.make_championship(
        classes=False,
        race_points=[25, 12.5],
        pole_points=Decimal(1),
        fastest_lap_points=Decimal(1),
        rookies_fastest_lap_points=Decimal(1),
    )
    factories.make_class(championship, "PRO", ["GOLD"], pole_points=Decimal(2))
    factories.make_class(championship, "AM", ["BRONZE"], race_points=[3, 2, 1])

    schemes = season_load(championship).schemes

    by_rank = (Decimal(25), Decimal("12.5"))
    assert schemes["drivers"] == Scheme(by_rank, Decimal(1), Decimal(1))
    assert schemes["rookies"] == Scheme(by_rank, Decimal(0), Decimal(1))
    assert schemes["class-PRO"] == Scheme(by_rank, Decimal(2), Decimal(0))
    assert schemes["class-AM"].race == (Decimal(3), Decimal(2), Decimal(1))


def test_loader_reads_the_settings(db):
    championship = factories.make_championship(
        dropped_results=2,
        tie_break="none",
        positions="dense",
        team_cars_per_race=3,
        dealer_cars_per_race=2,
    )

    settings = season_load(championship).settings

    assert (settings.dropped_results, settings.tie_break, settings.positions) == (
        2,
        "none",
        "dense",
    )
    assert (settings.team_cars_per_race, settings.dealer_cars_per_race) == (3, 2)


def test_the_order_results_were_stored_in_changes_nothing(db):
    def build(shuffle: bool) -> SeasonTables:
        championship = factories.make_championship()
        cars = [
            factories.make_entry(championship, n, team=factories.make_team(f"T{n % 3}"))
            for n in range(1, 9)
        ]
        race = factories.make_race(factories.make_meeting(championship, 1))
        lines = list(enumerate(cars, start=1))
        if shuffle:
            random.Random(7).shuffle(lines)
        for position, car in lines:
            factories.make_result(race, car, position, grid=9 - position)
        return SeasonTables(season_load(championship))

    for name in ("drivers", "teams"):
        plain = [(r.position, r.points) for r in build(False).table(name).rows]
        shuffled = [(r.position, r.points) for r in build(True).table(name).rows]
        assert plain == shuffled
