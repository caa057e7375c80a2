"""What the entry list and driver pages show, in a fixed number of queries.

Points and positions come from the standings module; this module loads, picks and pairs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from django import forms
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from championships.models import (
    Championship,
    FiaCategory,
    Race,
    Result,
    ResultStatus,
    SessionResult,
)
from championships.race_sheet import SheetLine, race_sheet
from championships.standings.cache import cached_seasons
from championships.standings.data import DEALERS, DRIVERS, ROOKIES, TEAMS
from championships.standings.progress import Row
from championships.standings.tables import DriverRow, SeasonTables
from championships.table_choices import TableChoice, class_label, table_choices
from entries.filters import EntryFilter
from entries.models import Driver, Entry, Team

Context = dict[str, Any]

YES_NO = [("", _("Either")), ("true", _("Yes")), ("false", _("No"))]

# The filters the entry list offers, in the order shown; the others still work in the URL.
SHOWN_FILTERS = ("entry_class", "category", "team", "rookie", "arrive_and_drive")


class EntryListFilter(EntryFilter):
    """The shared ``EntryFilter`` for one championship, its class and team as lists to pick."""

    def __init__(self, data: Mapping[str, str], *, championship: Championship) -> None:
        entries = Entry.objects.filter(championship=championship).with_people()
        entries = entries.as_shown_on(timezone.localdate())
        super().__init__(data, queryset=entries.order_by("car_number"))
        # The page is the championship's own list: the address names it, not a parameter.
        self.filters.pop("championship")
        codes = championship.classes.values_list("code", flat=True)
        teams = Team.objects.filter(entries__championship=championship).distinct()
        fields = self.form.fields
        fields["entry_class"].widget = forms.Select(
            choices=[("", _("All classes")), *((c, class_label(c)) for c in codes)]
        )
        fields["team"].widget = forms.Select(
            choices=[("", _("All teams")), *teams.values_list("slug", "name")]
        )
        # django-filter's choice field adds its own empty choice, labelled by ``empty_label``.
        fields["category"].empty_label = _("All categories")
        fields["category"].choices = FiaCategory.choices
        for name in ("rookie", "arrive_and_drive"):
            fields[name].widget = forms.Select(choices=YES_NO)

    def shown_fields(self) -> list[forms.BoundField]:
        return [self.form[name] for name in SHOWN_FILTERS]


def entry_list(championship: Championship, query: Mapping[str, str]) -> Context:
    filterset = EntryListFilter(query, championship=championship)
    return {
        "championship": championship,
        "filter": filterset,
        "form": filterset.form,
        "entries": filterset.qs,
    }


# The driver page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RaceResult:
    race: Race
    line: SheetLine


@dataclass(frozen=True)
class TablePlace:
    choice: TableChoice
    row: Row


@dataclass(frozen=True)
class PastSeason:
    entry: Entry
    places: list[TablePlace]


@dataclass(frozen=True)
class ThisSeason:
    """One championship the driver races this season: the entry, its results and places."""

    entry: Entry
    results: list[RaceResult]
    places: list[TablePlace]


def driver_page(slug: str) -> Context:
    """Every public championship of the driver: those of the latest year (the Cup and a Sprint
    series raced side by side) each as this season's, the others as earlier seasons. Drafts
    are never listed, whoever asks: the page reads no session and stays one for all."""
    driver = get_object_or_404(Driver, slug=slug)
    entries = list(driver_entries(driver))
    seasons = cached_seasons([entry.championship for entry in entries])
    tables = {entry.pk: SeasonTables(seasons[entry.championship_id]) for entry in entries}
    current, earlier = this_year_and_earlier(entries)
    results = season_results_of(tables, current)
    this_season = [ThisSeason(e, results[e.pk], table_places(tables[e.pk], e)) for e in current]
    first = this_season[0] if this_season else None
    return {
        "driver": driver,
        "this_season": this_season,
        # The first of this season's championships, as the page named it before there were
        # several: kept for templates and tests that read one entry.
        "entry": first.entry if first else None,
        "results": first.results if first else [],
        "places": first.places if first else [],
        "past": [PastSeason(e, table_places(tables[e.pk], e)) for e in earlier],
        "best_laps": best_laps_by_circuit(driver),
    }


@dataclass(frozen=True)
class CircuitBest:
    """A driver's best lap at a circuit, and where it was set."""

    circuit: str
    time: dt.timedelta
    year: int
    round: int
    slug: str
    session: str


def best_laps_by_circuit(driver: Driver) -> list[CircuitBest]:
    """The driver's best lap at each circuit, over every race and practice or qualifying
    session of a public season (two queries however many), circuits by name; a lap of a
    result disqualified does not count."""
    public = Championship.objects.public()
    found: dict[str, CircuitBest] = {}
    races = (
        Result.objects.filter(
            entry__driver=driver, entry__championship__in=public, best_lap__isnull=False
        )
        .exclude(status=ResultStatus.DSQ)
        .select_related("race__meeting__circuit", "race__meeting__championship")
    )
    for result in races:
        meeting = result.race.meeting
        where = _("Race %(number)s") % {"number": result.race.number}
        best = CircuitBest(
            meeting.circuit.name,
            result.best_lap,
            meeting.championship.year,
            meeting.round,
            meeting.championship.slug,
            str(where),
        )
        _keep_best(found, best)
    sessions = (
        SessionResult.objects.filter(
            entry__driver=driver, entry__championship__in=public, best_lap__isnull=False
        )
        .exclude(status=ResultStatus.DSQ)
        .select_related("session__meeting__circuit", "session__meeting__championship")
    )
    for result in sessions:
        meeting = result.session.meeting
        best = CircuitBest(
            meeting.circuit.name,
            result.best_lap,
            meeting.championship.year,
            meeting.round,
            meeting.championship.slug,
            str(result.session.label),
        )
        _keep_best(found, best)
    return sorted(found.values(), key=lambda best: best.circuit)


