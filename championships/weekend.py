"""The race weekend's other sessions and its grids: the writes, each atomic.

``session_import`` takes a practice or qualifying classification file (either format of
``championships.session_file``) with a dry run, then records it as the session's next version
and posts it on the notice board. ``grid_plan`` works out a race's starting grid by the
championship's settings and the rules of ``championships.grids``; ``grid_publish`` writes it
(``GridSlot`` rows) and posts it. ``laps_import`` takes the timing system's lap export of a
race or a session (dry run, then every lap replaced). The back office, the API and the
commands call these.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from championships import grids
from championships.board import BoardError
from championships.board_documents import board_publish_grid, board_publish_session
from championships.lap_file import LapSpec, parse_laps
from championships.models import (
    BoardDocument,
    GridSlot,
    Lap,
    LaterGrid,
    Penalty,
    QualifyingMerge,
    Race,
    Session,
    SessionKind,
    SessionResult,
    SessionVersion,
)
from championships.services import standings_invalidate
from championships.session_file import SessionSpec, column_names, parse_session
from championships.versions import race_snapshot
from core.imports import FileError, FileIssue, IssueLog, decode
from core.numbers import timing

SESSION_MAX_BYTES = 1024 * 1024


class SessionFileError(FileError):
    """The session's file was refused; ``issues`` lists every problem. Nothing was written."""


class SessionConflict(ValidationError):
    """The session's classification moved past the version the caller read."""


class GridError(ValidationError):
    """The race's grid cannot be worked out: the message says what is missing."""


# Practice and qualifying classifications -----------------------------------------------------


@dataclass(frozen=True)
class SessionLine:
    car_number: int
    position: int | None
    status: str
    laps: int
    best_lap: dt.timedelta | None
    second_best_lap: dt.timedelta | None

    @property
    def position_label(self) -> str:
        return str(self.position) if self.position is not None else self.status


@dataclass(frozen=True)
class SessionDiff:
    """What the import changes (or, with ``dry_run``, would change)."""

    session_id: int
    dry_run: bool
    lines: tuple[SessionLine, ...]
    added: int
    changed: int
    removed: int
    unchanged: int
    base_version: int = 0
    version: int | None = None

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def __str__(self) -> str:
        return (
            f"{self.added} added, {self.changed} changed, "
            f"{self.removed} removed, {self.unchanged} unchanged"
        )


def session_file_name(session: Session) -> str:
    group = f"-{session.group}" if session.group else ""
    kind = "Q" if session.kind == SessionKind.QUALIFYING else "P"
    return f"sessions/R{session.meeting.round}-{kind}{session.number}{group}.csv"


def session_lock(*, session_id: int, expected_version: int | None = None) -> Session:
    session = (
        Session.objects.select_for_update(of=("self",))
        .select_related("meeting__championship", "meeting__circuit")
        .get(pk=session_id)
    )
    if expected_version is not None and session.classification_version != expected_version:
        latest = session.versions.select_related("created_by").last()
        who = str(latest.created_by) if latest and latest.created_by else _("someone")
        raise SessionConflict(
            _(
                "%(session)s changed while you worked: %(who)s recorded version %(number)s. "
                "Check your file again against it."
            )
            % {"session": session.label, "who": who, "number": session.classification_version}
        )
    return session


def session_import(
    *,
    session: Session,
    source: bytes | str,
    dry_run: bool,
    user: AbstractBaseUser | None = None,
    reason: str = "",
    expected_version: int | None = None,
    file_name: str | None = None,
) -> SessionDiff:
    """Replace ``session``'s classification with the file's, in one transaction.

    ``SessionFileError`` lists every problem, nothing written. With ``dry_run`` the file is
    checked and the difference returned. Otherwise the results are replaced, version N+1
    records ``user`` and ``reason`` and is posted on the notice board.
    """
    with transaction.atomic():
        session = session_lock(session_id=session.pk, expected_version=expected_version)
        cars = dict(session.meeting.championship.entries.values_list("car_number", "id"))
        lines = _checked_lines(session, source, cars, file_name or session_file_name(session))
        diff = _diff(session, lines, dry_run=dry_run)
        if not dry_run:
            diff = _apply(session, lines, cars, diff, user=user, reason=reason or str(diff))
    return diff


