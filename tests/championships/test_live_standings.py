"""The championship as it stands during a race: the same rules as the official tables, so
the live tables equal those of the same order uploaded as the classification; each row's
movement since before the race; the prizes the race would decide; the live state never
written into results."""

import datetime as dt
from decimal import Decimal

import pytest

from championships.live import as_it_stands, live_push
from championships.live_feed import parse_live_json
from championships.models import GridSlot, PointsFactor, Prize, Race, Result
from championships.results_import import results_import
from championships.services import standings_invalidate
from championships.standings.data import DRIVERS
from championships.standings.data import Penalty as Penalty_
from championships.standings.data import Race as Race_
from championships.standings.live import live_results, movements
from championships.standings.loader import season_load
from championships.standings.progress import row_key
from championships.standings.rules import final_classification
from championships.standings.tables import SeasonTables, Table, TeamRow
from entries.models import Entry
from tests.factories import make_penalty

pytestmark = pytest.mark.django_db


@pytest.fixture
def next_race(pcca) -> Race:
    """The season's next race (round 5's first, none held after round 4), its points halved."""
    races = Race.objects.filter(meeting__championship=pcca).with_held().filter(held=False)
    race = races.order_by("meeting__round", "number").first()
    assert not Result.objects.filter(race=race).exists()
    Race.objects.filter(pk=race.pk).update(points_factor=PointsFactor.HALF)
    standings_invalidate(championship_id=pcca.pk)
    return Race.objects.select_related("meeting__championship", "meeting__circuit").get(pk=race.pk)


def running_order(championship) -> list[dict]:
    """The guest leading, then every other car by number; the last two retired."""
    entries = list(Entry.objects.filter(championship=championship).order_by("-guest", "car_number"))
    assert entries[0].guest, "the example season has a guest"
    cars = []
    for index, entry in enumerate(entries):
        retired = index >= len(entries) - 2
        cars.append(
            {
                "position": index + 1,
                "number": entry.car_number,
                "laps": 9 if retired else 15,
                "gap": "" if index == 0 else f"+{index}.{index:03d}",
                "best_lap": f"1:58.{100 + index * 7:03d}",
                "status": "DNF" if retired else "RUNNING",
            }
        )
    return cars


def uploaded(cars: list[dict]) -> str:
    """The same order as the classification file race control uploads after the flag."""
    lines = ["POS,NO,LAPS,TIME,BEST_LAP"]
    for car in cars:
        classified = car["status"] == "RUNNING"
        seconds = car["position"] - 1
        time = f"30:{seconds:02d}.{seconds:03d}" if classified else ""
        position = car["position"] if classified else "DNF"
        lines.append(f"{position},{car['number']},{car['laps']},{time},{car['best_lap']}")
    return "\n".join(lines) + "\n"


def rows_of(table) -> list[tuple]:
    return [(row.position, row_key(row), row.points) for row in table.rows]


def test_live_tables_equal_the_tables_of_the_same_order_uploaded_as_the_classification(
    pcca, next_race
):
    cars = running_order(pcca)
    timing = live_push(subject=next_race, feed=parse_live_json({"cars": cars}))
    live = as_it_stands(next_race, timing.cars)

    results_import(race=next_race, source=uploaded(cars), dry_run=False)
    official = SeasonTables(season_load(pcca))

    assert len(live.tables) >= 3  # drivers, classes, teams…
    for view in live.tables:
        table = official.table(view.choice.table, view.choice.class_code)
        assert rows_of(view.table) == rows_of(table), view.choice.value


def test_with_a_published_grid_and_a_time_penalty_the_live_tables_still_equal_the_uploads(
    pcca, next_race
):
    cars = running_order(pcca)
    entries = {e.car_number: e for e in Entry.objects.filter(championship=pcca)}
    # The grid in reverse running order: pole is the car running last but two.
    for place, car in enumerate(reversed(cars), start=1):
        GridSlot.objects.create(
            race=next_race, entry=entries[car["number"]], position=place, qualified=place
        )
    penalised = entries[cars[2]["number"]]  # 5 s: it falls behind the cars within 5 s
    make_penalty(penalised, race=next_race, value=Decimal(5))
    standings_invalidate(championship_id=pcca.pk)
    timing = live_push(subject=next_race, feed=parse_live_json({"cars": cars}))
    live = as_it_stands(next_race, timing.cars)

    results_import(race=next_race, source=uploaded(cars), dry_run=False)
    official = SeasonTables(season_load(pcca))

    for view in live.tables:
        table = official.table(view.choice.table, view.choice.class_code)
        assert rows_of(view.table) == rows_of(table), view.choice.value
    drivers = next(view for view in live.tables if view.choice.value == DRIVERS)
    line = next(
        line
        for row in drivers.table.rows
        if row.entry.id == penalised.pk
        for line in row.races
        if line.score.race.id == next_race.pk
    )
    assert line.score.rank > 2  # behind where it ran: the decision applied live


