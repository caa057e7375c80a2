"""Template context every public page shares: the series menu of the site's navigation."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from public.pages.series import MenuSeries, series_menu


def series_navigation(request: HttpRequest) -> dict[str, object]:
    """``series_menu``: read only when a template shows it (the back office never does), and
    only once: a kept page has read it already for its key (``public.views.kept.menu_key``)."""

    def menu() -> list[MenuSeries]:
        known = getattr(request, "series_menu", None)
        return known if known is not None else series_menu()

    return {"series_menu": SimpleLazyObject(menu)}
