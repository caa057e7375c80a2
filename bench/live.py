"""The live run of `make bench`: many fans holding a race's live stream while updates are pushed.

Against `make serve` on PostgreSQL with the demo data and Redis (the cache and the live
channel, ``BENCH_LIVE_CACHE_URL``, redis://127.0.0.1:6379/5), on loopback: BENCH_LIVE_CLIENTS
(2000) Server-Sent Events connections to one race's ``…/live/race-N/events/``, opened in batches,
then BENCH_LIVE_UPDATES (20) pushes through the API (``POST /api/v1/races/{id}/live/`` with a
staff user's token), one every BENCH_LIVE_INTERVAL (1) second, each with the next sequence and
a new running order. For each push: the time from sending it to the last client having its
``id:`` (and to the median client). Memory per connection: the workers' RSS with every
connection held over the RSS before. Meanwhile a few clients ask for kept pages; the same load
without the streams, in the same run, is their baseline. The baseline of the latencies is the
same push with one client connected. The server is stopped at the end whatever happens.

    python -m bench.live                       # BENCH_LIVE_CLIENTS=1000 BENCH_LIVE_WORKERS=1 …
"""

from __future__ import annotations

import asyncio
import json
import math
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Coroutine
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import psycopg

from bench.load import (
    PROJECT,
    Tally,
    database_ready,
    free_port,
    hammer,
    load_demo,
    server_env,
    start_server,
    stop_server,
    warm,
)
from bench.load import report as page_report

T = TypeVar("T")
HOST = "127.0.0.1"
SLUG = "pcca-2026"
ROUND = 4
RACE = 2
EVENTS = f"/championships/{SLUG}/rounds/{ROUND}/live/race-{RACE}/events/"
PAGES = [
    ("home page", "/"),
    ("standings page", "/standings/"),
    ("season standings page", f"/championships/{SLUG}/standings/"),
]
LANGUAGES = ("en", "zh-hans")  # every other fan reads Chinese
BATCH = 100  # connections opened together, so that the accept queue is never overrun
OPEN_SECONDS = 60.0  # the longest a batch may take to get its first event
WAIT_SECONDS = 10.0  # the longest every client may take to get the last update
BASELINE_UPDATES = 5
CARS = 30

SETUP = """
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from rest_framework.authtoken.models import Token
from championships.live import live_clear
from championships.models import Race
from entries.models import Entry
race = Race.objects.select_related("meeting").get(
    meeting__championship__slug=%(slug)r, meeting__round=%(round)d, number=%(race)d
)
live_clear(subject=race)
user, _ = get_user_model().objects.get_or_create(username="bench-live")
user.is_staff, user.is_active = True, True
user.set_unusable_password()
user.save()
user.user_permissions.add(*Permission.objects.filter(
    content_type__app_label="championships",
    codename__in=["change_livetiming", "delete_livetiming"],
))
token, _ = Token.objects.get_or_create(user=user)
numbers = Entry.objects.filter(championship=race.meeting.championship).order_by("car_number")
print("BENCH_LIVE " + json.dumps({
    "race": race.pk, "token": token.key,
    "numbers": list(numbers.values_list("car_number", flat=True)),
}))
"""


@dataclass(frozen=True)
class Settings:
    clients: int
    updates: int
    interval: float
    workers: int
    page_clients: int
    database_url: str
    cache_url: str

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ.get
        updates = int(env("BENCH_LIVE_UPDATES", "20"))
        return cls(
            clients=int(env("BENCH_LIVE_CLIENTS", "2000")),
            updates=updates,
            interval=float(env("BENCH_LIVE_INTERVAL", "1")),
            workers=int(env("BENCH_LIVE_WORKERS", "2")),
            page_clients=int(env("BENCH_LIVE_PAGE_CLIENTS", "4")),
            database_url=env("BENCH_DATABASE_URL", "postgres://cup:cup@127.0.0.1:5432/cup_bench"),
            cache_url=env("BENCH_LIVE_CACHE_URL", "redis://127.0.0.1:6379/5"),
        )


@dataclass
class Target:
    """The server under test and what a push needs."""

    port: int
    race: int
    token: str
    numbers: list[int]
    sequence: int = 0  # the last one pushed

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"


# --- Parsing and figures (pure: tests/bench) -------------------------------------------------


