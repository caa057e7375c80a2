"""What the entry list and driver pages show, in a fixed number of queries.

Points and positions come from the standings module; this module loads, picks and pairs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from championships.models import Championship, FiaCategory, Race
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


def driver_page(slug: str) -> Context:
    driver = get_object_or_404(Driver, slug=slug)
    entries = list(driver_entries(driver))
    seasons = cached_seasons([entry.championship for entry in entries])
    tables = {entry.pk: SeasonTables(seasons[entry.championship_id]) for entry in entries}
    current = entries[0] if entries else None
    return {
        "driver": driver,
        "entry": current,
        "results": season_results(tables[current.pk], current) if current else [],
        "places": table_places(tables[current.pk], current) if current else [],
        "past": [PastSeason(e, table_places(tables[e.pk], e)) for e in entries[1:]],
    }


def driver_entries(driver: Driver) -> QuerySet[Entry]:
    """The driver's entries, latest season first, each with the category in force today
    (for a past season, on its last day) and the class (for a past season, at its end)."""
    entries = Entry.objects.filter(driver=driver).select_related(
        "championship__series", "team", "entry_class"
    )
    entries = entries.as_shown_on(timezone.localdate())
    return entries.order_by("-championship__year", "championship__name")


def season_results(tables: SeasonTables, entry: Entry) -> list[RaceResult]:
    """The entry's line of every held race's final classification."""
    races = Race.objects.filter(meeting__championship_id=entry.championship_id)
    by_id = {race.pk: race for race in races.select_related("meeting__circuit")}
    results = []
    for race in tables.season.races:
        line = next((ln for ln in race_sheet(tables, race) if ln.entry.id == entry.pk), None)
        if line is not None:
            results.append(RaceResult(by_id[race.id], line))
    return results


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
