"""The timing systems' lap export: every lap of every car of one session, a line each.

The analysis export of the common timing systems, separated by ``;`` (or ``,``): at least
``NUMBER;LAP_NUMBER;LAP_TIME``, and ``CROSSING_FINISH_LINE_IN_PIT`` (``B`` or any mark when
the lap ended in the pit lane, empty otherwise); other columns (``DRIVER_NUMBER``, sectors,
``KPH``, ``ELAPSED``, ``HOUR``…) are read past. Lap times are written as the timing sheets
write them (``1'58.056``, ``1:58.056``, ``58.056``; a decimal comma too).

Every problem is logged by line and the file's column: a time that does not read, a lap
number below 1, a car's lap given twice, a car whose laps skip a number (lap 5 without lap 4).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from championships.bundle import fields
from championships.timing import lap_time
from core.imports import Columns, IssueLog, RowCheck, read_csv

COLUMNS = Columns(
    required=("NUMBER", "LAP_NUMBER", "LAP_TIME"),
    optional=("CROSSING_FINISH_LINE_IN_PIT",),
    others_allowed=True,
)


@dataclass(frozen=True)
class LapSpec:
    line: int
    car_number: int
    number: int
    time: dt.timedelta
    pit: bool


def parse_laps(text: str, log: IssueLog) -> list[LapSpec] | None:
    """The file's laps, or None when its header cannot be read."""
    rows = read_csv(text, COLUMNS, log)
    if rows is None:
        return None
    if not rows:
        log.add(None, None, _("has no laps"))
    laps: list[LapSpec] = []
    seen: dict[tuple[int, int], int] = {}
    for row in rows:
        check = RowCheck(row, log)
        car = check.get("NUMBER", fields.car_number)
        number = check.get("LAP_NUMBER", lambda v: fields.whole_number(v, low=1, high=9999))
        time = check.get("LAP_TIME", lap_time)
        pit = bool(check.raw("CROSSING_FINISH_LINE_IN_PIT").strip())
        if not check.ok:
            continue
        if (car, number) in seen:
            message = _("car %(car)s's lap %(lap)s is already on line %(line)s")
            check.fail(
                "LAP_NUMBER", message % {"car": car, "lap": number, "line": seen[car, number]}
            )
            continue
        seen[car, number] = check.line
        laps.append(LapSpec(check.line, car, number, time, pit))
    _check_no_gap(laps, log)
    return laps


def _check_no_gap(laps: list[LapSpec], log: IssueLog) -> None:
    """Each car's laps run 1, 2, 3… without a gap: a missing lap is a cut file."""
    by_car: dict[int, list[LapSpec]] = {}
    for lap in laps:
        by_car.setdefault(lap.car_number, []).append(lap)
    for car, its in by_car.items():
        its.sort(key=lambda lap: lap.number)
        expected = 1
        for lap in its:
            if lap.number != expected:
                message = _("car %(car)s has lap %(lap)s but no lap %(missing)s")
                log.add(
                    lap.line,
                    "LAP_NUMBER",
                    message % {"car": car, "lap": lap.number, "missing": expected},
                )
                break
            expected += 1