def event_ids(buffer: bytes) -> tuple[list[int], bytes]:
    """The push's sequence in the ``id:`` of each complete Server-Sent Event in ``buffer`` (an
    event ends with a blank line; its id is the state's version, "<sequence>.<pushed>.<…>"),
    and the rest: the start of an event not complete yet. Comments, ``retry:`` and events
    without an id give none."""
    *events, rest = buffer.replace(b"\r\n", b"\n").split(b"\n\n")
    ids = []
    for event in events:
        for line in event.split(b"\n"):
            name, _, value = line.partition(b":")
            value = value.removeprefix(b" ")
            sequence = value.partition(b".")[0]
            if name == b"id" and sequence.isdigit():
                ids.append(int(sequence))
    return ids, rest


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest value with ``fraction`` of them at or below."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


@dataclass
class Stream:
    """One fan's connection: when each update's id arrived, or why it ended."""

    language: str
    ready: asyncio.Future[None]
    received: dict[int, float] = field(default_factory=dict)
    error: str = ""

    def fail(self, why: str) -> None:
        self.error = self.error or why
        if not self.ready.done():
            self.ready.set_result(None)


@dataclass(frozen=True)
class Update:
    sequence: int
    sent: float
    status: int
    seconds: float  # the push's own answer

    def latencies(self, streams: list[Stream]) -> list[float]:
        times = (stream.received.get(self.sequence) for stream in streams)
        return [at - self.sent for at in times if at is not None]


def summary(updates: list[Update], streams: list[Stream]) -> dict[str, list[float]]:
    """Per update: to the last client, to the median client, the push's answer; and misses."""
    last, median, missed = [], [], 0
    for update in updates:
        times = update.latencies(streams)
        missed += len(streams) - len(times)
        if times:
            last.append(max(times))
            median.append(statistics.median(times))
    return {
        "last": last,
        "median": median,
        "push": [u.seconds for u in updates],
        "missed": [missed],
    }


# --- The HTTP side: raw asyncio sockets ------------------------------------------------------


async def read_head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    status_line = await reader.readline()
    headers = {}
    while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers


async def read_chunk(reader: asyncio.StreamReader, chunked: bool) -> bytes:
    """The next piece of the body; b"" at its end."""
    if not chunked:
        return await reader.read(65536)
    size = int(((await reader.readline()).split(b";")[0].strip() or b"0"), 16)
    if size == 0:
        return b""
    data = await reader.readexactly(size)
    await reader.readexactly(2)  # the chunk's CRLF
    return data


async def follow(reader: asyncio.StreamReader, stream: Stream) -> None:
    status, headers = await asyncio.wait_for(read_head(reader), OPEN_SECONDS)
    if status != 200 or not headers.get("content-type", "").startswith("text/event-stream"):
        stream.fail(f"status {status}")
        return
    chunked = "chunked" in headers.get("transfer-encoding", "")
    buffer = b""
    while data := await read_chunk(reader, chunked):
        now = time.perf_counter()
        ids, buffer = event_ids(buffer + data)
        for sequence in ids:
            stream.received.setdefault(sequence, now)
        if ids and not stream.ready.done():
            stream.ready.set_result(None)
    stream.fail("closed by the server")


async def listen(port: int, stream: Stream) -> None:
    """Hold one stream until cancelled, noting when each event arrives."""
    try:
        reader, writer = await asyncio.open_connection(HOST, port)
    except OSError as error:
        stream.fail(f"connect: {error.strerror or error}")
        return
    try:
        writer.write(
            f"GET {EVENTS} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: text/event-stream\r\n"
            f"Accept-Language: {stream.language}\r\nCache-Control: no-cache\r\n\r\n".encode()
        )
        await writer.drain()
        await follow(reader, stream)
    except (OSError, ValueError, IndexError, asyncio.IncompleteReadError, TimeoutError) as error:
        stream.fail(type(error).__name__)
    finally:
        writer.close()


