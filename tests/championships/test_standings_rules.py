"""One test per rule of STANDINGS_RULES.md, on plain data: no database.

Points by rank are 10-6-4-3-2-1 (``POINTS``) unless a test sets its own scheme.
"""

from decimal import Decimal

from championships.standings import rules
from championships.standings.data import DSQ
from tests.factories import (
    entry,
    finish,
    order,
    penalty,
    race,
    result,
    scheme,
    season,
    table,
    totals,
)

# Words --------------------------------------------------------------------------------------


def test_in_scope_means_held_with_a_factor_and_not_after_the_round():
    held = finish(1, 1, 2)
    not_held = race(2)
    invitational = finish(3, 1, 2, factor="0")
    later = finish(4, 1, 2)
    races = (held, not_held, invitational, later)

    assert rules.races_in_scope(races, after_round=None) == (held, later)
    assert rules.races_in_scope(races, after_round=3) == (held,)


def test_a_factor_zero_race_counts_for_nothing():
    # Car 3 only took part in the invitational race: no points, no countback, no row.
    counted = finish(1, 1, 2)
    invitational = finish(2, 2, 1, 3, factor="0")

    result_ = table(season(counted, invitational))

    assert [row.entry.car_number for row in result_.rows] == [1, 2]
    assert [line.score.race for line in result_.rows[0].races] == [counted]


def test_guests_never_appear_in_any_table():
    entries = (entry(1, team="A"), entry(2, team="A", guest=True, rookie=True, dealer_trophy=True))
    data = season(finish(1, 2, 1), entries=entries)

    assert order(data) == [(1, 1)]
    assert order(data, "rookies") == []
    assert totals(data, "teams") == {"A": Decimal(10)}
    assert order(data, "dealers") == []


def test_group_of_a_class_table_and_of_the_rookies_table():
    entries = (entry(1, cls="PRO"), entry(2, cls="AM", rookie=True), entry(3, cls="AM"))

    assert rules.group_of(entries, class_code=None, rookies=False) == {1, 2, 3}
    assert rules.group_of(entries, class_code="AM", rookies=False) == {2, 3}
    assert rules.group_of(entries, class_code=None, rookies=True) == {2}


# 1. The final classification of a race ------------------------------------------------------


def test_rule_1_1_only_a_numbered_position_is_classified():
    assert rules.is_classified(result(5, 1))
    for status in ("DNF", "DNS", "DSQ", "NC"):
        assert not rules.is_classified(result(5, status=status))


def test_rule_1_2_dsq_penalty_turns_result_into_dsq():
    the_race = race(1, result(1, 1), result(2, 2), result(3, status="DNF"))
    penalties = [penalty(1, "DSQ", the_race), penalty(3, "DSQ", the_race)]

    final = rules.final_classification(the_race, penalties)

    assert [(r.entry_id, r.position, r.status) for r in final] == [
        (2, 1, "CLASSIFIED"),
        (1, None, DSQ),
        (3, None, DSQ),
    ]


def test_rule_1_2_a_disqualified_winner_scores_nothing():
    the_race = finish(1, 1, 2)
    data = season(the_race, penalties=(penalty(1, "DSQ", the_race),))

    assert totals(data) == {2: Decimal(10), 1: Decimal(0)}


def test_rule_1_3_time_penalty_reorders_by_time_plus_penalty():
    the_race = race(
        1,
        result(1, 1, total_time="1800.000"),
        result(2, 2, total_time="1801.500"),
        result(3, 3, total_time="1804.000"),
    )
    penalties = [penalty(1, "TIME", the_race, value=3)]

    final = rules.final_classification(the_race, penalties)

    # 1803.0 for car 1 falls between car 2 (1801.5) and car 3 (1804.0).
    assert [(r.entry_id, r.position) for r in final] == [(2, 1), (1, 2), (3, 3)]


def test_rule_1_3_more_laps_come_first_whatever_the_time():
    the_race = race(
        1,
        result(1, 1, laps=20, total_time="1800"),
        result(2, 2, laps=19, total_time="1700"),
    )

    final = rules.final_classification(the_race, [penalty(1, "TIME", the_race, value=200)])

    assert [r.entry_id for r in final] == [1, 2]


def test_rule_1_3_results_left_equal_keep_their_recorded_order():
    the_race = race(
        1,
        result(1, 1, total_time="1800"),
        result(2, 2, total_time="1805"),
        result(3, 3, total_time="1805"),
    )

    final = rules.final_classification(the_race, [penalty(1, "TIME", the_race, value=5)])

    assert [r.entry_id for r in final] == [1, 2, 3]


