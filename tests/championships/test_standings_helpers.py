"""Builders of plain standings data for the standings tests (no database, no tests here).

Cars double as entry ids, and points by rank are short so that every expected total in
a test can be worked out by hand from the rules.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from championships.models import Championship, PenaltyKind
from championships.models import Result as ResultRow
from championships.standings.data import (
    CLASSIFIED,
    Entry,
    Penalty,
    Race,
    Result,
    Scheme,
    Season,
    Settings,
    class_table_key,
)
from championships.standings.tables import DriverRow, SeasonTables, Table, TeamRow
from tests import factories

POINTS = (Decimal(10), Decimal(6), Decimal(4), Decimal(3), Decimal(2), Decimal(1))


def scheme(*points: int | str, pole: int | str = 0, fastest_lap: int | str = 0) -> Scheme:
    by_rank = tuple(Decimal(str(p)) for p in points) if points else POINTS
    return Scheme(by_rank, Decimal(str(pole)), Decimal(str(fastest_lap)))


def entry(car: int, *, team: str = "", cls: str = "PRO", **flags: bool) -> Entry:
    return Entry(car, car, f"Driver {car}", team or f"Team {car}", cls, **flags)


def seconds(value: int | str | None) -> dt.timedelta | None:
    if value is None:
        return None
    return dt.timedelta(microseconds=int(Decimal(str(value)) * 1_000_000))


def result(car: int, position: int | None = None, *, status: str = "DNF", **fields) -> Result:
    """A classified result when ``position`` is given, else one of ``status``."""
    for name in ("total_time", "best_lap"):
        if name in fields:
            fields[name] = seconds(fields[name])
    status = CLASSIFIED if position is not None else status
    return Result(car, position, status, **{"laps": 10, **fields})


def race(round_: int, *results: Result, number: int = 1, factor: str = "1") -> Race:
    return Race(round_ * 100 + number, round_, number, Decimal(factor), tuple(results))


def finish(round_: int, *cars: int, number: int = 1, factor: str = "1") -> Race:
    """A race that the ``cars`` finished in that order, with no grid and no lap times."""
    results = (result(car, position) for position, car in enumerate(cars, start=1))
    return race(round_, *results, number=number, factor=factor)


def penalty(car: int, kind: str, race_: Race | None = None, **fields) -> Penalty:
    round_ = fields.pop("round", race_.round if race_ else 1)
    value = fields.pop("value", None)
    return Penalty(
        entry_id=car,
        kind=kind,
        round=round_,
        race_id=race_.id if race_ else None,
        value=None if value is None else Decimal(str(value)),
        reason=fields.pop("reason", "Stewards' decision"),
    )


def season(
    *races: Race,
    entries: tuple[Entry, ...] | None = None,
    penalties: tuple[Penalty, ...] = (),
    schemes: dict[str, Scheme] | None = None,
    **settings,
) -> Season:
    """A season of ``races``; entries default to every car that appears, in class PRO."""
    if entries is None:
        cars = sorted({r.entry_id for race_ in races for r in race_.results})
        entries = tuple(entry(car) for car in cars)
    codes = tuple(sorted({c for e in entries for c in (e.class_code, *_moved_to(e))}))
    base = {"drivers": scheme(), "rookies": scheme()}
    base |= {class_table_key(code): scheme() for code in codes}
    return Season(
        slug="test",
        races=races,
        entries=entries,
        penalties=penalties,
        schemes=base | (schemes or {}),
        settings=Settings(**settings),
        class_codes=codes,
    )


def _moved_to(entry_: Entry) -> list[str]:
    return [move.class_code for move in entry_.class_moves]


def table(
    season_: Season, name: str = "drivers", cls: str | None = None, after: int | None = None
) -> Table:
    return SeasonTables(season_).table(name, cls, after)


def totals(
    season_: Season, name: str = "drivers", cls: str | None = None, after: int | None = None
) -> dict[int | str, Decimal]:
    """{car number or team: points} of a table."""
    return {_ident(row): row.points for row in table(season_, name, cls, after).rows}


def order(
    season_: Season, name: str = "drivers", cls: str | None = None, after: int | None = None
) -> list[tuple[int, int | str]]:
    """[(position, car number or team)] of a table, in table order."""
    return [(row.position, _ident(row)) for row in table(season_, name, cls, after).rows]


def _ident(row: DriverRow | TeamRow) -> int | str:
    return row.entry.car_number if hasattr(row, "entry") else row.team


def build_championship(entries: int, rounds: int, **fields) -> Championship:
    """A championship in the database: ``entries`` cars racing two races a round.

    Cars finish in number order in odd races and reversed in even ones; every round has a
    time penalty, a disqualification and a points deduction, so each query has rows to load.
    """
    championship = factories.make_championship(**fields)
    cars = [factories.make_entry(championship, n, rookie=n % 3 == 0) for n in range(1, entries + 1)]
    for round_ in range(1, rounds + 1):
        meeting = factories.make_meeting(championship, round_)
        for number in (1, 2):
            race_ = factories.make_race(meeting, number)
            order_ = cars if number == 1 else cars[::-1]
            ResultRow.objects.bulk_create(
                ResultRow(race=race_, entry=car, position=p, laps=10, grid=p)
                for p, car in enumerate(order_, start=1)
            )
        factories.make_penalty(cars[0], PenaltyKind.TIME, race=race_, value=Decimal(1))
        factories.make_penalty(cars[-1], PenaltyKind.DSQ, race=race_)
        factories.make_penalty(cars[1], PenaltyKind.POINTS, meeting=meeting, value=Decimal(2))
    return championship
