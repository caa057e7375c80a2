"""What each public page shows, gathered in a fixed number of queries whatever the data's size.

Views call one function here and hand its dict to a template. Points and positions come from
the standings module (``SeasonTables``) and the pure modules beside it; this module only
loads, picks and pairs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db.models import F, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from championships.forms import StandingsForm
from championships.lap_chart import positions_by_lap
from championships.models import (
    Championship,
    ClassificationState,
    GridSlot,
    Lap,
    Meeting,
    Prize,
    Race,
    ResultStatus,
    SeasonStatus,
    Session,
    SessionResult,
    SessionVersion,
)
from championships.race_sheet import SheetLine, race_sheet
from championships.standings import data, rules
from championships.standings.cache import cached_season, cached_seasons
from championships.standings.prizes import prize_states
from championships.standings.progress import (
    Row,
    TitleMaths,
    progression,
    races_left,
    row_label,
    scheme_for,
    title_maths,
)
from championships.standings.tables import SeasonTables, Table
from championships.table_choices import TableChoice, table_choices
from championships.timing import duration
from entries.models import Entry
from public.calendar_feed import FeedEvent, calendar_text
from public.charts import Chart, EndLabel, lap_chart, progression_chart
from staff.roles import sees_drafts

Context = dict[str, Any]


def championship_or_404(slug: str | None, user: object) -> Championship:
    """The championship of ``slug``; without a slug, the featured one. A draft is a 404 but
    for staff (``sees_drafts``), asked of ``user`` only then: a public page that never reads
    the session stays one every visitor shares (kept, and in the page cache)."""
    current = Championship.objects.current(slug)
    if current is None or (current.status == SeasonStatus.DRAFT and not sees_drafts(user)):
        raise Http404("No championship of that name, or none set up yet.")
    return current


def meetings_of(championship: Championship) -> list[Meeting]:
    """The calendar: meetings with circuit, and their races each marked ``held`` (2 queries)."""
    races = Prefetch("races", Race.objects.with_held().order_by("number"))
    meetings = Meeting.objects.filter(championship=championship).with_circuit()
    return list(meetings.order_by("round").prefetch_related(races))


def driver_slugs(championship: Championship) -> dict[int, str]:
    """Entry id to its driver's slug, to link table rows (which name drivers) to their page."""
    entries = Entry.objects.filter(championship_id=championship.pk)
    return dict(entries.values_list("id", "driver__slug"))


def race_rounds(meetings: Sequence[Meeting]) -> list[tuple[int, bool, bool]]:
    """Each race as (round, held, final): what the prizes are decided and won on."""
    final = (ClassificationState.FINAL, ClassificationState.AMENDED)
    return [
        (m.round, race.held, race.classification_state in final)
        for m in meetings
        for race in m.races.all()
    ]


def calendar_feed(championship: Championship, absolute: Callable[[str], str]) -> str:
    """The season as iCalendar text; ``absolute`` makes a path a full address."""
    events = [
        race_event(championship, meeting, race, absolute)
        for meeting in meetings_of(championship)
        for race in meeting.races.all()
    ]
    return calendar_text(championship.name, events, championship.tables_changed_at)


def race_event(
    championship: Championship, meeting: Meeting, race: Race, absolute: Callable[[str], str]
) -> FeedEvent:
    """One race as a feed's event; its UID is the same in every feed that holds it (the
    season's, its series', all series'), so a calendar app subscribed to two shows it once."""
    return FeedEvent(
        uid=f"{championship.slug}-r{meeting.round}-{race.number}@cupmanager",
        starts_at=race.starts_at,
        summary=_("%(championship)s: round %(round)s, race %(number)s")
        % {"championship": championship.name, "round": meeting.round, "number": race.number},
        location=f"{meeting.circuit.name}, {meeting.circuit.country}",
        description=meeting.supporting_event,
        url=absolute(
            reverse(
                "championships:meeting",
                kwargs={"slug": championship.slug, "round": meeting.round},
            )
        ),
    )


# Home: the championship at a glance ----------------------------------------------------------


@dataclass(frozen=True)
class Leader:
    choice: TableChoice
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Podium:
    race: Race
    lines: tuple[SheetLine, ...]


def overview(championship: Championship, now: dt.datetime) -> Context:
    meetings = meetings_of(championship)
    tables = SeasonTables(cached_season(championship))
    next_race = next((r for m in meetings for r in m.races.all() if r.starts_at > now), None)
    prizes = Prize.objects.filter(championship=championship)
    return {
        "championship": championship,
        "meetings": meetings,
        "next_race": next_race,
        "next_meeting": next_race.meeting if next_race else None,
        "leaders": leaders(tables),
        "podium": podium(tables, meetings),
        "prizes": prize_states(list(prizes), tables, race_rounds(meetings)),
        "slugs": driver_slugs(championship),
    }


