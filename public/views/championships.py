"""Public pages of the championships app. Views stay thin: one page function, one template."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.http import http_date
from django.views.generic import TemplateView, View

from championships.kept import championships_version
from championships.models import Championship
from championships.standings.data import Season
from championships.versions import meeting_publication, published_at, season_as_published
from core.kept import CODE_LOADED_AT, Rendered, kept_page, only_parameters
from public.pages import championships as pages
from public.pages import series as series_pages
from public.views.kept import BadQueryStatus, KeptPageMixin, menu_key


def as_published(
    request: HttpRequest, championship: Championship
) -> tuple[dt.datetime | None, Season | None]:
    """``?at=``: the moment and the season as published then (None, None without it); a
    value that reads as neither a date nor a time is a 400."""
    try:
        at = published_at(request.GET.get("at"))
    except ValueError as error:
        raise BadRequest(str(error)) from None
    return at, season_as_published(championship, at) if at else None


class OrganiserHomeView(TemplateView):
    """Every series' current season at a glance, kept until any season's data, status or
    the series menu changes (or the next race starts)."""

    template_name = "championships/organiser_home.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        only_parameters(request, ())
        request.canonical_query = ""  # type: ignore[attr-defined]
        # Any public season's data or status changing moves it (drafts do not count).
        seasons = championships_version(None, drafts=False)
        key = f"home:{seasons}:{menu_key(request)}"
        return kept_page(request, key, "", self.rendered)

    def rendered(self) -> Rendered:
        context = series_pages.organiser_home(timezone.now())
        return Rendered(self.render_to_response(context), context["valid_until"])


class SeriesView(TemplateView):
    """A series' own section: its current season at a glance, its pages and its archive."""

    template_name = "championships/series_detail.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        only_parameters(request, ())
        request.canonical_query = ""  # type: ignore[attr-defined]
        seasons = series_pages.public_seasons(kwargs["slug"])
        key = f"series:{series_pages.seasons_version(seasons)}:{menu_key(request)}"
        return kept_page(request, key, "", lambda: self.rendered(seasons))

    def rendered(self, seasons: list[Championship]) -> Rendered:
        context = series_pages.series_page(seasons, timezone.now())
        next_race = context["next_race"]  # the page changes when it starts
        until = next_race.starts_at if next_race else None
        return Rendered(self.render_to_response(context), until)


class HomeView(KeptPageMixin, TemplateView):
    """The current championship (or the one of ``slug``) at a glance."""

    template_name = "championships/championship_detail.html"

    def not_set_up(self) -> HttpResponseBase:
        if self.kwargs.get("slug"):
            return super().not_set_up()
        return self.render_to_response({"championship": None})  # nothing set up yet

    def rendered(self, championship: Championship) -> Rendered:
        context = pages.overview(championship, timezone.now())
        next_race = context["next_race"]  # the page changes when it starts
        until = next_race.starts_at if next_race else None
        return Rendered(self.render_to_response(context), until)


class CalendarView(KeptPageMixin, TemplateView):
    template_name = "championships/meeting_list.html"

    def page_context(self, championship: Championship) -> dict[str, Any]:
        return {"championship": championship, "meetings": pages.meetings_of(championship)}


class CalendarFeedView(View):
    """The season's races as an iCalendar feed."""

    def get(self, request: HttpRequest, slug: str | None = None) -> HttpResponse:
        championship = pages.championship_or_404(slug, request.user)
        text = pages.calendar_feed(championship, request.build_absolute_uri)
        response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{championship.slug}.ics"'
        return response


class MeetingView(KeptPageMixin, TemplateView):
    """A round's practice and qualifying classifications, its races (starting grids and final
    classifications after penalties) and the stewards' decisions."""

    template_name = "championships/meeting_detail.html"
    query_parameters = ("at",)

    def page_context(self, championship: Championship) -> dict[str, Any]:
        at, season = as_published(self.request, championship)
        context = pages.meeting_page(championship, self.kwargs["round"], season, at)
        races = [sheet.race for sheet in context["sheets"]]
        return {**context, **meeting_publication(context["meeting"].pk, races, at)}


class StandingsView(KeptPageMixin, BadQueryStatus, TemplateView):
    """Every table, after any round; Last-Modified from when the tables last changed (the
    middleware answers 304 from it and from the ETag)."""

    template_name = "championships/championship_standings.html"
    query_parameters = ("table", "after_round", "at")

    def rendered(self, championship: Championship) -> Rendered:
        at, season = as_published(self.request, championship)
        context = pages.standings_page(championship, self.request.GET, season)
        response = self.render_to_response({**context, "at": at})
        changed = max(championship.tables_changed_at, CODE_LOADED_AT)
        response.headers["Last-Modified"] = http_date(int(changed.timestamp()))
        return Rendered(response)


class ArchiveView(TemplateView):
    """Every public season by series, latest first, with the champion (or leader, while it
    runs) of each table. Never a draft, for anyone: the archive reads no session."""

    template_name = "championships/championship_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return pages.archive_page()
