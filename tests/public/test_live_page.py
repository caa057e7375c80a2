"""The live page of a race or a session: the running order and the tables as they stand,
marked unofficial, in both languages; its changing part polled with an ETag; its
Server-Sent Events (ASGI with a channel, else refused so that the page polls)."""

import asyncio
import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import sync_to_async
from django.test import AsyncClient

from championships.live import live_push
from championships.live_feed import parse_live_json
from championships.models import Session, SessionKind
from tests import factories

URL = "/championships/live-2026/rounds/1/live/{name}/"


@pytest.fixture
def weekend(db):
    championship = factories.make_championship("live-2026", year=2026)
    meeting = factories.make_meeting(championship, 1)
    race = factories.make_race(meeting, 1)
    factories.make_entry(championship, 55, driver=factories.make_driver("Kai", "Lindqvist"))
    factories.make_entry(championship, 7, driver=factories.make_driver("Jun", "Takeda"))
    factories.make_entry(
        championship, 911, driver=factories.make_driver("Gus", "Guest"), guest=True
    )
    session = Session.objects.create(
        meeting=meeting,
        kind=SessionKind.QUALIFYING,
        group="A",
        starts_at=dt.datetime(2026, 4, 19, 3, tzinfo=dt.UTC),
    )
    return championship, race, session


def push(subject, *numbers, flag="GREEN"):
    cars = [
        {"position": k, "number": n, "laps": 3, "gap": "" if k == 1 else f"+{k}.5",
         "best_lap": f"1:58.{k}00"}
        for k, n in enumerate(numbers, start=1)
    ]  # fmt: skip
    return live_push(subject=subject, feed=parse_live_json({"cars": cars, "flag": flag}))


def test_the_race_page_shows_the_running_order_and_the_tables_as_they_stand(client, weekend):
    _championship, race, _session = weekend
    push(race, 911, 7, 55, flag="SC")

    page = client.get(URL.format(name="race-1"))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Unofficial." in html and "Safety car" in html
    assert html.index("Gus Guest") < html.index("Jun Takeda") < html.index("Kai Lindqvist")
    assert "The championship as it stands" in html
    stands = html[html.index("as it stands</caption>") :]
    assert "Gus Guest" not in stands  # a guest scores nothing, has no row
    assert stands.index("Jun Takeda") < stands.index("Kai Lindqvist")
    assert 'data-stream="/championships/live-2026/rounds/1/live/race-1/events/"' in html
    assert "no-cache" in page["Cache-Control"]


def test_the_page_is_in_chinese_too(client, weekend):
    _championship, race, _session = weekend
    push(race, 7, 55)

    page = client.get("/zh-hans" + URL.format(name="race-1"))

    assert page.status_code == 200
    assert 'lang="zh-hans"' in page.content.decode()
    assert "Running order" not in page.content.decode()


def test_a_session_page_has_the_order_but_no_tables(client, weekend):
    _championship, _race, session = weekend
    push(session, 55, 7)

    page = client.get(URL.format(name="qualifying-1-a"))

    assert page.status_code == 200
    assert "Kai Lindqvist" in page.content.decode()
    assert "as it stands" not in page.content.decode()


def test_nothing_pushed_says_so_and_an_unknown_session_is_a_404(client, weekend):
    assert "Nothing live yet" in client.get(URL.format(name="race-1")).content.decode()
    assert client.get(URL.format(name="race-9")).status_code == 404
    assert client.get(URL.format(name="qualifying-x")).status_code == 404


def test_the_polled_part_answers_304_until_the_next_push(client, weekend):
    _championship, race, _session = weekend
    push(race, 55, 7)
    url = URL.format(name="race-1") + "now/"

    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    push(race, 7, 55)
    changed = client.get(url, headers={"If-None-Match": first["ETag"]})

    assert first.status_code == 200 and "Kai Lindqvist" in first.content.decode()
    assert again.status_code == 304
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    html = changed.content.decode()
    assert html.index("Jun Takeda") < html.index("Kai Lindqvist")


def test_without_the_asgi_server_the_stream_is_refused_so_the_page_polls(client, weekend):
    response = client.get(URL.format(name="race-1") + "events/")

    assert response.status_code == 503


@pytest.mark.django_db(transaction=True)
def test_the_stream_sends_the_state_then_each_push_at_once(settings):
    settings.LIVE_CHANNEL_URL = "local://"
    _championship, race, _session = weekend.__wrapped__(None)
    push(race, 55, 7)

    async def watch():
        response = await AsyncClient().get(URL.format(name="race-1") + "events/")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/event-stream"
        events = aiter(response.streaming_content)
        assert (await anext(events)).startswith(b"retry:")
        first = await anext(events)
        await sync_to_async(push)(race, 7, 55)  # published after its commit
        second = await asyncio.wait_for(anext(events), 5)
        await response.streaming_content.aclose()
        return first.decode(), second.decode()

    # In a thread of its own: a browser test before may have left an event loop on this one.
    with ThreadPoolExecutor(1) as thread:
        first, second = thread.submit(asyncio.run, watch()).result()

    assert first.startswith("id: 1\nevent: update\ndata: ")
    assert first.index("Kai Lindqvist") < first.index("Jun Takeda")
    assert second.startswith("id: 2\nevent: update\n")
    assert second.index("Jun Takeda") < second.index("Kai Lindqvist")
