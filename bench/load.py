"""The load run of `make bench`: 50 clients for 60 seconds on each address, against `make serve`.

Loopback only, bounded in time, and it stops by itself: each address gets BENCH_LOAD_SECONDS
(60) of BENCH_LOAD_CLIENTS (50) concurrent clients, every request has a 10-second timeout, and
the server it started is stopped at the end whatever happens. The baseline is /bench/ping, a
plain-text view behind the same middleware, served by the same server in the same run; every
figure comes with its throughput ratio to it.

    python -m bench.load http://127.0.0.1:8000 / /standings/   # against a running server
"""

from __future__ import annotations

import asyncio
import itertools
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

PROJECT = Path(__file__).resolve().parent.parent
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
REQUEST_TIMEOUT = 10.0
PING = "/bench/ping"
SLUG = "pcca-2024"
# (label, address)
TARGETS = [
    ("home page", "/"),
    ("standings page", "/standings/"),
    ("standings API", f"/api/v1/championships/{SLUG}/standings/"),
    ("entry list API", f"/api/v1/entries/?championship={SLUG}"),
]
PAGE_CACHE = {"PAGE_CACHE_SECONDS": "5"}
# How many fans the clients speak for, each from its own address.
CROWD = 5000
UNCACHED = [
    ("standings page, no cache", "/standings/"),
    ("standings API, no cache", f"/api/v1/championships/{SLUG}/standings/"),
]


@dataclass
class Tally:
    """What the clients saw on one address."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile_ms(self, fraction: float) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100)[round(fraction * 100) - 1] * 1000


async def fetch(host: str, port: int, path: str, address: str) -> int:
    """One GET on a new connection (gunicorn's sync workers close each one); the status.

    ``address`` is the fan's, as a proxy in front would pass it on (the server runs with
    API_NUM_PROXIES=1), so that the API's throttle counts each fan apart."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept-Language: en\r\n"
            f"X-Forwarded-For: {address}\r\n"
            "Accept-Encoding: identity\r\nConnection: close\r\n\r\n"
        )
        writer.write(request.encode())
        await writer.drain()
        status_line = await reader.readline()
        while await reader.read(65536):
            pass
    finally:
        writer.close()
    return int(status_line.split()[1])


async def client(
    host: str, port: int, path: str, deadline: float, tally: Tally, number: int, clients: int
) -> None:
    # A race-day crowd: each client speaks for CROWD / clients fans in turn, so each fan asks
    # a few times a minute, well under the throttle's rate, as real fans do.
    fans = itertools.cycle(range(number, CROWD, clients))
    while time.monotonic() < deadline:
        fan = next(fans)
        address = f"10.{fan // 62500}.{fan // 250 % 250}.{fan % 250 + 1}"
        start = time.perf_counter()
        try:
            status = await asyncio.wait_for(fetch(host, port, path, address), REQUEST_TIMEOUT)
        except (TimeoutError, OSError, ValueError, IndexError):
            status = 0
        if status == 200:
            tally.latencies.append(time.perf_counter() - start)
        else:
            tally.errors += 1


async def hammer(base: str, path: str, clients: int, seconds: float) -> Tally:
    """``clients`` clients asking for ``path`` one request after another for ``seconds``."""
    url = urlsplit(base)
    if url.hostname not in LOOPBACK:
        raise SystemExit(f"The load run targets loopback only, not {url.hostname}.")
    tally = Tally()
    start = time.monotonic()
    deadline = start + seconds
    await asyncio.gather(
        *(
            client(url.hostname, url.port or 80, path, deadline, tally, n, clients)
            for n in range(clients)
        )
    )
    tally.seconds = time.monotonic() - start
    return tally


def warm(base: str, path: str) -> None:
    """Fill the cache of every worker before measuring, so 'cached' means cached."""
    for _ in range(20):
        with urllib.request.urlopen(base + path, timeout=REQUEST_TIMEOUT) as response:
            response.read()


def report(label: str, tally: Tally, baseline: Tally | None) -> None:
    ratio = f"{baseline.rate / tally.rate:6.2f}x" if baseline and tally.rate else "     -"
    print(
        f"  {label:<28} {tally.rate:8.1f} req/s  p50 {tally.percentile_ms(0.5):7.1f} ms  "
        f"p95 {tally.percentile_ms(0.95):7.1f} ms  errors {tally.errors:<5} {ratio} baseline"
    )


def measure(base: str, targets: list, clients: int, seconds: float, baseline: Tally) -> None:
    for label, path in targets:
        warm(base, path)
        tally = asyncio.run(hammer(base, path, clients, seconds))
        report(label, tally, baseline)