def leaders(tables: SeasonTables) -> list[Leader]:
    """Who is first in each table (several when they share the position)."""
    found = []
    for choice in table_choices(tables.season.class_codes):
        table = tables.table(choice.table, choice.class_code)
        found.append(Leader(choice, tuple(row for row in table.rows if row.position == 1)))
    return [leader for leader in found if leader.rows]


def podium(tables: SeasonTables, meetings: Sequence[Meeting]) -> Podium | None:
    """The first three of the latest race with results, after penalties."""
    if not tables.season.races:
        return None
    latest = tables.season.races[-1]
    race = next(r for m in meetings for r in m.races.all() if r.pk == latest.id)
    lines = tuple(line for line in race_sheet(tables, latest) if line.classified)[:3]
    return Podium(race, lines)


# A meeting's results -------------------------------------------------------------------------


@dataclass(frozen=True)
class GridLine:
    """A car's place on a race's published starting grid."""

    slot: GridSlot

    @property
    def places_back(self) -> int:
        """The places a grid penalty put the car behind where it qualified (0: none)."""
        return max(self.slot.position - self.slot.qualified, 0)


@dataclass(frozen=True)
class LapCell:
    number: int
    time: dt.timedelta
    pit: bool
    best: bool  # the car's fastest lap of the session


@dataclass(frozen=True)
class CarLaps:
    """One car's laps of a race or a session, in order."""

    car_number: int
    driver: str
    laps: tuple[LapCell, ...]


@dataclass(frozen=True)
class LapChart:
    """A race's running order lap by lap: the chart and its end labels."""

    chart: Chart
    labels: tuple[EndLabel, ...]


@dataclass(frozen=True)
class RaceSheet:
    race: Race
    lines: tuple[SheetLine, ...]
    grid: tuple[GridLine, ...] = ()
    grid_later: bool = False  # as published at a moment: the grid now came after it
    laps: tuple[CarLaps, ...] = ()
    chart: LapChart | None = None


@dataclass(frozen=True)
class SessionLine:
    """One car's line of a practice or qualifying classification."""

    position: int | None
    status: str
    car_number: int
    driver: str
    driver_slug: str | None
    team: str
    laps: int
    best_lap: dt.timedelta | None
    second_best_lap: dt.timedelta | None
    gap: dt.timedelta | None = None

    @property
    def classified(self) -> bool:
        return self.position is not None


@dataclass(frozen=True)
class SessionSheet:
    """A session with its classification (now, or as published at a moment) and version."""

    session: Session
    lines: tuple[SessionLine, ...]
    version: int
    laps: tuple[CarLaps, ...] = ()


def meeting_page(
    championship: Championship,
    round_: int,
    season: data.Season | None = None,
    at: dt.datetime | None = None,
) -> Context:
    """``season``: the data to show, e.g. as published at ``at``; the current one by default.

    The same queries whatever the number of races, sessions, results and grid places, and
    whether there are any: the meeting, its races, their grids, its sessions, their
    classifications (or their versions at ``at``), the entries, and the season's own."""
    meeting = get_object_or_404(
        Meeting.objects.with_circuit(), championship=championship, round=round_
    )
    races = list(Race.objects.filter(meeting=meeting).select_related("meeting__circuit"))
    grids = grids_of(meeting)
    tables = SeasonTables(season or cached_season(championship))
    held = {race.id: race for race in tables.season.races}
    sheets = [
        race_sheet_of(
            race,
            race_sheet(tables, held[race.pk]) if race.pk in held else (),
            grids.get(race.pk, []),
            at,
        )
        for race in races
    ]
    entries = list(Entry.objects.filter(championship_id=championship.pk).select_related("driver"))
    laps = laps_of(meeting, {entry.car_number: entry.driver.full_name for entry in entries})
    sheets = [replace(sheet, laps=laps.get(("race", sheet.race.pk), ())) for sheet in sheets]
    sheets = [replace(sheet, chart=race_lap_chart(sheet.laps)) for sheet in sheets]
    sessions = session_sheets(
        meeting, {entry.car_number: entry.driver.slug for entry in entries}, at
    )
    return {
        "championship": championship,
        "meeting": meeting,
        "sheets": sheets,
        "sessions": [
            replace(sheet, laps=laps.get(("session", sheet.session.pk), ())) for sheet in sessions
        ],
        "slugs": {entry.pk: entry.driver.slug for entry in entries},
    }


