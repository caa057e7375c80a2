"""Prizes: decided once their round is complete, won once every race up to it is final."""

import pytest

from championships.models import Prize
from championships.standings.loader import season_load
from championships.standings.prizes import completed_rounds, final_up_to, is_decided, prize_states
from championships.standings.tables import SeasonTables
from tests.factories import build_championship


def test_a_round_is_complete_when_every_race_of_it_is_held():
    races = [
        (1, True, True),
        (1, True, True),
        (2, True, True),
        (2, False, False),
        (3, False, False),
    ]

    assert completed_rounds(races) == {1}


def test_a_round_is_complete_once_a_later_round_has_begun():
    # Race 2 of round 1 was cancelled and never got a result.
    races = [(1, True, True), (1, False, False), (2, True, False), (2, False, False)]
    assert completed_rounds(races) == {1}


def test_a_final_table_prize_is_decided_only_when_every_round_is_complete():
    final = Prize(after_round=None, award="Champion")

    assert not is_decided(final, frozenset({1}), [1, 2])
    assert is_decided(final, frozenset({1, 2}), [1, 2])
    assert not is_decided(final, frozenset(), [])


@pytest.mark.django_db
def test_each_prize_names_whoever_holds_its_place_in_its_table():
    championship = build_championship(entries=4, rounds=2)
    Prize.objects.create(championship=championship, after_round=1, award="Le Mans")
    Prize.objects.create(championship=championship, position=2, table="teams", award="Tyres")
    tables = SeasonTables(season_load(championship))

    states = prize_states(
        list(championship.prizes.order_by("id")),
        tables,
        [(1, True, True), (2, True, True), (3, False, False)],
    )

    le_mans, tyres = states
    assert le_mans.decided and le_mans.won and not tyres.decided and not tyres.won
    after_1 = tables.table(after_round=1).rows[0]
    assert le_mans.holders == (after_1,)
    assert tyres.holders == tuple(r for r in tables.table("teams").rows if r.position == 2)


def test_a_prize_is_won_only_when_every_race_held_up_to_its_round_is_final():
    # Round 1's second race is still provisional; round 3 has not been held.
    races = [(1, True, True), (1, True, False), (2, True, True), (3, False, False)]

    assert not final_up_to(races, 1)
    assert not final_up_to(races, 2)
    assert final_up_to([(1, True, True), (2, True, True), (3, False, False)], None)
    assert final_up_to([(1, True, True), (2, True, False)], 1)


@pytest.mark.django_db
def test_a_decided_prize_waits_for_the_final_classifications():
    championship = build_championship(entries=4, rounds=2)
    prize = Prize.objects.create(championship=championship, after_round=1, award="Le Mans")
    tables = SeasonTables(season_load(championship))

    (state,) = prize_states([prize], tables, [(1, True, True), (1, True, False), (2, True, True)])

    assert state.decided and not state.won and state.awaiting_final
