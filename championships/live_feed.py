"""The live running order a timing provider pushes, read from JSON or from the timing
system's partial file, every problem reported by where it is.

The partial file is the classification export written mid-session, semicolon- or
comma-separated, its header naming ``POSITION;NUMBER;LAPS`` and any of ``GAP_FIRST``,
``LAST_LAP_TIME``, ``FL_TIME``, ``STATUS`` and ``IN_PIT``. The JSON body says the same with
the names of ``FIELDS`` (``{"sequence": 12, "flag": "GREEN", "cars": [{"position": 1,
"number": 55, "laps": 7, "gap": "", "last_lap": "2:05.321", "best_lap": "2:04.998",
"status": "RUNNING", "pit": false}, …]}``). Both give one ``LiveFeed``; a problem in a file
is told by line and column, in a JSON body by its path (``cars[2].gap``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from championships.bundle import fields
from championships.models import LiveCarStatus, LiveFlag
from championships.timing import duration
from core.imports import Columns, CsvRow, FileError, FileIssue, IssueLog, RowCheck, read_csv

FILE = "live.csv"
BODY = "live.json"
MAX_CARS = 99

# The JSON body's names of the partial file's columns.
FIELDS = {
    "position": "POSITION",
    "number": "NUMBER",
    "laps": "LAPS",
    "gap": "GAP_FIRST",
    "last_lap": "LAST_LAP_TIME",
    "best_lap": "FL_TIME",
    "status": "STATUS",
    "pit": "IN_PIT",
}
COLUMNS = Columns(
    required=("POSITION", "NUMBER", "LAPS"),
    optional=("GAP_FIRST", "LAST_LAP_TIME", "FL_TIME", "STATUS", "IN_PIT"),
    others_allowed=True,
)

# The words of the common systems, lower-cased, for each live status.
STATUSES = {
    "running": LiveCarStatus.RUNNING,
    "run": LiveCarStatus.RUNNING,
    "on track": LiveCarStatus.RUNNING,
    "pit": LiveCarStatus.PIT,
    "in pit": LiveCarStatus.PIT,
    "in the pits": LiveCarStatus.PIT,
    "finished": LiveCarStatus.FINISHED,
    "fin": LiveCarStatus.FINISHED,
    "classified": LiveCarStatus.FINISHED,
    "retired": LiveCarStatus.DNF,
    "ret": LiveCarStatus.DNF,
    "dnf": LiveCarStatus.DNF,
    "dns": LiveCarStatus.DNS,
    "did not start": LiveCarStatus.DNS,
    "dsq": LiveCarStatus.DSQ,
    "disqualified": LiveCarStatus.DSQ,
    "excluded": LiveCarStatus.DSQ,
}
FLAGS = {
    **{value.lower(): value for value in LiveFlag.values},
    "safety car": LiveFlag.SAFETY_CAR,
    "virtual safety car": LiveFlag.VIRTUAL_SAFETY_CAR,
    "finish": LiveFlag.CHEQUERED,
    "checkered": LiveFlag.CHEQUERED,
}
_YES = {"1", "true", "yes", "y", "b", "p", "pit"}
_NO = {"", "0", "false", "no", "n"}
_SECONDS = re.compile(r"\d{1,5}(?:[.,]\d{1,3})?")
_LAPS_BEHIND = re.compile(r"(\d{1,3})\s*(?:l|lap|laps)", re.IGNORECASE)


@dataclass(frozen=True)
class LiveCar:
    position: int
    car_number: int
    laps: int
    gap: dt.timedelta | None = None  # behind the leader, on the leader's lap
    gap_laps: int = 0  # laps behind the leader
    last_lap: dt.timedelta | None = None
    best_lap: dt.timedelta | None = None
    status: str = LiveCarStatus.RUNNING
    pit: bool = False
    line: int | None = None  # where the car was read, for the refusals that follow
    where: str = ""  # "line 4" or "cars[3]"

    def stored(self) -> dict[str, Any]:
        """The car as ``LiveTiming.cars`` keeps it: times in milliseconds."""
        return {
            "position": self.position,
            "car_number": self.car_number,
            "laps": self.laps,
            "gap_ms": milliseconds(self.gap),
            "gap_laps": self.gap_laps,
            "last_lap_ms": milliseconds(self.last_lap),
            "best_lap_ms": milliseconds(self.best_lap),
            "status": self.status,
            "pit": self.pit,
        }


@dataclass(frozen=True)
class LiveFeed:
    cars: tuple[LiveCar, ...]
    flag: str = LiveFlag.GREEN
    sequence: int | None = None  # None: one above the last
    file: str = BODY


def milliseconds(value: dt.timedelta | None) -> int | None:
    return None if value is None else value // dt.timedelta(milliseconds=1)


def live_time(value: str) -> dt.timedelta:
    """A lap time or a gap: 1'58.056, 1:58.056, 58.056, or seconds alone (118.056)."""
    text = value.strip().removeprefix("+")
    if _SECONDS.fullmatch(text):
        seconds, _sep, fraction = text.replace(",", ".").partition(".")
        return dt.timedelta(seconds=int(seconds), milliseconds=int(fraction.ljust(3, "0") or 0))
    return duration(text)


def gap_of(value: str) -> tuple[dt.timedelta | None, int]:
    """A gap to the leader: a time (+1.234), laps behind (+1 LAP, 2 Laps, 1L), or nothing."""
    text = value.strip().removeprefix("+").strip()
    if text in ("", "-", "—"):
        return None, 0
    laps = _LAPS_BEHIND.fullmatch(text)
    if laps:
        return None, int(laps.group(1))
    try:
        return live_time(text), 0
    except ValueError:
        raise ValueError(_("expected a gap such as +1.234, +1:02.345 or +1 LAP")) from None


