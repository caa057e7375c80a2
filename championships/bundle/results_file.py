"""results/R<round>-<race>.csv: a race's final classification as the timing provider gives it."""

from __future__ import annotations

import re

from django.utils.translation import gettext

from championships.bundle import fields
from championships.bundle.spec import RaceKey, ResultSpec
from championships.models import ResultStatus
from core.imports import Columns, IssueLog, RowCheck, read_csv

# Other columns (DRIVER, TEAM, CLASS, GAP, …) may be present and are not needed.
COLUMNS = Columns(
    required=("POS", "NO", "LAPS"), optional=("TIME", "BEST_LAP", "GRID"), others_allowed=True
)
FILE_NAME = re.compile(r"results/R(\d{1,3})-(\d{1,2})\.csv", re.IGNORECASE)
NOT_CLASSIFIED = tuple(s for s in ResultStatus.values if s != ResultStatus.CLASSIFIED)


def race_key(name: str) -> RaceKey | None:
    """(round, race) from a results file name, or None if the name is not R<round>-<race>.csv."""
    match = FILE_NAME.fullmatch(name)
    if not match or not all(int(n) >= 1 for n in match.groups()):
        return None
    return int(match.group(1)), int(match.group(2))


def parse_results(
    text: str, log: IssueLog, car_numbers: dict[int, int] | None
) -> list[ResultSpec] | None:
    """The race's results; ``car_numbers`` are the entries' (None if entries.csv is unreadable)."""
    rows = read_csv(text, COLUMNS, log)
    if rows is None:
        return None
    if not rows:
        log.add(None, None, gettext("has no results; leave out the file of a race not held"))
    results: list[ResultSpec] = []
    for row in rows:
        check = RowCheck(row, log)
        result = _result(check, car_numbers)
        if result and _check_unique(check, results, result):
            results.append(result)
    check_laps_order(results, log)
    return results


def check_laps_order(results: list[ResultSpec], log: IssueLog) -> None:
    """A car classified ahead has done at least the laps of each car behind it (rule 1.3);
    an order that says otherwise is a typing error, refused on the line of the car ahead."""
    classified = sorted((r for r in results if r.position is not None), key=lambda r: r.position)
    for ahead, behind in zip(classified, classified[1:], strict=False):
        if ahead.laps < behind.laps:
            message = gettext(
                "car %(car)s is classified %(position)s on %(laps)s laps, but car %(behind)s "
                "behind it (line %(line)s) did %(behind_laps)s; a car ahead has done at least "
                "the laps of the cars behind"
            )
            values = {"car": ahead.car_number, "position": ahead.position, "laps": ahead.laps}
            values |= {"behind": behind.car_number, "line": behind.line}
            log.add(ahead.line, "LAPS", message % {**values, "behind_laps": behind.laps})


def _result(check: RowCheck, car_numbers: dict[int, int] | None) -> ResultSpec | None:
    position, status = check.get("POS", position_or_status) or (None, None)
    car_number = check.get("NO", fields.car_number)
    if car_number and car_numbers is not None and car_number not in car_numbers:
        check.fail("NO", gettext("car %(car)s is not in entries.csv") % {"car": car_number})
    result = ResultSpec(
        line=check.line,
        car_number=car_number,
        position=position,
        status=status,
        laps=check.get("LAPS", lambda v: fields.whole_number(v, low=0, high=9999)),
        total_time=check.get("TIME", fields.race_time, optional=True),
        best_lap=check.get("BEST_LAP", fields.lap_time, optional=True),
        grid=check.get("GRID", lambda v: fields.whole_number(v, low=1, high=999), optional=True),
    )
    return result if check.ok else None


def _check_unique(check: RowCheck, results: list[ResultSpec], result: ResultSpec) -> bool:
    for other in results:
        if other.car_number == result.car_number:
            message = gettext("car %(car)s is already in this race on line %(line)s")
            check.fail("NO", message % {"car": result.car_number, "line": other.line})
        elif result.position is not None and other.position == result.position:
            message = gettext("position %(position)s is already car %(car)s's on line %(line)s")
            values = {"position": result.position, "car": other.car_number, "line": other.line}
            check.fail("POS", message % values)
    return check.ok


def position_or_status(value: str) -> tuple[int | None, str]:
    if value.upper() in NOT_CLASSIFIED:
        return None, value.upper()
    try:
        return fields.whole_number(value, low=1, high=999), ResultStatus.CLASSIFIED
    except ValueError:
        statuses = ", ".join(NOT_CLASSIFIED)
        message = gettext("expected a finishing position 1, 2, … or %(statuses)s")
        raise ValueError(message % {"statuses": statuses}) from None
