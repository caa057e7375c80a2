"""Public pages kept rendered until their championship's data changes (``core.kept``)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase

from championships.kept import Version, championship_version, versioned_championship
from championships.models import Championship
from core.kept import Rendered, canonical_query, kept_page, only_parameters
from public.pages.championships import championship_or_404
from public.pages.series import menu_version, series_menu
from staff.roles import sees_drafts


def menu_key(request: HttpRequest) -> str:
    """The series menu's version, for a kept page's key: the menu is part of every page, so
    a series renamed or taken off the site moves the key of every kept page. Its one small
    query also gives the menu the page renders (``public.context_processors``)."""
    menu = series_menu()
    request.series_menu = menu  # type: ignore[attr-defined]
    return menu_version(menu)


class BadQueryStatus:
    """Answer 400 when the page's GET form has errors: the page still shows, with them."""

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        form = context.get("form")
        status = 400 if form is not None and form.errors else 200
        return super().render_to_response(context, status=status, **kwargs)  # type: ignore[misc]


class KeptPageMixin:
    """The page served rendered from the cache until its championship's data changes.

    A kept page costs two light queries: the championship's version (its id, change time and
    status) and the series menu (``menu_key``), which key the kept page; a page not yet kept
    then reads the whole championship. The page
    reads ``query_parameters`` only: any other (``?utm=``) is dropped before the page sees it,
    so it is neither shown nor part of the key. As published at a moment (``?at=``), the page
    is rendered each time: moments are countless."""

    query_parameters: tuple[str, ...] = ()

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        only_parameters(request, self.query_parameters)
        if request.GET.get("at"):
            return self.as_published(request, kwargs.get("slug"))
        version = championship_version(kwargs.get("slug"))
        # A draft is for staff only: the session is read for a draft alone, so every other
        # page stays one answer for all (kept, and in the page cache).
        if version is None or (version.draft and not sees_drafts(request.user)):
            return self.not_set_up()
        query = self.kept_query(request)
        # The page cache (core/pagecache.py) keeps only this spelling of the address.
        request.canonical_query = query  # type: ignore[attr-defined]
        key = f"{version.key}:{menu_key(request)}"
        return kept_page(request, key, query, lambda: self.render_version(version))

    def render_version(self, version: Version) -> Rendered:
        return self.rendered(versioned_championship(version))

    def as_published(self, request: HttpRequest, slug: str | None) -> HttpResponseBase:
        """The page as published at a moment, rendered each time: moments are countless."""
        try:
            championship = championship_or_404(slug, request.user)
        except Http404:
            return self.not_set_up()
        return self.rendered(championship).response

    def kept_query(self, request: HttpRequest) -> str:
        """The key's query: the page's parameters as given (only valid values, a 200, are
        kept, and each value valid is spelled one way)."""
        return canonical_query([(name, request.GET[name]) for name in request.GET])

    def not_set_up(self) -> HttpResponseBase:
        raise Http404("No championship of that name, or none set up yet.")

    def rendered(self, championship: Championship) -> Rendered:
        context = self.page_context(championship)  # type: ignore[attr-defined]
        return Rendered(self.render_to_response(context))  # type: ignore[attr-defined]
