"""Answers kept rendered in the cache until the data under them changes: pages and API lists.

A race-day crowd asks for the same few answers thousands of times between two results. The
key holds a data version the caller gives (``championships/kept.py``: a championship's
``tables_changed_at``, which every write path moves), so a kept answer is never served once
the data under it has changed: nothing has to find and delete it. The key also holds the
host and path (which name the language), the parameters the answer reads, validated and
normalised (``canonical_query``), the active language, and when this process loaded the
code, so that a deploy of new templates never serves pages rendered by the old ones.

Client input never multiplies the entries: a parameter the answer does not read (``?utm=``,
``?_=<time>``) is ignored (a page does not even see it), a value is keyed as read (``02`` is
2), an answer of the API by the rendering it gets (``indent`` from 0 to 8), not by the raw
Accept header, and a filtered list that matches nothing is not kept.

Only a 200 answer without cookies is kept; the middleware (ETag, security headers, CSP)
still runs on every answer, kept or not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.utils import timezone
from django.utils.cache import set_response_etag
from django.utils.http import urlencode
from django.utils.translation import get_language
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request

from core.api import OrderingFilter

# Answers keyed on the data's age must also change when the code that renders them does.
CODE_LOADED_AT = timezone.now()
# Keys change on every write, so the timeout only bounds how long dead entries linger.
TIMEOUT = 60 * 60


@dataclass(frozen=True)
class Rendered:
    """A page as the view rendered it, and when it stops being true even if no data changes
    (the home page's "next race" once that race has started); None: not before the data.
    ``keep`` False: answer it but do not keep it (a filter that matched nothing)."""

    response: HttpResponseBase
    valid_until: dt.datetime | None = None
    keep: bool = True


def canonical_query(pairs: list[tuple[str, str]]) -> str:
    """(parameter, value) pairs as one query: sorted, the empty ones left out."""
    return urlencode(sorted((name, value) for name, value in pairs if value != ""))


def known_query(query: QueryDict, names: tuple[str, ...]) -> QueryDict:
    """Only the parameters ``names``: what a kept page reads and is keyed on."""
    known = QueryDict(mutable=True)
    for name in names:
        if name in query:
            known.setlist(name, query.getlist(name))
    known._mutable = False
    return known


def only_parameters(request: HttpRequest, names: tuple[str, ...]) -> None:
    """Drop from ``request`` every parameter but ``names``, before anything reads them: the page
    (its language links, its export links) then never shows what it did not read."""
    known = known_query(request.GET, names)
    if len(known) != len(request.GET):
        request.GET = known
        request.META["QUERY_STRING"] = known.urlencode()


def rendered_key(request: HttpRequest, data_version: str, query: str) -> str:
    """Host and path (for absolute links), the normalised ``query``, language, data and code
    versions. The host is one of ALLOWED_HOSTS: never a client's choice."""
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    loaded = CODE_LOADED_AT.isoformat()
    return f"rendered:{loaded}:{data_version}:{get_language()}:{digest}"


def kept_page(
    request: HttpRequest, data_version: str, query: str, render: Callable[[], Rendered]
) -> HttpResponseBase:
    """The kept rendering of this page for this ``data_version`` and normalised ``query``, or
    ``render()`` kept for next time."""
    key = rendered_key(request, data_version, query)
    kept = cache.get(key)
    if kept is not None:
        return restored(kept)
    rendered = render()
    response = rendered.response
    if rendered.keep and keepable(response):
        timeout = seconds_left(rendered.valid_until)
        if timeout > 0:
            cache.set(key, kept_form(response), timeout)
    return response


def keepable(response: HttpResponseBase) -> bool:
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    return (
        isinstance(response, HttpResponse)
        and response.status_code == 200
        and not response.cookies
        and not response.has_header("Set-Cookie")
    )


def seconds_left(valid_until: dt.datetime | None) -> int:
    if valid_until is None:
        return TIMEOUT
    return min(TIMEOUT, int((valid_until - timezone.now()).total_seconds()))


# The view's headers a kept answer keeps; the middleware adds the others on every request.
KEPT_HEADERS = ("Content-Type", "ETag", "Last-Modified")


def kept_form(response: HttpResponse) -> tuple[bytes, dict[str, str]]:
    """The body and the view's headers; the ETag is computed once, not on every request."""
    set_response_etag(response)
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    return response.content, headers


def restored(kept: tuple[bytes, dict[str, str]]) -> HttpResponse:
    content, headers = kept
    return HttpResponse(content, headers=headers)


# --- API lists ---------------------------------------------------------------------------


def rendering(request: Request) -> str:
    """How an API answer is rendered, as a kept answer's key holds it: the format and the
    indent DRF applies (0 to 8), never the raw Accept header (``application/json; x=1``)."""
    renderer: BaseRenderer = request.accepted_renderer
    get_indent = getattr(renderer, "get_indent", None)
    indent = get_indent(request.accepted_media_type, {}) if get_indent else None
    return f"{renderer.format}:{indent or 0}"


class KeptListMixin:
    """A read-only viewset whose JSON lists are kept rendered while ``data_version`` holds.

    The key holds the filters as the FilterSet read them, the page number, the page size and
    the ordering in effect, and the rendering: never the query string as spelled. A list
    with a parameter it does not know, or a value it refuses, is answered (400) every time; a
    filtered list that matched nothing is not kept, so made-up values cannot fill the cache.
    """

    def data_version(self, request: Request) -> str | None:
        raise NotImplementedError

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        version = self.data_version(request)
        query = self.kept_query(request) if version is not None else None
        renderer = request.accepted_renderer
        if query is None or renderer.format != "json":
            return super().list(request, *args, **kwargs)  # type: ignore[misc]
        key = f"{rendered_key(request, version, query)}:{rendering(request)}"
        body = cache.get(key)
        if body is None:
            response = super().list(request, *args, **kwargs)  # type: ignore[misc]
            if response.status_code != 200:
                return response
            body = renderer.render(response.data, request.accepted_media_type, {"request": request})
            if response.data.get("results") or not query_filters(request, self):
                cache.set(key, body, TIMEOUT)
        return HttpResponse(body, content_type=renderer.media_type)

    def kept_query(self, request: Request) -> str | None:
        """The parameters given, as read and spelled one way; None when one is unknown or
        refused (the list then answers its 400)."""
        filterset = self.filterset_class(request.query_params)  # type: ignore[attr-defined]
        known = {*filterset.filters, *PAGING}
        if not set(request.query_params) <= known or not filterset.form.is_valid():
            return None
        paging = self.paging_values(request)
        if paging is None:
            return None
        query = canonical_query([*filter_values(filterset), *paging])
        # The page cache (core/pagecache.py) keeps only this spelling of the address.
        request._request.canonical_query = query
        return query

    def paging_values(self, request: Request) -> list[tuple[str, str]] | None:
        """The page, page size and ordering given, as applied (a bad page size is the default;
        a field that cannot be ordered by is a 400, raised here); None for a page that is
        not a number."""
        given = request.query_params
        page = given.get("page", "1")
        if not (page.isascii() and page.isdigit()):
            return None
        size = self.paginator.get_page_size(request)  # type: ignore[attr-defined]
        values = {"page": str(int(page)), "page_size": str(size), "format": given.get("format")}
        if "ordering" in given:
            queryset = self.get_queryset()  # type: ignore[attr-defined]
            ordering = OrderingFilter().get_ordering(request, queryset, self)
            values["ordering"] = ",".join(ordering or ())
        return [(name, values[name]) for name in PAGING if name in given]


PAGING = ("page", "page_size", "ordering", "format")


def query_filters(request: Request, view: Any) -> set[str]:
    return set(request.query_params) & set(view.filterset_class.base_filters)


def filter_values(filterset: Any) -> list[tuple[str, str]]:
    """Each filter given, as its form read it: a flag true or false, a code upper-cased (by
    its CodeFilter's field)."""
    pairs = []
    for name, value in filterset.form.cleaned_data.items():
        if value is None or value == "" or name not in filterset.data:
            continue
        pairs.append((name, str(value).lower() if isinstance(value, bool) else str(value)))
    return pairs
