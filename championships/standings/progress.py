"""How a table got where it is and where it can still go: progression by round, title maths.

Pure functions over the tables of ``standings.tables``: nothing here touches the database.
The progression plots rule 6 (each table exactly as it stood after round N); the title
maths asks, for each row, the most and the least it can still finish on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from championships.standings.data import DEALERS, DRIVERS, ROOKIES, TEAMS, Scheme, Season
from championships.standings.data import class_table_key as class_key
from championships.standings.rules import drops_due
from championships.standings.tables import DriverRow, Table, TeamRow

ZERO = Decimal(0)
LEADERS = 5

Row = DriverRow | TeamRow


def row_key(row: Row) -> int | str:
    """What identifies a row from one round's table to the next: the entry, or the team."""
    return row.entry.id if isinstance(row, DriverRow) else row.team


def row_label(row: Row) -> str:
    """A row as a line of text: "#55 Kai Lindqvist", or the team's name."""
    return f"#{row.entry.car_number} {row.entry.driver}" if isinstance(row, DriverRow) else row.team


# Progression --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progression:
    """Points after each round, for the rows leading the table."""

    rounds: tuple[int, ...]
    lines: tuple[tuple[Row, tuple[Decimal, ...]], ...]


def progression(table: Table, by_round: Mapping[int, Table], leaders: int = LEADERS) -> Progression:
    """The first ``leaders`` rows of ``table``, with their points in each round's table.

    A row missing from an earlier round's table (no result yet) stood on 0 points then.
    """
    rounds = tuple(sorted(by_round))
    points = {r: {row_key(row): row.points for row in by_round[r].rows} for r in rounds}
    lines = tuple(
        (row, tuple(points[r].get(row_key(row), ZERO) for r in rounds))
        for row in table.rows[:leaders]
    )
    return Progression(rounds, lines)


# Title maths --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RaceLeft:
    """A race still to count: its round and its points factor (rule 2.1)."""

    round: int
    factor: Decimal


@dataclass(frozen=True)
class Chance:
    row: Row
    most: Decimal
    least: Decimal
    can_win: bool


@dataclass(frozen=True)
class TitleMaths:
    races_left: int
    points_available: Decimal
    chances: tuple[Chance, ...]

    @property
    def contenders(self) -> tuple[Chance, ...]:
        return tuple(c for c in self.chances if c.can_win)

    @property
    def decided(self) -> bool:
        return len(self.contenders) == 1 and bool(self.chances)


def races_left(
    races: Iterable[tuple[int, Decimal, bool]], after_round: int | None
) -> tuple[RaceLeft, ...]:
    """Races of (round, factor, held) that the table after ``after_round`` does not count yet.

    A race with factor 0 never counts (words "in scope"), so it is never left either.
    """
    return tuple(
        RaceLeft(round_, factor)
        for round_, factor, held in races
        if factor != 0 and (not held or (after_round is not None and round_ > after_round))
    )


def scheme_for(season: Season, table: str, class_code: str | None) -> tuple[Scheme, int]:
    """The scheme a table scores by and how many cars of a row score in each race (rule 5)."""
    if table in (TEAMS, DEALERS):
        settings = season.settings
        cars = settings.dealer_cars_per_race if table == DEALERS else settings.team_cars_per_race
        return season.schemes[DRIVERS], cars
    key = class_key(class_code) if class_code else (ROOKIES if table == ROOKIES else DRIVERS)
    return season.schemes[key], 1


def race_maximum(scheme: Scheme, factor: Decimal, cars: int = 1) -> Decimal:
    """The most one row can score in one race: the best ``cars`` ranks, pole and fastest lap.

    Rules 2.1 to 2.4 (and 5.1 for a team's cars): rank points times the factor, bonuses not.
    """
    return sum(scheme.race[:cars], ZERO) * factor + scheme.pole + scheme.fastest_lap


def title_maths(
    table: Table,
    left: Sequence[RaceLeft],
    scheme: Scheme,
    cars: int,
    *,
    drop_disqualified: bool = False,
) -> TitleMaths:
    """Who can still win ``table`` with the races ``left``.

    A row can still win (or tie, for countback to decide) while the most it can reach is at
    least the least every other row is sure of. Rows are judged one rival at a time, so a
    row stays "in" even where two rivals could not both take a race's maximum: it is out
    only when no result of the races left can bring it level. With dropped results (rule
    3.2, ``table.best_of``) a race left can replace a score that would otherwise count.
    """
    maxima = [race_maximum(scheme, race.factor, cars) for race in left]
    drops = Drops(table.best_of.kept if table.best_of else None, drop_disqualified)
    bounds = [(row, *row_bounds(row, maxima, drops)) for row in table.rows]
    chances = tuple(
        Chance(
            row,
            most,
            least,
            can_win=all(most >= other[2] for other in bounds if other[0] is not row),
        )
        for row, most, least in bounds
    )
    return TitleMaths(len(left), sum(maxima, ZERO), chances)


@dataclass(frozen=True)
class Drops:
    """Rule 3.2 for a driver table: the best ``kept`` scores count (None: every score)."""

    kept: int | None = None
    disqualified: bool = False


def row_bounds(row: Row, maxima: Sequence[Decimal], drops: Drops) -> tuple[Decimal, Decimal]:
    """The most and the least ``row`` can finish on: every race left won, or every one lost."""
    if isinstance(row, TeamRow):
        # Rule 5.3: a team drops nothing and carries no deductions.
        return row.points + sum(maxima, ZERO), row.points
    scores = [(line.score.points, line.score.disqualified) for line in row.races]
    deducted = sum((p.value or ZERO for p in row.deductions), ZERO)
    most = kept_total([*scores, *((m, False) for m in maxima)], drops) - deducted
    least = kept_total([*scores, *((ZERO, False) for _ in maxima)], drops) - deducted
    return most, least


def kept_total(scores: Sequence[tuple[Decimal, bool]], drops: Drops) -> Decimal:
    """Rule 3.2 on plain (points, disqualified) scores, the season's races as if all held:
    the best ``drops.kept`` count; a disqualification is dropped only if the setting says so."""
    count = drops_due(len(scores), drops.kept)
    droppable = sorted(p for p, disqualified in scores if drops.disqualified or not disqualified)
    return sum((points for points, _ in scores), ZERO) - sum(droppable[:count], ZERO)
