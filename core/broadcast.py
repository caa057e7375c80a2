"""One shared channel for live updates: published by whichever process takes a push, heard by
every subscriber of every app server.

``LIVE_CHANNEL_URL`` picks the channel: ``redis://host:6379/0`` (Redis pub/sub: every app
server's process subscribes once and fans each message out to its own connections),
``local://`` (this process only: the test servers and a single-process server), or empty (no
channel: the live pages poll instead of streaming). A message is JSON: ``{"id": "<the
state's version>", "html": {"<language>": "<fragment>", …}}``; each process decodes it once
and writes each language's Server-Sent Event once, whatever the number of connections.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

QUEUE = 4  # a connection's undelivered messages kept; a slower one gets the latest
RETRY_SECONDS = (0.5, 1, 2, 5)
READY_SECONDS = 2  # a new connection waits at most this for the Redis subscription


@dataclass
class Message:
    """One update of one channel, decoded once per process."""

    channel: str
    event_id: str  # the version of the state it carries: a stream sends each version once
    html: dict[str, str]
    _events: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def decode(cls, channel: str, data: bytes | str) -> Message:
        body = json.loads(data)
        return cls(channel, str(body["id"]), dict(body["html"]))

    def event(self, language: str) -> bytes:
        """The Server-Sent Event of this update in ``language``, written once."""
        if language not in self._events:
            html = self.html.get(language) or next(iter(self.html.values()), "")
            self._events[language] = sse_event(self.event_id, "update", html)
        return self._events[language]


def sse_event(event_id: str | None, event: str, data: str) -> bytes:
    """A Server-Sent Event: each line of ``data`` on a ``data:`` line of its own."""
    lines = [f"id: {event_id}"] if event_id is not None else []
    lines.append(f"event: {event}")
    lines.extend(f"data: {line}" for line in data.splitlines() or [""])
    return ("\n".join(lines) + "\n\n").encode()


def prefix() -> str:
    """The channels' namespace: Redis pub/sub ignores the database number, so two sites on one
    Redis (staging beside production, a benchmark beside the CI) would hear each other's
    pushes; each site's database name keeps them apart (``LIVE_CHANNEL_PREFIX`` overrides)."""
    configured = getattr(settings, "LIVE_CHANNEL_PREFIX", "")
    return configured or f"cupmanager:{settings.DATABASES['default']['NAME']}:live:"


def glob_escaped(text: str) -> str:
    """``text`` matched literally in a Redis pattern."""
    return re.sub(r"([\[\]*?\\])", r"\\\1", text)


def channel_url() -> str:
    return getattr(settings, "LIVE_CHANNEL_URL", "") or ""


def streaming() -> bool:
    """Whether the live pages stream (a channel is set), else they poll."""
    return bool(channel_url())


def publish(channel: str, event_id: str, html: dict[str, str]) -> None:
    """Send an update to every subscriber of ``channel`` on every app server. Never raises:
    a channel down costs the streams this update (the pages' polling still shows it)."""
    data = json.dumps({"id": event_id, "html": html}, ensure_ascii=False)
    url = channel_url()
    try:
        if url.startswith(("redis://", "rediss://")):
            _redis(url).publish(prefix() + channel, data)
        elif url:
            HUB.deliver_threadsafe(Message.decode(channel, data))
    except Exception:  # a push is never refused because the fan-out failed
        logger.exception("live: could not publish on %s", channel)


_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


def _redis(url: str) -> Any:
    import redis

    with _clients_lock:
        if url not in _clients:
            _clients[url] = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        return _clients[url]


class Hub:
    """This process's subscribers, by channel; with Redis, one subscription for all of them."""

    def __init__(self) -> None:
        self.subscribers: dict[str, set[asyncio.Queue[Message]]] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        self.listener: asyncio.Task[None] | None = None
        self.ready: asyncio.Event | None = None  # set while the Redis subscription is made

    @contextlib.asynccontextmanager
    async def subscription(self, channel: str) -> AsyncIterator[asyncio.Queue[Message]]:
        """A queue of ``channel``'s updates for one connection, for as long as it is open."""
        self._start()
        queue: asyncio.Queue[Message] = asyncio.Queue(maxsize=QUEUE)
        self.subscribers.setdefault(channel, set()).add(queue)
        if self.ready is not None:  # a push between reading the state and subscribing is heard
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.ready.wait(), READY_SECONDS)
        try:
            yield queue
        finally:
            queues = self.subscribers.get(channel, set())
            queues.discard(queue)
            if not queues:
                self.subscribers.pop(channel, None)

    def deliver(self, message: Message) -> None:
        """Hand the update to each connection of its channel (in this process's loop)."""
        for queue in tuple(self.subscribers.get(message.channel, ())):
            if queue.full():  # a connection behind needs only the latest state
                queue.get_nowait()
            queue.put_nowait(message)

    def deliver_threadsafe(self, message: Message) -> None:
        loop = self.loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.deliver, message)

    def _start(self) -> None:
        loop = asyncio.get_running_loop()
        if self.loop is not loop:  # a new event loop (a test's, a restarted server's)
            self.loop, self.listener, self.ready = loop, None, None
        url = channel_url()
        if url.startswith(("redis://", "rediss://")) and (
            self.listener is None or self.listener.done()
        ):
            self.ready = asyncio.Event()
            self.listener = loop.create_task(self._listen(url, self.ready))

    async def _listen(self, url: str, ready: asyncio.Event) -> None:
        """Redis pub/sub into this process's connections, reconnecting after a failure; one
        listener a process, for as long as its event loop runs."""
        import redis.asyncio as aioredis

        attempt = 0
        while True:
            client = aioredis.Redis.from_url(url)
            try:
                namespace = prefix()
                async with client.pubsub() as pubsub:
                    await pubsub.psubscribe(glob_escaped(namespace) + "*")
                    ready.set()
                    attempt = 0
                    async for item in pubsub.listen():
                        if item.get("type") == "pmessage":
                            self._received(namespace, item)
            except asyncio.CancelledError:
                raise
            except Exception:
                ready.clear()
                logger.exception("live: the Redis channel failed; reconnecting")
                await asyncio.sleep(RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)])
                attempt += 1
            finally:
                await client.aclose()

    def _received(self, namespace: str, item: dict[str, Any]) -> None:
        """One message from Redis to this process's connections; one that does not read is
        logged and dropped, the subscription kept."""
        channel = item["channel"].decode().removeprefix(namespace)
        try:
            message = Message.decode(channel, item["data"])
        except (ValueError, KeyError, TypeError):
            logger.exception("live: a message on %s does not read; dropped", channel)
            return
        self.deliver(message)


HUB = Hub()
