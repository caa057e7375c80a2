"""The live state of a championship's prizes: won once their round is complete and every
race up to it is final (declared final, or amended after), else provisional.

A prize says which place of which table after which round wins what (``Prize``); its table is
the one of rule 6 (STANDINGS_RULES.md), exactly as it stood after that round. Races are given
as (round, held, final) marks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from championships.models import Prize
from championships.standings.progress import Row
from championships.standings.tables import SeasonTables

RaceMark = tuple[int, bool, bool]  # round, held (has results), final (FINAL or AMENDED)


@dataclass(frozen=True)
class PrizeState:
    prize: Prize
    decided: bool  # its round is over: the table after it has every result
    holders: tuple[Row, ...]
    won: bool = False  # decided, and every race up to its round declared final

    @property
    def awaiting_final(self) -> bool:
        return self.decided and not self.won


def completed_rounds(races: Iterable[RaceMark]) -> frozenset[int]:
    """Rounds of (round, held, …) races that are over: every race held, or a later round begun.

    The second case covers a race that was cancelled and so never gets a result.
    """
    races = [(race[0], race[1]) for race in races]
    rounds = {round_ for round_, _ in races}
    last_begun = max((round_ for round_, held in races if held), default=0)
    return frozenset(
        round_
        for round_ in rounds
        if round_ < last_begun or all(held for r, held in races if r == round_)
    )


def final_up_to(races: Iterable[RaceMark], after_round: int | None) -> bool:
    """Whether every race held up to ``after_round`` (None: the whole season) is final; a
    race never held (cancelled) has no classification to wait for."""
    last = float("inf") if after_round is None else after_round
    return all(final for round_, held, final in races if held and round_ <= last)


def is_decided(prize: Prize, complete: frozenset[int], rounds: Iterable[int]) -> bool:
    """After its round is complete; a prize for the final table once every round is."""
    if prize.after_round is not None:
        return prize.after_round in complete
    rounds = set(rounds)
    return bool(rounds) and rounds <= complete


def prize_states(
    prizes: Sequence[Prize], tables: SeasonTables, races: Sequence[RaceMark]
) -> list[PrizeState]:
    """Each prize with whoever holds its place now (or held it when its round ended), won
    only once the classifications it rests on are final."""
    complete = completed_rounds(races)
    rounds = {race[0] for race in races}
    states = []
    for prize in prizes:
        table = tables.table(prize.table, prize.class_code or None, prize.after_round)
        holders = tuple(row for row in table.rows if row.position == prize.position)
        decided = is_decided(prize, complete, rounds)
        won = decided and final_up_to(races, prize.after_round)
        states.append(PrizeState(prize, decided, holders, won))
    return states
