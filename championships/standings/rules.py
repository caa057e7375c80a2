"""One small pure function per rule of STANDINGS_RULES.md, each citing the rule it applies.

Nothing here touches the database: every function reads the plain dataclasses of
``standings.data`` and returns plain values, so each rule can be tested on its own.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple

from championships.standings.data import (
    CLASSIFIED,
    COUNTBACK,
    DENSE,
    DISQUALIFICATION,
    DSQ,
    POINTS,
    TIME,
    Entry,
    Penalty,
    Race,
    Result,
    Scheme,
)

# Sorts after every real rank: rule 4.2 says having a rank beats having none.
NO_RANK = 1_000_000
ZERO = Decimal(0)


# Words -------------------------------------------------------------------------------------


def races_in_scope(races: Iterable[Race], after_round: int | None) -> tuple[Race, ...]:
    """Words "in scope" and Rule 6: held races, factor not 0, round at most ``after_round``."""
    return tuple(
        race
        for race in races
        if race.results and race.factor != 0 and (after_round is None or race.round <= after_round)
    )


def is_eligible(entry: Entry) -> bool:
    """Words "eligible entry": every entry but the guests."""
    return not entry.guest


def class_on(entry: Entry, day: dt.date | None) -> str:
    """Rule 7: the class the entry held on ``day``, a race's local date: its latest move from
    that day or before, else its class at its first race (also when the day is unknown)."""
    code = entry.class_code
    for move in entry.class_moves:  # in date order
        if day is None or move.from_day > day:
            break
        code = move.class_code
    return code


def group_of(
    entries: Iterable[Entry], *, class_code: str | None, rookies: bool, day: dt.date | None = None
) -> frozenset[int]:
    """Words "group": eligible entries, of one class for a class table, rookies for rookies.

    Rule 7: a class table's group for a race is the entries of that class on the race's
    ``day``; without a day, each entry's class at its first race."""
    return frozenset(
        entry.id
        for entry in entries
        if is_eligible(entry)
        and (class_code is None or class_on(entry, day) == class_code)
        and (entry.rookie or not rookies)
    )


def ever_in_class(entries: Iterable[Entry], class_code: str) -> frozenset[int]:
    """Rule 7: the eligible entries that hold ``class_code`` at any time of the season."""
    return frozenset(
        entry.id
        for entry in entries
        if is_eligible(entry)
        and class_code in (entry.class_code, *(move.class_code for move in entry.class_moves))
    )


# 1. The final classification of a race ------------------------------------------------------


def is_classified(result: Result) -> bool:
    """Rule 1.1: a result is classified when its position is a number."""
    return result.status == CLASSIFIED and result.position is not None


def apply_disqualifications(
    results: Iterable[Result], disqualified: Collection[int]
) -> tuple[Result, ...]:
    """Rule 1.2: a DSQ penalty turns the entry's result, whatever it was, into DSQ."""
    return tuple(
        result._replace(position=None, status=DSQ) if result.entry_id in disqualified else result
        for result in results
    )


