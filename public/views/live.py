"""The live page of a race or a session, its changing part for polling (``ETag``) and its
Server-Sent Events stream.

The stream needs an ASGI server (uvicorn) and a channel (``LIVE_CHANNEL_URL``):
each connection waits on this process's hub (``core.broadcast``) and is sent each push's
fragment as rendered once for all. Without them (the development server, no channel) the
stream answers 503 at once and the page polls its ``now/`` address every few seconds, which
answers 304 until the next push.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from championships.live import live_channel
from core import broadcast
from public.pages.championships import championship_or_404
from public.pages.live import Subject, live_fragment, live_name, live_state, live_subject

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
    timing = live_state(subject)
    body = mark_safe(live_fragment(subject, timing, get_language()))  # our own template's
    context = {
        "subject": subject,
        "is_race": hasattr(subject, "points_factor"),
        "meeting": subject.meeting,
        "championship": subject.meeting.championship,
        "timing": timing,
        "body": body,
        **_addresses(subject),
    }
    return render(request, "championships/live.html", context)


@require_GET
def live_now(request: HttpRequest, slug: str, round: int, name: str) -> HttpResponse:
    """The changing part as it is now; 304 while the ``If-None-Match`` push is the latest."""
    subject = _subject(request, slug, round, name)
    timing = live_state(subject)
    language = get_language()
    etag = quote_etag(f"{live_channel(subject)}-{timing.sequence if timing else 0}-{language}")
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(live_fragment(subject, timing, language))
    response["ETag"] = etag
    response["Vary"] = "Accept-Language"
    patch_cache_control(response, no_cache=True, private=True)
    return response


async def live_events(request: HttpRequest, slug: str, round: int, name: str) -> HttpResponseBase:
    """Server-Sent Events: the current state if the client has not seen it, then each push."""
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET"})
    subject = await sync_to_async(_opened)(request, slug, round, name)
    if not isinstance(request, ASGIRequest) or not broadcast.streaming():
        # No stream here: the page polls (EventSource gives up on a 503).
        return HttpResponse(status=503, headers={"Retry-After": str(POLL_SECONDS)})
    language = get_language()
    seen = request.headers.get("Last-Event-ID", "")
    response = StreamingHttpResponse(
        _stream(subject, language, seen), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response


def _opened(request: HttpRequest, slug: str, round: int, name: str) -> Subject:
    """The stream's subject; the database connection closed at once, as in ``_now``: a stream
    lasts minutes and must not hold a connection meanwhile."""
    try:
        return _subject(request, slug, round, name)
    finally:
        connection.close()


def _now(subject: Subject, language: str) -> tuple[int, str]:
    """The latest push's sequence and changing part, read without keeping a connection."""
    try:
        timing = live_state(subject)
        return (timing.sequence if timing else 0), live_fragment(subject, timing, language)
    finally:
        connection.close()


async def _stream(subject: Subject, language: str, seen: str) -> AsyncIterator[bytes]:
    channel = live_channel(subject)
    async with broadcast.HUB.subscription(channel) as queue:
        yield f"retry: {POLL_SECONDS * 1000}\n\n".encode()
        sequence, html = await sync_to_async(_now)(subject, language)
        if str(sequence) != seen:
            yield broadcast.sse_event(sequence, "update", html)
        while True:
            try:
                message = await asyncio.wait_for(queue.get(), HEARTBEAT_SECONDS)
            except TimeoutError:
                yield b": heartbeat\n\n"  # keeps proxies from closing an idle stream
                continue
            if message.sequence > sequence:
                sequence = message.sequence
                yield message.event(language)
