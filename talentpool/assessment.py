"""The assessment day's laps: each session's lap export read as a race's is
(``championships.lap_file``), its car numbers those of the session's applicants, and the laps
a reviewer sees beside the rubric.

``assessment_laps_import`` checks the file whole (every problem by line and column, nothing
written unless all is valid) and, applied, replaces the session's laps. ``applicant_laps``
gives an applicant's laps of every session, with their rank in each on the best lap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from championships.lap_file import parse_laps
from core.imports import FileError, FileIssue, IssueLog, decode
from talentpool.models import Application, AssessmentLap, AssessmentSession


class AssessmentLapsError(FileError):
    """The lap file was refused; ``issues`` lists every problem. Nothing was written."""


@dataclass(frozen=True)
class ApplicantLaps:
    """What the dry run shows of one applicant: laps, best lap."""

    car_number: int
    reference: str
    laps: int
    best: dt.timedelta


@dataclass(frozen=True)
class AssessmentLapsDiff:
    dry_run: bool
    applicants: tuple[ApplicantLaps, ...]
    laps: int
    replaced: int


def assessment_laps_import(
    *, session: AssessmentSession, source: bytes | str, dry_run: bool, file_name: str = ""
) -> AssessmentLapsDiff:
    """Replace ``session``'s laps with the lap export's, in one transaction;
    ``AssessmentLapsError`` lists every problem, having written nothing."""
    with transaction.atomic():
        session = AssessmentSession.objects.select_for_update().get(pk=session.pk)
        name = file_name or f"assessment-{session.pk}-laps.csv"
        drivers = {
            car.number: car.application for car in session.cars.select_related("application")
        }
        issues: list[FileIssue] = []
        log = IssueLog(name, issues)
        text = decode(source, log) if isinstance(source, bytes) else source.removeprefix("\ufeff")
        specs = parse_laps(text, log) if text is not None else None
        unknown: set[int] = set()
        for spec in specs or []:
            if spec.car_number not in drivers and spec.car_number not in unknown:
                unknown.add(spec.car_number)
                message = _(
                    "car %(car)s has no applicant in this session: give it one under Cars first"
                )
                log.add(spec.line, "NUMBER", message % {"car": spec.car_number})
        if issues:
            raise AssessmentLapsError(sorted(issues, key=lambda issue: issue.line or 0))
        by_car: dict[int, list[dt.timedelta]] = {}
        for spec in specs or []:
            by_car.setdefault(spec.car_number, []).append(spec.time)
        diff = AssessmentLapsDiff(
            dry_run=dry_run,
            applicants=tuple(
                sorted(
                    (
                        ApplicantLaps(car, drivers[car].reference, len(times), min(times))
                        for car, times in by_car.items()
                    ),
                    key=lambda row: row.best,
                )
            ),
            laps=len(specs or []),
            replaced=session.laps.count(),
        )
        if not dry_run:
            session.laps.all().delete()
            AssessmentLap.objects.bulk_create(
                AssessmentLap(
                    session=session,
                    application=drivers[spec.car_number],
                    number=spec.number,
                    time=spec.time,
                    pit=spec.pit,
                )
                for spec in specs or []
            )
    return diff


@dataclass(frozen=True)
class SessionLaps:
    """An applicant's laps of one assessment session, and their rank there on the best lap."""

    session: AssessmentSession
    laps: tuple[AssessmentLap, ...]
    best: dt.timedelta
    rank: int
    of: int


def applicant_laps(application: Application) -> list[SessionLaps]:
    """Every session the applicant drove, in order, with their laps, best lap and its rank
    among the session's applicants (two queries)."""
    own = list(
        application.assessment_laps.select_related("session").order_by(
            "session__starts_at", "session_id", "number"
        )
    )
    if not own:
        return []
    sessions = {lap.session_id for lap in own}
    bests: dict[int, dict[int, dt.timedelta]] = {}
    rows = AssessmentLap.objects.filter(session__in=sessions).values_list(
        "session_id", "application_id", "time"
    )
    for session_id, application_id, time in rows:
        held = bests.setdefault(session_id, {})
        if application_id not in held or time < held[application_id]:
            held[application_id] = time
    found: list[SessionLaps] = []
    for session_id in dict.fromkeys(lap.session_id for lap in own):
        laps = tuple(lap for lap in own if lap.session_id == session_id)
        best = bests[session_id][application.pk]
        rank = 1 + sum(1 for time in bests[session_id].values() if time < best)
        found.append(SessionLaps(laps[0].session, laps, best, rank, len(bests[session_id])))
    return found
