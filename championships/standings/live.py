"""As it stands: a race in progress as if it ended now, for the same rules as every table.

The live running order becomes the race's results (``live_results``): a car running, in the
pits or finished is classified in its running position, a retired, non-starting or
disqualified car is not; the gap to the leader stands for its time (so that a time penalty
already decided reorders it as rule 1.3 says), the grid is the published one (rule 2.2's pole).
``season_with`` puts that race into the season in place of its results so far, and
``movements`` compares each table with the one before the race.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from championships.standings.data import CLASSIFIED, DSQ, Race, Result, Season
from championships.standings.progress import row_key
from championships.standings.tables import Table

# The live statuses (``LiveCarStatus``) of a car that would be classified if the race ended now.
RUNNING = frozenset({"RUNNING", "PIT", "FINISHED"})
# Every other live status as the result's status.
NOT_RUNNING = {"DNF": "DNF", "DNS": "DNS", "DSQ": DSQ}


def live_results(
    cars: Sequence[Mapping[str, Any]],
    entry_of: Mapping[int, int],
    grid: Mapping[int, int],
) -> tuple[Result, ...]:
    """The stored live cars (``LiveTiming.cars``) as results: ``entry_of`` maps a car number
    to its entry, ``grid`` a car number to its published grid position. A car number that is
    no entry of the championship has no result.

    A car's time is its gap to the leader (the leader's 0); without a gap for every car on
    the lead lap, no car has a time, and rule 1.3 then keeps the running order as it is rather
    than put a car without a gap ahead of one penalised (the official file must give times)."""
    ordered = sorted(cars, key=lambda car: car["position"])
    timed = _timed(ordered)
    results = []
    position = 0
    for car in ordered:
        entry_id = entry_of.get(car["car_number"])
        if entry_id is None:
            continue
        running = car["status"] in RUNNING
        position += running
        results.append(
            Result(
                entry_id=entry_id,
                position=position if running else None,
                status=CLASSIFIED if running else NOT_RUNNING.get(car["status"], "DNF"),
                laps=car["laps"],
                total_time=_time_behind(car, first=position == 1) if running and timed else None,
                best_lap=_duration(car.get("best_lap_ms")),
                grid=grid.get(car["car_number"]),
            )
        )
    return tuple(results)


def _timed(cars: Sequence[Mapping[str, Any]]) -> bool:
    """Whether every running car on the lead lap but the leader has a gap."""
    running = [car for car in cars if car["status"] in RUNNING and not car.get("gap_laps")]
    return all(car.get("gap_ms") is not None for car in running[1:])


def _time_behind(car: Mapping[str, Any], *, first: bool) -> dt.timedelta | None:
    """The car's time as its gap to the leader: the leader 0, a lapped car none (rule 1.3
    orders by laps first)."""
    if car.get("gap_laps"):
        return None
    return dt.timedelta(0) if first else _duration(car.get("gap_ms"))


def _duration(ms: int | None) -> dt.timedelta | None:
    return None if ms is None else dt.timedelta(milliseconds=ms)


def season_with(season: Season, race: Race) -> Season:
    """The season with ``race`` held as given, in place of its results so far if any."""
    others = [held for held in season.races if held.id != race.id]
    races = sorted([*others, race], key=lambda held: (held.round, held.number))
    return replace(season, races=tuple(races))


def season_without(season: Season, race_id: int) -> Season:
    """The season before the race: its results, if any were recorded, taken out."""
    return replace(season, races=tuple(held for held in season.races if held.id != race_id))


def movements(before: Table, after: Table) -> dict[int | str, int | None]:
    """Each row of ``after`` by key: the places gained (positive) or lost since ``before``;
    None for a row new to the table."""
    was = {row_key(row): row.position for row in before.rows}
    return {
        row_key(row): (was[row_key(row)] - row.position if row_key(row) in was else None)
        for row in after.rows
    }
