"""Public pages of the championships app. Views stay thin: one page function, one template."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.generic import TemplateView, View

from championships import pages
from championships.versions import meeting_publication, published_at, season_as_published

# Pages keyed on the data's age must also change when the code that renders them does.
STARTED_AT = timezone.now()


class BadQueryStatus:
    """Answer 400 when the page's GET form has errors: the page still shows, with them."""

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        form = context.get("form")
        status = 400 if form is not None and form.errors else 200
        return super().render_to_response(context, status=status, **kwargs)  # type: ignore[misc]


class HomeView(TemplateView):
    """The current championship (or the one of ``slug``) at a glance."""

    template_name = "championships/championship_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        championship = pages.current_championship(self.kwargs.get("slug"))
        if championship is None:
            return {"championship": None}
        return pages.overview(championship, timezone.now())


class CalendarView(TemplateView):
    template_name = "championships/meeting_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        championship = pages.championship_or_404(self.kwargs.get("slug"))
        return {"championship": championship, "meetings": pages.meetings_of(championship)}


class CalendarFeedView(View):
    """The season's races as an iCalendar feed."""

    def get(self, request: HttpRequest, slug: str | None = None) -> HttpResponse:
        championship = pages.championship_or_404(slug)
        text = pages.calendar_feed(championship, request.build_absolute_uri)
        response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{championship.slug}.ics"'
        return response


class MeetingView(TemplateView):
    """A round's races: final classifications after penalties, and the stewards' decisions."""

    template_name = "championships/meeting_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        championship = pages.championship_or_404(self.kwargs["slug"])
        try:  # ?at=: the classifications and decisions as published then
            at = published_at(self.request.GET.get("at"))
        except ValueError as error:
            raise BadRequest(str(error)) from None
        season = season_as_published(championship, at) if at else None
        context = pages.meeting_page(championship, self.kwargs["round"], season)
        races = [sheet.race for sheet in context["sheets"]]
        return {**context, **meeting_publication(context["meeting"].pk, races, at)}


class StandingsView(BadQueryStatus, TemplateView):
    """Every table, after any round; Last-Modified from when the tables last changed."""

    template_name = "championships/championship_standings.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        championship = pages.championship_or_404(kwargs.get("slug"))
        try:  # ?at=: the tables as published then
            at = published_at(request.GET.get("at"))
        except ValueError as error:
            raise BadRequest(str(error)) from None
        changed = int(max(championship.tables_changed_at, STARTED_AT).timestamp())
        response = get_conditional_response(request, last_modified=changed)
        if response is None:
            season = season_as_published(championship, at) if at else None
            context = pages.standings_page(championship, request.GET, season)
            response = self.render_to_response({**context, "at": at})
            response.headers["Last-Modified"] = http_date(changed)
        return response


class ArchiveView(TemplateView):
    """Every season, latest first, with the champion (or leader, while it runs) of each table."""

    template_name = "championships/championship_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return pages.archive_page()
