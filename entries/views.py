"""Public pages of the entries app: the entry list and each driver's page."""

from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from championships.models import Championship
from championships.views import BadQueryStatus, KeptPageMixin
from entries import pages


class EntryListView(KeptPageMixin, BadQueryStatus, TemplateView):
    """The cars of a championship, filtered with the shared ``EntryFilter``."""

    template_name = "entries/entry_list.html"

    def page_context(self, championship: Championship) -> dict[str, Any]:
        return pages.entry_list(championship, self.request.GET)


class DriverView(TemplateView):
    """A driver: this season's entry, every result, places in each table, past seasons."""

    template_name = "entries/driver_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return pages.driver_page(self.kwargs["slug"])