# --- The server: `make serve` on PostgreSQL with the demo data ------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_ready(url: str) -> str | None:
    """Create the bench database if missing; None when ready, else why it cannot be."""
    name = urlsplit(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as db:
            found = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not found:
                db.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0]
    return None


def server_env(database_url: str, cache_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_HTTPS": "0",  # plain HTTP on loopback
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "BENCH_PING": "true",
        # Each fan has its own address (X-Forwarded-For through one proxy hop); at about 1,000
        # API requests/s over CROWD fans, each asks about 12 times a minute: the throttle
        # counts every request, refuses none.
        "API_NUM_PROXIES": "1",
        "API_ANON_RATE": "600/min",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_CONN_MAX_AGE": "60",  # as in production: no new connection per request
        "GUNICORN_CMD_ARGS": "--log-level warning",
    }


def load_demo(env: dict[str, str]) -> None:
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput", "-v0"], ["load_demo"]):
        subprocess.run(
            [*manage, *command],
            cwd=PROJECT,
            env=env,
            check=True,
            timeout=600,
            stdout=subprocess.DEVNULL,
        )


def start_server(env: dict[str, str], port: int) -> subprocess.Popen:
    command = ["make", "--no-print-directory", "serve", f"PORT={port}", "ACCESS_LOG=/dev/null"]
    # Its own process group, so that stopping it stops make, gunicorn and every worker.
    server = subprocess.Popen(
        command, cwd=PROJECT, env=env, start_new_session=True, stdout=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"make serve stopped with exit code {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(0.5)
    stop_server(server)
    raise RuntimeError("make serve did not answer /healthz within 120 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def run_against_server(env: dict[str, str], targets: list, clients: int, seconds: float) -> None:
    """Start `make serve`, measure its /bench/ping, then each target against that baseline."""
    port = free_port()
    server = start_server(env, port)
    base = f"http://127.0.0.1:{port}"
    try:
        warm(base, PING)
        baseline = asyncio.run(hammer(base, PING, clients, seconds))
        report(f"baseline: {PING}", baseline, baseline)
        measure(base, targets, clients, seconds, baseline)
    finally:
        stop_server(server)


def bench_load() -> None:
    seconds = float(os.environ.get("BENCH_LOAD_SECONDS", "60"))
    clients = int(os.environ.get("BENCH_LOAD_CLIENTS", "50"))
    workers = os.environ.get("WEB_CONCURRENCY", "3")
    database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://cup:cup@127.0.0.1:5432/cup_bench"
    )
    print(
        f"load: make serve ({workers} gunicorn workers) on PostgreSQL with the demo data, "
        f"{clients} clients x {seconds:g} s per address, on loopback; ratio = the baseline's "
        "requests/s over the address's (goals: cached within 2x, uncached within 5x)"
    )
    if seconds <= 0:
        print("  skipped: BENCH_LOAD_SECONDS=0")
        return
    problem = database_ready(database_url)
    if problem:
        print(f"  skipped: no PostgreSQL at BENCH_DATABASE_URL ({problem})")
        return
    cache_url = os.environ.get("CACHE_URL", "")
    load_demo(server_env(database_url, cache_url))
    runs = [
        (
            f"cache {cache_url or 'locmem:// (per worker)'}: the tables cached",
            cache_url,
            {},
            TARGETS,
        ),
        ("and PAGE_CACHE_SECONDS=5: whole answers cached", cache_url, PAGE_CACHE, TARGETS),
        ("cache dummy://: every table computed on every request", "dummy://", {}, UNCACHED),
    ]
    for title, cache, extra, targets in runs:
        print(f"  {title}")
        run_against_server({**server_env(database_url, cache), **extra}, targets, clients, seconds)


def main(argv: list[str]) -> None:
    """Against a server that is already running: BASE PATH..., one line per address."""
    if len(argv) < 2:
        raise SystemExit("usage: python -m bench.load http://127.0.0.1:PORT PATH [PATH...]")
    base, paths = argv[0].rstrip("/"), argv[1:]
    seconds = float(os.environ.get("BENCH_LOAD_SECONDS", "60"))
    clients = int(os.environ.get("BENCH_LOAD_CLIENTS", "50"))
    baseline = None
    for path in paths:
        warm(base, path)
        tally = asyncio.run(hammer(base, path, clients, seconds))
        baseline = baseline or tally
        report(path, tally, baseline)
        if tally.errors:
            raise SystemExit(f"{tally.errors} errors on {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
