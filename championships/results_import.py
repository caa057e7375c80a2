"""``results_import``: one race's results from a results CSV, checked whole, written whole.

The file is a ``results/R<round>-<race>.csv`` of a season bundle (SEASON_FORMAT.md), read
by the bundle's own parser, so a file that a bundle import accepts is accepted here and the
other way round; or the semicolon-separated export of a professional timing system
(``championships.timing``), told apart by its header. Car numbers are those of the race's
championship.

Every problem is reported at once, as ``FileIssue`` (file, line, column,
message), and nothing is written unless there is none. The answer is the difference against
the results held before: rows added, rows changed with each changed field, rows removed. The
API, the back office and the ``import_race_classification`` command all call this function.

Applied, the import is a new version of the race's classification (who, when, why), and it
is refused with ``ClassificationConflict`` if the classification moved past the version the
caller read (``expected_version``): two staff members never silently overwrite each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from championships.bundle.spec import ResultSpec
from championships.models import PenaltyKind, Race, Result, VersionCause
from championships.services import (
    classification_baseline,
    classification_lock,
    classification_record,
)
from championships.standings import data
from championships.timing import is_timing_export, parse_classification
from championships.weekend import published_grid
from core.imports import FileError, FileIssue, IssueLog, decode

# A race's results file is a few kB; a megabyte is far more than any timing sheet. The back
# office upload and the API refuse a larger file alike.
RESULTS_MAX_BYTES = 1024 * 1024

# What a results row holds besides the car, in the order the diff lists changes.
FIELDS = data.RESULT_VALUES


class ResultsError(FileError):
    """The results file was refused; ``issues`` lists every problem. Nothing was written."""


@dataclass(frozen=True)
class ResultRow:
    """One car's line: as the file gives it (``line`` set) or as the database holds it."""

    car_number: int
    position: int | None
    status: str
    laps: int
    total_time: dt.timedelta | None
    best_lap: dt.timedelta | None
    grid: int | None
    line: int | None = None

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FIELDS}


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any

    @property
    def label(self) -> str:
        """The field as the back office names it, in the staff member's language."""
        return result_field_label(self.field)


def result_field_label(name: str) -> str:
    """A result's field by its verbose name ("total time", translated), not its column."""
    try:
        return str(Result._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


@dataclass(frozen=True)
class RowChange:
    """A car in both the file and the database whose line differs."""

    car_number: int
    line: int
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class ResultsDiff:
    """What the import changes (or, with ``dry_run``, would change) in the race's results."""

    race_id: int
    dry_run: bool
    added: tuple[ResultRow, ...]
    changed: tuple[RowChange, ...]
    removed: tuple[ResultRow, ...]
    unchanged: int
    # The classification version diffed against, and the one the import made (if applied).
    base_version: int = 0
    version: int | None = None
    # What is accepted but probably not meant, e.g. no grid where the scheme gives pole points.
    warnings: tuple[FileIssue, ...] = ()

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def __str__(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.changed)} changed, "
            f"{len(self.removed)} removed, {self.unchanged} unchanged"
        )


def results_file_name(race: Race) -> str:
    """The file's name in a season bundle, which every reported problem names."""
    return f"results/R{race.meeting.round}-{race.number}.csv"


def results_import(
    *,
    race: Race,
    source: bytes | str,
    dry_run: bool,
    user: AbstractBaseUser | None = None,
    reason: str = "",
    expected_version: int | None = None,
    file_name: str | None = None,
) -> ResultsDiff:
    """Replace ``race``'s results with those of the CSV ``source``, in one transaction.

    Raises ``ResultsError`` listing every problem, having written nothing. With ``dry_run``
    everything is checked and the difference returned, and nothing is written. Otherwise the
    results are replaced, a new classification version records ``user`` and ``reason``, the
    championship's tables are invalidated and, when ``user`` is given, the change is logged
    in the race's history in the back office. ``ClassificationConflict`` if the race's
    classification is no longer at ``expected_version``; ``file_name`` names the file in
    the problems reported (default: the bundle's ``results/R<round>-<race>.csv``).
    """
    with transaction.atomic():
        race = classification_lock(race_id=race.pk, expected_version=expected_version)
        cars = dict(race.meeting.championship.entries.values_list("car_number", "id"))
        name = file_name or results_file_name(race)
        rows = _checked_rows(race, source, cars, name)
        rows, warnings = _grid_filled(race, rows, name)
        diff = _diff(race, rows, _current_rows(race), dry_run=dry_run)
        diff = replace(diff, base_version=race.classification_version, warnings=warnings)
        if not dry_run:
            diff = _apply(race, rows, cars, diff, user=user, reason=reason)
    return diff


def _apply(
    race: Race,
    rows: list[ResultRow],
    cars: dict[int, int],
    diff: ResultsDiff,
    *,
    user: AbstractBaseUser | None,
    reason: str,
) -> ResultsDiff:
    classification_baseline(race=race)
    _replace(race, rows, cars, user=user, reason=reason or str(diff))
    version = classification_record(
        race=race, cause=VersionCause.IMPORT, user=user, reason=reason or str(diff)
    )
    if user is not None:
        _log(user, race, diff)
    return replace(diff, version=version.number)