def _checked_lines(
    session: Session, source: bytes | str, cars: dict[int, int], file_name: str
) -> tuple[SessionLine, ...]:
    issues: list[FileIssue] = []
    log = IssueLog(file_name, issues)
    text = decode(source, log) if isinstance(source, bytes) else source.removeprefix("\ufeff")
    specs = parse_session(text, log) if text is not None else None
    column = column_names(text).car
    elsewhere = _classified_in_other_groups(session)
    for spec in specs or []:
        if spec.car_number not in cars:
            message = _("car %(car)s is not an entry of %(championship)s")
            values = {"car": spec.car_number, "championship": session.meeting.championship.slug}
            log.add(spec.line, column, message % values)
        elif spec.car_number in elsewhere:
            message = _("car %(car)s is already classified in %(session)s")
            values = {"car": spec.car_number, "session": elsewhere[spec.car_number]}
            log.add(spec.line, column, message % values)
    if issues:
        raise SessionFileError(sorted(issues, key=lambda issue: issue.line or 0))
    return tuple(_line(spec) for spec in _ordered(specs or []))


def _classified_in_other_groups(session: Session) -> dict[int, str]:
    """The cars in another group of the same session (qualifying 1 A and B): a car runs in
    one group only, or the grid would place it twice."""
    others = Session.objects.filter(
        meeting=session.meeting_id, kind=session.kind, number=session.number
    ).exclude(pk=session.pk)
    rows = SessionResult.objects.filter(session__in=others).select_related("session")
    return {row.entry.car_number: str(row.session.label) for row in rows.select_related("entry")}


def _ordered(specs: list[SessionSpec]) -> list[SessionSpec]:
    return sorted(specs, key=lambda s: (s.position is None, s.position or 0, s.car_number))


def _line(spec: SessionSpec) -> SessionLine:
    return SessionLine(
        car_number=spec.car_number,
        position=spec.position,
        status=spec.status,
        laps=spec.laps,
        best_lap=spec.best_lap,
        second_best_lap=spec.second_best_lap,
    )


def session_lines(session: Session) -> tuple[SessionLine, ...]:
    rows = session.results.order_by(F("position").asc(nulls_last=True), "entry__car_number")
    return tuple(
        SessionLine(*row)
        for row in rows.values_list(
            "entry__car_number", "position", "status", "laps", "best_lap", "second_best_lap"
        )
    )


def _diff(session: Session, lines: tuple[SessionLine, ...], *, dry_run: bool) -> SessionDiff:
    before = {line.car_number: line for line in session_lines(session)}
    cars = {line.car_number for line in lines}
    kept = [line for line in lines if line.car_number in before]
    changed = sum(1 for line in kept if before[line.car_number] != line)
    return SessionDiff(
        session_id=session.pk,
        dry_run=dry_run,
        lines=lines,
        added=sum(1 for line in lines if line.car_number not in before),
        changed=changed,
        removed=sum(1 for car in before if car not in cars),
        unchanged=len(kept) - changed,
        base_version=session.classification_version,
    )


def _apply(
    session: Session,
    lines: tuple[SessionLine, ...],
    cars: dict[int, int],
    diff: SessionDiff,
    *,
    user: AbstractBaseUser | None,
    reason: str,
) -> SessionDiff:
    session.results.all().delete()
    SessionResult.objects.bulk_create(
        SessionResult(
            session=session,
            entry_id=cars[line.car_number],
            position=line.position,
            status=line.status,
            laps=line.laps,
            best_lap=line.best_lap,
            second_best_lap=line.second_best_lap,
        )
        for line in lines
    )
    number = session.classification_version + 1
    version = SessionVersion.objects.create(
        session=session,
        number=number,
        created_by=user if getattr(user, "pk", None) else None,
        reason=reason,
        lines=version_lines(session),
    )
    Session.objects.filter(pk=session.pk).update(classification_version=number)
    session.classification_version = number
    board_publish_session(version=version, user=user)
    # The meeting page shows the sessions, and is kept until the tables change.
    standings_invalidate(championship_id=session.meeting.championship_id)
    return SessionDiff(**{**diff.__dict__, "version": number})


def version_lines(session: Session) -> list[dict[str, Any]]:
    """The session's classification as its version and board document keep it."""
    results = session.results.select_related("entry__driver", "entry__team").order_by(
        F("position").asc(nulls_last=True), "entry__car_number"
    )
    pole = next((r.best_lap for r in results if r.position == 1), None)
    return [
        {
            "position": str(r.position) if r.position is not None else r.status,
            "car": r.entry.car_number,
            "driver": r.entry.driver.full_name,
            "team": r.entry.team.name,
            "laps": r.laps,
            "best": timing(r.best_lap),
            "gap": _gap(r.best_lap, pole) if r.position and r.position > 1 else "",
            "second": timing(r.second_best_lap),
        }
        for r in results
    ]


