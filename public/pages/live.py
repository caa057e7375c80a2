"""The live page of a race or a session: the running order as pushed and, for a race, every
table as it stands. ``live_body`` is the part that changes with each push; it is rendered
once per push and language (``live_fragments``), kept in the cache under the push's
sequence, and sent to every connection as it is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import translation

from championships.live import (
    AsItStands,
    as_it_stands,
    live_channel,
    live_version,
)
from championships.models import Championship, LiveCarStatus, LiveTiming, Meeting, Race, Session
from championships.standings.data import DEALERS, TEAMS
from championships.standings.prizes import PrizeState
from championships.standings.progress import row_key, row_label
from core import broadcast
from entries.models import Entry

BODY_TEMPLATE = "championships/live_body.html"
KEPT_SECONDS = 3600

Subject = Race | Session


def live_subject(championship: Championship, round_: int, name: str) -> Subject:
    """The race or session of ``name`` in the round, or 404."""
    meeting = get_object_or_404(
        Meeting.objects.with_circuit().select_related("championship"),
        championship=championship,
        round=round_,
    )
    kind, _sep, rest = name.partition("-")
    number, _sep, group = rest.partition("-")
    if not number.isdigit():
        raise Http404("No such session.")
    if kind == "race" and not group:
        subject = Race.objects.filter(meeting=meeting, number=int(number)).first()
    else:
        subject = Session.objects.filter(
            meeting=meeting, kind=kind.upper(), number=int(number), group__iexact=group
        ).first()
    if subject is None:
        raise Http404("No such session.")
    subject.meeting = meeting  # type: ignore[union-attr]
    return subject


@dataclass(frozen=True)
class LiveLine:
    """A car of the running order with its entry (None: a number not entered)."""

    car: dict[str, Any]
    entry: Entry | None

    @property
    def gap(self) -> dt.timedelta | None:
        return _ms(self.car.get("gap_ms"))

    @property
    def last_lap(self) -> dt.timedelta | None:
        return _ms(self.car.get("last_lap_ms"))

    @property
    def best_lap(self) -> dt.timedelta | None:
        return _ms(self.car.get("best_lap_ms"))

    @property
    def status_label(self) -> str:
        """The status in the page's language (Retired, 退赛…)."""
        status = self.car.get("status")
        return LiveCarStatus(status).label if status in LiveCarStatus.values else str(status)


def _ms(value: int | None) -> dt.timedelta | None:
    return None if value is None else dt.timedelta(milliseconds=value)


@dataclass(frozen=True)
class LiveRow:
    """A row of a table as it stands, with the places it gained (+) or lost (-) in the race."""

    row: Any  # a DriverRow or a TeamRow
    move: int | None  # None: new to the table

    @property
    def gained(self) -> int:
        return self.move or 0

    @property
    def lost(self) -> int:
        return -(self.move or 0)


@dataclass(frozen=True)
class LiveTableView:
    label: str
    key: str
    rows: tuple[LiveRow, ...]
    teams: bool


@dataclass(frozen=True)
class LivePrize:
    """A prize this race bears on, with who would take it: "#55 Kai Lindqvist"."""

    state: PrizeState
    holders: str


def prize_views(standing: AsItStands) -> list[LivePrize]:
    return [
        LivePrize(state, ", ".join(row_label(row) for row in state.holders))
        for state in standing.prizes
    ]


def table_views(standing: AsItStands) -> list[LiveTableView]:
    views = []
    for live in standing.tables:
        rows = tuple(LiveRow(row, live.moves.get(row_key(row))) for row in live.table.rows)
        teams = live.choice.table in (TEAMS, DEALERS)
        views.append(LiveTableView(str(live.choice.label), live.choice.value, rows, teams))
    return views


def live_context(subject: Subject, timing: LiveTiming | None) -> dict[str, Any]:
    """What the changing part of the page shows."""
    meeting = subject.meeting
    lines: list[LiveLine] = []
    standing: AsItStands | None = None
    if timing is not None:
        numbers = [car["car_number"] for car in timing.cars]
        entries = {
            entry.car_number: entry
            for entry in Entry.objects.filter(
                championship_id=meeting.championship_id, car_number__in=numbers
            ).select_related("driver", "team", "entry_class")
        }
        lines = [LiveLine(car, entries.get(car["car_number"])) for car in timing.cars]
        if isinstance(subject, Race) and not _official(subject):
            standing = as_it_stands(subject, timing.cars)
    best = min((line.best_lap for line in lines if line.best_lap), default=None)
    return {
        "subject": subject,
        "is_race": isinstance(subject, Race),
        "meeting": meeting,
        "championship": meeting.championship,
        "timing": timing,
        "lines": lines,
        "fastest": best,
        "standing": standing,
        "tables": table_views(standing) if standing else [],
        "prizes": prize_views(standing) if standing else [],
        "official": _official(subject),
        "updated": timing.updated_at.astimezone(meeting.circuit.zone) if timing else None,
    }


def _official(subject: Subject) -> bool:
    """Whether the official classification is out (the live page then says where)."""
    return subject.classification_version > 0


def fragment_key(channel: str, version: str, language: str) -> str:
    return f"live-html:{channel}:{version}:{language}"


def live_fragments(subject: Subject, timing: LiveTiming | None) -> dict[str, str]:
    """The changing part in every language of the site, kept for the polling pages."""
    context = live_context(subject, timing)
    channel, version = live_channel(subject), live_version(subject, timing)
    fragments = {}
    for language, _label in settings.LANGUAGES:
        with translation.override(language):
            fragments[language] = render_to_string(BODY_TEMPLATE, context)
    cache.set_many(
        {fragment_key(channel, version, lang): html for lang, html in fragments.items()},
        KEPT_SECONDS,
    )
    return fragments


def live_fragment(subject: Subject, timing: LiveTiming | None, language: str) -> str:
    """The changing part in ``language``, from the cache or rendered (and kept) now."""
    html = cache.get(fragment_key(live_channel(subject), live_version(subject, timing), language))
    if html is None:
        html = live_fragments(subject, timing).get(language, "")
    return html


def live_broadcast(sender: Any, subject: Subject, timing: LiveTiming | None, **kwargs: Any) -> None:
    """``live_updated``'s receiver: render the new state once per language and send it to
    every connection of every app server. The subject is read afresh: the writer's copy may
    hold its championship's tables as they were before the write."""
    subject = (
        type(subject)
        .objects.select_related("meeting__championship", "meeting__circuit")
        .get(pk=subject.pk)
    )
    html = live_fragments(subject, timing)
    broadcast.publish(live_channel(subject), live_version(subject, timing), html)