def as_seconds(duration: dt.timedelta) -> Decimal:
    """A duration as exact decimal seconds, so that penalty seconds add without rounding."""
    return Decimal(duration // dt.timedelta(microseconds=1)) / Decimal(1_000_000)


def apply_time_penalties(
    classified: Sequence[Result], seconds: Mapping[int, Decimal]
) -> tuple[Result, ...]:
    """Rule 1.3: with any time penalty, order by laps (more first), then time plus penalty.

    ``sorted`` is stable, so results that stay equal keep their recorded order. A
    classified car without a time (which an import refuses for such a race) goes last
    among cars on its lap count rather than failing the whole table.
    """
    if not seconds:
        return tuple(classified)

    def key(result: Result) -> tuple[int, bool, Decimal]:
        if result.total_time is None:
            return (-result.laps, True, ZERO)
        return (
            -result.laps,
            False,
            as_seconds(result.total_time) + seconds.get(result.entry_id, ZERO),
        )

    return tuple(sorted(classified, key=key))


def time_penalty_seconds(penalties: Iterable[Penalty]) -> Counter[int]:
    """Rule 1.3: the seconds each car's time penalties add up to, by entry id."""
    seconds: Counter[int] = Counter()
    for penalty in penalties:
        if penalty.kind == TIME and penalty.value:
            seconds[penalty.entry_id] += penalty.value
    return seconds


def final_classification(race: Race, penalties: Iterable[Penalty]) -> tuple[Result, ...]:
    """Rules 1.1–1.3: classified results in final order, numbered 1, 2, …, then the rest."""
    race_penalties = [p for p in penalties if p.race_id == race.id]
    disqualified = {p.entry_id for p in race_penalties if p.kind == DISQUALIFICATION}
    seconds = time_penalty_seconds(race_penalties)
    results = apply_disqualifications(race.results, disqualified)
    recorded = sorted((r for r in results if is_classified(r)), key=lambda r: r.position or 0)
    ordered = apply_time_penalties(recorded, seconds)
    return renumbered(ordered) + tuple(r for r in results if not is_classified(r))


def renumbered(ordered: Sequence[Result]) -> tuple[Result, ...]:
    """Positions 1, 2, … in final order; most races need no change, so copy only if needed."""
    if all(r.position == k for k, r in enumerate(ordered, start=1)):
        return tuple(ordered)
    return tuple(r._replace(position=k) for k, r in enumerate(ordered, start=1))


# 2. Points of one race, for one group -------------------------------------------------------


def group_ranks(classification: Iterable[Result], group: Collection[int]) -> dict[int, int]:
    """Rules 2.1 and 2.5: the k-th classified result of the group has rank k.

    Results of entries outside the group (guests above all) are skipped, so a guest who
    wins leaves rank 1 to the best group member behind it.
    """
    members = (r.entry_id for r in classification if is_classified(r) and r.entry_id in group)
    return {entry_id: rank for rank, entry_id in enumerate(members, start=1)}


def rank_points(rank: int | None, scheme: Scheme, factor: Decimal) -> Decimal:
    """Rule 2.1: ``race[rank - 1]`` times the race's factor, 0 beyond the list (or no rank)."""
    if rank is None or rank > len(scheme.race):
        return ZERO
    return scheme.race[rank - 1] * factor


def pole_winner(results: Iterable[Result], group: Collection[int]) -> int | None:
    """Rule 2.2: the group member with the lowest grid, whatever became of its race."""
    starters = [r for r in results if r.entry_id in group and r.grid is not None]
    return min(starters, key=lambda r: r.grid or 0).entry_id if starters else None


def fastest_lap_winner(classification: Iterable[Result], group: Collection[int]) -> int | None:
    """Rule 2.3: the classified group member with the lowest best lap.

    ``min`` keeps the first of equal laps, which is the one classified ahead.
    """
    timed = [
        r
        for r in classification
        if is_classified(r) and r.entry_id in group and r.best_lap is not None
    ]
    return min(timed, key=lambda r: r.best_lap or dt.timedelta(0)).entry_id if timed else None


class RaceScore(NamedTuple):
    """What one entry scored in one race for one table, with the parts that explain it.

    A named tuple, like ``Result``: a table builds one per car and race.
    """

    race: Race
    entry_id: int
    result: Result | None
    rank: int | None = None
    rank_points: Decimal = ZERO
    pole: Decimal = ZERO
    fastest_lap: Decimal = ZERO

    @property
    def points(self) -> Decimal:
        """Rule 2.4: bonus points are added after the factor, never multiplied by it."""
        return self.rank_points + self.pole + self.fastest_lap

    @property
    def disqualified(self) -> bool:
        return self.result is not None and self.result.status == DSQ


def race_scores(
    race: Race, classification: Sequence[Result], group: Collection[int], scheme: Scheme
) -> dict[int, RaceScore]:
    """Rule 2: the score of each group member with a result in the race."""
    ranks = group_ranks(classification, group)
    pole = pole_winner(classification, group)
    fastest = fastest_lap_winner(classification, group)
    return {
        r.entry_id: RaceScore(
            race=race,
            entry_id=r.entry_id,
            result=r,
            rank=ranks.get(r.entry_id),
            rank_points=rank_points(ranks.get(r.entry_id), scheme, race.factor),
            pole=scheme.pole if r.entry_id == pole else ZERO,
            fastest_lap=scheme.fastest_lap if r.entry_id == fastest else ZERO,
        )
        for r in classification
        if r.entry_id in group
    }


# 3. A driver's total ------------------------------------------------------------------------


def scoring_races(races: Iterable[Race]) -> int:
    """Rule 3.2's S: the races of the calendar whose factor is not 0, held or not."""
    return sum(1 for race in races if race.factor != 0)


def results_kept(dropped_results: int, scoring: int) -> int | None:
    """Rule 3.2: each entry counts its best S − N scores; None when N is 0 (all count)."""
    return max(scoring - dropped_results, 0) if dropped_results > 0 else None


def drops_due(races: int, kept: int | None) -> int:
    """Rule 3.2: nothing goes while at most S − N races are in scope; beyond, the excess."""
    return 0 if kept is None else max(races - kept, 0)


def dropped_races(
    scores: Sequence[RaceScore], kept: int | None, *, drop_disqualified: bool = False
) -> frozenset[int]:
    """Rule 3.2: the ids of the lowest-scoring races beyond the best ``kept`` (S − N).

    A disqualification is dropped only with ``drop_disqualified``; otherwise it counts and
    the next lowest other score goes instead, or fewer go if no other can. Among equal
    scores the earlier race is dropped first; the total is the same either way.
    """
    count = drops_due(len(scores), kept)
    if count == 0:
        return frozenset()
    droppable = [s for s in scores if drop_disqualified or not s.disqualified]
    lowest = sorted(droppable, key=lambda s: s.points)
    return frozenset(s.race.id for s in lowest[:count])


def deductions_of(
    penalties: Iterable[Penalty], entry_id: int, after_round: int | None
) -> tuple[Penalty, ...]:
    """Rules 3.3 and 6: the entry's points deductions of rounds up to ``after_round``."""
    return tuple(
        p
        for p in penalties
        if p.kind == POINTS
        and p.entry_id == entry_id
        and (after_round is None or p.round <= after_round)
    )


def driver_total(
    scores: Iterable[RaceScore], dropped: Collection[int], deductions: Iterable[Penalty]
) -> Decimal:
    """Rule 3.3: the kept scores minus the deductions; the total may be negative."""
    kept = sum((s.points for s in scores if s.race.id not in dropped), ZERO)
    return kept - sum((p.value or ZERO for p in deductions), ZERO)


def has_row(scores: Iterable[RaceScore]) -> bool:
    """Rule 3.4 (and 5.5 per member): a row needs at least one result, of any status, in scope."""
    return any(s.result is not None for s in scores)


# 4. Order and ties --------------------------------------------------------------------------


def countback_key(ranks: Iterable[int | None], depth: int) -> tuple[int, ...]:
    """Rules 4.1 and 5.4: more rank-1 finishes first, then rank-2, and so on.

    Counts are negated so that the key sorts best first; ``depth`` (the deepest rank any
    row of the table holds) makes keys of one table the same length.
    """
    counts = Counter(rank for rank in ranks if rank is not None)
    return tuple(-counts[rank] for rank in range(1, depth + 1))


def recent_race_key(ranks_in_race_order: Sequence[int | None]) -> tuple[int, ...]:
    """Rule 4.2: the better rank in the most recent race where two rows differ."""
    return tuple(NO_RANK if rank is None else rank for rank in reversed(ranks_in_race_order))


def order_key(
    total: Decimal, tie_break: str, *tie_keys: tuple[int, ...]
) -> tuple[Decimal | tuple[int, ...], ...]:
    """Rule 4: highest total first; with countback, equal totals are split by ``tie_keys``."""
    return (-total, *tie_keys) if tie_break == COUNTBACK else (-total,)


def positions(keys: Sequence[object], style: str) -> list[int]:
    """Rule 4: rows with equal keys share a position, standard 1, 2, 2, 4 or dense 1, 2, 2, 3."""
    numbers: list[int] = []
    for index, key in enumerate(keys):
        if index and key == keys[index - 1]:
            numbers.append(numbers[-1])
        else:
            numbers.append((numbers[-1] + 1 if numbers else 1) if style == DENSE else index + 1)
    return numbers


# 5. Teams and dealer trophy tables ----------------------------------------------------------


def team_members(entries: Iterable[Entry], *, dealers: bool) -> dict[str, tuple[Entry, ...]]:
    """Rules 5.1 and 5.2: eligible entries by team; only ``dealer_trophy`` ones for dealers."""
    teams: dict[str, list[Entry]] = {}
    for entry in entries:
        if is_eligible(entry) and (entry.dealer_trophy or not dealers):
            teams.setdefault(entry.team, []).append(entry)
    return {team: tuple(members) for team, members in teams.items()}


def scoring_cars(scores: Iterable[RaceScore], cars: int) -> tuple[RaceScore, ...]:
    """Rule 5.1: the ``cars`` highest scores; among equal scores the better-ranked car first."""
    ranked = sorted(scores, key=lambda s: (-s.points, NO_RANK if s.rank is None else s.rank))
    return tuple(ranked[:cars])
