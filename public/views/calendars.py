"""The calendar of every series, and the feeds of every series and of one series."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.generic import TemplateView, View

from core.kept import canonical_query, only_parameters
from public.pages import calendars as pages
from public.views.kept import BadQueryStatus


def feed_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response


class CalendarsView(BadQueryStatus, TemplateView):
    """Every series' current meetings, a shared weekend once; ``?series=`` for one series
    (an unknown one is a 400 that says so). Never reads the session: one page for all."""

    template_name = "championships/calendar_all.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        only_parameters(request, ("series",))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = pages.calendars_page(self.request.GET)
        if not context["form"].errors:
            # The page cache (core/pagecache.py) keeps this spelling of the address only.
            self.request.canonical_query = canonical_query(  # type: ignore[attr-defined]
                [("series", self.request.GET.get("series", ""))]
            )
        return context


class AllSeriesFeedView(View):
    """Every series' published seasons as one iCalendar feed."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return feed_response(pages.all_series_feed(request.build_absolute_uri), "all-series")


class SeriesFeedView(View):
    """One series' published seasons as an iCalendar feed; 404 for an unknown series."""

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        series, text = pages.series_feed(slug, request.build_absolute_uri)
        return feed_response(text, series.slug)
