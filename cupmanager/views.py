"""Site-wide views that belong to no app."""

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.views import defaults
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from core.api import server_error_response
from core.documents import StorageUnavailable
from core.middleware import current_error, service_unavailable, unavailable_response

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        # The driver's message names hosts and ports: it goes to the log, not to the public.
        logger.error("Health check: database unavailable: %s", exc)
        return JsonResponse(
            {"status": "error", "database": "error", "detail": "database: no answer"}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the 503 page when the error was the database or the cache going away (say,
    in a middleware after the view); for anything else JSON under /api/ (a client reads JSON),
    Django's 500 page elsewhere."""
    error = current_error()
    if isinstance(error, StorageUnavailable):
        return unavailable_response(request, documents=True)
    if service_unavailable(error):
        return unavailable_response(request)
    if request.path.startswith("/api/"):
        return server_error_response()
    return defaults.server_error(request)


@require_GET
def bench_ping(request: HttpRequest) -> HttpResponse:
    """The load run's baseline: plain text through the whole middleware stack, no database.

    A 404 unless BENCH_PING is on, so production never exposes it by accident.
    """
    if not settings.BENCH_PING:
        raise Http404
    return HttpResponse("pong\n", content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(public=True, max_age=24 * 60 * 60)
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask of every site (the back office and the API's pages
    too), whatever the page links: the icon among the static files, under its hashed name."""
    return HttpResponseRedirect(static("img/favicon.ico"))
