"""Live timing: the running order a timing provider pushes during a session, and the
championship as it stands if the race ended now.

``live_push`` is the one write (the API's ``POST …/live/`` and the back office's clear both go
through this module): it checks every car is an entry of the championship, refuses a push
older than the one kept (``LiveStale``), keeps the latest state in ``LiveTiming`` and, once
committed, sends ``live_updated``. It never touches a result, a version or the tables: the
official classification still comes by the upload with its dry run.

``as_it_stands`` is every table of the season with the race's live order in place of its
result, computed by the same pure rules as the official tables (``championships.standings``),
with each row's movement since before the race and the prizes it would decide.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from championships.live_feed import BODY, LiveFeed
from championships.live_signals import live_updated
from championships.models import LiveTiming, Prize, Race, Session
from championships.standings import data
from championships.standings.cache import cached_season
from championships.standings.live import live_results, movements, season_with, season_without
from championships.standings.prizes import PrizeState, prize_states
from championships.standings.tables import SeasonTables, Table
from championships.table_choices import TableChoice, table_choices
from championships.weekend import published_grid
from core.imports import FileError, FileIssue
from entries.models import Entry

Subject = Race | Session


class LiveStale(Exception):
    """A push whose sequence is not above the one kept: an older state arriving late."""


def live_channel(subject: Subject) -> str:
    """The name of a race's or a session's live channel: "race-12", "session-4"."""
    return f"{'race' if isinstance(subject, Race) else 'session'}-{subject.pk}"


def live_name(subject: Subject) -> str:
    """The subject's part of its live page's address: race-1, qualifying-1, practice-2-a."""
    if isinstance(subject, Race):
        return f"race-{subject.number}"
    name = f"{subject.kind.lower()}-{subject.number}"
    return f"{name}-{subject.group.lower()}" if subject.group else name


def live_of(subject: Subject) -> LiveTiming | None:
    return LiveTiming.objects.filter(**{_field(subject): subject}).first()


def live_push(*, subject: Subject, feed: LiveFeed, user: Any = None) -> LiveTiming:
    """Keep ``feed`` as the subject's live state; nothing else is written.

    The subject's row is locked first, so that two first pushes at once are told apart by
    their sequence like any others (the second waits, then is refused or follows)."""
    championship_id = subject.meeting.championship_id
    numbers = set(
        Entry.objects.filter(championship_id=championship_id).values_list("car_number", flat=True)
    )
    unknown = [car for car in feed.cars if car.car_number not in numbers]
    if unknown:
        raise FileError([_unknown_car(feed, car) for car in unknown])
    field = _field(subject)
    with transaction.atomic():
        type(subject).objects.select_for_update().filter(pk=subject.pk).exists()
        timing = LiveTiming.objects.filter(**{field: subject}).first()
        sequence = feed.sequence or (timing.sequence + 1 if timing else 1)
        if timing is not None and sequence <= timing.sequence:
            raise LiveStale(
                _("sequence %(sequence)s is not above %(kept)s, the latest kept")
                % {"sequence": sequence, "kept": timing.sequence}
            )
        timing = timing or LiveTiming(**{field: subject})
        timing.sequence = sequence
        timing.flag = feed.flag
        timing.cars = [car.stored() for car in feed.cars]
        timing.updated_at = timezone.now()
        timing.updated_by = user if getattr(user, "is_authenticated", False) else None
        timing.save()
        _tell_after_commit(subject, timing)
    return timing


def live_clear(*, subject: Subject) -> bool:
    """Forget the subject's live state (a rehearsal, or the session is over): the next push
    may start again from sequence 1, and the live pages say nothing is live."""
    with transaction.atomic():
        deleted, _count = LiveTiming.objects.filter(**{_field(subject): subject}).delete()
        if deleted:
            _tell_after_commit(subject, None)
    return bool(deleted)


def _tell_after_commit(subject: Subject, timing: LiveTiming | None) -> None:
    """``live_updated`` once committed; a receiver that fails (the page's rendering, the
    channel) never turns a kept push into an error: it is logged."""
    transaction.on_commit(
        lambda: live_updated.send_robust(sender=LiveTiming, subject=subject, timing=timing),
        robust=True,
    )


def _field(subject: Subject) -> str:
    return "race" if isinstance(subject, Race) else "session"


def live_version(subject: Subject, timing: LiveTiming | None) -> str:
    """What the live page shows depends on: the push (its sequence and time, so that a session
    started again after a rehearsal is new), the official classification's version and the
    championship's tables. It names the page's ETag, its kept copy and its events."""
    pushed = f"{timing.sequence}.{_ms(timing.updated_at)}" if timing else "0.0"
    tables = _ms(subject.meeting.championship.tables_changed_at)
    return f"{pushed}.{subject.classification_version}.{tables}"


def _ms(moment: dt.datetime) -> int:
    return int(moment.timestamp() * 1000)


def _unknown_car(feed: LiveFeed, car: Any) -> FileIssue:
    message = _("car %(car)s is not an entry of this championship") % {"car": car.car_number}
    if feed.file == BODY:
        return FileIssue(feed.file, None, f"{car.where}.number", message)
    return FileIssue(feed.file, car.line, "NUMBER", message)


# As it stands ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveTable:
    """One table as it stands, each row's places gained (positive) or lost since before the
    race, None for a row new to the table."""

    choice: TableChoice
    table: Table
    moves: dict[int | str, int | None]


@dataclass(frozen=True)
class AsItStands:
    tables: tuple[LiveTable, ...]
    prizes: tuple[PrizeState, ...]  # the prizes this race could still decide
    results: tuple[data.Result, ...]  # the live order as the rules read it


def as_it_stands(race: Race, cars: list[dict[str, Any]]) -> AsItStands:
    """Every table of the race's championship if the race ended in the order of ``cars``."""
    championship = race.meeting.championship
    season = cached_season(championship)
    entry_of = {entry.car_number: entry.id for entry in season.entries}
    results = live_results(cars, entry_of, published_grid(race))
    live_race = data.Race(
        race.pk,
        race.meeting.round,
        race.number,
        Decimal(race.points_factor),
        results,
        race.starts_at.astimezone(race.meeting.circuit.zone).date(),
    )
    before = SeasonTables(season_without(season, race.pk))
    after = SeasonTables(season_with(season, live_race))
    tables = []
    for choice in table_choices(season.class_codes):
        table = after.table(choice.table, choice.class_code)
        if table.rows:
            moves = movements(before.table(choice.table, choice.class_code), table)
            tables.append(LiveTable(choice, table, moves))
    return AsItStands(tuple(tables), _prizes(race, after), results)


def _prizes(race: Race, tables: SeasonTables) -> tuple[PrizeState, ...]:
    """The prizes this race bears on now: its round's, and the season's end."""
    round_ = race.meeting.round
    calendar = Race.objects.filter(meeting__championship=race.meeting.championship).with_held()
    marks = [
        (r_round, held or pk == race.pk, False)
        for pk, r_round, held in calendar.values_list("pk", "meeting__round", "held")
    ]
    prizes = Prize.objects.filter(championship=race.meeting.championship).filter(
        Q(after_round=round_) | Q(after_round__isnull=True)
    )
    return tuple(prize_states(list(prizes), tables, marks))
