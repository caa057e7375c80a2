"""A practice or qualifying classification file, in either format the race upload takes.

The season bundle's columns (``POS``, ``NO``, ``LAPS``, ``BEST_LAP``) or the timing system's
export (``POSITION;NUMBER;STATUS;LAPS;FL_TIME``), told apart by the header as for a race; both
may add ``SECOND_BEST``, the car's second-best lap (what a grid from second-best times reads).
A session ranks cars on their best lap, so a classified car has one, and a car ahead is never
slower than a car behind. Every problem is logged by line and the file's own column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from championships.bundle import fields
from championships.bundle.results_file import position_or_status
from championships.models import ResultStatus
from championships.timing import is_timing_export, lap_time, status_of
from core.imports import Columns, IssueLog, RowCheck, read_csv
from core.numbers import timing as lap_text

BUNDLE = Columns(
    required=("POS", "NO", "LAPS"), optional=("BEST_LAP", "SECOND_BEST"), others_allowed=True
)
TIMING = Columns(
    required=("POSITION", "NUMBER", "STATUS", "LAPS"),
    optional=("FL_TIME", "SECOND_BEST"),
    others_allowed=True,
)


@dataclass(frozen=True)
class SessionColumns:
    """The file's own names of the columns every problem may name."""

    position: str
    car: str
    best: str


BUNDLE_NAMES = SessionColumns("POS", "NO", "BEST_LAP")
TIMING_NAMES = SessionColumns("POSITION", "NUMBER", "FL_TIME")


@dataclass(frozen=True)
class SessionSpec:
    line: int
    car_number: int
    position: int | None
    status: str
    laps: int
    best_lap: dt.timedelta | None
    second_best_lap: dt.timedelta | None


def column_names(text: str | None) -> SessionColumns:
    return TIMING_NAMES if text and is_timing_export(text) else BUNDLE_NAMES


def parse_session(text: str, log: IssueLog) -> list[SessionSpec] | None:
    """The session's lines, or None when the file cannot be read as CSV at all."""
    timing = is_timing_export(text)
    names = column_names(text)
    rows = read_csv(text, TIMING if timing else BUNDLE, log)
    if rows is None:
        return None
    if not rows:
        log.add(None, None, _("has no results"))
    specs: list[SessionSpec] = []
    for row in rows:
        check = RowCheck(row, log)
        spec = _timing_line(check) if timing else _bundle_line(check)
        if spec is not None and _unique(check, specs, spec, names):
            specs.append(spec)
    check_best_lap_order(specs, log, names.best)
    return specs


def _bundle_line(check: RowCheck) -> SessionSpec | None:
    position, status = check.get("POS", position_or_status) or (None, None)
    return _line(check, position, status, "NO", "BEST_LAP")


def _timing_line(check: RowCheck) -> SessionSpec | None:
    status = check.get("STATUS", status_of)
    position = None
    if status == ResultStatus.CLASSIFIED:
        if not check.raw("POSITION"):
            check.fail("POSITION", _("is empty, but STATUS says the car is classified"))
        else:
            position = check.get("POSITION", lambda v: fields.whole_number(v, low=1, high=999))
    return _line(check, position, status, "NUMBER", "FL_TIME")


def _line(
    check: RowCheck, position: int | None, status: str | None, car: str, best: str
) -> SessionSpec | None:
    spec = SessionSpec(
        line=check.line,
        car_number=check.get(car, fields.car_number),
        position=position,
        status=status,
        laps=check.get("LAPS", lambda v: fields.whole_number(v, low=0, high=9999)),
        best_lap=check.get(best, lap_time, optional=True),
        second_best_lap=check.get("SECOND_BEST", lap_time, optional=True),
    )
    if not check.ok:
        return None
    if spec.status == ResultStatus.DNS and (spec.best_lap or spec.second_best_lap):
        check.fail(best, _("is given, but the car did not start: it has no lap time"))
    if spec.position is not None and spec.best_lap is None:
        check.fail(best, _("is empty, but the car is classified: a session ranks on best laps"))
    if spec.second_best_lap is not None:
        if spec.best_lap is None:
            check.fail("SECOND_BEST", _("is given, but the car has no best lap"))
        elif spec.second_best_lap < spec.best_lap:
            message = _("%(second)s is faster than the car's best lap, %(best)s")
            values = {"second": lap_text(spec.second_best_lap), "best": lap_text(spec.best_lap)}
            check.fail("SECOND_BEST", message % values)
    return spec if check.ok else None


def _unique(
    check: RowCheck, specs: list[SessionSpec], spec: SessionSpec, names: SessionColumns
) -> bool:
    for other in specs:
        if other.car_number == spec.car_number:
            message = _("car %(car)s is already on line %(line)s")
            check.fail(names.car, message % {"car": spec.car_number, "line": other.line})
        elif spec.position is not None and other.position == spec.position:
            message = _("position %(position)s is already car %(car)s's on line %(line)s")
            values = {"position": spec.position, "car": other.car_number, "line": other.line}
            check.fail(names.position, message % values)
    return check.ok


def check_best_lap_order(specs: list[SessionSpec], log: IssueLog, column: str) -> None:
    """A car classified ahead has a best lap no slower than each car's behind it."""
    classified = sorted((s for s in specs if s.position is not None), key=lambda s: s.position)
    for ahead, behind in zip(classified, classified[1:], strict=False):
        if ahead.best_lap and behind.best_lap and ahead.best_lap > behind.best_lap:
            message = _(
                "car %(car)s is classified %(position)s with %(time)s, but car %(behind)s "
                "behind it (line %(line)s) did %(behind_time)s; a session ranks on best laps"
            )
            values = {
                "car": ahead.car_number,
                "position": ahead.position,
                "time": lap_text(ahead.best_lap),
                "behind": behind.car_number,
                "line": behind.line,
                "behind_time": lap_text(behind.best_lap),
            }
            log.add(ahead.line, column, message % values)
