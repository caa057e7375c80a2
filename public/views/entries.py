"""Public pages of the entries app: the entry list, each driver's page and each team's."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.generic import TemplateView

from championships.models import Championship
from core.kept import Rendered, canonical_query, filter_values
from entries.filters import EntryFilter
from entries.models import DriverSlugAlias
from public.pages import entries as pages
from public.views.kept import BadQueryStatus, KeptPageMixin


class EntryListView(KeptPageMixin, BadQueryStatus, TemplateView):
    """The cars of a championship, filtered with the shared ``EntryFilter``."""

    template_name = "entries/entry_list.html"
    # The championship is the address's.
    query_parameters = tuple(name for name in EntryFilter.base_filters if name != "championship")

    def page_context(self, championship: Championship) -> dict[str, Any]:
        return pages.entry_list(championship, self.request.GET)

    def kept_query(self, request: HttpRequest) -> str:
        """The filters as read: ``rookie=True`` is ``rookie=true``, `` pro`` is ``PRO``."""
        filterset = EntryFilter(request.GET)
        if not filterset.form.is_valid():
            return super().kept_query(request)  # a 400, never kept
        return canonical_query(filter_values(filterset))

    def rendered(self, championship: Championship) -> Rendered:
        """Not kept when a filter matched nothing, so made-up values cannot fill the cache."""
        context = self.page_context(championship)
        filtered = any(self.request.GET.get(name) for name in self.query_parameters)
        keep = not filtered or bool(context["entries"])
        return Rendered(self.render_to_response(context), keep=keep)


class DriverView(TemplateView):
    """A driver: this season's entry, every result, places in each table, past seasons."""

    template_name = "entries/driver_detail.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A former slug (with the birth year, as slugs were once made) moves for good.
            moved = DriverSlugAlias.objects.moved_to(kwargs["slug"])
            if moved is None:
                raise
            return redirect("entries:driver", slug=moved, permanent=True)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return pages.driver_page(self.kwargs["slug"])


class TeamView(TemplateView):
    """A team: its cars this season in each championship, its places in the teams tables,
    earlier seasons."""

    template_name = "entries/team_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return pages.team_page(self.kwargs["slug"])
