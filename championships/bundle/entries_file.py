"""entries.csv: one row per car, with its driver, team and class."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.text import slugify
from django.utils.translation import gettext

from championships.bundle import fields
from championships.bundle.spec import EntrySpec
from championships.models import ChampionshipClass
from core.imports import Columns, IssueLog, RowCheck, read_csv
from entries.models import class_admission_problem

FLAGS = ("rookie", "guest", "arrive_and_drive", "dealer_trophy")
COLUMNS = Columns(
    required=(
        "car_number",
        "first_name",
        "last_name",
        "nationality",
        "date_of_birth",
        "category",
        "team",
        "class",
    ),
    optional=FLAGS,
)


@dataclass
class Entries:
    entries: list[EntrySpec] = field(default_factory=list)
    # Every car number a row names, even a row with other problems (see Calendar.race_keys).
    # None when entries.csv could not be read: then nothing is checked against it.
    car_numbers: dict[int, int] | None = field(default_factory=dict)  # car number: line
    drivers: dict[str, int] = field(default_factory=dict)  # driver slug: line
    teams: dict[str, tuple[str, int]] = field(default_factory=dict)  # team slug: (name, line)


@dataclass(frozen=True)
class ClassRules:
    """What the entries are checked against: championship.toml's classes (None if that file
    could not be read) and the local date of the season's first race."""

    classes: dict[str, ChampionshipClass] | None
    first_day: dt.date | None


def parse_entries(text: str, log: IssueLog, rules: ClassRules) -> Entries | None:
    rows = read_csv(text, COLUMNS, log)
    if rows is None:
        return None
    entries = Entries()
    for row in rows:
        check = RowCheck(row, log)
        car_number = check.get("car_number", fields.car_number)
        entry = _entry(check, car_number)
        _check_unique(check, entries, car_number, entry)
        if entry and check.ok:
            _check_class(check, entry, rules)
        if entry and check.ok:
            entries.entries.append(entry)
    return entries


def _entry(check: RowCheck, car_number: int | None) -> EntrySpec | None:
    spec = EntrySpec(
        line=check.line,
        car_number=car_number,
        first_name=check.get("first_name", lambda v: fields.text(v, max_length=80)),
        last_name=check.get("last_name", lambda v: fields.text(v, max_length=80)),
        nationality=check.get("nationality", fields.country),
        date_of_birth=check.get("date_of_birth", fields.date),
        category=check.get("category", fields.category),
        team=check.get("team", _team_name),
        class_code=check.get("class", lambda v: fields.text(v, max_length=20)),
        **{flag: check.get(flag, fields.yes_no) for flag in FLAGS},
    )
    return spec if check.ok else None


def _check_unique(
    check: RowCheck, entries: Entries, car_number: int | None, entry: EntrySpec | None
) -> None:
    if car_number in entries.car_numbers:
        line = entries.car_numbers[car_number]
        message = gettext("car %(car)s is already entered on line %(line)s")
        check.fail("car_number", message % {"car": car_number, "line": line})
    elif car_number:
        entries.car_numbers[car_number] = check.line
    if entry:
        _check_driver_once(check, entries, entry)
        _check_team_slug(check, entries, entry.team)


def _check_driver_once(check: RowCheck, entries: Entries, entry: EntrySpec) -> None:
    line = entries.drivers.setdefault(entry.driver_key, check.line)
    if line != check.line:
        message = gettext(
            "%(driver)s (%(born)s) is already entered on line %(line)s; "
            "a driver has one entry in a championship"
        )
        driver = f"{entry.first_name} {entry.last_name}"
        born = entry.date_of_birth.year
        check.fail("first_name", message % {"driver": driver, "born": born, "line": line})


def _check_team_slug(check: RowCheck, entries: Entries, team: str) -> None:
    name, line = entries.teams.setdefault(slugify(team), (team, check.line))
    if name != team:
        message = gettext("%(team)r is too like %(known)r on line %(line)s; write it the same way")
        check.fail("team", message % {"team": team, "known": name, "line": line})


def _check_class(check: RowCheck, entry: EntrySpec, rules: ClassRules) -> None:
    if rules.classes is None:
        return  # championship.toml is unreadable, and says so
    entry_class = rules.classes.get(entry.class_code)
    if entry_class is None:
        codes = ", ".join(rules.classes)
        message = gettext("expected a class of championship.toml (%(classes)s), not %(code)r")
        check.fail("class", message % {"classes": codes, "code": entry.class_code})
        return
    problem = class_admission_problem(
        entry_class,
        category=entry.category,
        date_of_birth=entry.date_of_birth,
        first_day=rules.first_day,
    )
    if problem:
        check.fail("class", str(problem))


def _team_name(value: str) -> str:
    name = fields.text(value, max_length=120)
    if not slugify(name):
        raise ValueError(gettext("expected a team name with letters or digits"))
    return name