def laps_of(
    meeting: Meeting, drivers: Mapping[int, str]
) -> dict[tuple[str, int], tuple[CarLaps, ...]]:
    """Every lap of the meeting's races and sessions, by ("race" or "session", id), each
    car's in order, its fastest marked: one query for the whole meeting."""
    rows = (
        Lap.objects.filter(Q(race__meeting=meeting) | Q(session__meeting=meeting))
        .order_by("race_id", "session_id", "entry__car_number", "number")
        .values_list("race_id", "session_id", "entry__car_number", "number", "time", "pit")
    )
    grouped: dict[tuple[str, int], dict[int, list[tuple[int, dt.timedelta, bool]]]] = {}
    for race_id, session_id, car, number, time, pit in rows:
        key = ("race", race_id) if race_id else ("session", session_id)
        grouped.setdefault(key, {}).setdefault(car, []).append((number, time, pit))
    return {
        key: tuple(
            CarLaps(
                car,
                drivers.get(car, ""),
                tuple(
                    LapCell(number, time, pit, time == min(t for _n, t, _p in its))
                    for number, time, pit in its
                ),
            )
            for car, its in cars.items()
        )
        for key, cars in grouped.items()
    }


def race_lap_chart(laps: Sequence[CarLaps]) -> LapChart | None:
    """The running order after each lap, from the race's laps (None without laps)."""
    if not laps:
        return None
    positions = positions_by_lap({car.car_number: [lap.time for lap in car.laps] for car in laps})
    by_finish = sorted(positions.items(), key=lambda item: (-len(item[1]), item[1][-1:]))
    chart, labels = lap_chart([(f"#{car}", places) for car, places in by_finish])
    return LapChart(chart, labels)


def grids_of(meeting: Meeting) -> dict[int, list[GridSlot]]:
    """Each race's published grid, by race id (one query for the whole meeting)."""
    slots = (
        GridSlot.objects.filter(race__meeting=meeting)
        .select_related("entry__driver", "entry__team")
        .order_by("race_id", "position")
    )
    grids: dict[int, list[GridSlot]] = {}
    for slot in slots:
        grids.setdefault(slot.race_id, []).append(slot)
    return grids


def race_sheet_of(
    race: Race, lines: tuple[SheetLine, ...], slots: list[GridSlot], at: dt.datetime | None
) -> RaceSheet:
    """As published at ``at``, a grid published after it is left out (the notice board keeps
    every grid published): the one shown now is not the one of then."""
    later = at is not None and any(slot.published_at > at for slot in slots)
    grid = () if later else tuple(GridLine(slot) for slot in slots)
    return RaceSheet(race, lines, grid, later)


def session_sheets(
    meeting: Meeting, slugs: Mapping[int, str], at: dt.datetime | None
) -> list[SessionSheet]:
    """The meeting's sessions in start order, each with its classification: the results held
    now, or at ``at`` the lines of its latest version by then. Two queries, always."""
    sessions = list(Session.objects.filter(meeting=meeting).in_order())
    for session in sessions:
        session.meeting = meeting  # its circuit is loaded already: the start's time zone
    if at is None:
        results = (
            SessionResult.objects.filter(session__meeting=meeting)
            .select_related("entry__driver", "entry__team")
            .order_by("session_id", F("position").asc(nulls_last=True), "entry__car_number")
        )
        lines: dict[int, list[SessionLine]] = {}
        for result in results:
            lines.setdefault(result.session_id, []).append(live_line(result))
        return [
            SessionSheet(s, with_gaps(lines.get(s.pk, [])), s.classification_version)
            for s in sessions
        ]
    versions = SessionVersion.objects.filter(session__meeting=meeting, created_at__lte=at)
    latest = {version.session_id: version for version in versions.order_by("session_id", "number")}
    return [published_sheet(s, latest.get(s.pk), slugs) for s in sessions]


def live_line(result: SessionResult) -> SessionLine:
    entry = result.entry
    return SessionLine(
        position=result.position,
        status=result.status,
        car_number=entry.car_number,
        driver=entry.driver.full_name,
        driver_slug=entry.driver.slug,
        team=entry.team.name,
        laps=result.laps,
        best_lap=result.best_lap,
        second_best_lap=result.second_best_lap,
    )