def _gap(time: dt.timedelta | None, pole: dt.timedelta | None) -> str:
    if time is None or pole is None:
        return ""
    millis = round((time - pole) / dt.timedelta(milliseconds=1))
    return f"+{millis // 1000}.{millis % 1000:03d}"


# Laps ----------------------------------------------------------------------------------------

LAPS_MAX_BYTES = 4 * 1024 * 1024


class LapsFileError(FileError):
    """The lap file was refused; ``issues`` lists every problem. Nothing was written."""


@dataclass(frozen=True)
class CarLaps:
    car_number: int
    laps: int
    best: dt.timedelta
    total: dt.timedelta
    pits: int


@dataclass(frozen=True)
class LapsDiff:
    """What the lap import holds (and, with ``dry_run``, would write): laps per car."""

    dry_run: bool
    cars: tuple[CarLaps, ...]
    laps: int
    replaced: int
    warnings: tuple[FileIssue, ...] = ()

    def __str__(self) -> str:
        return f"{self.laps} laps of {len(self.cars)} cars ({self.replaced} replaced)"


def laps_file_name(subject: Race | Session) -> str:
    if isinstance(subject, Race):
        return f"laps/R{subject.meeting.round}-{subject.number}.csv"
    return session_file_name(subject).replace("sessions/", "laps/", 1)


def laps_import(
    *,
    subject: Race | Session,
    source: bytes | str,
    dry_run: bool,
    file_name: str | None = None,
) -> LapsDiff:
    """Replace the laps of ``subject`` (a race or a session) with the lap export's, in one
    transaction. ``LapsFileError`` lists every problem, nothing written; the answer lists the
    laps per car, and warns of a car whose count differs from its classification's laps."""
    model = type(subject)
    with transaction.atomic():
        subject = (
            model.objects.select_for_update(of=("self",))
            .select_related("meeting__championship")
            .get(pk=subject.pk)
        )
        name = file_name or laps_file_name(subject)
        cars = dict(subject.meeting.championship.entries.values_list("car_number", "id"))
        specs = _checked_laps(subject, source, cars, name)
        diff = LapsDiff(
            dry_run=dry_run,
            cars=_per_car(specs),
            laps=len(specs),
            replaced=subject.laps.count(),
            warnings=_laps_warnings(subject, specs, name),
        )
        if not dry_run:
            owner = {"race": subject} if model is Race else {"session": subject}
            subject.laps.all().delete()
            Lap.objects.bulk_create(
                Lap(
                    entry_id=cars[spec.car_number],
                    number=spec.number,
                    time=spec.time,
                    pit=spec.pit,
                    **owner,
                )
                for spec in specs
            )
            standings_invalidate(championship_id=subject.meeting.championship_id)
    return diff


def _checked_laps(
    subject: Race | Session, source: bytes | str, cars: dict[int, int], file_name: str
) -> list[LapSpec]:
    issues: list[FileIssue] = []
    log = IssueLog(file_name, issues)
    text = decode(source, log) if isinstance(source, bytes) else source.removeprefix("\ufeff")
    specs = parse_laps(text, log) if text is not None else None
    unknown: set[int] = set()
    for spec in specs or []:
        if spec.car_number not in cars and spec.car_number not in unknown:
            unknown.add(spec.car_number)
            message = _("car %(car)s is not an entry of %(championship)s")
            values = {"car": spec.car_number, "championship": subject.meeting.championship.slug}
            log.add(spec.line, "NUMBER", message % values)
    if issues:
        raise LapsFileError(sorted(issues, key=lambda issue: issue.line or 0))
    return specs or []


def _per_car(specs: list[LapSpec]) -> tuple[CarLaps, ...]:
    by_car: dict[int, list[LapSpec]] = {}
    for spec in specs:
        by_car.setdefault(spec.car_number, []).append(spec)
    rows = [
        CarLaps(
            car_number=car,
            laps=len(laps),
            best=min(lap.time for lap in laps),
            total=sum((lap.time for lap in laps), dt.timedelta(0)),
            pits=sum(1 for lap in laps if lap.pit),
        )
        for car, laps in by_car.items()
    ]
    return tuple(sorted(rows, key=lambda row: (-row.laps, row.total)))


