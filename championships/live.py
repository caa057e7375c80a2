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
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from championships.live_feed import BODY, LiveFeed
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

# Sent with ``timing`` (a ``LiveTiming``) once a push is committed.
live_updated = Signal()

Subject = Race | Session


class LiveStale(Exception):
    """A push whose sequence is not above the one kept: an older state arriving late."""


def live_channel(subject: Subject) -> str:
    """The name of a race's or a session's live channel: "race-12", "session-4"."""
    return f"{'race' if isinstance(subject, Race) else 'session'}-{subject.pk}"


def live_of(subject: Subject) -> LiveTiming | None:
    field = "race" if isinstance(subject, Race) else "session"
    return LiveTiming.objects.filter(**{field: subject}).first()


def live_push(*, subject: Subject, feed: LiveFeed, user: Any = None) -> LiveTiming:
    """Keep ``feed`` as the subject's live state; nothing else is written."""
    championship_id = subject.meeting.championship_id
    numbers = set(
        Entry.objects.filter(championship_id=championship_id).values_list("car_number", flat=True)
    )
    unknown = [car for car in feed.cars if car.car_number not in numbers]
    if unknown:
        raise FileError([_unknown_car(feed, car) for car in unknown])
    field = "race" if isinstance(subject, Race) else "session"
    with transaction.atomic():
        timing = LiveTiming.objects.select_for_update().filter(**{field: subject}).first()
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
        transaction.on_commit(lambda: live_updated.send(sender=LiveTiming, timing=timing))
    return timing


def live_clear(*, subject: Subject) -> bool:
    """Forget the subject's live state (the session is over, or it was a rehearsal)."""
    field = "race" if isinstance(subject, Race) else "session"
    deleted, _count = LiveTiming.objects.filter(**{field: subject}).delete()
    return bool(deleted)


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
    """The prizes of a round not yet behind this one, as they would stand."""
    round_ = race.meeting.round
    calendar = Race.objects.filter(meeting__championship=race.meeting.championship).with_held()
    marks = [
        (r_round, held or pk == race.pk, False)
        for pk, r_round, held in calendar.values_list("pk", "meeting__round", "held")
    ]
    prizes = Prize.objects.filter(championship=race.meeting.championship).exclude(
        after_round__lt=round_
    )
    return tuple(prize_states(list(prizes), tables, marks))


def live_age(timing: LiveTiming, now: dt.datetime | None = None) -> dt.timedelta:
    return (now or timezone.now()) - timing.updated_at
