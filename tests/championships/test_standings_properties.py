"""Properties of every table, on generated seasons (hypothesis)."""

import dataclasses
import random
from collections.abc import Iterator
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from championships.standings.data import CLASSIFIED, Entry, Race, Result, Season
from championships.standings.tables import DriverRow, Table, TeamRow
from tests.factories import penalty, scheme, season, seconds, table

STATUSES = ("DNF", "DNS", "DSQ", "NC")
TABLES = (("drivers", None), ("rookies", None), ("drivers", "A"), ("drivers", "B"))
TEAM_TABLES = ("teams", "dealers")


@st.composite
def entries(draw) -> tuple[Entry, ...]:
    count = draw(st.integers(2, 8))
    return tuple(
        Entry(
            id=car,
            car_number=car,
            driver=f"Driver {car}",
            team=draw(st.sampled_from(("Alpha", "Beta", "Gamma"))),
            class_code=draw(st.sampled_from("AB")),
            rookie=draw(st.booleans()),
            guest=draw(st.integers(0, 5)) == 0,
            dealer_trophy=draw(st.booleans()),
        )
        for car in range(1, count + 1)
    )


@st.composite
def race_results(draw, cars: list[int]) -> tuple[Result, ...]:
    starters = draw(st.permutations(cars))[: draw(st.integers(0, len(cars)))]
    classified = draw(st.integers(0, len(starters)))
    grids = draw(st.permutations(range(1, len(starters) + 1)))
    results = []
    for index, car in enumerate(starters):
        on_time = index < classified
        results.append(
            Result(
                entry_id=car,
                position=index + 1 if on_time else None,
                status=CLASSIFIED if on_time else draw(st.sampled_from(STATUSES)),
                laps=20,
                total_time=seconds(1800 + 2 * index) if on_time else None,
                best_lap=seconds(draw(st.sampled_from(("90", "90.5", "91")))),
                grid=grids[index] if draw(st.integers(0, 6)) else None,
            )
        )
    return tuple(results)


@st.composite
def seasons(draw) -> Season:
    cast = draw(entries())
    cars = [entry.car_number for entry in cast]
    races = tuple(
        Race(round_ * 10 + number, round_, number, draw(st.sampled_from(FACTORS)), results)
        for round_ in range(1, draw(st.integers(1, 4)) + 1)
        for number in range(1, draw(st.integers(1, 2)) + 1)
        for results in [draw(race_results(cars))]
    )
    return season(
        *races,
        entries=cast,
        penalties=draw(penalties(races, cars)),
        schemes=draw(schemes()),
        dropped_results=draw(st.integers(0, 2)),
        tie_break=draw(st.sampled_from(("countback", "none"))),
        positions=draw(st.sampled_from(("standard", "dense"))),
        team_cars_per_race=draw(st.integers(1, 3)),
        dealer_cars_per_race=draw(st.integers(1, 2)),
    )


FACTORS = (Decimal(1), Decimal(1), Decimal("0.5"), Decimal(0))


@st.composite
def penalties(draw, races: tuple[Race, ...], cars: list[int]) -> tuple:
    decisions = []
    for _ in range(draw(st.integers(0, 4))):
        race_ = draw(st.sampled_from(races))
        car = draw(st.sampled_from(cars))
        kind = draw(st.sampled_from(("TIME", "DSQ", "POINTS")))
        value = draw(st.sampled_from((1, "2.5", 10))) if kind != "DSQ" else None
        decisions.append(
            penalty(car, kind, None if kind == "POINTS" else race_, round=race_.round, value=value)
        )
    return tuple(decisions)


@st.composite
def schemes(draw) -> dict:
    points = st.lists(st.sampled_from((10, 6, 4, "2.5", 1, 0)), min_size=1, max_size=5)
    bonus = st.sampled_from((0, 1, 2))
    return {
        key: scheme(
            *sorted(draw(points), key=Decimal, reverse=True),
            pole=draw(bonus),
            fastest_lap=draw(bonus),
        )
        for key in ("drivers", "rookies", "class-A", "class-B")
    }


def every_table(data: Season, after: int | None = None) -> Iterator[Table]:
    for name, code in TABLES:
        yield table(data, name, code, after)
    for name in TEAM_TABLES:
        yield table(data, name, None, after)


@settings(max_examples=150, deadline=None)
@given(seasons())
def test_a_total_is_the_sum_of_kept_race_scores_minus_deductions(data):
    for name, code in TABLES:
        for row in table(data, name, code).rows:
            kept = sum((line.score.points for line in row.races if not line.dropped), Decimal(0))
            deducted = sum((p.value for p in row.deductions), Decimal(0))
            assert row.points == kept - deducted
            assert len(row.dropped) <= data.settings.dropped_results
            assert not any(line.score.disqualified for line in row.dropped)


@settings(max_examples=150, deadline=None)
@given(seasons())
def test_positions_never_decrease_and_points_never_increase_down_a_table(data):
    for result in every_table(data):
        rows = result.rows
        assert [row.position for row in rows[:1]] in ([], [1])
        for above, below in zip(rows, rows[1:], strict=False):
            assert above.position <= below.position
            assert above.points >= below.points


@settings(max_examples=150, deadline=None)
@given(seasons())
def test_guests_never_appear_and_never_score_for_a_team(data):
    guests = {entry.id for entry in data.entries if entry.guest}
    for result in every_table(data):
        for row in result.rows:
            if hasattr(row, "entry"):
                assert row.entry.id not in guests
            else:
                assert not {car.entry.id for race in row.races for car in race.cars} & guests


@settings(max_examples=150, deadline=None)
@given(seasons())
def test_after_the_last_round_is_the_final_table(data):
    last = max(race.round for race in data.races)
    for final, after in zip(every_table(data), every_table(data, last), strict=True):
        assert final.rows == after.rows


@settings(max_examples=150, deadline=None)
@given(seasons(), st.randoms(use_true_random=False))
def test_the_order_entries_and_results_are_stored_in_changes_nothing(data, rnd: random.Random):
    def shuffled(items: tuple) -> tuple:
        items = list(items)
        rnd.shuffle(items)
        return tuple(items)

    races = tuple(dataclasses.replace(race, results=shuffled(race.results)) for race in data.races)
    mixed = dataclasses.replace(data, entries=shuffled(data.entries), races=races)
    for plain, other in zip(every_table(data), every_table(mixed), strict=True):
        assert [_summary(row) for row in plain.rows] == [_summary(row) for row in other.rows]


@settings(max_examples=150, deadline=None)
@given(seasons())
def test_a_team_scores_no_more_than_its_members_in_the_drivers_table(data):
    members = {row.entry.id: row for row in table(data, "drivers").rows}
    for name in TEAM_TABLES:
        for row in table(data, name).rows:
            team_cars = [e.id for e in data.entries if e.team == row.team and e.id in members]
            undropped = sum(
                (line.score.points for car in team_cars for line in members[car].races),
                Decimal(0),
            )
            assert row.points <= undropped


def _summary(row: DriverRow | TeamRow) -> tuple:
    ident = row.entry.car_number if hasattr(row, "entry") else row.team
    return (row.position, ident, row.points, row.ties)
