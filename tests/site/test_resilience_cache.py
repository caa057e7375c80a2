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

from cupmanager.settings import cache_from_url, counters_cache_from_url
from tests.factories import Relay

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL names no Redis server")
STANDINGS = "/api/v1/championships/pcca-2024/standings/"


@contextmanager
def cache_at(url: str) -> Iterator[None]:
    caches = {"default": cache_from_url(url), "counters": counters_cache_from_url("", url)}
    with override_settings(CACHES=caches):
        yield


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens there once the socket is closed


def test_with_redis_out_of_reach_the_pages_answer_503_not_500(client, pcca):
    with cache_at(f"redis://127.0.0.1:{closed_port()}/0"):
        page = client.get("/standings/")
        api = client.get(STANDINGS)

    assert page.status_code == 503
    assert "<h1>Back in a moment</h1>" in page.content.decode()
    assert api.status_code == 503
    assert client.get("/standings/").status_code == 200


@needs_redis
def test_the_standings_are_served_from_redis(client, pcca, django_assert_num_queries):
    with cache_at(REDIS_URL):
        cache.clear()
        first = client.get(STANDINGS)
        with django_assert_num_queries(1):  # the championship; the table comes from Redis
            second = client.get(STANDINGS)
        cache.clear()

    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()


@needs_redis
def test_the_site_answers_again_once_redis_is_back(client, pcca):
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


# --- PAGE_CACHE_SECONDS: whole anonymous answers kept a few seconds for race-day crowds -------


@pytest.fixture
def page_cache(settings):
    settings.MIDDLEWARE = [
        *settings.PAGE_CACHE_MIDDLEWARE,
        *settings.MIDDLEWARE,
        "core.pagecache.FetchFromCacheMiddleware",
    ]
    settings.CACHE_MIDDLEWARE_SECONDS = 5
    cache.clear()
    yield
    cache.clear()


def test_a_page_is_served_from_the_page_cache_without_a_query(
    client, pcca, page_cache, django_assert_num_queries
):
    first = client.get("/standings/")
    with django_assert_num_queries(0):
        second = client.get("/standings/")

    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_the_back_office_is_never_kept(
    admin_client, pcca, page_cache, django_assert_max_num_queries
):
    admin_client.get("/admin/championships/championship/")

    with django_assert_max_num_queries(50) as queries:
        response = admin_client.get("/admin/championships/championship/")

    assert response.status_code == 200
    assert len(queries) > 0  # built again for the staff member, never from the page cache
    assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_an_api_token_never_gets_the_anonymous_answer(
    client, pcca, page_cache, django_user_model, django_assert_max_num_queries
):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=django_user_model.objects.create_user("api", is_staff=True))
    client.get("/api/v1/penalties/")

    with django_assert_max_num_queries(50) as queries:
        response = client.get("/api/v1/penalties/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 200
    assert len(queries) > 0  # computed for the token, not the anonymous copy
    assert "Authorization" in response["Vary"]


def test_a_503_is_never_kept(client, pcca, page_cache):
    # With the page cache, Redis is first asked by a middleware, before any view: the 503 then
    # comes from handler500, which the test client would otherwise bypass by raising.
    client.raise_request_exception = False
    with cache_at(f"redis://127.0.0.1:{closed_port()}/0"):
        assert client.get("/standings/").status_code == 503
    assert client.get("/standings/").status_code == 200
