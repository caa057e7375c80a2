"""The page cache (PAGE_CACHE_SECONDS): Django's cache middleware, keyed on what the answer
depends on only, so that client input never multiplies its entries.

Django's own pair keys an answer on the whole address and on the raw value of every header
the answer varies on. A flood of ``?utm=<random>``, of ``Accept: application/json; x=<random>``
or of made-up ``Accept-Language`` values would each store a copy. Here:

- an answer is stored only when its address is canonical: no parameter, or exactly the
  normalised query the view read (``request.canonical_query``, set by the kept pages and
  lists, which drop or refuse every other parameter);
- ``Accept`` counts as the rendering it gets (JSON, with an indent of 0 to 8); any other
  value is neither fetched nor stored;
- ``Accept-Language`` does not count: the language the page is in is part of the key already;
- an answer that varies on ``Cookie`` is not stored (each visitor's cookies would be a key).
"""

from __future__ import annotations

import copy

from django.http import HttpRequest, HttpResponseBase
from django.middleware import cache
from django.utils.cache import has_vary_header
from django.utils.http import parse_header_parameters

JSON = "application/json"


def accept_variant(accept: str) -> str | None:
    """The rendering an Accept header asks for, spelled one way; None: not one the page cache
    keeps (several media types, a browser's list)."""
    ranges = [part.strip() for part in accept.split(",") if part.strip()]
    if not ranges or ranges == ["*/*"]:
        return "*/*"
    if len(ranges) != 1:
        return None
    media_type, parameters = parse_header_parameters(ranges[0])
    if media_type != JSON:
        return None
    indent = parameters.get("indent", "0")
    if not (indent.isascii() and indent.isdigit()):
        return JSON
    return f"{JSON}; indent={min(int(indent), 8)}" if int(indent) else JSON


def keyed_request(request: HttpRequest) -> HttpRequest | None:
    """The request as the cache keys it: Accept normalised, Accept-Language left out. None
    when the page cache stays out of it."""
    accept = accept_variant(request.META.get("HTTP_ACCEPT", ""))
    if accept is None:
        return None
    keyed = copy.copy(request)
    keyed.META = {**request.META, "HTTP_ACCEPT": accept}
    keyed.META.pop("HTTP_ACCEPT_LANGUAGE", None)
    keyed.__dict__.pop("headers", None)  # read again from the new META
    return keyed


def canonical_address(request: HttpRequest) -> bool:
    return request.META.get("QUERY_STRING", "") == getattr(request, "canonical_query", "")


class UpdateCacheMiddleware(cache.UpdateCacheMiddleware):
    """Stores only answers to canonical addresses, keyed by ``keyed_request``."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not self._should_update_cache(request, response):
            return response
        keyed = keyed_request(request)
        if keyed is None or not canonical_address(request) or has_vary_header(response, "Cookie"):
            return response
        return super().process_response(keyed, response)


class FetchFromCacheMiddleware(cache.FetchFromCacheMiddleware):
    """Looks answers up by ``keyed_request``; a request it cannot key goes to the view."""

    def process_request(self, request: HttpRequest) -> HttpResponseBase | None:
        keyed = keyed_request(request)
        if keyed is None:
            request._cache_update_cache = False
            return None
        response = super().process_request(keyed)
        request._cache_update_cache = getattr(keyed, "_cache_update_cache", False)
        return response
