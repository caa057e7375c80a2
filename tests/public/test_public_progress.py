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
    Drops,
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


def season(
    *orders: tuple[int, ...],
    dropped: int = 0,
    classes: tuple[str, ...] = (),
    scoring: int | None = None,
) -> Season:
    """Cars 1, 2, 3 (teams A, A, B); each race finishes in the order given, one a round.

    The grid is the finishing order, so the winner also takes the pole point (no lap times).
    ``scoring`` is rule 3.2's S, the calendar's scoring races held or not.
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
    settings = Settings(dropped_results=dropped)
    return Season("s", races, entries, (), schemes, settings, classes, scoring_races=scoring)


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

    maths = title_maths(tables.table(), [RaceLeft(2, D(1))], SCHEME, cars=1)

    assert maths.points_available == D(27)
    assert [c.row.entry.car_number for c in maths.contenders] == [1, 2, 3]
    assert not maths.decided


def test_a_row_that_cannot_reach_the_leaders_points_is_out():
    tables = SeasonTables(season((1, 2, 3), (1, 2, 3)))

    maths = title_maths(tables.table(), [RaceLeft(3, D(1))], SCHEME, cars=1)

    # Car 1 has 52, car 3 has 34 and at most 61, so car 3 can still win.
    chances = {c.row.entry.car_number: c for c in maths.chances}
    assert chances[3].most == D(61) and chances[3].can_win
    assert chances[1].least == D(52)
    one_more_round = title_maths(tables.table(), [], SCHEME, cars=1)
    assert one_more_round.decided


def test_with_no_race_left_only_the_leader_can_win():
    tables = SeasonTables(season((2, 1, 3)))

    maths = title_maths(tables.table(), [], SCHEME, cars=1)

    assert maths.races_left == 0
    assert [c.row.entry.car_number for c in maths.contenders] == [2]


def test_equal_points_at_the_end_leave_both_in_for_countback():
    tables = SeasonTables(season((1, 2), (2, 1)))

    maths = title_maths(tables.table(), [], SCHEME, cars=1)

    assert sorted(c.row.entry.car_number for c in maths.contenders) == [1, 2]


def test_dropped_results_count_in_the_most_and_least_a_row_can_reach():
    # Rule 3.2: the best S - N count; a zero in a race left is dropped before a real score.
    assert kept_total([(D(25), False), (D(10), False), (D(0), False)], Drops(kept=2)) == D(35)
    assert kept_total([(D(25), False), (D(0), True)], Drops(kept=1)) == D(0)
    tables = SeasonTables(season((1, 2, 3), dropped=1, scoring=2))

    maths = title_maths(tables.table(), [RaceLeft(2, D(1))], SCHEME, cars=1)

    car_3 = next(c for c in maths.chances if c.row.entry.car_number == 3)
    assert (car_3.most, car_3.least) == (D(27), D(17))


def test_title_maths_lets_races_left_replace_the_scores_that_would_be_dropped():
    # S = 4, N = 2: the best 2 count. Car 2 has 20 and 26 (a win with pole) after two rounds:
    # it keeps both, and two more wins (26 each) would replace both.
    tables = SeasonTables(season((1, 2, 3), (2, 1, 3), dropped=2, scoring=4))
    left = [RaceLeft(3, D(1)), RaceLeft(4, D(1))]

    maths = title_maths(tables.table(), left, SCHEME, cars=1)

    car_2 = next(c for c in maths.chances if c.row.entry.car_number == 2)
    assert car_2.row.points == D(46) and not car_2.row.dropped
    assert (car_2.most, car_2.least) == (D(54), D(46))


def test_title_maths_keeps_a_disqualification_unless_the_setting_drops_it():
    # The best 1 of 3 count; a DSQ (0) cannot go, so both other scores go instead.
    scores = [(D(25), False), (D(0), True), (D(10), False)]

    assert kept_total(scores, Drops(kept=1)) == D(0)
    assert kept_total(scores, Drops(kept=1, disqualified=True)) == D(25)


def test_a_teams_table_counts_its_scoring_cars_and_drops_nothing():
    data = season((1, 2, 3))
    tables = SeasonTables(data)
    scheme, cars = scheme_for(data, TEAMS, None)

    maths = title_maths(tables.table(TEAMS), [RaceLeft(2, D(1))], scheme, cars)

    team_a = next(c for c in maths.chances if c.row.team == "A")
    assert cars == 2
    assert (team_a.least, team_a.most) == (D(46), D(46) + D(47))


def test_a_row_too_far_behind_is_out_with_races_left():
    tables = SeasonTables(season((1, 2, 3), (1, 2, 3), (1, 2, 3)))

    maths = title_maths(tables.table(), [RaceLeft(4, D(1))], SCHEME, cars=1)

    # Car 1 is sure of 78; car 3 has 51 and can reach 78: level, so still in on countback.
    assert [c.row.entry.car_number for c in maths.contenders] == [1, 2, 3]
    # A half-points race is worth 14.5 at most: car 2 (60) can no longer reach 78.
    half = title_maths(tables.table(), [RaceLeft(4, D("0.5"))], SCHEME, cars=1)
    assert [c.row.entry.car_number for c in half.contenders] == [1]
    assert half.decided
