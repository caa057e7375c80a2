"""A race's running order lap by lap, from its laps: pure, no database.

``positions_by_lap``: at the end of lap N, the cars that completed N laps ranked by the time
they took for them (the sum of their lap times), as the timing screens show the order; a car
that stopped drops off the chart after its last lap. Ties keep the lower car number ahead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence


def positions_by_lap(laps: Mapping[int, Sequence[dt.timedelta]]) -> dict[int, list[int]]:
    """``{car: [lap times in order]}`` to ``{car: [position after lap 1, after lap 2, …]}``."""
    elapsed: dict[int, list[dt.timedelta]] = {}
    for car, times in laps.items():
        total, running = dt.timedelta(0), []
        for time in times:
            total += time
            running.append(total)
        elapsed[car] = running
    positions: dict[int, list[int]] = {car: [] for car in laps}
    most = max((len(times) for times in elapsed.values()), default=0)
    for lap in range(most):
        running = sorted((times[lap], car) for car, times in elapsed.items() if len(times) > lap)
        for place, (_time, car) in enumerate(running, start=1):
            positions[car].append(place)
    return positions
