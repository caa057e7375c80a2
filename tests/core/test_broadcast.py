"""The live channel (core/broadcast.py): an update published by any process reaches every
subscriber of its channel, written once per language as a Server-Sent Event; through Redis
pub/sub when TEST_REDIS_URL names a server (CI starts one), else in this process."""

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from core import broadcast
from core.broadcast import HUB, Message, glob_escaped, publish, sse_event

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL names no Redis server")


def run(coroutine):
    """In a thread of its own: a browser test may have left an event loop on this one."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


async def receive(channel: str, publish_from_a_thread, count: int = 1) -> list[Message]:
    async with HUB.subscription(channel) as queue:
        await asyncio.get_running_loop().run_in_executor(None, publish_from_a_thread)
        return [await asyncio.wait_for(queue.get(), 5) for _ in range(count)]


def test_a_server_sent_event_puts_each_line_of_the_data_on_a_line_of_its_own():
    assert sse_event("7", "update", "<p>a</p>\n<p>b</p>") == (
        b"id: 7\nevent: update\ndata: <p>a</p>\ndata: <p>b</p>\n\n"
    )


def test_a_message_is_written_once_per_language_and_falls_back_to_the_first():
    message = Message("race-1", "3.1", {"en": "Running order", "zh-hans": "实时排位"})

    assert message.event("zh-hans") == sse_event("3.1", "update", "实时排位")
    assert message.event("fr") == sse_event("3.1", "update", "Running order")
    assert message.event("zh-hans") is message.event("zh-hans")


def test_in_process_every_subscriber_of_the_channel_gets_the_update_and_no_other(settings):
    settings.LIVE_CHANNEL_URL = "local://"

    async def two_channels():
        async with HUB.subscription("race-2") as other:
            got = await receive("race-1", lambda: publish("race-1", "5", {"en": "x"}))
            return got, other.empty()

    [message], other_empty = run(two_channels())

    assert (message.channel, message.event_id, message.html) == ("race-1", "5", {"en": "x"})
    assert other_empty


def test_a_connection_behind_keeps_only_the_latest_updates(settings):
    settings.LIVE_CHANNEL_URL = "local://"

    async def flooded():
        async with HUB.subscription("race-9") as queue:
            for sequence in range(1, 11):
                HUB.deliver(Message("race-9", str(sequence), {"en": str(sequence)}))
            return [queue.get_nowait().event_id for _ in range(queue.qsize())]

    assert run(flooded()) == [str(n) for n in range(11 - broadcast.QUEUE, 11)]


def test_without_a_channel_nothing_streams_and_publishing_is_harmless(settings):
    settings.LIVE_CHANNEL_URL = ""

    publish("race-1", "1", {"en": "x"})

    assert not broadcast.streaming()


def test_a_site_namespace_is_matched_literally_in_a_redis_pattern():
    assert glob_escaped("cup:/srv/db[1]*?:live:") == r"cup:/srv/db\[1\]\*\?:live:"


@needs_redis
def test_through_redis_a_push_published_elsewhere_reaches_this_processs_subscribers(settings):
    settings.LIVE_CHANNEL_URL = REDIS_URL

    [message] = run(receive("race-3", lambda: publish("race-3", "8", {"en": "<p>P1</p>"})))

    assert (message.channel, message.event_id, message.event("en")) == (
        "race-3",
        "8",
        sse_event("8", "update", "<p>P1</p>"),
    )


@needs_redis
def test_through_redis_two_sites_on_one_server_never_hear_each_other(settings):
    settings.LIVE_CHANNEL_URL = REDIS_URL
    settings.LIVE_CHANNEL_PREFIX = "cupmanager:this-site:live:"

    def other_site_then_this_one():
        settings.LIVE_CHANNEL_PREFIX = "cupmanager:other-site:live:"
        publish("race-4", "1", {"en": "theirs"})
        settings.LIVE_CHANNEL_PREFIX = "cupmanager:this-site:live:"
        publish("race-4", "2", {"en": "ours"})

    [message] = run(receive("race-4", other_site_then_this_one))

    assert message.html == {"en": "ours"}
