"""The organiser's pages across series: the home (every series at a glance), a series' own
section, and the series menu every page shows. Each in a fixed number of queries whatever the
number of series: seasons come from the standings cache (``cached_seasons``), meetings and
driver slugs in one query each for all of them.

Never a draft: staff see a draft season on its own pages (``/championships/<slug>/``) only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404

from championships.models import Championship, Meeting, Race, Series, current_first
from championships.standings.cache import cached_seasons
from championships.standings.tables import SeasonTables
from entries.models import Entry
from public.pages.championships import Context, Leader, Podium, leaders, overview, podium

# The series menu ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MenuSeries:
    """A series in the menu: every page links each series with a public season."""

    id: int
    slug: str
    name: str


def series_menu() -> list[MenuSeries]:
    """Every series with a published or archived season, in the order staff gave them. One
    small query; what it reads (names, slugs, order, which series have a public season) is
    the menu's version too (``menu_version``), so a kept page never shows an outdated menu."""
    rows = (
        Series.objects.public().order_by("position", "name", "pk").values_list("pk", "slug", "name")
    )
    return [MenuSeries(*row) for row in rows]


def menu_version(menu: Sequence[MenuSeries]) -> str:
    """The menu as a short key: a series renamed, moved, added or taken off moves it."""
    text = "\n".join(f"{item.id}\t{item.slug}\t{item.name}" for item in menu)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# The organiser home: every series at a glance --------------------------------------------------


@dataclass(frozen=True)
class Glance:
    """A series' current season on the home page."""

    championship: Championship
    next_race: Race | None
    leaders: list[Leader]
    podium: Podium | None

    @property
    def next_meeting(self) -> Meeting | None:
        return self.next_race.meeting if self.next_race else None


def meetings_of_each(championships: Sequence[Championship]) -> dict[int, list[Meeting]]:
    """Each championship's calendar, as ``meetings_of`` reads one, in 2 queries for all."""
    races = Prefetch("races", Race.objects.with_held().order_by("number"))
    meetings = Meeting.objects.filter(championship__in=championships).with_circuit()
    found: dict[int, list[Meeting]] = {c.pk: [] for c in championships}
    for meeting in meetings.order_by("championship_id", "round").prefetch_related(races):
        found[meeting.championship_id].append(meeting)
    return found


def glances(championships: Sequence[Championship], now: dt.datetime) -> list[Glance]:
    seasons = cached_seasons(championships)
    calendars = meetings_of_each(championships)
    found = []
    for championship in championships:
        meetings = calendars[championship.pk]
        tables = SeasonTables(seasons[championship.pk])
        races = (race for meeting in meetings for race in meeting.races.all())
        next_race = next((race for race in races if race.starts_at > now), None)
        found.append(Glance(championship, next_race, leaders(tables), podium(tables, meetings)))
    return found


def organiser_home(now: dt.datetime) -> Context:
    """Each series' current season (``current_of_series``): its leaders, next meeting and
    latest podium. ``valid_until``: when the page stops being true (a next race starts)."""
    championships = list(Championship.objects.current_of_series().values())
    found = glances(championships, now)
    starts = [glance.next_race.starts_at for glance in found if glance.next_race]
    entries = Entry.objects.filter(championship__in=championships)
    return {
        "glances": found,
        "slugs": dict(entries.values_list("id", "driver__slug")),
        "valid_until": min(starts, default=None),
    }


# A series' own section -------------------------------------------------------------------------


def public_seasons(series_slug: str) -> list[Championship]:
    """The series' published and archived seasons, its current one first (a published
    season before an archived one, then the latest year), in one query; 404 when it has none:
    a series of drafts only is not on the public site."""
    seasons = sorted(
        Championship.objects.public().filter(series__slug=series_slug).select_related("series"),
        key=current_first,
    )
    if not seasons:
        raise Http404("No series of that name on the public site.")
    return seasons


def seasons_version(seasons: Sequence[Championship]) -> str:
    """What a series' section is keyed on: each season and when its data last changed."""
    return ",".join(f"{c.pk}:{c.status}:{c.tables_changed_at.isoformat()}" for c in seasons)


def series_page(seasons: Sequence[Championship], now: dt.datetime) -> Context:
    """The series' current season at a glance (the championship home's overview) and its
    archive: every public season, latest first."""
    current = seasons[0]
    archive = sorted(seasons, key=lambda c: (-c.year, c.name))
    return {**overview(current, now), "series": current.series, "seasons": archive}
