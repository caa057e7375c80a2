"""The live page of a race or a session: the running order and the tables as they stand,
marked unofficial, in both languages; its changing part polled with an ETag; its
Server-Sent Events (ASGI with a channel, else refused so that the page polls)."""

import asyncio
import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import sync_to_async

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
        {"position": k, "number": n, "laps": 3, "gap": "" if k == 1 else f"+{k}.500",
         "best_lap": f"1:58.{k:03d}"}
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


def stream_scope(path: str, *headers: tuple[bytes, bytes]) -> dict:
    return {"type": "http", "method": "GET", "path": path, "headers": list(headers),
            "query_string": b"", "scheme": "http", "server": ("testserver", 80)}  # fmt: skip


async def watching(path: str, *, then=None, events: int = 1) -> list[dict]:
    """What the site's ASGI application sends a fan on the stream ``path``: the answer's start
    and ``events`` bodies after the retry line, ``then`` run (in a thread) after the first."""
    from cupmanager.asgi import application

    sent: asyncio.Queue = asyncio.Queue()
    gone = asyncio.Event()

    async def receive():
        await gone.wait()
        return {"type": "http.disconnect"}

    task = asyncio.ensure_future(application(stream_scope(path), receive, sent.put))
    got = [await asyncio.wait_for(sent.get(), 10)]
    if got[0]["status"] == 200:
        await asyncio.wait_for(sent.get(), 10)  # retry: 3000
        for index in range(events):
            if index == 1 and then is not None:
                await sync_to_async(then)()
            got.append(await asyncio.wait_for(sent.get(), 10))
    gone.set()
    await asyncio.wait_for(task, 10)
    return got