def test_rule_1_3_a_race_without_time_penalty_keeps_the_recorded_positions():
    # The times disagree with the positions (as a sheet may after a stewards' decision).
    the_race = race(
        1, result(2, 2, total_time="1700"), result(1, 1, total_time="1800"), result(3, 3)
    )
    other_race = finish(2, 1, 2)

    final = rules.final_classification(the_race, [penalty(1, "TIME", other_race, value=5)])

    assert [r.entry_id for r in final] == [1, 2, 3]


# 2. Points of one race, for one group -------------------------------------------------------


def test_rule_2_1_rank_counts_only_group_members_so_guests_are_skipped():
    entries = (entry(1), entry(2, guest=True), entry(3))
    data = season(finish(1, 2, 3, 1), entries=entries)

    row_3, row_1 = table(data).rows

    assert (row_3.entry.car_number, row_3.races[0].score.rank, row_3.points) == (3, 1, 10)
    assert (row_1.entry.car_number, row_1.races[0].score.rank, row_1.points) == (1, 2, 6)


def test_rule_2_1_points_by_rank_are_multiplied_by_the_factor():
    data = season(finish(1, 1, 2, 3, factor="0.5"))

    assert totals(data) == {1: Decimal(5), 2: Decimal(3), 3: Decimal(2)}


def test_rule_2_1_a_rank_beyond_the_list_scores_nothing():
    data = season(finish(1, 1, 2, 3), schemes={"drivers": scheme(10, 6)})

    assert totals(data)[3] == 0
    assert table(data).rows[2].races[0].score.rank == 3


def test_rule_2_1_a_class_table_ranks_within_the_class():
    entries = (entry(1, cls="PRO"), entry(2, cls="AM"), entry(3, cls="PRO"), entry(4, cls="AM"))
    data = season(finish(1, 1, 2, 3, 4), entries=entries)

    assert totals(data, cls="AM") == {2: Decimal(10), 4: Decimal(6)}


def test_rule_2_2_pole_goes_to_lowest_grid_of_the_group_when_a_guest_starts_first():
    entries = (entry(1), entry(2, guest=True), entry(3))
    the_race = race(1, result(2, 1, grid=1), result(1, 2, grid=3), result(3, 3, grid=2))

    assert rules.pole_winner(the_race.results, {1, 3}) == 3
    data = season(the_race, entries=entries, schemes={"drivers": scheme(pole=1)})
    assert totals(data) == {1: Decimal(10), 3: Decimal(6 + 1)}


def test_rule_2_2_pole_stands_when_the_sitter_retires_or_is_disqualified():
    the_race = race(1, result(2, 1, grid=2), result(1, status="DNF", grid=1))
    data = season(the_race, schemes={"drivers": scheme(pole=1)})
    assert totals(data)[1] == 1

    disqualified = race(1, result(1, 1, grid=1), result(2, 2, grid=2))
    data = season(
        disqualified,
        penalties=(penalty(1, "DSQ", disqualified),),
        schemes={"drivers": scheme(pole=1)},
    )
    assert totals(data)[1] == 1


def test_rule_2_2_a_class_pole_goes_to_the_class_member_with_the_lowest_grid():
    entries = (entry(1, cls="PRO"), entry(2, cls="AM"))
    the_race = race(1, result(1, 1, grid=1), result(2, 2, grid=5))
    data = season(the_race, entries=entries, schemes={"class-AM": scheme(pole=2)})

    assert totals(data, cls="AM") == {2: Decimal(10 + 2)}


def test_rule_2_3_fastest_lap_goes_to_a_classified_group_member():
    the_race = race(
        1,
        result(3, 1, best_lap="118.1"),
        result(1, 2, best_lap="118.9"),
        result(4, 3, best_lap="118.5"),
        result(2, status="DNF", best_lap="117.0"),
    )

    # The retired car 2 and the guest 3 were faster; the point goes to car 4.
    assert rules.fastest_lap_winner(the_race.results, {1, 2, 4}) == 4


def test_rule_2_3_equal_fastest_laps_go_to_the_car_classified_ahead():
    the_race = race(1, result(1, 1, best_lap="118.5"), result(2, 2, best_lap="118.5"))

    final = rules.final_classification(the_race, [])

    assert rules.fastest_lap_winner(final, {1, 2}) == 1
    assert rules.fastest_lap_winner(reversed(final), {1, 2}) == 2