def _keep_best(found: dict[str, CircuitBest], best: CircuitBest) -> None:
    held = found.get(best.circuit)
    if held is None or best.time < held.time:
        found[best.circuit] = best


class InSeason(Protocol):
    championship: Championship


SeasonItem = TypeVar("SeasonItem", bound=InSeason)


def this_year_and_earlier(items: list[SeasonItem]) -> tuple[list[SeasonItem], list[SeasonItem]]:
    """``items`` of seasons (latest year first) split into the latest year's and the earlier
    ones: a driver's or a team's seasons raced side by side are all this season's."""
    if not items:
        return [], []
    year = items[0].championship.year
    return (
        [item for item in items if item.championship.year == year],
        [item for item in items if item.championship.year != year],
    )


def public_entries(*related: str, then: tuple[str, ...] = (), **by: object) -> QuerySet[Entry]:
    """The entries ``by`` selects in public seasons (never a draft), latest year first and,
    within a year, in the series' order (then by ``then``), with their championship, series,
    class and ``related``; each with the category in force today (for a past season, on its
    last day) and the class (for a past season, at its end)."""
    entries = Entry.objects.filter(championship__in=Championship.objects.public(), **by)
    entries = entries.select_related("championship__series", "entry_class", *related)
    entries = entries.as_shown_on(timezone.localdate())
    return entries.order_by(
        "-championship__year",
        "championship__series__position",
        "championship__series__name",
        "championship__name",
        *then,
    )


def driver_entries(driver: Driver) -> QuerySet[Entry]:
    """The driver's entries in public seasons, as ``public_entries`` orders them."""
    return public_entries("team", driver=driver)


def season_results_of(
    tables: Mapping[int, SeasonTables], entries: Sequence[Entry]
) -> dict[int, list[RaceResult]]:
    """Each entry's line of every held race of its season (entry id to lines), the races of
    every season read in one query."""
    if not entries:
        return {}
    races = Race.objects.filter(meeting__championship_id__in={e.championship_id for e in entries})
    by_id = {race.pk: race for race in races.select_related("meeting__circuit")}
    found: dict[int, list[RaceResult]] = {}
    for entry in entries:
        season = tables[entry.pk]
        results = found.setdefault(entry.pk, [])
        for race in season.season.races:
            line = next((ln for ln in race_sheet(season, race) if ln.entry.id == entry.pk), None)
            if line is not None:
                results.append(RaceResult(by_id[race.id], line))
    return found


def table_places(tables: SeasonTables, entry: Entry) -> list[TablePlace]:
    """The entry's row (or its team's) in each table it belongs to."""
    places = []
    held = _classes_held(tables, entry)
    for choice in table_choices(tables.season.class_codes):
        if not _belongs(choice, entry, held):
            continue
        rows = tables.table(choice.table, choice.class_code).rows
        row = next((r for r in rows if _is_of(r, entry)), None)
        if row is not None:
            places.append(TablePlace(choice, row))
    return places


def _classes_held(tables: SeasonTables, entry: Entry) -> set[str]:
    """Rule 7: the class at the entry's first race and every class it moved to."""
    held = tables.entries.get(entry.pk)
    moves = held.class_moves if held else ()
    return {entry.entry_class.code, *(move.class_code for move in moves)}


def _belongs(choice: TableChoice, entry: Entry, held: set[str]) -> bool:
    if choice.class_code is not None:
        return choice.class_code in held
    return {
        DRIVERS: True,
        ROOKIES: entry.rookie,
        TEAMS: True,
        DEALERS: entry.dealer_trophy,
    }[choice.table]


def _is_of(row: Row, entry: Entry) -> bool:
    if isinstance(row, DriverRow):
        return row.entry.id == entry.pk
    return row.team == entry.team.name


# The team page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamSeason:
    """A team in one championship: its cars (entries with driver and class) and its places
    in the teams tables (teams, dealer trophy)."""

    championship: Championship
    cars: list[Entry]
    places: list[TablePlace]


def team_page(slug: str) -> Context:
    """The team's cars and places in every public championship: the latest year's (several
    series at once) as this season's, the others as earlier seasons. Drafts never."""
    team = get_object_or_404(Team, slug=slug)
    entries = list(team_entries(team))
    cars: dict[int, list[Entry]] = {}
    championships: dict[int, Championship] = {}
    for entry in entries:
        cars.setdefault(entry.championship_id, []).append(entry)
        championships.setdefault(entry.championship_id, entry.championship)
    seasons = cached_seasons(list(championships.values()))
    found = [
        TeamSeason(c, cars[pk], team_places(SeasonTables(seasons[pk]), team))
        for pk, c in championships.items()
    ]
    this_season, past = this_year_and_earlier(found)
    return {"team": team, "this_season": this_season, "past": past}


def team_entries(team: Team) -> QuerySet[Entry]:
    """The team's cars in public seasons, as ``public_entries`` orders them, then by car
    number; each with its driver."""
    return public_entries("driver", then=("car_number",), team=team)


def team_places(tables: SeasonTables, team: Team) -> list[TablePlace]:
    """The team's row in each teams table of the season (teams, dealer trophy)."""
    places = []
    for choice in table_choices(tables.season.class_codes):
        if choice.table not in (TEAMS, DEALERS):
            continue
        rows = tables.table(choice.table, choice.class_code).rows
        row = next((r for r in rows if not isinstance(r, DriverRow) and r.team == team.name), None)
        if row is not None:
            places.append(TablePlace(choice, row))
    return places
