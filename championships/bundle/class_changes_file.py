"""class-changes.csv (optional): entries that changed class during the season (rule 7).

An entry's class in entries.csv is its class at its first race; each row here moves it to
another class from a date on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext

from championships.bundle import fields
from championships.bundle.spec import ClassChangeSpec, EntrySpec
from core.imports import Columns, IssueLog, RowCheck, read_csv

COLUMNS = Columns(required=("car_number", "class", "from"))


@dataclass(frozen=True)
class KnownEntries:
    """What moves refer to; None where the file saying it could not be read."""

    classes: Collection[str] | None  # championship.toml's class codes
    car_numbers: Mapping[int, int] | None  # entries.csv's car numbers
    entries: list[EntrySpec]  # entries.csv's readable rows, for their first class


def parse_class_changes(
    text: str, log: IssueLog, known: KnownEntries
) -> list[ClassChangeSpec] | None:
    rows = read_csv(text, COLUMNS, log)
    if rows is None:
        return None
    changes = []
    for row in rows:
        check = RowCheck(row, log)
        change = _change(check)
        if change is not None:
            _check_references(check, change, known)
        if check.ok and change is not None:
            changes.append(change)
    return _in_order(changes, log, known)


def _change(check: RowCheck) -> ClassChangeSpec | None:
    change = ClassChangeSpec(
        line=check.line,
        car_number=check.get("car_number", fields.car_number),
        class_code=check.get("class", lambda v: fields.text(v.upper(), max_length=20)),
        from_date=check.get("from", fields.date),
    )
    return change if check.ok else None


def _check_references(check: RowCheck, change: ClassChangeSpec, known: KnownEntries) -> None:
    if known.car_numbers is not None and change.car_number not in known.car_numbers:
        message = gettext("car %(car)s is not in entries.csv")
        check.fail("car_number", message % {"car": change.car_number})
    if known.classes is not None and change.class_code not in known.classes:
        expected = ", ".join(known.classes)
        message = gettext("expected a class of championship.toml (%(classes)s)")
        check.fail("class", message % {"classes": expected})


def _in_order(
    changes: list[ClassChangeSpec], log: IssueLog, known: KnownEntries
) -> list[ClassChangeSpec]:
    """The moves by car and date; a second move of a car on one day, or a move to the class
    the car already holds that day, is reported and left out."""
    first_class = {entry.car_number: entry.class_code for entry in known.entries}
    held: dict[int, tuple[dt.date | None, str | None, int | None]] = {}
    kept = []
    for change in sorted(changes, key=lambda c: (c.car_number, c.from_date, c.line)):
        day, code, line = held.get(change.car_number, (None, None, None))
        code = code or first_class.get(change.car_number)
        if day == change.from_date:
            message = gettext("car %(car)s already moves on %(day)s on line %(line)s") % {
                "car": change.car_number,
                "day": day,
                "line": line,
            }
            log.add(change.line, "from", message)
        elif code == change.class_code:
            message = gettext("car %(car)s is in class %(code)s on %(day)s already") % {
                "car": change.car_number,
                "code": code,
                "day": change.from_date,
            }
            log.add(change.line, "class", message)
        else:
            held[change.car_number] = (change.from_date, change.class_code, change.line)
            kept.append(change)
    return kept
