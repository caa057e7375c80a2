"""The classification export of professional timing systems, read into the bundle's results.

Timing systems publish a race's classification as a semicolon-separated file whose header
names columns such as ``POSITION;NUMBER;STATUS;LAPS;TOTAL_TIME;GAP_FIRST;FL_TIME``. Times
may write the minutes with an apostrophe (``1'58.056``), hours with a colon
(``1:02:03.456``) and the decimals with a comma; statuses are words (``Classified``,
``Not classified``, ``Retired`` or ``RET``, ``DNS``, ``DSQ``). Every car gets a position there, so
the position counts only for a classified car.

``parse_classification`` tells the two formats apart by the header and answers the same
``ResultSpec`` rows either way, with every problem logged by line and column (the file's own
column names), so that ``results_import`` checks and writes both alike.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from championships.bundle import fields
from championships.bundle.results_file import check_laps_order, parse_results
from championships.bundle.spec import ResultSpec
from championships.models import ResultStatus
from core.imports import Columns, IssueLog, RowCheck, read_csv

COLUMNS = Columns(
    required=("POSITION", "NUMBER", "STATUS", "LAPS"),
    optional=("TOTAL_TIME", "FL_TIME", "GRID"),
    others_allowed=True,
)

# The words of the common systems, lower-cased, for each status of ours.
STATUSES = {
    "classified": ResultStatus.CLASSIFIED,
    "finished": ResultStatus.CLASSIFIED,
    "not classified": ResultStatus.NC,
    "nc": ResultStatus.NC,
    "retired": ResultStatus.DNF,
    "ret": ResultStatus.DNF,
    "dnf": ResultStatus.DNF,
    "dns": ResultStatus.DNS,
    "did not start": ResultStatus.DNS,
    "not started": ResultStatus.DNS,
    "dsq": ResultStatus.DSQ,
    "disqualified": ResultStatus.DSQ,
    "excluded": ResultStatus.DSQ,
}

# Every accepted spelling, as the refusal of another lists them: Classified, Finished, …
_SPELLINGS = ", ".join(word.upper() if len(word) <= 3 else word.capitalize() for word in STATUSES)

# [H: or H'] M{1,3} (':' or an apostrophe) SS [. or , fraction], or SS.fff alone.
_TIME = re.compile(
    r"(?:(?P<hours>\d{1,2})[:'](?=\d{2}[:'’′]))?(?P<minutes>\d{1,3})[:'’′]"
    r"(?P<seconds>[0-5]\d)(?:[.,](?P<fraction>\d{1,3}))?"
)
_SECONDS = re.compile(r"(?P<seconds>[0-5]?\d)[.,](?P<fraction>\d{1,3})")


def is_timing_export(text: str) -> bool:
    """True when the header names the timing systems' POSITION and NUMBER columns."""
    header = text.removeprefix("\ufeff").partition("\n")[0]
    names = {name.strip().strip('"').upper() for name in re.split(r"[;,]", header)}
    return {"POSITION", "NUMBER"} <= names


def parse_classification(text: str, log: IssueLog) -> list[ResultSpec] | None:
    """A race's results from either a bundle results CSV or a timing system's export."""
    if not is_timing_export(text):
        return parse_results(text, log, car_numbers=None)
    rows = read_csv(text, COLUMNS, log)
    if rows is None:
        return None
    if not rows:
        log.add(None, None, _("has no results"))
    results: list[ResultSpec] = []
    for row in rows:
        check = RowCheck(row, log)
        result = _result(check)
        if result is not None and _unique(check, results, result):
            results.append(result)
    check_laps_order(results, log)
    return results


def _result(check: RowCheck) -> ResultSpec | None:
    status = check.get("STATUS", status_of)
    result = ResultSpec(
        line=check.line,
        car_number=check.get("NUMBER", fields.car_number),
        position=_position(check, status),
        status=status,
        laps=check.get("LAPS", lambda v: fields.whole_number(v, low=0, high=9999)),
        total_time=check.get("TOTAL_TIME", duration, optional=True),
        best_lap=check.get("FL_TIME", lap_time, optional=True),
        grid=check.get("GRID", lambda v: fields.whole_number(v, low=1, high=999), optional=True),
    )
    return result if check.ok else None


def _position(check: RowCheck, status: str | None) -> int | None:
    """A classified car's position; the position the system gives any other car is ignored."""
    if status != ResultStatus.CLASSIFIED:
        return None
    if not check.raw("POSITION"):
        check.fail("POSITION", _("is empty, but STATUS says the car is classified"))
        return None
    return check.get("POSITION", lambda v: fields.whole_number(v, low=1, high=999))


def _unique(check: RowCheck, results: list[ResultSpec], result: ResultSpec) -> bool:
    for other in results:
        if other.car_number == result.car_number:
            message = _("car %(car)s is already on line %(line)s")
            check.fail("NUMBER", message % {"car": result.car_number, "line": other.line})
        elif result.position is not None and other.position == result.position:
            message = _("position %(position)s is already car %(car)s's on line %(line)s")
            values = {"position": result.position, "car": other.car_number, "line": other.line}
            check.fail("POSITION", message % values)
    return check.ok


def status_of(value: str) -> str:
    status = STATUSES.get(" ".join(value.lower().split()))
    if status is None:
        raise ValueError(
            _("expected a status, in any case: %(statuses)s") % {"statuses": _SPELLINGS}
        )
    return status


def duration(value: str) -> dt.timedelta:
    """1:02:03.456, 1:02'03.456, 29:58.123, 1'58.056, 1'58,056 or 58.056 as a duration."""
    match = _TIME.fullmatch(value) or _SECONDS.fullmatch(value)
    if not match:
        raise ValueError(_("expected a time such as 1:02:03.456, 29:58.123 or 1'58.056"))
    parts = match.groupdict()
    hours, minutes = int(parts.get("hours") or 0), int(parts.get("minutes") or 0)
    if hours and minutes > 59:
        raise ValueError(_("expected minutes from 00 to 59 after the hours"))
    fraction = (parts["fraction"] or "0").ljust(3, "0")
    return dt.timedelta(
        hours=hours, minutes=minutes, seconds=int(parts["seconds"]), milliseconds=int(fraction)
    )


def lap_time(value: str) -> dt.timedelta:
    lap = duration(value)
    if not lap:
        raise ValueError(_("expected a lap time above 0"))
    return lap