def test_rule_2_4_bonuses_are_not_multiplied_by_the_factor():
    the_race = race(1, result(1, 1, grid=1, best_lap="90"), result(2, 2, grid=2), factor="0.5")
    data = season(the_race, schemes={"drivers": scheme(pole=1, fastest_lap=1)})

    assert totals(data) == {1: Decimal(10) * Decimal("0.5") + 1 + 1, 2: Decimal(3)}


def test_rule_2_5_unclassified_results_have_no_rank_and_no_points():
    unclassified = [result(car, status=s) for car, s in ((2, "DNF"), (3, "DNS"), (4, "NC"))]
    the_race = race(1, result(1, 1), *unclassified)

    scores = rules.race_scores(the_race, the_race.results, {1, 2, 3, 4}, scheme())

    assert [(scores[car].rank, scores[car].points) for car in (2, 3, 4)] == [(None, 0)] * 3


# 3. A driver's total ------------------------------------------------------------------------


def test_rule_3_1_a_race_without_a_result_scores_zero():
    data = season(finish(1, 1, 2), finish(2, 1))

    lines = table(data).rows[1].races

    assert [(line.score.result is None, line.score.points) for line in lines] == [
        (False, 6),
        (True, 0),
    ]


def test_rule_3_2_the_lowest_scores_are_dropped():
    # Car 1: 10, 4, 6, so with one drop the 4 of round 2 goes.
    data = season(finish(1, 1, 2), finish(2, 2, 3, 1), finish(3, 2, 1), dropped_results=1)

    row = next(row for row in table(data).rows if row.entry.car_number == 1)

    assert row.points == 16
    assert [line.score.race.round for line in row.dropped] == [2]


def test_rule_3_2_a_dsq_race_is_never_dropped():
    disqualified = finish(2, 1, 2)
    data = season(
        finish(1, 1, 2),
        disqualified,
        finish(3, 2, 1),
        penalties=(penalty(1, "DSQ", disqualified),),
        dropped_results=1,
    )

    row = next(row for row in table(data).rows if row.entry.car_number == 1)

    assert [line.score.race.round for line in row.dropped] == [3]
    assert row.points == 10


def test_rule_3_2_when_fewer_races_can_be_dropped_all_that_can_are():
    first, second = finish(1, 1, 2), finish(2, 1, 2)
    data = season(
        first,
        second,
        penalties=(penalty(2, "DSQ", first),),
        dropped_results=3,
    )

    row = next(row for row in table(data).rows if row.entry.car_number == 2)

    assert [line.score.race.round for line in row.dropped] == [2]
    assert row.points == 0


def test_rule_3_3_deductions_are_subtracted_and_totals_may_go_negative():
    data = season(
        finish(1, 1, 2),
        penalties=(penalty(2, "POINTS", round=1, value=8, reason="Track limits"),),
    )

    row = table(data).rows[1]

    assert row.points == 6 - 8
    assert [(d.value, d.reason) for d in row.deductions] == [(8, "Track limits")]


def test_rule_3_3_deductions_count_in_class_and_rookie_tables_but_not_in_team_tables():
    entries = (entry(1, team="A", rookie=True, dealer_trophy=True),)
    data = season(
        finish(1, 1), entries=entries, penalties=(penalty(1, "POINTS", round=1, value=3),)
    )

    assert totals(data) == totals(data, "rookies") == totals(data, cls="PRO") == {1: 7}
    assert totals(data, "teams") == totals(data, "dealers") == {"A": 10}


def test_rule_3_4_a_row_needs_a_result_of_any_status_in_scope():
    entries = (entry(1), entry(2), entry(3), entry(4))
    data = season(
        race(1, result(1, 1), result(2, status="DNS")),
        finish(2, 3, factor="0"),
        entries=entries,
    )

    assert order(data) == [(1, 1), (2, 2)]


# 4. Order and ties --------------------------------------------------------------------------


def test_rule_4_rows_are_ordered_by_total_highest_first():
    data = season(finish(1, 3, 1, 2), finish(2, 2, 3, 1))

    assert order(data) == [(1, 3), (2, 2), (3, 1)]


def test_rule_4_1_countback_splits_equal_totals_by_more_wins():
    # Car 1 (a win and a 3rd) and car 2 (two 2nds) both score 8.
    data = season(finish(1, 1, 2, 3), finish(2, 4, 2, 1), schemes={"drivers": scheme(6, 4, 2)})

    assert totals(data)[1] == totals(data)[2] == 8
    assert order(data)[:2] == [(1, 1), (2, 2)]


