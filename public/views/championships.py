"""Public pages of the championships app. Views stay thin: one page function, one template."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.http import http_date
from django.views.generic import TemplateView, View

from championships.models import Championship
from championships.rendered import (
    CODE_LOADED_AT,
    Rendered,
    Version,
    canonical_query,
    current_championship,
    kept_page,
    only_parameters,
)
from championships.standings.data import Season
from championships.versions import meeting_publication, published_at, season_as_published
from public.pages import championships as pages


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


class BadQueryStatus:
    """Answer 400 when the page's GET form has errors: the page still shows, with them."""

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        form = context.get("form")
        status = 400 if form is not None and form.errors else 200
        return super().render_to_response(context, status=status, **kwargs)  # type: ignore[misc]


class KeptPageMixin:
    """The page served rendered from the cache until its championship's data changes.

    A kept page costs one light query: the championship, whose change time keys the kept
    page and which a page not yet kept renders from. The page reads ``query_parameters``
    only: any other (``?utm=``) is dropped before the page sees it, so it is neither shown
    nor part of the key. As published at a moment (``?at=``), the page is rendered each time:
    moments are countless."""

    query_parameters: tuple[str, ...] = ()

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        only_parameters(request, self.query_parameters)
        championship = current_championship(kwargs.get("slug"))
        if championship is None:
            return self.not_set_up()
        if request.GET.get("at"):
            return self.rendered(championship).response
        version = Version.of(championship)
        query = self.kept_query(request)
        # The page cache (cupmanager/pagecache.py) keeps only this spelling of the address.
        request.canonical_query = query  # type: ignore[attr-defined]
        return kept_page(request, version, query, lambda: self.rendered(championship))

    def kept_query(self, request: HttpRequest) -> str:
        """The key's query: the page's parameters as given (only valid values, a 200, are
        kept, and each value valid is spelled one way)."""
        return canonical_query([(name, request.GET[name]) for name in request.GET])

    def not_set_up(self) -> HttpResponseBase:
        raise Http404("No championship of that name, or none set up yet.")

    def rendered(self, championship: Championship) -> Rendered:
        context = self.page_context(championship)  # type: ignore[attr-defined]
        return Rendered(self.render_to_response(context))  # type: ignore[attr-defined]


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
        championship = pages.championship_or_404(slug)
        text = pages.calendar_feed(championship, request.build_absolute_uri)
        response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{championship.slug}.ics"'
        return response


class MeetingView(KeptPageMixin, TemplateView):
    """A round's races: final classifications after penalties, and the stewards' decisions."""

    template_name = "championships/meeting_detail.html"
    query_parameters = ("at",)

    def page_context(self, championship: Championship) -> dict[str, Any]:
        at, season = as_published(self.request, championship)
        context = pages.meeting_page(championship, self.kwargs["round"], season)
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
    """Every season, latest first, with the champion (or leader, while it runs) of each table."""

    template_name = "championships/championship_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return pages.archive_page()
