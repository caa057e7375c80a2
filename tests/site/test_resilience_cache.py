"""The optional Redis cache (CACHE_URL): the standings come from it, and while Redis is out of
reach the pages answer the friendly 503, then 200 again once it is back.

The tests that need a Redis server run when TEST_REDIS_URL names one (CI starts one on loopback);
the outage against a closed port needs none.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.test import override_settings

from championships.bundle import season_import
from cupmanager.settings import cache_from_url
from tests.conftest import EXAMPLE_SEASON
from tests.site.test_resilience import Relay

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL names no Redis server")
STANDINGS = "/api/v1/championships/pcca-2024/standings/"


@contextmanager
def cache_at(url: str) -> Iterator[None]:
    with override_settings(CACHES={"default": cache_from_url(url)}):
        yield


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens there once the socket is closed


@pytest.fixture
def season(db):
    season_import(EXAMPLE_SEASON)


def test_with_redis_out_of_reach_the_pages_answer_503_not_500(client, season):
    with cache_at(f"redis://127.0.0.1:{closed_port()}/0"):
        page = client.get("/standings/")
        api = client.get(STANDINGS)

    assert page.status_code == 503
    assert "<h1>Back in a moment</h1>" in page.content.decode()
    assert api.status_code == 503
    assert client.get("/standings/").status_code == 200


@needs_redis
def test_the_standings_are_served_from_redis(client, season, django_assert_num_queries):
    with cache_at(REDIS_URL):
        cache.clear()
        first = client.get(STANDINGS)
        with django_assert_num_queries(1):  # the championship; the table comes from Redis
            second = client.get(STANDINGS)
        cache.clear()

    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()


@needs_redis
def test_the_site_answers_again_once_redis_is_back(client, season):
    url = urlsplit(REDIS_URL)
    relay = Relay((url.hostname, url.port or 6379))
    relay.open()
    try:
        with cache_at(f"redis://127.0.0.1:{relay.port}{url.path}"):
            cache.clear()
            before = client.get("/standings/").status_code
            relay.close()
            during = client.get("/standings/").status_code
            relay.open()
            after = client.get("/standings/").status_code
            cache.clear()
    finally:
        relay.close()

    assert (before, during, after) == (200, 503, 200)
