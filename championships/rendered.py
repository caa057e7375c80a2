"""Public pages and API lists kept rendered in the cache until their championship's data changes.

A race-day crowd asks for the same few pages thousands of times between two results. The
key holds ``tables_changed_at``, which every write path moves (``standings_invalidate``), so
a kept page is never served once the data under it has changed: nothing has to find and
delete it. The key also holds the address with its query string (which names the language,
the table, the round, ``?at=``), the active language, and when this process loaded the code,
so that a deploy of new templates never serves pages rendered by the old ones.

Only a 200 answer without cookies is kept; the middleware (ETag, security headers, CSP)
still runs on every answer, kept or not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.cache import set_response_etag
from django.utils.translation import get_language
from rest_framework.request import Request

from championships.models import Championship
from cupmanager.prepared import PreparedQuery, concrete_attnames

# Pages keyed on the data's age must also change when the code that renders them does.
CODE_LOADED_AT = timezone.now()
# Keys change on every write, so the timeout only bounds how long dead entries linger.
TIMEOUT = 60 * 60


class Version(NamedTuple):
    """What a kept answer depends on: the championship and when its data last changed."""

    pk: int
    tables_changed_at: dt.datetime

    @property
    def key(self) -> str:
        return f"{self.pk}:{self.tables_changed_at.isoformat()}"

    @classmethod
    def of(cls, championship: Championship) -> Version:
        return cls(championship.pk, championship.tables_changed_at)


# The whole row, not only the version: a kept answer needs the version, and an answer not yet
# kept the championship itself, which would otherwise cost a second query.
_FIELDS = concrete_attnames(Championship)
_BY_SLUG = PreparedQuery(
    lambda slug: Championship.objects.filter(slug=slug).values_list(*_FIELDS)[:1], mark="?"
)
_CURRENT = PreparedQuery(
    lambda: Championship.objects.latest_first().values_list(*_FIELDS)[:1], mark=None
)


def current_championship(slug: str | None) -> Championship | None:
    """The championship of ``slug`` or, without one, the current one (the latest season); None
    when there is none. One prepared query, asked by every request for a kept answer."""
    row = _BY_SLUG.first(slug) if slug else _CURRENT.first()
    return Championship.from_db(DEFAULT_DB_ALIAS, _FIELDS, row) if row else None


def championship_version(slug: str | None) -> Version | None:
    """The version of ``current_championship(slug)``; None when there is none. For the API
    lists, which need no more of the championship."""
    championship = current_championship(slug)
    return Version.of(championship) if championship else None


@dataclass(frozen=True)
class Rendered:
    """A page as the view rendered it, and when it stops being true even if no data changes
    (the home page's "next race" once that race has started); None: not before the data."""

    response: HttpResponseBase
    valid_until: dt.datetime | None = None


def page_key(request: HttpRequest, version: Version) -> str:
    return rendered_key(request, version.key)


def rendered_key(request: HttpRequest, data_version: str) -> str:
    """The whole address (with host, for absolute links), language, data and code versions."""
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    loaded = CODE_LOADED_AT.isoformat()
    return f"rendered:{loaded}:{data_version}:{get_language()}:{address}"


def kept_page(
    request: HttpRequest, version: Version, render: Callable[[], Rendered]
) -> HttpResponseBase:
    """The kept rendering of this page for this data, or ``render()`` kept for next time."""
    key = page_key(request, version)
    kept = cache.get(key)
    if kept is not None:
        return restored(kept)
    rendered = render()
    response = rendered.response
    if keepable(response):
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


def championships_version(slug: str | None) -> str | None:
    """The data version of one championship (by slug) or, without one, of them all; None
    for an unknown slug. One query."""
    if slug:
        version = championship_version(slug)
        return version.key if version else None
    every = Championship.objects.order_by().aggregate(
        count=Count("pk"), latest=Max("tables_changed_at")
    )
    latest = every["latest"].isoformat() if every["latest"] else "-"
    return f"all:{every['count']}:{latest}"


class KeptListMixin:
    """A read-only viewset whose JSON lists are kept rendered while ``data_version`` holds.

    Filters, paging and ordering are part of the address, hence of the key; only a 200 is
    kept, so bad parameters are checked (and answered 400) on every request.
    """

    def data_version(self, request: Request) -> str | None:
        raise NotImplementedError

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        version = self.data_version(request)
        renderer = request.accepted_renderer
        if version is None or renderer.format != "json":
            return super().list(request, *args, **kwargs)  # type: ignore[misc]
        media_type = request.accepted_media_type.replace(" ", "")
        key = f"{rendered_key(request, version)}:{media_type}"
        body = cache.get(key)
        if body is None:
            response = super().list(request, *args, **kwargs)  # type: ignore[misc]
            if response.status_code != 200:
                return response
            body = renderer.render(response.data, request.accepted_media_type, {"request": request})
            cache.set(key, body, TIMEOUT)
        return HttpResponse(body, content_type=renderer.media_type)
