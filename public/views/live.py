"""The live page of a race or a session, and its changing part for polling (``ETag``).

Its Server-Sent Events are served by ``public.live_stream`` under the ASGI server with a
channel (``LIVE_CHANNEL_URL``). Without them (the development server, no channel) the stream
address reaches ``live_events`` here, which answers 503 at once, and the page polls its
``now/`` address every few seconds, which answers 304 until the state changes.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from championships.live import live_channel, live_name, live_of, live_version
from championships.models import Race
from public.pages.championships import championship_or_404
from public.pages.live import Subject, live_fragment, live_subject

HEARTBEAT_SECONDS = 15
POLL_SECONDS = 3


def _subject(request: HttpRequest, slug: str, round: int, name: str) -> Subject:
    championship = championship_or_404(slug, request.user)
    return live_subject(championship, round, name)


def _addresses(subject: Subject) -> dict[str, str]:
    kwargs = {
        "slug": subject.meeting.championship.slug,
        "round": subject.meeting.round,
        "name": live_name(subject),
    }
    return {
        "stream_url": reverse("championships:live-events", kwargs=kwargs),
        "poll_url": reverse("championships:live-now", kwargs=kwargs),
    }


@require_GET
@never_cache
def live_page(request: HttpRequest, slug: str, round: int, name: str) -> HttpResponse:
    subject = _subject(request, slug, round, name)
    timing = live_of(subject)
    body = mark_safe(live_fragment(subject, timing, get_language()))  # our own template's
    context = {
        "subject": subject,
        "is_race": isinstance(subject, Race),
        "meeting": subject.meeting,
        "championship": subject.meeting.championship,
        "timing": timing,
        "body": body,
        **_addresses(subject),
    }
    return render(request, "championships/live.html", context)


@require_GET
def live_now(request: HttpRequest, slug: str, round: int, name: str) -> HttpResponse:
    """The changing part as it is now; 304 while the ``If-None-Match`` state is the latest
    (the push, the official classification and the tables unchanged)."""
    subject = _subject(request, slug, round, name)
    timing = live_of(subject)
    language = get_language()
    etag = quote_etag(f"{live_channel(subject)}-{live_version(subject, timing)}-{language}")
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(live_fragment(subject, timing, language))
    response["ETag"] = etag
    response["Vary"] = "Accept-Language"
    patch_cache_control(response, no_cache=True, private=True)
    return response


@require_GET
def live_events(request: HttpRequest, slug: str, round: int, name: str) -> HttpResponse:
    """Reached only where no stream is served (the development server, no channel): 503, and
    the page polls. Under the ASGI server with a channel, ``public.live_stream`` answers the
    stream itself, before Django."""
    _subject(request, slug, round, name)  # no such session: 404
    return HttpResponse(status=503, headers={"Retry-After": str(POLL_SECONDS)})
