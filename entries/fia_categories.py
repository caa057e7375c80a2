"""Import a revision of FIA driver categories from CSV, as the FIA publishes it each year.

Columns: ``driver`` (the driver's slug, e.g. kai-lindqvist), ``category``,
``effective_date``, ``source`` (FIA_LIST, FIA_REVIEW or SERIES) and, optionally,
``published_on`` and ``note``. The whole file is read and checked first; every problem is
reported with its line and column, and nothing is written unless there is none. A dry run
lists who moves up or down and which entries that affects. The admin upload and the
``import_fia_categories`` command both call ``fia_category_revision_import``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from championships.bundle.fields import category as driver_category
from core.imports import Columns, FileError, FileIssue, IssueLog, RowCheck, decode, fields, read_csv
from entries.eligibility import CategoryChange, CategorySpec, plan_changes
from entries.models import ClassificationSource, Driver, DriverClassification
from entries.services import fia_categories_record

DEFAULT_FILE_NAME = "revision.csv"
COLUMNS = Columns(
    required=("driver", "category", "effective_date", "source"),
    optional=("published_on", "note"),
)
RowKey = tuple[str, dt.date, str]  # driver slug, effective date, source


@dataclass(frozen=True)
class RevisionRow:
    line: int
    driver: str
    category: str
    effective_from: dt.date
    source: str
    published_on: dt.date | None
    note: str

    @property
    def key(self) -> RowKey:
        return self.driver, self.effective_from, self.source


@dataclass
class RevisionSummary:
    changes: list[CategoryChange]
    unchanged: list[int] = field(default_factory=list)  # lines recorded already, as they are
    dry_run: bool = False

    def moving(self, move: str) -> list[CategoryChange]:
        return [change for change in self.changes if change.move == move]

    @property
    def moves_up(self) -> list[CategoryChange]:
        return self.moving("up")

    @property
    def moves_down(self) -> list[CategoryChange]:
        return self.moving("down")

    @property
    def flagged_count(self) -> int:
        return sum(len(change.flagged) for change in self.changes)

    def __str__(self) -> str:
        changes, flagged, lines = len(self.changes), self.flagged_count, len(self.unchanged)
        return _("%(changes)s: %(up)d up, %(down)d down; %(flagged)s; %(unchanged)s") % {
            "changes": ngettext("%(count)d classification", "%(count)d classifications", changes)
            % {"count": changes},
            "up": len(self.moves_up),
            "down": len(self.moves_down),
            "flagged": ngettext("%(count)d entry flagged", "%(count)d entries flagged", flagged)
            % {"count": flagged},
            "unchanged": ngettext(
                "%(count)d line recorded already", "%(count)d lines recorded already", lines
            )
            % {"count": lines},
        }


def fia_category_revision_import(
    data: bytes,
    *,
    file_name: str = DEFAULT_FILE_NAME,
    dry_run: bool = False,
) -> RevisionSummary:
    """Check the whole file, then record every classification in it in one transaction.

    Raises FileError listing every problem, having written nothing. With ``dry_run`` the
    summary of what the import would do is returned and nothing is written.
    """
    issues: list[FileIssue] = []
    log = IssueLog(file_name, issues)
    rows = _parse(data, log)
    with transaction.atomic():
        specs, unchanged = _resolve(rows, log)
        if issues:
            raise FileError(sorted(issues, key=lambda issue: issue.line or 0))
        if dry_run:
            return RevisionSummary(plan_changes(specs), unchanged, dry_run=True)
        recorded = fia_categories_record(specs=specs)
    return RevisionSummary(recorded.changes, unchanged)


def _parse(data: bytes, log: IssueLog) -> list[RevisionRow]:
    text = decode(data, log)
    csv_rows = read_csv(text, COLUMNS, log) if text is not None else None
    if csv_rows is None:
        return []
    if not csv_rows:
        log.add(None, None, _("has no classification rows"))
    rows = [_row(RowCheck(csv_row, log)) for csv_row in csv_rows]
    return _without_repeats([row for row in rows if row is not None], log)


def _row(check: RowCheck) -> RevisionRow | None:
    row = RevisionRow(
        line=check.line,
        driver=check.get("driver", lambda v: fields.text(v, max_length=170)),
        category=check.get("category", lambda v: driver_category(v.upper())),
        effective_from=check.get("effective_date", fields.date),
        source=check.get("source", _source),
        published_on=check.get("published_on", fields.date, optional=True),
        note=check.get("note", lambda v: fields.text(v, max_length=300), optional=True) or "",
    )
    return row if check.ok else None


def _source(value: str) -> str:
    if value.upper() not in ClassificationSource.values:
        sources = ", ".join(ClassificationSource.values)
        raise ValueError(_("expected a source: %(sources)s") % {"sources": sources})
    return value.upper()


def _without_repeats(rows: list[RevisionRow], log: IssueLog) -> list[RevisionRow]:
    first_lines: dict[RowKey, int] = {}
    kept = []
    for row in rows:
        line = first_lines.setdefault(row.key, row.line)
        if line == row.line:
            kept.append(row)
        else:
            message = _("%(driver)s has a %(source)s row for %(day)s on line %(line)s") % {
                "driver": row.driver,
                "source": row.source,
                "day": row.effective_from,
                "line": line,
            }
            log.add(row.line, "effective_date", message)
    return kept


def _resolve(rows: list[RevisionRow], log: IssueLog) -> tuple[list[CategorySpec], list[int]]:
    """The rows to record, and the lines of rows that are recorded already just as they are."""
    drivers = Driver.objects.in_bulk({row.driver for row in rows}, field_name="slug")
    recorded = _recorded(drivers.values(), rows)
    specs, unchanged = [], []
    for row in rows:
        driver = drivers.get(row.driver)
        if driver is None:
            message = _("expected a driver's slug, not %(slug)r") % {"slug": row.driver}
            log.add(row.line, "driver", message)
        elif _check_recorded(row, recorded.get(row.key), log):
            unchanged.append(row.line)
        else:
            specs.append(_spec(row, driver))
    return specs, unchanged


def _recorded(drivers: Iterable[Driver], rows: list[RevisionRow]) -> dict[RowKey, str]:
    """The category already recorded under each row's key, in one query."""
    found = DriverClassification.objects.filter(
        driver__in=drivers, effective_from__in={row.effective_from for row in rows}
    ).values_list("driver__slug", "effective_from", "source", "category")
    return {(slug, day, source): category for slug, day, source, category in found}


def _check_recorded(row: RevisionRow, category: str | None, log: IssueLog) -> bool:
    """True if the row is recorded already; a problem if it was recorded differently."""
    if category is None:
        return False
    if category != row.category:
        log.add(
            row.line,
            "category",
            _(
                "%(driver)s is recorded as %(category)s from %(day)s by %(source)s already; "
                "record a correction as a review or series decision"
            )
            % {
                "driver": row.driver,
                "category": category,
                "day": row.effective_from,
                "source": row.source,
            },
        )
    return True


def _spec(row: RevisionRow, driver: Driver) -> CategorySpec:
    return CategorySpec(
        driver=driver,
        category=row.category,
        effective_from=row.effective_from,
        source=row.source,
        note=row.note,
        published_on=row.published_on,
        line=row.line,
    )
