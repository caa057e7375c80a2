"""Progression by round and title maths: pure functions over standings tables, no database."""

from decimal import Decimal

from championships.standings.data import (
    DRIVERS,
    TEAMS,
    Entry,
    Race,
    Result,
    Scheme,
    Season,
    Settings,
)
from championships.standings.progress import (
    RaceLeft,
    kept_total,
    progression,
    race_maximum,
    races_left,
    scheme_for,
    title_maths,
)
from championships.standings.tables import SeasonTables

D = Decimal
SCHEME = Scheme(race=(D(25), D(20), D(17)), pole=D(1), fastest_lap=D(1))


def season(*orders: tuple[int, ...], dropped: int = 0, classes: tuple[str, ...] = ()) -> Season:
    """Cars 1, 2, 3 (teams A, A, B); each race finishes in the order given, one a round.

    The grid is the finishing order, so the winner also takes the pole point (no lap times).
    """
    entries = (
        Entry(1, 1, "One", "A", "PRO"),
        Entry(2, 2, "Two", "A", "PRO"),
        Entry(3, 3, "Three", "B", "AM"),
    )
    races = tuple(
        Race(n, n, 1, D(1), tuple(Result(car, p, grid=p) for p, car in enumerate(order, 1)))
        for n, order in enumerate(orders, start=1)
    )
    schemes = {DRIVERS: SCHEME, "rookies": SCHEME, "class-PRO": SCHEME, "class-AM": SCHEME}
    return Season("s", races, entries, (), schemes, Settings(dropped_results=dropped), classes)


def test_progression_gives_each_leader_its_points_after_every_round():
    tables = SeasonTables(season((1, 2, 3), (2, 1, 3)))

    lines = progression(tables.table(), {1: tables.table(after_round=1), 2: tables.table()})

    assert lines.rounds == (1, 2)
    by_car = {row.entry.car_number: points for row, points in lines.lines}
    assert by_car == {1: (D(26), D(46)), 2: (D(20), D(46)), 3: (D(17), D(34))}


def test_a_row_without_a_result_yet_stood_on_zero_points():
    tables = SeasonTables(season((1, 2), (3, 1, 2)))

    lines = progression(tables.table(), {1: tables.table(after_round=1), 2: tables.table()})

    car_3 = next(points for row, points in lines.lines if row.entry.car_number == 3)
    assert car_3 == (D(0), D(26))


def test_progression_shows_only_the_leading_rows():
    tables = SeasonTables(season((1, 2, 3)))

    lines = progression(tables.table(), {1: tables.table()}, leaders=2)

    assert [row.entry.car_number for row, _ in lines.lines] == [1, 2]


def test_a_race_is_worth_the_winners_points_times_its_factor_plus_both_bonuses():
    assert race_maximum(SCHEME, D(1)) == D(27)
    assert race_maximum(SCHEME, D("0.5")) == D("14.5")
    assert race_maximum(SCHEME, D(1), cars=2) == D(47)


def test_races_left_are_unheld_races_and_those_after_the_round_asked_for():
    races = [(1, D(1), True), (2, D(1), True), (3, D("0.5"), False), (3, D(0), False)]

    assert races_left(races, None) == (RaceLeft(3, D("0.5")),)
    assert races_left(races, 1) == (RaceLeft(2, D(1)), RaceLeft(3, D("0.5")))


def test_a_row_that_can_still_draw_level_can_still_win():
    tables = SeasonTables(season((1, 2, 3)))

    maths = title_maths(tables.table(), [RaceLeft(2, D(1))], SCHEME, cars=1, dropped=0)

    assert maths.points_available == D(27)
    assert [c.row.entry.car_number for c in maths.contenders] == [1, 2, 3]
    assert not maths.decided


def test_a_row_that_cannot_reach_the_leaders_points_is_out():
    tables = SeasonTables(season((1, 2, 3), (1, 2, 3)))

    maths = title_maths(tables.table(), [RaceLeft(3, D(1))], SCHEME, cars=1, dropped=0)

    # Car 1 has 52, car 3 has 34 and at most 61, so car 3 can still win.
    chances = {c.row.entry.car_number: c for c in maths.chances}
    assert chances[3].most == D(61) and chances[3].can_win
    assert chances[1].least == D(52)
    one_more_round = title_maths(tables.table(), [], SCHEME, cars=1, dropped=0)
    assert one_more_round.decided


def test_with_no_race_left_only_the_leader_can_win():
    tables = SeasonTables(season((2, 1, 3)))

    maths = title_maths(tables.table(), [], SCHEME, cars=1, dropped=0)

    assert maths.races_left == 0
    assert [c.row.entry.car_number for c in maths.contenders] == [2]


def test_equal_points_at_the_end_leave_both_in_for_countback():
    tables = SeasonTables(season((1, 2), (2, 1)))

    maths = title_maths(tables.table(), [], SCHEME, cars=1, dropped=0)

    assert sorted(c.row.entry.car_number for c in maths.contenders) == [1, 2]


def test_dropped_results_count_in_the_most_and_least_a_row_can_reach():
    # Rule 3.2: the lowest score goes; a zero in a race left is dropped before a real score.
    assert kept_total([(D(25), False), (D(10), False), (D(0), False)], drops=1) == D(35)
    assert kept_total([(D(25), False), (D(0), True)], drops=1) == D(0)
    tables = SeasonTables(season((1, 2, 3), dropped=1))

    maths = title_maths(tables.table(), [RaceLeft(2, D(1))], SCHEME, cars=1, dropped=1)

    car_3 = next(c for c in maths.chances if c.row.entry.car_number == 3)
    assert (car_3.most, car_3.least) == (D(27), D(17))


def test_a_teams_table_counts_its_scoring_cars_and_drops_nothing():
    data = season((1, 2, 3))
    tables = SeasonTables(data)
    scheme, cars = scheme_for(data, TEAMS, None)

    maths = title_maths(tables.table(TEAMS), [RaceLeft(2, D(1))], scheme, cars, dropped=1)

    team_a = next(c for c in maths.chances if c.row.team == "A")
    assert cars == 2
    assert (team_a.least, team_a.most) == (D(46), D(46) + D(47))


def test_a_row_too_far_behind_is_out_with_races_left():
    tables = SeasonTables(season((1, 2, 3), (1, 2, 3), (1, 2, 3)))

    maths = title_maths(tables.table(), [RaceLeft(4, D(1))], SCHEME, cars=1, dropped=0)

    # Car 1 is sure of 78; car 3 has 51 and can reach 78: level, so still in on countback.
    assert [c.row.entry.car_number for c in maths.contenders] == [1, 2, 3]
    # A half-points race is worth 14.5 at most: car 2 (60) can no longer reach 78.
    half = title_maths(tables.table(), [RaceLeft(4, D("0.5"))], SCHEME, cars=1, dropped=0)
    assert [c.row.entry.car_number for c in half.contenders] == [1]
    assert half.decided
