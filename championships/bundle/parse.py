"""A whole bundle from its files: each file parsed, then checked against the others.

Pure: no database. Every problem in every file is collected; a file that cannot be read is
reported and the others are still checked, against what could be read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.utils.translation import gettext

from championships.bundle.calendar_file import Calendar, parse_calendar
from championships.bundle.class_changes_file import KnownEntries, parse_class_changes
from championships.bundle.entries_file import ClassRules, Entries, parse_entries
from championships.bundle.penalties_file import Known, parse_penalties
from championships.bundle.reader import (
    CALENDAR_FILE,
    CLASS_CHANGES_FILE,
    ENTRIES_FILE,
    PENALTIES_FILE,
    TOML_FILE,
    Files,
)
from championships.bundle.results_file import parse_results, race_key
from championships.bundle.spec import PenaltySpec, RaceKey, ResultSpec, SeasonSpec
from championships.bundle.toml_file import parse_championship
from championships.models import PenaltyKind
from core.imports import FileIssue, IssueLog, decode

T = TypeVar("T")
REQUIRED_FILES = (TOML_FILE, CALENDAR_FILE, ENTRIES_FILE)
RaceResults = dict[RaceKey, list[ResultSpec] | None]  # None: the file could not be read


def parse_bundle(files: Files, issues: list[FileIssue]) -> SeasonSpec:
    """The season as far as it could be read. It is complete and consistent only if no
    problem was added to ``issues`` (which may hold the reader's problems already)."""
    texts = _texts(files, issues)
    championship = _parse(texts, TOML_FILE, issues, parse_championship)
    calendar = _parse(texts, CALENDAR_FILE, issues, parse_calendar) or Calendar(race_keys=None)
    classes = {c.code: c.admission() for c in championship.classes} if championship else None
    rules = ClassRules(classes, calendar.first_day())
    entries = _parse(texts, ENTRIES_FILE, issues, lambda t, log: parse_entries(t, log, rules))
    entries = entries or Entries(car_numbers=None)
    names, results = _results(texts, issues, calendar.race_keys, entries.car_numbers)
    known = Known(calendar.race_keys, entries.car_numbers, results)
    penalties = _parse(texts, PENALTIES_FILE, issues, lambda t, log: parse_penalties(t, log, known))
    _check_times_for_time_penalties(penalties or [], names, results, issues)
    codes = [c.code for c in championship.classes] if championship else None
    moves = KnownEntries(codes, entries.car_numbers, entries.entries)
    changes = _parse(
        texts, CLASS_CHANGES_FILE, issues, lambda t, log: parse_class_changes(t, log, moves)
    )
    return SeasonSpec(
        championship=championship,
        meetings=calendar.sorted_meetings(),
        entries=entries.entries,
        results={key: rows for key, rows in results.items() if rows},
        penalties=penalties or [],
        first_day=rules.first_day,
        class_changes=changes or [],
    )


def _texts(files: Files, issues: list[FileIssue]) -> dict[str, str | None]:
    """Each file's text; None for a file that is not UTF-8 (reported)."""
    for name in REQUIRED_FILES:
        if name not in files:
            issues.append(FileIssue(name, None, None, "is missing from the bundle"))
    return {name: decode(data, IssueLog(name, issues)) for name, data in files.items()}


def _parse(
    texts: dict[str, str | None],
    name: str,
    issues: list[FileIssue],
    parse: Callable[[str, IssueLog], T | None],
) -> T | None:
    text = texts.get(name)
    return None if text is None else parse(text, IssueLog(name, issues))


def _results(
    texts: dict[str, str | None],
    issues: list[FileIssue],
    race_keys: set[RaceKey] | None,
    car_numbers: dict[int, int] | None,
) -> tuple[dict[RaceKey, str], RaceResults]:
    """The results of each race, and the name of the file each came from."""
    names: dict[RaceKey, str] = {}
    results: RaceResults = {}
    for name in sorted((n for n in texts if n.startswith("results/")), key=_results_order):
        log, key = IssueLog(name, issues), race_key(name)
        if key is None:
            message = gettext("expected a results file name R<round>-<race>.csv, e.g. R1-2.csv")
            log.add(None, None, message)
        elif key in names:
            log.add(None, None, gettext("holds the same race as %(file)s") % {"file": names[key]})
        else:
            if race_keys is not None and key not in race_keys:
                message = gettext("calendar.csv has no race %(race)s in round %(round)s")
                log.add(None, None, message % {"race": key[1], "round": key[0]})
            names[key] = name
            text = texts[name]
            results[key] = None if text is None else parse_results(text, log, car_numbers)
    return names, results


def _results_order(name: str) -> tuple[RaceKey, str]:
    return race_key(name) or (0, 0), name


def _check_times_for_time_penalties(
    penalties: list[PenaltySpec],
    names: dict[RaceKey, str],
    results: RaceResults,
    issues: list[FileIssue],
) -> None:
    """A time penalty changes the order by total time, so every classified car needs one."""
    lines = {(p.round, p.race): p.line for p in penalties if p.kind == PenaltyKind.TIME}
    for key, line in lines.items():
        for result in results.get(key) or []:
            if result.position is not None and result.total_time is None:
                message = gettext(
                    "is empty, but penalties.csv line %(line)s gives this race a time penalty, "
                    "so every classified car needs its total time"
                ) % {"line": line}
                issues.append(FileIssue(names[key], result.line, "TIME", message))