def in_a_thread(coroutine):
    """In a thread of its own: a browser test before may have left an event loop on this one."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


@pytest.mark.django_db(transaction=True)
def test_the_stream_sends_the_state_then_each_push_at_once_without_django(settings):
    settings.LIVE_CHANNEL_URL = "local://"
    _championship, race, _session = weekend.__wrapped__(None)
    push(race, 55, 7)
    path = URL.format(name="race-1") + "events/"

    start, first, second = in_a_thread(watching(path, then=lambda: push(race, 7, 55), events=2))

    assert start["status"] == 200
    assert (b"content-type", b"text/event-stream; charset=utf-8") in start["headers"]
    first, second = first["body"].decode(), second["body"].decode()
    assert first.startswith("id: 1.") and "\nevent: update\ndata: " in first
    assert first.index("Kai Lindqvist") < first.index("Jun Takeda")
    assert second.startswith("id: 2.") and "\nevent: update\n" in second
    assert second.index("Jun Takeda") < second.index("Kai Lindqvist")


@pytest.mark.django_db(transaction=True)
def test_a_fan_back_with_the_last_event_id_gets_only_what_is_new_and_in_chinese(settings):
    settings.LIVE_CHANNEL_URL = "local://"
    _championship, race, _session = weekend.__wrapped__(None)
    push(race, 55, 7)
    chinese = "/zh-hans" + URL.format(name="race-1") + "events/"
    [_start, first] = in_a_thread(watching(chinese))
    seen = first["body"].decode().split("\n")[0].removeprefix("id: ")

    _start, update = in_a_thread(watching_after(chinese, seen, lambda: push(race, 7, 55)))

    assert "实时排位" in first["body"].decode()
    assert update["body"].decode().startswith("id: 2.")


async def watching_after(path: str, seen: str, then) -> list[dict]:
    """A fan back with ``seen``: nothing is sent until ``then`` pushes something new."""
    from cupmanager.asgi import application

    sent: asyncio.Queue = asyncio.Queue()
    gone = asyncio.Event()

    async def receive():
        await gone.wait()
        return {"type": "http.disconnect"}

    scope = stream_scope(path, (b"last-event-id", seen.encode()))
    task = asyncio.ensure_future(application(scope, receive, sent.put))
    start = await asyncio.wait_for(sent.get(), 10)
    await asyncio.wait_for(sent.get(), 10)  # retry: 3000
    assert sent.empty()  # the state it has seen is not sent again
    await sync_to_async(then)()
    update = await asyncio.wait_for(sent.get(), 10)
    gone.set()
    await asyncio.wait_for(task, 10)
    return [start, update]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", ["race-9", "qualifying-x"])
def test_a_stream_of_no_such_session_is_a_404(settings, name):
    settings.LIVE_CHANNEL_URL = "local://"
    weekend.__wrapped__(None)

    [start] = in_a_thread(watching(URL.format(name=name) + "events/"))

    assert start["status"] == 404


@pytest.mark.django_db(transaction=True)
def test_a_draft_seasons_stream_is_a_404(settings):
    from championships.models import Championship, SeasonStatus

    settings.LIVE_CHANNEL_URL = "local://"
    championship, race, _session = weekend.__wrapped__(None)
    push(race, 55, 7)
    Championship.objects.filter(pk=championship.pk).update(status=SeasonStatus.DRAFT)

    [start] = in_a_thread(watching(URL.format(name="race-1") + "events/"))

    assert start["status"] == 404


def test_once_the_classification_is_official_the_page_says_so_and_its_etag_moves(client, weekend):
    from championships.results_import import results_import

    _championship, race, _session = weekend
    push(race, 7, 55)
    url = URL.format(name="race-1")
    before = client.get(url + "now/")

    results_import(race=race, source="POS,NO,LAPS\n1,7,15\n2,55,15\n", dry_run=False)
    after = client.get(url + "now/", headers={"If-None-Match": before["ETag"]})

    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    html = after.content.decode()
    assert "The official classification is published." in html
    assert "as it stands" not in html  # the official tables are the standings page's


def test_a_change_of_the_tables_moves_the_etag_too(client, weekend):
    from championships.services import standings_invalidate

    championship, race, _session = weekend
    push(race, 7, 55)
    url = URL.format(name="race-1") + "now/"
    before = client.get(url)

    standings_invalidate(championship_id=championship.pk)  # a driver renamed, a decision…

    assert client.get(url, headers={"If-None-Match": before["ETag"]}).status_code == 200


@pytest.mark.parametrize("part", ["", "now/", "events/"])
def test_a_draft_seasons_live_page_is_hidden_from_the_public(client, weekend, part):
    from championships.models import Championship, SeasonStatus

    championship, race, _session = weekend
    push(race, 7, 55)
    Championship.objects.filter(pk=championship.pk).update(status=SeasonStatus.DRAFT)

    assert client.get(URL.format(name="race-1") + part).status_code == 404


def test_statuses_flags_and_prizes_read_in_chinese(client, weekend):
    from championships.models import Prize

    championship, race, _session = weekend
    Prize.objects.create(
        championship=championship, table="drivers", after_round=1, position=1, award="Le Mans"
    )
    cars = [
        {"position": 1, "number": 55, "laps": 3, "status": "RUNNING"},
        {"position": 2, "number": 7, "laps": 1, "status": "DNF"},
    ]
    live_push(subject=race, feed=parse_live_json({"cars": cars, "flag": "RED"}))

    html = client.get("/zh-hans" + URL.format(name="race-1")).content.decode()

    assert "红旗" in html and "Red flag" not in html
    assert ">DNF<" not in html and "Retired" not in html
    assert "If it ends like this" not in html and "#55 Kai Lindqvist" in html


def test_a_push_is_kept_and_answered_even_when_its_page_cannot_be_rendered(
    weekend, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    from public.pages import live as pages

    _championship, race, _session = weekend
    staff = factories.make_staff("provider", "championships.change_livetiming")
    monkeypatch.setattr(pages, "live_fragments", lambda *a: 1 / 0)

    with django_capture_on_commit_callbacks(execute=True):
        response = factories.token_client(staff).post(
            f"/api/v1/races/{race.pk}/live/",
            {"cars": [{"position": 1, "number": 55, "laps": 1}]},
            format="json",
        )

    assert response.status_code == 200
    assert "ZeroDivisionError" in caplog.text


@pytest.mark.parametrize("part", ["", "now/"])
def test_the_live_page_reads_as_many_queries_for_two_cars_as_for_twenty(
    client, weekend, django_assert_num_queries, part
):
    championship, race, _session = weekend
    url = URL.format(name="race-1") + part

    def queries_with(numbers) -> int:
        from django.core.cache import cache
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        push(race, *numbers)
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries_with((55, 7))
    for number in range(10, 28):
        factories.make_entry(championship, number)
    many = queries_with((55, 7, *range(10, 28)))

    assert few == many
