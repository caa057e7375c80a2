"""A race's results sheet: the final classification of rule 1 with what a fan reads off it.

Built from the standings module, never beside it: the order is
``SeasonTables.classification`` (rule 1, penalties applied), class positions are the class
table's ranks (rule 2.1), points are the drivers table's race score (rule 2), pole and
fastest lap are rules 2.2 and 2.3 over every car.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from championships.standings import rules
from championships.standings.data import Entry, Penalty, Race, Result
from championships.standings.tables import SeasonTables


@dataclass(frozen=True)
class SheetLine:
    result: Result
    entry: Entry
    class_code: str  # rule 7: the class the entry held on the race's day
    class_position: int | None
    gap: dt.timedelta | None
    laps_down: int
    points: Decimal | None
    pole: bool
    fastest_lap: bool
    penalty_seconds: Decimal
    penalties: tuple[Penalty, ...]

    @property
    def classified(self) -> bool:
        return rules.is_classified(self.result)


def race_sheet(tables: SeasonTables, race: Race) -> tuple[SheetLine, ...]:
    """Every car of ``race`` in final order, with class position, gap, points and markers."""
    season = tables.season
    final = tables.classification(race)
    everyone = frozenset(r.entry_id for r in final)
    pole = rules.pole_winner(final, everyone)
    fastest = rules.fastest_lap_winner(final, everyone)
    class_ranks = _class_ranks(final, season.entries, race.day)
    points = tables.scores(race, tables.drivers)
    penalties = [p for p in season.penalties if p.race_id == race.id]
    seconds = rules.time_penalty_seconds(penalties)
    leader = _adjusted(final[0], seconds) if final and rules.is_classified(final[0]) else None
    return tuple(
        SheetLine(
            result=result,
            entry=tables.entries[result.entry_id],
            class_code=rules.class_on(tables.entries[result.entry_id], race.day),
            class_position=class_ranks.get(result.entry_id),
            gap=_gap(result, final[0], leader, seconds),
            laps_down=final[0].laps - result.laps if rules.is_classified(result) else 0,
            points=points[result.entry_id].points if result.entry_id in points else None,
            pole=result.entry_id == pole,
            fastest_lap=result.entry_id == fastest,
            penalty_seconds=seconds.get(result.entry_id, Decimal(0)),
            penalties=tuple(p for p in penalties if p.entry_id == result.entry_id),
        )
        for result in final
    )


def _class_ranks(
    final: Sequence[Result], entries: Sequence[Entry], day: dt.date | None
) -> dict[int, int]:
    """Rule 2.1 per class: the k-th classified eligible car of a class is k-th in class,
    each car in the class it held on the race's ``day`` (rule 7)."""
    ranks: dict[int, int] = {}
    for code in {rules.class_on(entry, day) for entry in entries}:
        group = rules.group_of(entries, class_code=code, rookies=False, day=day)
        ranks.update(rules.group_ranks(final, group))
    return ranks


def _adjusted(result: Result, seconds: Mapping[int, Decimal]) -> Decimal | None:
    """Rule 1.3's time: the total time plus penalty seconds."""
    if result.total_time is None:
        return None
    return rules.as_seconds(result.total_time) + seconds.get(result.entry_id, Decimal(0))


def _gap(
    result: Result, first: Result, leader: Decimal | None, seconds: Mapping[int, Decimal]
) -> dt.timedelta | None:
    """Time behind the winner for a car on the winner's lap; None for the winner and others."""
    if result is first or not rules.is_classified(result) or leader is None:
        return None
    if result.laps != first.laps:
        return None
    mine = _adjusted(result, seconds)
    return None if mine is None else dt.timedelta(seconds=float(mine - leader))
