"""The live state of a championship's prizes: won once their round is complete, else provisional.

A prize says which place of which table after which round wins what (``Prize``); its table is
the one of rule 6 (STANDINGS_RULES.md), exactly as it stood after that round.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from championships.models import Prize
from championships.standings.progress import Row
from championships.standings.tables import SeasonTables


@dataclass(frozen=True)
class PrizeState:
    prize: Prize
    decided: bool
    holders: tuple[Row, ...]


def completed_rounds(races: Iterable[tuple[int, bool]]) -> frozenset[int]:
    """Rounds of (round, held) races that are over: every race held, or a later round begun.

    The second case covers a race that was cancelled and so never gets a result.
    """
    races = list(races)
    rounds = {round_ for round_, _ in races}
    last_begun = max((round_ for round_, held in races if held), default=0)
    return frozenset(
        round_
        for round_ in rounds
        if round_ < last_begun or all(held for r, held in races if r == round_)
    )


def is_decided(prize: Prize, complete: frozenset[int], rounds: Iterable[int]) -> bool:
    """After its round is complete; a prize for the final table once every round is."""
    if prize.after_round is not None:
        return prize.after_round in complete
    rounds = set(rounds)
    return bool(rounds) and rounds <= complete


def prize_states(
    prizes: Sequence[Prize], tables: SeasonTables, races: Sequence[tuple[int, bool]]
) -> list[PrizeState]:
    """Each prize with whoever holds its place now (or held it when its round ended)."""
    complete = completed_rounds(races)
    rounds = {round_ for round_, _ in races}
    states = []
    for prize in prizes:
        table = tables.table(prize.table, prize.class_code or None, prize.after_round)
        holders = tuple(row for row in table.rows if row.position == prize.position)
        states.append(PrizeState(prize, is_decided(prize, complete, rounds), holders))
    return states