def test_without_gaps_a_time_penalty_cannot_put_a_car_behind_those_without_a_time():
    cars = [
        {"position": k, "car_number": k, "laps": 5, "gap_ms": None, "gap_laps": 0,
         "status": "RUNNING"}
        for k in (1, 2, 3, 4)
    ]  # fmt: skip
    results = live_results(cars, {k: k for k in (1, 2, 3, 4)}, {})
    race = Race_(1, 1, 1, Decimal(1), results)
    penalty = Penalty_(2, "TIME", 1, 1, Decimal(5), "")

    final = final_classification(race, [penalty])

    assert [r.entry_id for r in final] == [1, 2, 3, 4]
    assert all(r.total_time is None for r in results)


def test_the_guest_leading_scores_nothing_and_the_first_eligible_takes_half_the_winners_points(
    pcca, next_race
):
    cars = running_order(pcca)
    timing = live_push(subject=next_race, feed=parse_live_json({"cars": cars}))

    live = as_it_stands(next_race, timing.cars)

    drivers = next(view for view in live.tables if view.choice.value == DRIVERS)
    guest = Entry.objects.get(championship=pcca, car_number=cars[0]["number"])
    second = Entry.objects.get(championship=pcca, car_number=cars[1]["number"])
    assert guest.pk not in {row.entry.id for row in drivers.table.rows}
    line = next(
        line
        for row in drivers.table.rows
        if row.entry.id == second.pk
        for line in row.races
        if line.score.race.id == next_race.pk
    )
    winner_points = Decimal(pcca.race_points[0])
    assert line.score.rank == 1
    assert line.score.points >= winner_points * Decimal("0.5")
    assert line.score.points < winner_points


def test_each_row_moves_by_the_places_it_gained_since_before_the_race(pcca, next_race):
    cars = running_order(pcca)
    timing = live_push(subject=next_race, feed=parse_live_json({"cars": cars}))
    before = SeasonTables(season_load(pcca)).table(DRIVERS)  # the race has no result yet

    live = as_it_stands(next_race, timing.cars)

    drivers = next(view for view in live.tables if view.choice.value == DRIVERS)
    was = {row_key(row): row.position for row in before.rows}
    for row in drivers.table.rows:
        assert drivers.moves[row_key(row)] == was[row_key(row)] - row.position
    assert any(move != 0 for move in drivers.moves.values())


def test_movements_name_a_row_new_to_the_table_as_none():
    before = Table("teams", None, None, (TeamRow(1, "A", Decimal(10), ()),))
    after = Table(
        "teams", None, None, (TeamRow(1, "B", Decimal(12), ()), TeamRow(2, "A", Decimal(10), ()))
    )

    assert movements(before, after) == {"B": None, "A": -1}


def test_a_running_car_is_classified_where_it_runs_and_a_retired_one_is_not():
    cars = [
        {"position": 1, "car_number": 7, "laps": 5, "gap_ms": None, "gap_laps": 0,
         "best_lap_ms": 118000, "status": "RUNNING"},
        {"position": 2, "car_number": 8, "laps": 5, "gap_ms": 900, "gap_laps": 0,
         "best_lap_ms": None, "status": "PIT"},
        {"position": 3, "car_number": 9, "laps": 3, "gap_ms": None, "gap_laps": 2,
         "best_lap_ms": None, "status": "DNF"},
        {"position": 4, "car_number": 10, "laps": 4, "gap_ms": None, "gap_laps": 1,
         "best_lap_ms": None, "status": "FINISHED"},
        {"position": 5, "car_number": 11, "laps": 5, "gap_ms": 2000, "gap_laps": 0,
         "best_lap_ms": None, "status": "RUNNING"},
    ]  # fmt: skip

    results = live_results(cars, {7: 1, 8: 2, 9: 3, 10: 4}, {8: 1})

    assert [(r.entry_id, r.position, r.status) for r in results] == [
        (1, 1, "CLASSIFIED"),
        (2, 2, "CLASSIFIED"),
        (3, None, "DNF"),
        (4, 3, "CLASSIFIED"),
    ]  # car 11 is no entry: no result
    assert results[0].total_time == dt.timedelta(0)
    assert results[1].total_time == dt.timedelta(milliseconds=900)
    assert results[3].total_time is None  # lapped: rule 1.3 orders it by laps
    assert (results[1].grid, results[0].grid) == (1, None)
    assert results[0].best_lap == dt.timedelta(seconds=118)


def test_the_prizes_of_the_round_show_who_would_take_them(pcca, next_race):
    round_ = next_race.meeting.round
    Prize.objects.create(
        championship=pcca, table="drivers", after_round=round_, position=1, award="Le Mans"
    )
    Prize.objects.create(
        championship=pcca, table="drivers", after_round=round_ - 1, position=1, award="Past"
    )
    cars = running_order(pcca)
    timing = live_push(subject=next_race, feed=parse_live_json({"cars": cars}))

    live = as_it_stands(next_race, timing.cars)

    [state] = live.prizes
    drivers = next(view for view in live.tables if view.choice.value == DRIVERS)
    assert state.prize.award == "Le Mans"
    assert [row.entry.id for row in state.holders] == [drivers.table.rows[0].entry.id]
    assert not state.decided and not state.won  # the round's other races are still to run