def status_of(value: str) -> str:
    status = STATUSES.get(" ".join(value.lower().split()))
    if status is None:
        words = ", ".join(sorted({word.upper() for word in STATUSES if len(word) <= 3}))
        raise ValueError(_("expected a status such as RUNNING, PIT, %(words)s") % {"words": words})
    return status


def flag_of(value: str) -> str:
    flag = FLAGS.get(" ".join(value.lower().split()))
    if flag is None:
        raise ValueError(_("expected a flag: %(flags)s") % {"flags": ", ".join(LiveFlag.values)})
    return flag


def yes_no(value: str) -> bool:
    text = value.strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(_("expected yes or no (1 or 0, true or false)"))


def parse_live_csv(text: str, *, flag: str | None = None, sequence: str | None = None) -> LiveFeed:
    """The partial file; ``flag`` and ``sequence`` come from the request's query."""
    issues: list[FileIssue] = []
    log = IssueLog(FILE, issues)
    rows = read_csv(text.removeprefix("\ufeff"), COLUMNS, log) or []
    cars = _cars(
        [RowCheck(row, log) for row in rows],
        log,
        lambda check: _("line %(line)s") % {"line": check.line},
    )
    head = _head(flag, sequence, log)
    if issues:
        raise FileError(issues)
    return LiveFeed(tuple(cars), *head, file=FILE)


def parse_live_json(body: Any) -> LiveFeed:
    """The JSON body (already decoded)."""
    issues: list[FileIssue] = []
    log = IssueLog(BODY, issues)
    if not isinstance(body, dict) or not isinstance(body.get("cars"), list):
        log.add(None, "cars", _("expected an object with a list of cars"))
        raise FileError(issues)
    checks = []
    for index, car in enumerate(body["cars"]):
        if isinstance(car, dict):
            checks.append(_JsonCheck(index, car, log))
        else:
            log.add(None, f"cars[{index}]", _("expected an object"))
    cars = _cars(checks, log, lambda check: f"cars[{check.index}]")
    head = _head(_text(body.get("flag")), _text(body.get("sequence")), log)
    if issues:
        raise FileError(issues)
    return LiveFeed(tuple(cars), *head, file=BODY)


class _JsonCheck(RowCheck):
    """A car of the JSON body read like a row of the file; a problem named by its path."""

    def __init__(self, index: int, car: dict[str, Any], log: IssueLog) -> None:
        values = {column: _text(car.get(name)) for name, column in FIELDS.items()}
        super().__init__(CsvRow(index + 1, values), log)
        self.index = index
        self.names = {column: name for name, column in FIELDS.items()}

    def fail(self, column: str | None, message: str) -> None:
        self.ok = False
        where = f"cars[{self.index}]" + (f".{self.names[column]}" if column else "")
        self.log.add(None, where, message)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _head(flag: str | None, sequence: str | None, log: IssueLog) -> tuple[str, int | None]:
    parsed_flag, parsed_sequence = LiveFlag.GREEN, None
    try:
        parsed_flag = flag_of(flag) if flag else LiveFlag.GREEN
    except ValueError as error:
        log.add(None, "flag", f"{error}, " + _("not %(value)r") % {"value": flag})
    try:
        parsed_sequence = fields.whole_number(sequence, low=1, high=2**31 - 1) if sequence else None
    except ValueError as error:
        log.add(None, "sequence", f"{error}, " + _("not %(value)r") % {"value": sequence})
    return parsed_flag, parsed_sequence


def _cars(checks: list[RowCheck], log: IssueLog, where: Any) -> list[LiveCar]:
    if not checks and not log.issues:
        log.add(None, None, _("has no cars"))
    if len(checks) > MAX_CARS:
        log.add(None, None, _("has more than %(count)s cars") % {"count": MAX_CARS})
        return []
    cars: list[LiveCar] = []
    for check in checks:
        car = _car(check, where(check))
        if car is not None and _unique(check, cars, car):
            cars.append(car)
    return sorted(cars, key=lambda car: car.position)


def _car(check: RowCheck, where: str) -> LiveCar | None:
    gap = check.get("GAP_FIRST", gap_of, optional=True) or (None, 0)
    car = LiveCar(
        position=check.get("POSITION", lambda v: fields.whole_number(v, low=1, high=999)),
        car_number=check.get("NUMBER", fields.car_number),
        laps=check.get("LAPS", lambda v: fields.whole_number(v, low=0, high=9999)),
        gap=gap[0],
        gap_laps=gap[1],
        last_lap=check.get("LAST_LAP_TIME", live_time, optional=True),
        best_lap=check.get("FL_TIME", live_time, optional=True),
        status=check.get("STATUS", status_of, optional=True) or LiveCarStatus.RUNNING,
        pit=bool(check.get("IN_PIT", yes_no, optional=True)),
        line=check.line,
        where=where,
    )
    return car if check.ok else None


def _unique(check: RowCheck, cars: list[LiveCar], car: LiveCar) -> bool:
    for other in cars:
        if other.car_number == car.car_number:
            message = _("car %(car)s is already at %(where)s")
            check.fail("NUMBER", message % {"car": car.car_number, "where": other.where})
        elif other.position == car.position:
            message = _("position %(position)s is already car %(car)s's at %(where)s")
            values = {"position": car.position, "car": other.car_number, "where": other.where}
            check.fail("POSITION", message % values)
    return check.ok