def _checked_rows(
    race: Race, source: bytes | str, cars: dict[int, int], file_name: str
) -> list[ResultRow]:
    """The file's rows, or ResultsError with every problem found."""
    issues: list[FileIssue] = []
    log = IssueLog(file_name, issues)
    text = decode(source, log) if isinstance(source, bytes) else source.removeprefix("\ufeff")
    specs = parse_classification(text, log) if text is not None else None
    # Problems name the file's own columns: NO and TIME, or the timing system's.
    car, time = ("NUMBER", "TOTAL_TIME") if text and is_timing_export(text) else ("NO", "TIME")
    for spec in specs or []:
        if spec.car_number not in cars:
            slug = race.meeting.championship.slug
            message = _("car %(car)s is not an entry of %(championship)s")
            log.add(spec.line, car, message % {"car": spec.car_number, "championship": slug})
    _check_times_for_time_penalty(race, specs or [], log, time)
    if issues:
        raise ResultsError(sorted(issues, key=lambda issue: issue.line or 0))
    return [_row(spec) for spec in specs or []]


def _check_times_for_time_penalty(
    race: Race, specs: list[ResultSpec], log: IssueLog, column: str
) -> None:
    """A time penalty reorders by total time, so every classified car then needs one."""
    if not race.penalties.counted().filter(kind=PenaltyKind.TIME).exists():
        return
    for spec in specs:
        if spec.position is not None and spec.total_time is None:
            message = _(
                "is empty, but this race has a time penalty, "
                "so every classified car needs its total time"
            )
            log.add(spec.line, column, message)


def _grid_filled(
    race: Race, rows: list[ResultRow], file_name: str
) -> tuple[list[ResultRow], tuple[FileIssue, ...]]:
    """A file without any GRID takes the grid published for the race (``grid_publish``), and
    says so; without a published grid either, pole points would be lost (the standings give
    them to the car on grid 1): a warning says so when the championship gives them."""
    if any(row.grid is not None for row in rows):
        return rows, ()
    grid = published_grid(race)
    if grid:
        message = _("has no grid positions; they are taken from the grid published for this race")
        filled = [replace(row, grid=grid.get(row.car_number)) for row in rows]
        return filled, (FileIssue(file_name, None, "GRID", message),)
    if not race.factor or not race.meeting.championship.gives_pole_points():
        return rows, ()
    message = _(
        "has no grid positions and no grid is published for this race, so no car gets the "
        "pole points that this championship's scheme gives; add the GRID column or publish "
        "the race's grid first"
    )
    return rows, (FileIssue(file_name, None, "GRID", message),)


def _row(spec: ResultSpec) -> ResultRow:
    return ResultRow(
        car_number=spec.car_number,
        position=spec.position,
        status=spec.status,
        laps=spec.laps,
        total_time=spec.total_time,
        best_lap=spec.best_lap,
        grid=spec.grid,
        line=spec.line,
    )


def _current_rows(race: Race) -> list[ResultRow]:
    ordered = race.results.order_by(F("position").asc(nulls_last=True), "entry__car_number")
    rows = ordered.values_list("entry__car_number", *FIELDS)
    return [ResultRow(*row) for row in rows]


def _diff(
    race: Race, rows: list[ResultRow], current: list[ResultRow], *, dry_run: bool
) -> ResultsDiff:
    before = {row.car_number: row for row in current}
    cars = {row.car_number for row in rows}
    changed = [_changes(before[row.car_number], row) for row in rows if row.car_number in before]
    return ResultsDiff(
        race_id=race.pk,
        dry_run=dry_run,
        added=tuple(row for row in rows if row.car_number not in before),
        changed=tuple(change for change in changed if change.changes),
        removed=tuple(row for row in current if row.car_number not in cars),
        unchanged=sum(1 for change in changed if not change.changes),
    )


def _changes(before: ResultRow, after: ResultRow) -> RowChange:
    old, new = before.values(), after.values()
    changes = tuple(
        FieldChange(name, old[name], new[name]) for name in FIELDS if old[name] != new[name]
    )
    return RowChange(after.car_number, after.line or 0, changes)


def _replace(
    race: Race,
    rows: list[ResultRow],
    cars: dict[int, int],
    *,
    user: AbstractBaseUser | None,
    reason: str,
) -> None:
    """All the race's results at once (positions may swap, which row updates could not
    do under the unique position), each deletion and creation kept in the audit trail."""
    for result in race.results.all():
        result._history_user = user
        result._change_reason = reason
        result.delete()
    bulk_create_with_history(
        [Result(race=race, entry_id=cars[row.car_number], **row.values()) for row in rows],
        Result,
        default_user=user,
        default_change_reason=reason,
    )


def _log(user: AbstractBaseUser, race: Race, diff: ResultsDiff) -> None:
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[race],
        action_flag=CHANGE,
        change_message=f"Imported results: {diff}",
        single_object=True,
    )