async def post(port: int, path: str, token: str, body: bytes) -> int:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(
            f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAuthorization: Token {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n".encode()
            + body
        )
        await writer.drain()
        status, _headers = await read_head(reader)
        while await reader.read(65536):
            pass
    finally:
        writer.close()
    return status


def feed(sequence: int, numbers: list[int]) -> bytes:
    """A push: the field in a new order (rotated by the sequence), a lap more each time."""
    shift = sequence % len(numbers)
    order = numbers[shift:] + numbers[:shift]
    cars = [
        {
            "position": position,
            "number": number,
            "laps": sequence,
            "gap": "" if position == 1 else f"+{position * 1.234:.3f}",
            "best_lap": f"2:{4 + position % 3:02d}.{position * 37 % 1000:03d}",
            "status": "RUNNING",
        }
        for position, number in enumerate(order, start=1)
    ]
    return json.dumps({"sequence": sequence, "flag": "GREEN", "cars": cars}).encode()


async def push_updates(target: Target, count: int, interval: float) -> list[Update]:
    """``count`` pushes, one every ``interval`` seconds."""
    path = f"/api/v1/races/{target.race}/live/"
    start = time.perf_counter()
    updates = []
    for k in range(count):
        await asyncio.sleep(max(0.0, start + k * interval - time.perf_counter()))
        target.sequence += 1
        body = feed(target.sequence, target.numbers)
        sent = time.perf_counter()
        try:
            status = await asyncio.wait_for(post(target.port, path, target.token, body), 30)
        except (OSError, ValueError, IndexError, TimeoutError):
            status = 0
        updates.append(Update(target.sequence, sent, status, time.perf_counter() - sent))
    return updates


async def all_have(streams: list[Stream], sequence: int, seconds: float) -> None:
    """Wait until every stream still open has ``sequence``, at most ``seconds``."""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        if all(sequence in s.received or s.error for s in streams):
            return
        await asyncio.sleep(0.05)


async def open_streams(port: int, count: int) -> tuple[list[Stream], list[asyncio.Task[None]]]:
    """``count`` streams, BATCH at a time, each batch waiting for its first events."""
    loop = asyncio.get_running_loop()
    streams: list[Stream] = []
    tasks = []
    for first in range(0, count, BATCH):
        batch = [
            Stream(LANGUAGES[n % len(LANGUAGES)], loop.create_future())
            for n in range(first, min(count, first + BATCH))
        ]
        tasks += [asyncio.create_task(listen(port, stream)) for stream in batch]
        streams += batch
        await asyncio.wait([s.ready for s in batch], timeout=OPEN_SECONDS)
    for stream in streams:
        if not stream.ready.done():
            stream.fail("no first event")
    return streams, tasks


async def close_streams(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


# --- The kept pages, from a process of their own (not the streams' event loop) ----------------


def page_load(base: str, clients: int, seconds: float) -> list[Tally]:
    async def all_pages() -> list[Tally]:
        return list(
            await asyncio.gather(*(hammer(base, path, clients, seconds) for _, path in PAGES))
        )

    return asyncio.run(all_pages())


def page_pool() -> ProcessPoolExecutor:
    return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))


# --- The server's processes -------------------------------------------------------------------


