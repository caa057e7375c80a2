"""Prizes: decided once their round is complete, provisional before."""

import pytest

from championships.models import Prize
from championships.prizes import completed_rounds, is_decided, prize_states
from championships.standings.loader import season_load
from championships.standings.tables import SeasonTables
from tests.championships.test_standings_helpers import build_championship


def test_a_round_is_complete_when_every_race_of_it_is_held():
    races = [(1, True), (1, True), (2, True), (2, False), (3, False)]

    assert completed_rounds(races) == {1}


def test_a_round_is_complete_once_a_later_round_has_begun():
    # Race 2 of round 1 was cancelled and never got a result.
    assert completed_rounds([(1, True), (1, False), (2, True), (2, False)]) == {1}


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
        list(championship.prizes.order_by("id")), tables, [(1, True), (2, True), (3, False)]
    )

    le_mans, tyres = states
    assert le_mans.decided and not tyres.decided
    after_1 = tables.table(after_round=1).rows[0]
    assert le_mans.holders == (after_1,)
    assert tyres.holders == tuple(r for r in tables.table("teams").rows if r.position == 2)