def _laps_warnings(
    subject: Race | Session, specs: list[LapSpec], file_name: str
) -> tuple[FileIssue, ...]:
    """A car whose lap count differs from the laps its classification gives it."""
    counts: dict[int, int] = {}
    first_line: dict[int, int] = {}
    for spec in specs:
        counts[spec.car_number] = counts.get(spec.car_number, 0) + 1
        first_line.setdefault(spec.car_number, spec.line)
    classified = dict(subject.results.values_list("entry__car_number", "laps"))
    if not classified:
        return ()
    warnings = [
        FileIssue(
            file_name,
            None,
            "NUMBER",
            _("car %(car)s has %(laps)s laps in the classification but none here")
            % {"car": car, "laps": laps},
        )
        for car, laps in sorted(classified.items())
        if laps and car not in counts
    ]
    for car, laps in sorted(counts.items()):
        if car not in classified:
            message = _("car %(car)s has laps here but no line in the classification")
            warnings.append(FileIssue(file_name, first_line[car], "NUMBER", message % {"car": car}))
        elif classified[car] != laps:
            message = _(
                "car %(car)s has %(laps)s laps here but %(classified)s in the classification"
            )
            values = {"car": car, "laps": laps, "classified": classified[car]}
            warnings.append(FileIssue(file_name, first_line[car], "LAP_NUMBER", message % values))
    return tuple(warnings)


def lap_second_best(
    laps: list[dt.timedelta], best: dt.timedelta | None = None
) -> dt.timedelta | None:
    """The second-best of a car's lap times (None with fewer than two). Given the car's
    official ``best``, laps faster than it (times the timekeepers deleted, still in the lap
    file) do not count, and the best itself is taken once."""
    times = sorted(laps) if best is None else sorted(t for t in laps if t >= best)
    if best is not None and times and times[0] == best:
        times = times[1:]
        return times[0] if times else None
    return times[1] if len(times) > 1 else None


# Grids ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GridPlan:
    """A race's grid as the rules give it now: what it is based on and each car's slot."""

    race: Race
    basis: str
    slots: tuple[grids.Slot, ...]


def grid_basis(race: Race) -> str:
    """How ``race``'s grid is set, in words: the championship's setting for this race."""
    return _source(race)[1]


def _source(race: Race) -> tuple[str, str]:
    """(rule, words): ``qualifying N`` for a race with its own qualifying session (race 1's
    is qualifying 1), else the championship's setting for a later race."""
    if race.number == 1 or race.meeting.sessions.qualifying().filter(number=race.number).exists():
        return "QUALIFYING", _("Qualifying %(number)s, best times") % {"number": race.number}
    championship = race.meeting.championship
    setting = championship.later_grids
    if setting == LaterGrid.SECOND_BEST:
        return setting, _("Qualifying 1, second-best times")
    if setting == LaterGrid.FINISH:
        return setting, _("Race %(number)s's finishing order") % {"number": race.number - 1}
    return setting, _("Race %(number)s's finishing order, its top %(n)s reversed") % {
        "number": race.number - 1,
        "n": championship.reversed_top,
    }


def grid_plan(race: Race) -> GridPlan:
    """The grid the rules give ``race`` from what is recorded now; ``GridError`` saying what is
    missing (the qualifying results or the previous race's)."""
    race = Race.objects.select_related("meeting__championship", "meeting__circuit").get(pk=race.pk)
    rule, words = _source(race)
    if rule in ("QUALIFYING", LaterGrid.SECOND_BEST):
        number = race.number if rule == "QUALIFYING" else 1
        order = _qualifying_order(race, number, second=rule == LaterGrid.SECOND_BEST)
    else:
        finishes = _finishes(race)
        order = grids.finishing_order(finishes)
        if rule == LaterGrid.REVERSED:
            n = reversed_count(race.meeting.championship.reversed_top, finishes)
            order = grids.top_reversed(order, n)
    slots = grids.penalties_applied(order, _places_back(race))
    return GridPlan(race=race, basis=words, slots=tuple(slots))