def _parents() -> dict[int, int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents


def workers(server_pid: int) -> list[int]:
    """The server's worker processes: the processes under it with none under them (make ->
    gunicorn -> its workers)."""
    parents = _parents()
    found, level = set(), {server_pid}
    while level:
        level = {pid for pid, parent in parents.items() if parent in level}
        found |= level
    above = set(parents.values())
    return sorted(pid for pid in found if pid not in above)


def rss_kib(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def cpu_seconds(pids: list[int]) -> float:
    """The CPU time (user + system) the processes have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def sockets(pid: int) -> int:
    """The sockets a process has open: a worker's connections (and its few of its own)."""
    try:
        links = [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
    except OSError:
        return 0
    return sum(link.startswith("socket:") for link in links)


def raise_file_limit(clients: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = clients + 1024
    if soft != resource.RLIM_INFINITY and soft < wanted:
        limit = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, hard))


# --- The run ----------------------------------------------------------------------------------


def report(name: str, figure: float, baseline: float | None, unit: str = "ms") -> None:
    ratio = f"{figure / baseline:8.2f}x baseline" if baseline else "       -"
    print(f"  {name:<52} {figure:9.2f} {unit:<3} {ratio}")


def verdict(goal: str, passed: bool, detail: str) -> bool:
    print(f"  goal: {goal:<46} {'PASS' if passed else 'FAIL'} ({detail})")
    return passed


async def baseline_latency(target: Target, interval: float) -> float:
    """The push to one client alone: the median over BASELINE_UPDATES pushes, in ms."""
    streams, tasks = await open_streams(target.port, 1)
    try:
        updates = await push_updates(target, BASELINE_UPDATES, interval)
        await all_have(streams, target.sequence, WAIT_SECONDS)
    finally:
        await close_streams(tasks)
    last = summary(updates, streams)["last"]
    return statistics.median(last) * 1000 if last else math.nan


def print_latencies(figures: dict[str, list[float]], baseline: float, clients: int) -> None:
    last, median, push = figures["last"], figures["median"], figures["push"]
    report("baseline: push to the one client alone (median)", baseline, baseline)
    for name, fraction in (("p50", 0.5), ("p95", 0.95), ("max", 1.0)):
        report(
            f"push to the last of {clients} clients, {name}",
            percentile(last, fraction) * 1000,
            baseline,
        )
    report("push to the median client, p50", percentile(median, 0.5) * 1000, baseline)
    report("the push's own answer (POST …/live/), p50", percentile(push, 0.5) * 1000, baseline)


def print_pages(without: list[Tally], during: list[Tally]) -> None:
    print("  kept pages (each: its own rate without the streams is its baseline)")
    for (label, _path), alone, loaded in zip(PAGES, without, during, strict=True):
        page_report(f"{label}, no streams", alone, alone)
        page_report(f"{label}, with the streams", loaded, alone)


@dataclass
class Run:
    """What one run saw."""

    streams: list[Stream] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    without: list[Tally] = field(default_factory=list)  # the kept pages, no streams
    during: list[Tally] = field(default_factory=list)  # the same with the streams held
    baseline_ms: float = math.nan
    workers: list[int] = field(default_factory=list)
    rss_kib: tuple[int, int] = (0, 0)  # the workers' before the streams, with them held
    database: tuple[int, int] = (0, 0)  # the server's PostgreSQL connections, the same
    sockets: list[int] = field(default_factory=list)  # each worker's, the streams held
    cpu: tuple[float, float, float] = (0.0, 0.0, 0.0)  # pushing: the workers', ours, the wall's
    same_workers: bool = True


def database_connections(url: str) -> int:
    """The server's connections to the bench database (every one but this look-up's)."""
    with psycopg.connect(url, connect_timeout=5) as db:
        row = db.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
    return int(row[0]) if row else 0


async def hold_and_push(settings: Settings, target: Target, run: Run, pool: Executor) -> None:
    """Open every stream, then push while the kept pages load; the streams closed after."""
    loop = asyncio.get_running_loop()
    seconds = settings.updates * settings.interval
    before = (rss_kib(run.workers), database_connections(settings.database_url))
    run.streams, tasks = await open_streams(target.port, settings.clients)
    try:
        held = (rss_kib(run.workers), database_connections(settings.database_url))
        run.rss_kib, run.database = (before[0], held[0]), (before[1], held[1])
        run.sockets = [sockets(pid) for pid in run.workers]
        pages = loop.run_in_executor(pool, page_load, target.base, settings.page_clients, seconds)
        cpu = (cpu_seconds(run.workers), time.process_time(), time.perf_counter())
        run.updates = await push_updates(target, settings.updates, settings.interval)
        await all_have(run.streams, target.sequence, WAIT_SECONDS)
        now = (cpu_seconds(run.workers), time.process_time(), time.perf_counter())
        run.cpu = (now[0] - cpu[0], now[1] - cpu[1], now[2] - cpu[2])
        run.during = await pages
    finally:
        await close_streams(tasks)


async def measure(settings: Settings, target: Target, server_pid: int) -> Run:
    """The kept pages alone, the push to one client, then the whole crowd."""
    seconds = settings.updates * settings.interval
    loop = asyncio.get_running_loop()
    run = Run()
    with page_pool() as pool:
        run.without = await loop.run_in_executor(
            pool, page_load, target.base, settings.page_clients, seconds
        )
        run.baseline_ms = await baseline_latency(target, settings.interval)
        run.workers = workers(server_pid)
        await hold_and_push(settings, target, run, pool)
    run.same_workers = run.workers == workers(server_pid)
    return run


def print_run(settings: Settings, run: Run) -> list[bool]:
    figures = summary(run.updates, run.streams)
    print_latencies(figures, run.baseline_ms, settings.clients)
    held = sum(not s.error for s in run.streams)
    before, after = run.rss_kib
    report(
        f"memory per connection ({len(run.workers)} workers: "
        f"{before // 1024} -> {after // 1024} MiB)",
        (after - before) / max(held, 1),
        None,
        "KiB",
    )
    print(
        f"  PostgreSQL connections of the server: {run.database[0]} before the streams, "
        f"{run.database[1]} with {held} held"
    )
    workers_cpu, clients_cpu, wall = run.cpu
    print(
        f"  while pushing ({wall:.1f} s): the workers used {workers_cpu:.1f} s of CPU, these "
        f"clients {clients_cpu:.1f} s; sockets per worker: {', '.join(map(str, run.sockets))}"
    )
    print_pages(run.without, run.during)
    return goals(settings, run, figures)


def goals(settings: Settings, run: Run, figures: dict[str, list[float]]) -> list[bool]:
    dropped = [s for s in run.streams if s.error]
    held = len(run.streams) - len(dropped)
    why = sorted({s.error for s in dropped})[:3]
    refused = sum(u.status != 200 for u in run.updates)
    p95 = percentile(figures["last"], 0.95) * 1000
    errors = sum(t.errors for t in run.during)
    rate = sum(t.rate for t in run.during)
    missed = figures["missed"][0]
    return [
        verdict(
            f"{settings.clients} connections held",
            held == settings.clients,
            f"{held} held{'; ' + ', '.join(why) if why else ''}",
        ),
        verdict(
            "p95 push to the last client under 1 s",
            p95 < 1000 and not refused,
            f"{p95:.0f} ms; {refused} pushes refused",
        ),
        verdict(
            "no connection dropped, no update missed",
            not dropped and not missed and run.same_workers,
            f"{len(dropped)} dropped, {missed:g} updates missed, "
            f"workers {'unchanged' if run.same_workers else 'restarted'}",
        ),
        verdict(
            "kept pages served meanwhile",
            errors == 0 and all(t.latencies for t in run.during),
            f"{rate:.0f} req/s, {errors} errors",
        ),
    ]


def prepare(env: dict[str, str]) -> dict:
    load_demo(env)
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", SETUP % {
            "slug": SLUG, "round": ROUND, "race": RACE,
        }],
        cwd=PROJECT, env=env, check=True, timeout=300, capture_output=True, text=True,
    )  # fmt: skip
    line = [row for row in done.stdout.splitlines() if row.startswith("BENCH_LIVE ")][-1]
    return json.loads(line.removeprefix("BENCH_LIVE "))


