"""Properties of every table, on generated seasons (hypothesis)."""

import dataclasses
import random
from collections.abc import Iterator
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from championships.standings.data import Season
from championships.standings.tables import DriverRow, Table, TeamRow
from tests.factories import seasons, table

TABLES = (("drivers", None), ("rookies", None), ("drivers", "A"), ("drivers", "B"))
TEAM_TABLES = ("teams", "dealers")


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
