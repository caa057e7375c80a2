"""A friendly 503 while the database (or the Redis cache, or the document store) cannot be
reached, never a traceback.

Nothing is kept between requests: each request opens (or health-checks) its own database
connection and redis-py reconnects by itself, so the site answers again by itself as soon as
the service does.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

import redis
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _

from core.documents import StorageUnavailable

logger = logging.getLogger(__name__)

# What the database drivers and the Redis client raise when their server is down, restarting
# or unreachable.
SERVICE_UNAVAILABLE = (
    OperationalError,
    InterfaceError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)
RETRY_AFTER_SECONDS = 30


def service_unavailable(error: BaseException | None) -> bool:
    return isinstance(error, SERVICE_UNAVAILABLE)


def unavailable_response(request: HttpRequest, *, documents: bool = False) -> HttpResponse:
    """503 with Retry-After: JSON under /api/, the 503.html page (no database needed) elsewhere;
    for ``documents`` (the document store is away), what that means: nothing sent was saved."""
    if request.path.startswith("/api/"):
        detail = (
            _(
                "Documents cannot be stored or read just now: nothing you sent was saved. "
                "Please try again in a few minutes."
            )
            if documents
            else _("The service is briefly unavailable. Please try again in a moment.")
        )
        response: HttpResponse = JsonResponse({"detail": detail}, status=503)
    else:
        page = "503_documents.html" if documents else "503.html"
        response = HttpResponse(render_to_string(page), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Turns an outage met by a view, or while rendering, into the 503 answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        documents = isinstance(exception, StorageUnavailable)
        if not (documents or service_unavailable(exception)):
            return None
        logger.error("Unavailable on %s %s: %r", request.method, request.path, exception)
        return unavailable_response(request, documents=documents)


def current_error() -> BaseException | None:
    """The exception being handled, for handler500, which Django calls without it."""
    return sys.exc_info()[1]


class VaryOnAuthorizationMiddleware:
    """Adds ``Vary: Authorization``, so that the page cache (PAGE_CACHE_SECONDS) keeps what a
    request with an API token got apart from what anonymous requests get."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_vary_headers(response, ["Authorization"])
        return response


class RepeatedParameterMiddleware:
    """A query parameter given twice is a 400 naming it, on every page and API address.

    Each parameter of the site (``dry_run``, ``table``, ``after_round``, ``page``, a filter) is
    read once, with ``.get``, which takes the last of its values while a cache or a proxy may
    read the first: ``?dry_run=1&dry_run=0`` looked like a dry run and applied for real. The
    back office keeps its own parameters (its filters may repeat)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        repeated = repeated_parameters(request)
        if repeated and not request.path.startswith("/admin/"):
            return repeated_response(request, repeated)
        return self.get_response(request)


def repeated_parameters(request: HttpRequest) -> list[str]:
    return sorted(name for name, values in request.GET.lists() if len(values) > 1)


def repeated_response(request: HttpRequest, names: list[str]) -> HttpResponse:
    """400: JSON under /api/ (each parameter with its message, as DRF names fields), a plain
    page elsewhere."""
    message = _("Give this parameter once; it was given %(count)s times.")
    errors = {name: [message % {"count": len(request.GET.getlist(name))}] for name in names}
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(errors, status=400)
    else:
        lines = "\n".join(f"{name}: {messages[0]}" for name, messages in errors.items())
        response = HttpResponse(lines, status=400, content_type="text/plain; charset=utf-8")
    add_never_cache_headers(response)
    return response