def redis_ready(url: str) -> str | None:
    """Empty the bench's Redis database; None when done, else why it cannot be."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except redis.RedisError as error:
        return str(error)
    return None


def live_env(settings: Settings) -> dict[str, str]:
    return {
        **server_env(settings.database_url, settings.cache_url),
        "LIVE_CHANNEL_URL": settings.cache_url,
        "WEB_CONCURRENCY": str(settings.workers),
    }


async def stream_status(port: int) -> int:
    """The stream's answer: 200 under an ASGI server with a channel, else 503 (the pages poll)."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(f"GET {EVENTS} HTTP/1.1\r\nHost: {HOST}:{port}\r\n\r\n".encode())
        status, _headers = await asyncio.wait_for(read_head(reader), OPEN_SECONDS)
    finally:
        writer.close()
    return status


def run(settings: Settings) -> list[bool]:
    env = live_env(settings)
    setup = prepare(env)
    raise_file_limit(settings.clients)
    port = free_port()
    server = start_server(env, port)
    try:
        target = Target(port, setup["race"], setup["token"], setup["numbers"][:CARS])
        for _label, path in PAGES:
            warm(target.base, path)
        status = asyncio.run(stream_status(port))
        if status != 200:
            print(f"  skipped: the stream answers {status}; make serve does not stream (it polls)")
            return []
        outcome = event_loop_run(measure(settings, target, server.pid))
    finally:
        stop_server(server)
    return print_run(settings, outcome)


def event_loop_run(work: Coroutine[Any, Any, T]) -> T:
    """On uvloop when it is there (as the server's workers are), so the clients keep up."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(work)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(work)


def bench_live() -> None:
    settings = Settings.from_env()
    print(
        f"live: make serve ({settings.workers} gunicorn workers) on PostgreSQL and Redis with the "
        f"demo data, {settings.clients} streams of one race on loopback, {settings.updates} "
        f"pushes {settings.interval:g} s apart; ratio = the figure over the baseline "
        "(goals: every stream held, p95 push to the last client < 1 s, none dropped, pages served)"
    )
    if settings.clients <= 0 or settings.updates <= 0:
        print("  skipped: BENCH_LIVE_CLIENTS=0 or BENCH_LIVE_UPDATES=0")
        return
    problem = database_ready(settings.database_url)
    if problem:
        print(f"  skipped: no PostgreSQL at BENCH_DATABASE_URL ({problem})")
        return
    problem = redis_ready(settings.cache_url)
    if problem:
        print(f"  skipped: no Redis at BENCH_LIVE_CACHE_URL ({problem})")
        return
    passed = run(settings)
    if passed:
        print(f"  live goals: {sum(passed)} of {len(passed)} met")


if __name__ == "__main__":
    bench_live()
