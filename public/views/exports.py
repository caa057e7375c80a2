"""Race classifications and standings to download (CSV) and to print (timing-sheet pages).

Each takes ``?at=`` (a date, or a date and time) for the classification and tables as they
were published then; without it, the current ones. Points and positions come from the
standings module; these views only choose what to show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views import View

from championships import sheets
from championships.models import Championship, Penalty, Race
from championships.race_sheet import SheetLine, race_sheet
from championships.standings import data
from championships.standings.cache import cached_season
from championships.standings.tables import SeasonTables
from championships.versions import (
    published_at,
    published_version,
    season_as_published,
)
from core.downloads import attachment
from public.pages import championships as pages


def season_for(championship: Championship, at: dt.datetime | None) -> data.Season:
    return cached_season(championship) if at is None else season_as_published(championship, at)


@dataclass(frozen=True)
class RaceExport:
    championship: Championship
    race: Race
    lines: tuple[SheetLine, ...]
    rows: list[dict[str, str]]
    version: int
    state: str
    at: dt.datetime | None
    penalties: list[Penalty]


def race_export(
    championship: Championship, kwargs: dict[str, Any], at: dt.datetime | None
) -> RaceExport:
    race = get_object_or_404(
        Race.objects.select_related("meeting__circuit", "meeting__championship"),
        meeting__championship=championship,
        meeting__round=kwargs["round"],
        number=kwargs["number"],
    )
    tables = SeasonTables(season_for(championship, at))
    held = next((r for r in tables.season.races if r.id == race.pk), None)
    lines = race_sheet(tables, held) if held else ()
    version, state = published_version(race, at)
    penalties = race.penalties.select_related("entry__driver").order_by("number", "id")
    return RaceExport(
        championship, race, lines, sheets.race_rows(lines), version, state, at, list(penalties)
    )


def csv_response(text: str, filename: str) -> HttpResponse:
    return attachment(text, filename, "text/csv; charset=utf-8")


class AsPublishedView(View):
    """Reads ``?at=``; a value that is not a date or time is a 400 saying what is expected."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            self.at = published_at(request.GET.get("at"))
        except ValueError as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
        self.championship = pages.championship_or_404(kwargs["slug"], request.user)
        return super().dispatch(request, *args, **kwargs)


class RaceClassificationCsvView(AsPublishedView):
    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        export = race_export(self.championship, kwargs, self.at)
        name = f"{self.championship.slug}-R{kwargs['round']}-{kwargs['number']}.csv"
        return csv_response(sheets.race_csv(export.lines), name)


class RaceSheetView(AsPublishedView):
    """The race's classification as an official timing sheet, to print."""

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        export = race_export(self.championship, kwargs, self.at)
        context = {"export": export, "printed_at": timezone.now()}
        return TemplateResponse(request, "championships/race_sheet_print.html", context)


def standings_export(
    championship: Championship, query: Any, at: dt.datetime | None
) -> dict[str, Any]:
    picked = pages.standings_selection(season_for(championship, at), query)
    columns, rows = sheets.standings_rows(picked.table, picked.races)
    return {
        "championship": championship,
        "choice": picked.choice,
        "table": picked.table,
        "races": picked.races,
        "columns": columns,
        "rows": rows,
        "at": at,
    }


class StandingsCsvView(AsPublishedView):
    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        found = standings_export(self.championship, request.GET, self.at)
        text = sheets.standings_csv(found["table"], found["races"])
        after = f"-after-R{found['table'].after_round}" if found["table"].after_round else ""
        return csv_response(text, f"{self.championship.slug}-{found['choice'].value}{after}.csv")


class StandingsSheetView(AsPublishedView):
    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        context = {**standings_export(self.championship, request.GET, self.at)}
        context["printed_at"] = timezone.now()
        return TemplateResponse(request, "championships/standings_print.html", context)
