"""The live pages' Server-Sent Events, served beside Django by the ASGI application.

A fan's stream lasts the whole session. Through Django's request handling, every stream
would keep a thread for its whole life (the middleware that is not asynchronous runs each
request in a thread of its own) and its own cache connection: 2,000 fans, 2,000 threads.
``LiveStreams`` wraps the ASGI application (``cupmanager/asgi.py``) and answers the stream
addresses itself, in the event loop: it reads the state once in a pooled thread (the
database and cache connections given back at once), subscribes to this process's hub
(``core.broadcast``) and writes each update as it comes, a heartbeat every 15 seconds, until
the fan leaves. Every other request, and every stream when no channel is set
(``LIVE_CHANNEL_URL``), goes to Django (whose stream view answers 503: the page then polls).

A stream is public: a draft season's is a 404, as for anyone not signed in (staff read a
draft's live page by polling, through Django).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import close_caches
from django.db import close_old_connections, connection
from django.http import Http404
from django.utils import translation

from championships.live import live_channel, live_of
from core import broadcast
from public.pages.championships import championship_or_404
from public.pages.live import Subject, live_fragment, live_subject, live_version

HEARTBEAT_SECONDS = 15
RETRY_MS = 3000
ADDRESS = re.compile(
    r"^/(?:(?P<language>[a-z]{2}(?:-[a-z]+)?)/)?championships/(?P<slug>[a-z0-9-]+)/rounds/"
    r"(?P<round>[0-9]{1,4})/live/(?P<name>[a-z0-9-]+)/events/$"
)
HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-cache, no-store"),
    (b"x-accel-buffering", b"no"),  # nginx: pass each event on at once
    (b"x-content-type-options", b"nosniff"),
]

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class LiveStreams:
    """The ASGI application: the live streams here, everything else to ``app``."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        address = _stream_address(scope)
        if address is None:
            await self.app(scope, receive, send)
            return
        await live_stream(address, scope, receive, send)


def _stream_address(scope: Scope) -> dict[str, str] | None:
    if scope["type"] != "http" or scope["method"] != "GET" or not broadcast.streaming():
        return None
    match = ADDRESS.match(scope["path"])
    if match is None:
        return None
    languages = {code for code, _name in settings.LANGUAGES}
    language = match["language"] or settings.LANGUAGE_CODE
    return {**match.groupdict(), "language": language} if language in languages else None


async def live_stream(address: dict[str, str], scope: Scope, receive: Receive, send: Send) -> None:
    """One fan's stream: the state if the fan has not seen it, then each update."""
    language = address["language"]
    subject = await _in_thread(_subject, address["slug"], int(address["round"]), address["name"])
    if subject is None:
        await _not_found(send)
        return
    seen = dict(scope.get("headers", ())).get(b"last-event-id", b"").decode("latin-1")
    left = asyncio.ensure_future(_departure(receive))
    try:
        async with broadcast.HUB.subscription(live_channel(subject)) as queue:
            version, html = await _in_thread(_state, subject, language)
            await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
            await _write(send, f"retry: {RETRY_MS}\n\n".encode())
            if version != seen:
                await _write(send, broadcast.sse_event(version, "update", html))
            await _updates(queue, left, send, version, language)
    except OSError:
        pass  # the fan's connection broke while written to: nothing more to do
    finally:
        left.cancel()


async def _updates(
    queue: asyncio.Queue[broadcast.Message],
    left: asyncio.Future[None],
    send: Send,
    version: str,
    language: str,
) -> None:
    """Each update not yet sent, a heartbeat when there is none, until the fan leaves."""
    while not left.done():
        update = asyncio.ensure_future(queue.get())
        done, _pending = await asyncio.wait(
            {update, left}, timeout=HEARTBEAT_SECONDS, return_when=asyncio.FIRST_COMPLETED
        )
        if update not in done:
            update.cancel()
            if not left.done():
                await _write(send, b": heartbeat\n\n")  # keeps proxies from closing it
            continue
        message = update.result()
        if message.event_id != version:
            version = message.event_id
            await _write(send, message.event(language))


async def _write(send: Send, body: bytes) -> None:
    await send({"type": "http.response.body", "body": body, "more_body": True})


async def _departure(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _not_found(send: Send) -> None:
    headers = [(b"content-type", b"text/plain; charset=utf-8")]
    await send({"type": "http.response.start", "status": 404, "headers": headers})
    await send({"type": "http.response.body", "body": b"No such live session."})


async def _in_thread(work: Callable[..., Any], *args: Any) -> Any:
    """``work`` in a pooled thread, its database and cache connections given back after:
    a stream lasts minutes and holds neither meanwhile."""

    def done_and_closed() -> Any:
        close_old_connections()
        try:
            return work(*args)
        finally:
            connection.close()
            close_caches()

    return await sync_to_async(done_and_closed, thread_sensitive=False)()


def _subject(slug: str, round_: int, name: str) -> Subject | None:
    try:
        return live_subject(championship_or_404(slug, AnonymousUser()), round_, name)
    except Http404:
        return None


def _state(subject: Subject, language: str) -> tuple[str, str]:
    """The state's version and changing part in ``language``."""
    timing = live_of(subject)
    with translation.override(language):
        return live_version(subject, timing), live_fragment(subject, timing, language)