def test_rule_4_1_countback_then_splits_by_more_2nd_places():
    # Cars 1 (2nd, 4th) and 2 (3rd, 3rd) both score 6 without a win; the last race
    # would favour car 2, but its 2nd place puts car 1 ahead first.
    data = season(
        finish(1, 9, 1, 2),
        finish(2, 9, 8, 2, 1),
        schemes={"drivers": scheme(9, 5, 3, 1)},
    )

    assert totals(data)[1] == totals(data)[2] == 6
    assert order(data)[1:3] == [(2, 1), (3, 2)]


def test_rule_4_1_countback_counts_the_ranks_of_dropped_races():
    # Cars 1 and 2 each drop round 1 and keep a win and a 2nd place: 8 points each. Only
    # car 1's dropped 3rd place splits them; the most recent race would favour car 2.
    data = season(
        race(1, result(3, 1), result(4, 2), result(1, 3), result(2, status="DNF")),
        finish(2, 1, 2),
        finish(3, 2, 1),
        schemes={"drivers": scheme(4, 4, 1)},
        dropped_results=1,
    )

    assert totals(data)[1] == totals(data)[2] == 8
    assert order(data)[:2] == [(1, 1), (2, 2)]


def test_rule_4_2_the_most_recent_race_where_ranks_differ_splits_the_tie():
    scheme_ = {"drivers": scheme(5, 5)}
    # Both win once and finish second once; car 2 is ahead in the last race.
    data = season(finish(1, 1, 2), finish(2, 2, 1), schemes=scheme_)

    assert order(data) == [(1, 2), (2, 1)]


def test_rule_4_2_having_a_rank_beats_having_none():
    # Equal on points and countback; in the last race only car 2 has a rank.
    data = season(
        race(1, result(1, 1), result(2, status="DNF")),
        race(2, result(2, 1), result(1, status="DNF")),
    )

    assert order(data) == [(1, 2), (2, 1)]


def test_tie_break_none_shares_equal_totals():
    data = season(finish(1, 1, 2), finish(2, 2, 1), tie_break="none")

    assert order(data) == [(1, 1), (1, 2)]


def test_rows_still_equal_share_the_position_listed_by_car_number():
    data = season(race(1, result(7, status="DNF"), result(3, status="DNF"), result(5, 1)))

    assert order(data) == [(1, 5), (2, 3), (2, 7)]


def test_positions_standard_runs_1_2_2_4():
    data = season(finish(1, 1, 2, 3, 4), finish(2, 1, 3, 2, 4), tie_break="none")

    assert order(data) == [(1, 1), (2, 2), (2, 3), (4, 4)]


def test_positions_dense_runs_1_2_2_3():
    data = season(finish(1, 1, 2, 3, 4), finish(2, 1, 3, 2, 4), tie_break="none", positions="dense")

    assert order(data) == [(1, 1), (2, 2), (2, 3), (3, 4)]


def test_positions_standard_after_rows_equal_on_every_tie_break():
    # With countback only rows without any rank can stay equal; a deduction puts one below.
    data = season(
        race(
            1,
            result(1, 1),
            result(2, status="DNF"),
            result(3, status="DNS"),
            result(4, status="NC"),
        ),
        penalties=(penalty(4, "POINTS", round=1, value=1),),
    )

    assert order(data) == [(1, 1), (2, 2), (2, 3), (4, 4)]


# 5. Teams and dealer trophy tables ----------------------------------------------------------


def test_rule_5_1_a_team_scores_its_best_cars_including_bonuses():
    entries = tuple(entry(car, team="A") for car in (1, 2, 3)) + (entry(4, team="B"),)
    the_race = race(
        1, result(4, 1), result(1, 2), result(2, 3), result(3, 4, grid=1, best_lap="80")
    )
    data = season(the_race, entries=entries, schemes={"drivers": scheme(pole=1, fastest_lap=1)})

    # A's cars score 6, 4 and 3 + 2 = 5: the best two are 6 and 5.
    assert totals(data, "teams") == {"A": Decimal(11), "B": Decimal(10)}


def test_rule_5_1_team_cars_per_race_sets_how_many_cars_score():
    entries = tuple(entry(car, team="A") for car in (1, 2, 3))
    data = season(finish(1, 1, 2, 3), entries=entries, team_cars_per_race=3)

    assert totals(data, "teams") == {"A": Decimal(10 + 6 + 4)}


