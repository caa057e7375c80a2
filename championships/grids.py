"""Starting grids, as rules over plain data: no database here.

Race 1 starts in qualifying order (each car's best time; the groups of a split qualifying
merged by time or alternating), a later race as the championship sets: second-best qualifying
times, the previous race's finishing order, or that order with its top N reversed. Then the
grid penalties of earlier decisions move cars back. ``grid_services`` reads the rows and
writes the grid; these functions decide it.

The rules, each tested by its name in ``tests/championships/test_grid_rules.py``:

- ``ranked_by_time``: the cars classified in qualifying by their time (a tie: the lower car
  number ahead), then those not classified that set one (retired, not classified) by it, then
  the cars without a time, by car number, and the disqualified last, by car number.
- ``merged_by_time``: every group's cars ranked together.
- ``merged_alternating``: the timed cars of each group ranked alone; the group of the fastest
  car takes pole and the groups alternate row by row (1, 2, 1, 2…, more groups in turn); when
  one runs out the others continue in order; then every group's cars without a time, ranked
  together (disqualified last).
- ``finishing_order``: classified cars by position, then the cars not classified by laps
  done (most first, then car number), disqualified cars last.
- ``top_reversed``: the first N of an order reversed (all of them when fewer than N); the
  caller counts only classified cars in N, so a car not classified is never reversed forward.
- ``penalties_applied``: a car penalised N places starts N places behind its place (several
  decisions add up), never beyond the last place; the cars between move up; two penalised
  cars aiming at the same place keep their order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from championships.models import ResultStatus


@dataclass(frozen=True)
class Timed:
    """A car's qualifying: its group and best and second-best lap times."""

    entry_id: int
    car_number: int
    group: str = ""
    best: dt.timedelta | None = None
    second_best: dt.timedelta | None = None
    status: str = ResultStatus.CLASSIFIED


@dataclass(frozen=True)
class Finish:
    """A car's line of a race's classification."""

    entry_id: int
    car_number: int
    position: int | None
    status: str
    laps: int


@dataclass(frozen=True)
class Placed:
    """A car in an order, with the time it was ranked on (None: not ranked on a time)."""

    entry_id: int
    car_number: int
    time: dt.timedelta | None = None


@dataclass(frozen=True)
class Slot:
    """A car's place on the grid: ``position`` after penalties, ``qualified`` before them."""

    position: int
    qualified: int
    entry_id: int
    car_number: int
    time: dt.timedelta | None
    places_back: int


Key = Callable[[Timed], dt.timedelta | None]


def best_time(car: Timed) -> dt.timedelta | None:
    return car.best


def second_best_time(car: Timed) -> dt.timedelta | None:
    return car.second_best


def _tier(car: Timed, key: Key) -> int:
    """0 classified with a time, 1 not classified with one, 2 no time, 3 disqualified."""
    if car.status == ResultStatus.DSQ:
        return 3
    if key(car) is None:
        return 2
    return 0 if car.status == ResultStatus.CLASSIFIED else 1


def ranked_by_time(cars: Iterable[Timed], key: Key = best_time) -> list[Placed]:
    def order(car: Timed) -> tuple[int, dt.timedelta, int]:
        tier = _tier(car, key)
        time = key(car) if tier < 2 else None
        return (tier, time or dt.timedelta(0), car.car_number)

    ranked = sorted(cars, key=order)
    return [Placed(c.entry_id, c.car_number, key(c) if _tier(c, key) < 2 else None) for c in ranked]


def merged_by_time(cars: Sequence[Timed], key: Key = best_time) -> list[Placed]:
    return ranked_by_time(cars, key)


def merged_alternating(cars: Sequence[Timed], key: Key = best_time) -> list[Placed]:
    timed = [car for car in cars if _tier(car, key) < 2]
    groups: dict[str, list[Placed]] = {}
    for car in timed:
        groups.setdefault(car.group, [])
    for group in groups:
        groups[group] = ranked_by_time([c for c in timed if c.group == group], key)

    def fastest(group: str) -> tuple[dt.timedelta, str]:
        return (groups[group][0].time or dt.timedelta(0), group)

    queues = [list(groups[group]) for group in sorted(groups, key=fastest)]
    order: list[Placed] = []
    while any(queues):
        for queue in queues:
            if queue:
                order.append(queue.pop(0))
    untimed = ranked_by_time([car for car in cars if _tier(car, key) >= 2], key)
    return [*order, *untimed]


def finishing_order(finishes: Iterable[Finish]) -> list[Placed]:
    finishes = list(finishes)
    classified = sorted((f for f in finishes if f.position is not None), key=lambda f: f.position)
    others = [f for f in finishes if f.position is None and f.status != ResultStatus.DSQ]
    others.sort(key=lambda f: (-f.laps, f.car_number))
    disqualified = sorted(
        (f for f in finishes if f.status == ResultStatus.DSQ), key=lambda f: f.car_number
    )
    return [Placed(f.entry_id, f.car_number) for f in [*classified, *others, *disqualified]]


def top_reversed(order: Sequence[Placed], n: int) -> list[Placed]:
    n = min(n, len(order))
    return [*reversed(order[:n]), *order[n:]]


def penalties_applied(order: Sequence[Placed], places: dict[int, int]) -> list[Slot]:
    """``places``: the places back each penalised entry takes, summed over its decisions."""
    qualified = {car.entry_id: index for index, car in enumerate(order, start=1)}
    back = {entry: n for entry, n in places.items() if n > 0 and entry in qualified}
    grid = [car for car in order if car.entry_id not in back]
    moved = sorted(
        (car for car in order if car.entry_id in back),
        key=lambda car: (qualified[car.entry_id] + back[car.entry_id], qualified[car.entry_id]),
    )
    last = -1
    for car in moved:  # ascending targets: each lands on its own, after any aiming there first
        index = max(qualified[car.entry_id] + back[car.entry_id] - 1, last + 1)
        last = min(index, len(grid))
        grid.insert(last, car)
    return [
        Slot(
            position=position,
            qualified=qualified[car.entry_id],
            entry_id=car.entry_id,
            car_number=car.car_number,
            time=car.time,
            places_back=back.get(car.entry_id, 0),
        )
        for position, car in enumerate(grid, start=1)
    ]
