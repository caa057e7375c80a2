"""The grid rules of ``championships.grids``, one test (or more) per rule, by its name."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from championships import grids
from championships.grids import Finish, Placed, Timed


def s(seconds: float) -> dt.timedelta:
    return dt.timedelta(seconds=seconds)


def cars(order: list) -> list[int]:
    return [car.car_number for car in order]


# ranked_by_time ---------------------------------------------------------------------------


def test_ranked_by_time_puts_the_fastest_first_and_cars_without_a_time_last_by_number():
    field = [
        Timed(1, 9, best=s(119.5)),
        Timed(2, 3),
        Timed(3, 7, best=s(118.9)),
        Timed(4, 1),
        Timed(5, 5, best=s(119.1)),
    ]

    assert cars(grids.ranked_by_time(field)) == [7, 5, 9, 1, 3]


def test_ranked_by_time_classified_first_then_not_classified_timed_then_untimed_then_dsq():
    field = [
        Timed(1, 1, best=s(118.5)),
        Timed(2, 2, best=s(118.9)),
        Timed(3, 3, best=s(117.0), status="DNF"),  # a time, but not classified
        Timed(4, 4, best=s(116.0), status="DSQ"),
        Timed(5, 5, status="DNS"),
        Timed(6, 6, best=s(117.5), status="NC"),
    ]

    placed = grids.ranked_by_time(field)

    assert cars(placed) == [1, 2, 3, 6, 5, 4]
    assert placed[-1].time is None  # a disqualified car's time is not what it starts on


def test_ranked_by_time_breaks_an_equal_time_by_the_lower_car_number():
    field = [Timed(1, 22, best=s(118.0)), Timed(2, 4, best=s(118.0))]

    assert cars(grids.ranked_by_time(field)) == [4, 22]


def test_ranked_by_time_keeps_the_time_it_ranked_on():
    [first] = grids.ranked_by_time([Timed(1, 9, best=s(118.0), second_best=s(118.4))])

    assert first.time == s(118.0)
    assert grids.ranked_by_time(
        [Timed(1, 9, best=s(118.0), second_best=s(118.4))], grids.second_best_time
    )[0].time == s(118.4)


def test_ranked_by_second_best_time_orders_on_the_second_best_lap():
    field = [
        Timed(1, 1, best=s(118.0), second_best=s(118.9)),
        Timed(2, 2, best=s(118.5), second_best=s(118.6)),
        Timed(3, 3, best=s(118.2)),  # one timed lap only: no second-best time
    ]

    assert cars(grids.ranked_by_time(field, grids.second_best_time)) == [2, 1, 3]


# merged_by_time ---------------------------------------------------------------------------


def test_merged_by_time_ranks_every_group_together():
    field = [
        Timed(1, 1, "A", best=s(118.0)),
        Timed(2, 2, "A", best=s(118.3)),
        Timed(3, 3, "B", best=s(118.1)),
        Timed(4, 4, "B", best=s(118.2)),
    ]

    assert cars(grids.merged_by_time(field)) == [1, 3, 4, 2]


# merged_alternating -----------------------------------------------------------------------


def test_merged_alternating_gives_pole_to_the_fastest_group_and_alternates():
    field = [
        Timed(1, 1, "A", best=s(118.4)),
        Timed(2, 2, "A", best=s(118.5)),
        Timed(3, 3, "B", best=s(118.0)),  # the fastest car: group B starts on pole
        Timed(4, 4, "B", best=s(118.9)),
        Timed(5, 5, "B", best=s(119.0)),
    ]

    assert cars(grids.merged_alternating(field)) == [3, 1, 4, 2, 5]


def test_merged_alternating_continues_the_longer_group_when_one_runs_out():
    field = [Timed(1, 1, "A", best=s(118.0))] + [
        Timed(i, i, "B", best=s(118 + i)) for i in range(2, 6)
    ]

    assert cars(grids.merged_alternating(field)) == [1, 2, 3, 4, 5]


def test_merged_alternating_takes_three_groups_in_turn():
    field = [
        Timed(1, 1, "A", best=s(118.2)),
        Timed(2, 2, "B", best=s(118.1)),
        Timed(3, 3, "C", best=s(118.0)),
        Timed(4, 4, "A", best=s(119.0)),
        Timed(5, 5, "B", best=s(119.0)),
        Timed(6, 6, "C", best=s(119.0)),
    ]

    assert cars(grids.merged_alternating(field)) == [3, 2, 1, 6, 5, 4]


def test_merged_alternating_puts_every_car_without_a_time_after_the_timed_ones():
    field = [Timed(1, 1, "A"), Timed(2, 2, "B", best=s(118.0)), Timed(3, 3, "B", best=s(119))]

    assert cars(grids.merged_alternating(field)) == [2, 3, 1]


def test_merged_alternating_never_alternates_a_disqualified_car_among_timed_ones():
    field = [Timed(n, n, "A", best=s(118 + n)) for n in range(1, 5)] + [
        Timed(5, 5, "B", best=s(118.5)),
        Timed(6, 6, "B", best=s(118.2), status="DSQ"),
    ]

    assert cars(grids.merged_alternating(field)) == [5, 1, 2, 3, 4, 6]


# finishing_order --------------------------------------------------------------------------


def test_finishing_order_classified_then_unclassified_by_laps_then_disqualified():
    finishes = [
        Finish(1, 10, None, "DNF", 3),
        Finish(2, 11, 2, "CLASSIFIED", 15),
        Finish(3, 12, None, "DSQ", 15),
        Finish(4, 13, 1, "CLASSIFIED", 15),
        Finish(5, 14, None, "DNF", 9),
        Finish(6, 15, None, "DNS", 0),
        Finish(7, 16, None, "NC", 9),
    ]

    assert cars(grids.finishing_order(finishes)) == [13, 11, 14, 16, 10, 15, 12]


# top_reversed -----------------------------------------------------------------------------


def test_top_reversed_reverses_the_first_n():
    order = [Placed(i, i) for i in range(1, 9)]

    assert cars(grids.top_reversed(order, 6)) == [6, 5, 4, 3, 2, 1, 7, 8]


def test_top_reversed_of_a_finish_reverses_only_the_classified_cars(db):
    from championships.weekend import reversed_count

    finishes = [
        Finish(1, 1, 1, "CLASSIFIED", 15),
        Finish(2, 2, 2, "CLASSIFIED", 15),
        Finish(3, 3, None, "DNF", 4),
        Finish(4, 4, None, "DSQ", 15),
    ]
    order = grids.finishing_order(finishes)

    assert cars(grids.top_reversed(order, reversed_count(6, finishes))) == [2, 1, 3, 4]


def test_top_reversed_reverses_everyone_in_a_field_smaller_than_n():
    order = [Placed(i, i) for i in range(1, 4)]

    assert cars(grids.top_reversed(order, 6)) == [3, 2, 1]


# penalties_applied ------------------------------------------------------------------------


def order_of(*numbers: int) -> list[Placed]:
    return [Placed(n, n) for n in numbers]


def test_penalties_applied_moves_a_car_back_and_the_cars_between_up():
    slots = grids.penalties_applied(order_of(1, 2, 3, 4, 5), {2: 2})

    assert cars(slots) == [1, 3, 4, 2, 5]
    moved = slots[3]
    assert (moved.position, moved.qualified, moved.places_back) == (4, 2, 2)


def test_penalties_applied_adds_up_several_decisions_given_as_their_sum():
    assert cars(grids.penalties_applied(order_of(1, 2, 3, 4, 5, 6), {1: 3 + 2})) == [
        2,
        3,
        4,
        5,
        6,
        1,
    ]


def test_penalties_applied_never_beyond_the_last_place():
    assert cars(grids.penalties_applied(order_of(1, 2, 3), {1: 10})) == [2, 3, 1]


def test_penalties_applied_keeps_the_order_of_two_cars_aiming_at_the_same_place():
    # Car 1 (qualified 1, 2 back) and car 2 (qualified 2, 1 back) both aim at place 3.
    assert cars(grids.penalties_applied(order_of(1, 2, 3, 4, 5), {1: 2, 2: 1})) == [3, 4, 1, 2, 5]


def test_penalties_applied_moves_each_of_two_cars_to_its_own_place():
    assert cars(grids.penalties_applied(order_of(1, 2, 3, 4, 5), {1: 1, 3: 1})) == [2, 1, 4, 3, 5]


def test_penalties_applied_ignores_a_car_not_on_the_grid_and_zero_places():
    slots = grids.penalties_applied(order_of(1, 2, 3), {99: 3, 2: 0})

    assert cars(slots) == [1, 2, 3]
    assert [slot.position for slot in slots] == [1, 2, 3]


@given(
    st.integers(min_value=1, max_value=30).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.dictionaries(
                st.integers(min_value=1, max_value=n), st.integers(min_value=1, max_value=40)
            ),
        )
    )
)
def test_penalties_applied_keeps_every_car_once_and_moves_only_penalised_cars_back(case):
    n, places = case
    slots = grids.penalties_applied(order_of(*range(1, n + 1)), places)

    assert sorted(cars(slots)) == list(range(1, n + 1))
    assert [slot.position for slot in slots] == list(range(1, n + 1))
    # A penalised car lands on its place unless other penalised cars aimed there first (each
    # of them may push it one further); an unpenalised car never goes back.
    penalised = sum(1 for slot in slots if slot.places_back)
    for slot in slots:
        assert slot.position <= slot.qualified + slot.places_back + max(penalised - 1, 0)
    unpenalised = [slot for slot in slots if not slot.places_back]
    assert [slot.qualified for slot in unpenalised] == sorted(s.qualified for s in unpenalised)