def _qualifying_order(race: Race, number: int, *, second: bool) -> list[grids.Placed]:
    sessions = list(
        Session.objects.filter(
            meeting=race.meeting_id, kind=SessionKind.QUALIFYING, number=number
        ).order_by("group")
    )
    results = list(
        SessionResult.objects.filter(session__in=sessions).select_related("entry", "session")
    )
    waiting = [s.label for s in sessions if not any(r.session_id == s.pk for r in results)]
    if not results or waiting:
        raise GridError(
            _("%(race)s's grid needs the classification of %(sessions)s: import it first.")
            % {"race": race, "sessions": ", ".join(waiting) or _("qualifying %s") % number}
        )
    twice = sorted({r.entry.car_number for r in results if _count(results, r.entry_id) > 1})
    if twice:
        raise GridError(
            _("Car %(cars)s is classified in two groups of qualifying %(number)s: correct one.")
            % {"cars": ", ".join(map(str, twice)), "number": number}
        )
    lap_times: dict[tuple[int, int], list[dt.timedelta]] = {}
    if second and any(r.second_best_lap is None for r in results):
        laps = Lap.objects.filter(session__in=sessions)
        for session_id, entry_id, time in laps.values_list("session_id", "entry_id", "time"):
            lap_times.setdefault((session_id, entry_id), []).append(time)
    cars = [
        grids.Timed(
            entry_id=r.entry_id,
            car_number=r.entry.car_number,
            group=r.session.group,
            best=r.best_lap,
            # The file's SECOND_BEST, else the second-best of the car's imported laps.
            second_best=r.second_best_lap
            or lap_second_best(lap_times.get((r.session_id, r.entry_id), []), r.best_lap),
            status=r.status,
        )
        for r in results
    ]
    key = grids.second_best_time if second else grids.best_time
    if race.meeting.championship.qualifying_merge == QualifyingMerge.ALTERNATE:
        return grids.merged_alternating(cars, key)
    return grids.merged_by_time(cars, key)


def _count(results: list[SessionResult], entry_id: int) -> int:
    return sum(1 for r in results if r.entry_id == entry_id)


def _finishes(race: Race) -> list[grids.Finish]:
    """The previous race's final classification: its results after the stewards' decisions."""
    previous = race.meeting.races.filter(number=race.number - 1).first()
    lines = race_snapshot(previous)["classification"] if previous else []
    finishes = [
        grids.Finish(
            entry_id=line["entry"],
            car_number=line["car"],
            position=line["position"],
            status=line["status"],
            laps=line["laps"],
        )
        for line in lines
    ]
    if not finishes:
        raise GridError(
            _("%(race)s's grid needs race %(number)s's classification: import it first.")
            % {"race": race, "number": race.number - 1}
        )
    return finishes


def reversed_count(top: int, finishes: list[grids.Finish]) -> int:
    """How many cars the reversed top holds: N, or fewer when fewer were classified (a car
    not classified is never reversed ahead of one that was)."""
    return min(top, sum(1 for finish in finishes if finish.position is not None))


def _places_back(race: Race) -> dict[int, int]:
    penalties = Penalty.objects.grid_of(race)
    places: dict[int, int] = {}
    for entry_id, value in penalties.values_list("entry_id", "value"):
        places[entry_id] = places.get(entry_id, 0) + int(value)
    return places


def grid_publish(*, race: Race, user: AbstractBaseUser | None = None) -> BoardDocument:
    """Work out ``race``'s grid, write it (replacing a grid published before) and post it on
    the notice board, superseding the race's previous grid. Atomic; ``GridError`` if the
    grid's basis is missing."""
    with transaction.atomic():
        race = Race.objects.select_for_update(of=("self",)).get(pk=race.pk)
        plan = grid_plan(race)
        race.grid_slots.all().delete()
        GridSlot.objects.bulk_create(
            GridSlot(
                race=race,
                entry_id=slot.entry_id,
                position=slot.position,
                qualified=slot.qualified,
                time=slot.time,
            )
            for slot in plan.slots
        )
        standings_invalidate(championship_id=plan.race.meeting.championship_id)
        return board_publish_grid(race=race, user=user)


def grid_post(*, race: Race, user: AbstractBaseUser | None = None) -> BoardDocument:
    """The notice board's "publish the grid" of a race: worked out again by the rules
    (``grid_publish``, penalties decided since included) when its basis is recorded, else
    drawn from the GRID positions recorded with its results; ``BoardError`` when neither."""
    try:
        return grid_publish(race=race, user=user)
    except GridError as missing:
        try:
            return board_publish_grid(race=race, user=user)
        except BoardError as error:
            raise BoardError([*missing.messages, *error.messages]) from None


def published_grid(race: Race) -> dict[int, int]:
    """``{car number: grid position}`` of the grid published for ``race`` (empty: none)."""
    return dict(race.grid_slots.values_list("entry__car_number", "position"))
