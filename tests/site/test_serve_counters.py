"""`make serve` counts rate limits in a cache every worker shares, or refuses to start (issue
14.7): with the per-process memory cache, 10 status look-ups passed a 5/h limit with 2 workers.
"""

from __future__ import annotations

import os
import subprocess

import pytest

from cupmanager.settings import counters_cache_from_url
from tests.factories import PROJECT_DIR


def serve(**env: str) -> subprocess.CompletedProcess:
    """`make serve` up to its cache check; the database named does not exist, so a run that
    passes the check stops at migrate, before any server starts."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CACHE_URL", "COUNTERS_CACHE_URL"}
    }
    environment |= {"DATABASE_URL": "postgres://nobody:x@127.0.0.1:1/none", **env}
    return subprocess.run(
        ["make", "--no-print-directory", "-o", "install", "serve"],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("counters", ["locmem://", "dummy://"])
def test_make_serve_refuses_counters_kept_per_process(counters):
    run = serve(COUNTERS_CACHE_URL=counters)

    assert run.returncode == 2
    assert f"make serve refuses COUNTERS_CACHE_URL={counters}" in run.stderr
    assert "redis://HOST:6379/DB" in run.stderr and "db://" in run.stderr
    assert "migrate" not in run.stdout


@pytest.mark.parametrize(
    ("env", "said"),
    [
        ({}, "db://"),
        ({"CACHE_URL": "dummy://"}, "db://"),
        ({"CACHE_URL": "redis://127.0.0.1:1/1"}, "redis://"),
        ({"COUNTERS_CACHE_URL": "rediss://:pw-in-url-7731@cache.example:6380/0"}, "rediss://"),
    ],
)
def test_make_serve_says_where_it_counts(env, said):
    run = serve(**env)

    assert f"rate limits and throttles count in {said} " in run.stdout
    assert "pw-in-url-7731" not in run.stdout + run.stderr


def test_without_a_cache_url_the_counters_still_count_in_memory():
    assert counters_cache_from_url("", "dummy://")["BACKEND"].endswith("LocMemCache")
    assert counters_cache_from_url("dummy://", "")["BACKEND"].endswith("DummyCache")