def test_rule_5_1_among_equal_scores_the_better_ranked_car_is_taken():
    # No points for anyone; A's ranked car 2, not its retired car 1, is its scoring car,
    # and its win puts A ahead of C on countback.
    entries = (entry(1, team="A"), entry(2, team="A"), entry(3, team="C"))
    the_race = race(1, result(2, 1), result(3, 2), result(1, status="DNF"))
    data = season(the_race, entries=entries, schemes={"drivers": scheme(0)}, team_cars_per_race=1)

    a_race = next(row for row in table(data, "teams").rows if row.team == "A").races[0]

    assert [car.entry.car_number for car in a_race.cars] == [2]
    assert order(data, "teams") == [(1, "A"), (2, "C")]


def test_rule_5_2_the_dealer_table_takes_dealer_entries_grouped_by_team():
    entries = (
        entry(1, team="A"),
        entry(2, team="A", dealer_trophy=True),
        entry(3, team="A", dealer_trophy=True),
        entry(4, team="B", dealer_trophy=True),
    )
    the_race = finish(1, 1, 2, 3, 4)

    assert totals(season(the_race, entries=entries), "dealers") == {"A": 6, "B": 3}
    two_cars = season(the_race, entries=entries, dealer_cars_per_race=2)
    assert totals(two_cars, "dealers") == {"A": 6 + 4, "B": 3}


def test_rule_5_3_team_tables_drop_nothing():
    entries = (entry(1, team="A"),)
    data = season(finish(1, 1), finish(2, 1), entries=entries, dropped_results=1)

    assert totals(data) == {1: Decimal(10)}
    assert totals(data, "teams") == {"A": Decimal(20)}


def test_rule_5_4_team_countback_uses_the_drivers_ranks_of_scoring_cars_only():
    # One car scores per race. Scoring ranks: A 1st and 2nd, B 2nd and 1st: equal. Counting
    # every car would put A ahead on its non-scoring 3rd places.
    entries = (entry(1, team="A"), entry(2, team="A"), entry(3, team="B"), entry(4, team="B"))
    data = season(
        finish(1, 1, 3, 2, 4),
        finish(2, 3, 1, 2, 4),
        entries=entries,
        schemes={"drivers": scheme(5, 5, 5)},
        team_cars_per_race=1,
    )

    assert order(data, "teams") == [(1, "A"), (1, "B")]


def test_rule_5_4_teams_still_equal_share_the_position_listed_by_name():
    entries = (entry(1, team="Zeta"), entry(2, team="Alpha"))
    data = season(finish(1, 1, 2), finish(2, 2, 1), entries=entries)

    assert order(data, "teams") == [(1, "Alpha"), (1, "Zeta")]


def test_rule_5_5_a_team_row_needs_a_member_of_the_table_with_a_result():
    entries = (
        entry(1, team="A"),
        entry(2, team="B", guest=True),
        entry(3, team="C"),
        entry(4, team="D", dealer_trophy=True),
    )
    data = season(race(1, result(2, 1), result(1, status="DNS")), entries=entries)

    assert order(data, "teams") == [(1, "A")]
    assert order(data, "dealers") == []


# 6. Standings after round N -------------------------------------------------------------------


def test_rule_6_after_round_ignores_later_races_and_deductions():
    data = season(
        finish(1, 1, 2),
        finish(2, 2, 1),
        finish(3, 2, 1),
        penalties=(penalty(2, "POINTS", round=2, value=1),),
    )

    assert totals(data, after=1) == {1: Decimal(10), 2: Decimal(6)}
    assert totals(data, after=2) == {2: Decimal(16 - 1), 1: Decimal(16)}
    assert totals(data, after=3) == totals(data)


def test_after_the_last_round_equals_the_final_table():
    data = season(finish(1, 1, 2), finish(2, 2, 1), finish(5, 1, 2))

    for name in ("drivers", "teams"):
        assert table(data, name, after=5).rows == table(data, name).rows
        assert table(data, name, after=9).rows == table(data, name).rows


def test_class_and_rookie_tables_use_their_own_schemes():
    entries = (entry(1, cls="AM", rookie=True), entry(2, cls="AM", rookie=True))
    the_race = race(1, result(1, 1, grid=1), result(2, 2, grid=2))
    schemes = {"class-AM": scheme(3, 2, pole=2), "rookies": scheme(7, 1)}
    data = season(the_race, entries=entries, schemes=schemes)

    assert totals(data, cls="AM") == {1: Decimal(5), 2: Decimal(2)}
    assert totals(data, "rookies") == {1: Decimal(7), 2: Decimal(1)}
