"""Public pages of the entries app: the entry list and each driver's page."""

from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from championships.pages import championship_or_404
from championships.views import BadQueryStatus
from entries import pages


class EntryListView(BadQueryStatus, TemplateView):
    """The cars of a championship, filtered with the shared ``EntryFilter``."""

    template_name = "entries/entry_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        championship = championship_or_404(self.kwargs.get("slug"))
        return pages.entry_list(championship, self.request.GET)


class DriverView(TemplateView):
    """A driver: this season's entry, every result, places in each table, past seasons."""

    template_name = "entries/driver_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return pages.driver_page(self.kwargs["slug"])