def published_sheet(
    session: Session, version: SessionVersion | None, slugs: Mapping[int, str]
) -> SessionSheet:
    """The session as its version at the moment published it (no lines before its first)."""
    if version is None:
        return SessionSheet(session, (), 0)
    lines = [
        SessionLine(
            position=int(line["position"]) if str(line["position"]).isdigit() else None,
            status=(
                ResultStatus.CLASSIFIED
                if str(line["position"]).isdigit()
                else str(line["position"])
            ),
            car_number=line["car"],
            driver=line["driver"],
            driver_slug=slugs.get(line["car"]),
            team=line["team"],
            laps=line["laps"],
            best_lap=duration(line["best"]) if line.get("best") else None,
            second_best_lap=duration(line["second"]) if line.get("second") else None,
        )
        for line in version.lines
    ]
    return SessionSheet(session, with_gaps(lines), version.number)


def with_gaps(lines: Sequence[SessionLine]) -> tuple[SessionLine, ...]:
    """Each classified line behind the first with its gap to the first's best lap (as the
    session's board document gives it)."""
    fastest = next((line.best_lap for line in lines if line.position == 1), None)
    return tuple(
        replace(line, gap=line.best_lap - fastest)
        if fastest is not None and line.best_lap is not None and (line.position or 0) > 1
        else line
        for line in lines
    )


# Standings -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StandingsSelection:
    """The table the standings form asks for, shared by the page and its exports."""

    tables: SeasonTables
    rounds: list[int]
    form: StandingsForm
    choice: TableChoice
    after_round: int | None
    table: Table
    races: tuple[data.Race, ...]


def standings_selection(season: data.Season, query: Mapping[str, str]) -> StandingsSelection:
    tables = SeasonTables(season)
    rounds = sorted({race.round for race in season.races})
    form = StandingsForm(query, class_codes=season.class_codes, rounds=rounds)
    choice, after_round = form.selection()
    table = tables.table(choice.table, choice.class_code, after_round)
    races = rules.races_in_scope(season.races, after_round)
    return StandingsSelection(tables, rounds, form, choice, after_round, table, races)


def standings_page(
    championship: Championship, query: Mapping[str, str], season: data.Season | None = None
) -> Context:
    """``season``: the data to show, e.g. as published at a date; the current one by default."""
    season = season or cached_season(championship)
    picked = standings_selection(season, query)
    tables, choice, table = picked.tables, picked.choice, picked.table
    shown = [r for r in picked.rounds if picked.after_round is None or r <= picked.after_round]
    # After the last round shown, the table is the one already computed.
    by_round = {r: tables.table(choice.table, choice.class_code, r) for r in shown[:-1]}
    lines = progression(table, {**by_round, **({shown[-1]: table} if shown else {})})
    return {
        "championship": championship,
        "form": picked.form,
        "choice": choice,
        "table": table,
        "races": picked.races,
        "explained": [r for r in table.rows if getattr(r, "deductions", ()) or r.ties],
        "progression": lines,
        "chart": progression_chart(
            lines.rounds, [(row_label(row), points) for row, points in lines.lines]
        ),
        "maths": maths(championship, season, table, choice),
        "slugs": driver_slugs(championship),
    }


def maths(
    championship: Championship, season: data.Season, table: Table, choice: TableChoice
) -> TitleMaths:
    """Title maths over every race of the calendar, held or still to come."""
    held = {race.id for race in season.races}
    races = Race.objects.filter(meeting__championship_id=championship.pk)
    rows = races.values_list("id", "meeting__round", "points_factor")
    left = races_left(((r, Decimal(f), pk in held) for pk, r, f in rows), table.after_round)
    scheme, cars = scheme_for(season, choice.table, choice.class_code)
    drop_disqualified = season.settings.drop_disqualified
    return title_maths(table, left, scheme, cars, drop_disqualified=drop_disqualified)


# Archive -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeasonSummary:
    championship: Championship
    complete: bool
    leaders: list[Leader]


def archive_page() -> Context:
    """Every public season (never a draft), by series in the order staff gave them, each
    series' seasons latest first: the template groups them (``regroup`` on the series)."""
    public = Championship.objects.public().select_related("series")
    order = ("series__position", "series__name", "series_id", "-year", "name")
    championships = list(public.order_by(*order))
    seasons = cached_seasons(championships)
    races = Race.objects.with_held().filter(meeting__championship__in=championships)
    held: dict[int, list[bool]] = {}
    for championship_id, is_held in races.values_list("meeting__championship_id", "held"):
        held.setdefault(championship_id, []).append(is_held)
    summaries = [
        SeasonSummary(c, all(held.get(c.pk, [False])), leaders(SeasonTables(seasons[c.pk])))
        for c in championships
    ]
    entries = Entry.objects.filter(championship__in=championships)
    return {"summaries": summaries, "slugs": dict(entries.values_list("id", "driver__slug"))}
