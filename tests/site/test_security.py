"""Production security settings, read from the environment, and the headers every page sends."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from cupmanager.settings import cache_from_url, proxy_ssl_header
from tests.factories import PROJECT_DIR

SECRET = "a-long-random-secret-for-the-tests-" + "x7Qp" * 10
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": SECRET,
    "DJANGO_ALLOWED_HOSTS": "cup.example",
    "SITE_URL": "https://cup.example",
}
SHOW_HTTPS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
    "s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER)"
)


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    """Python in a fresh interpreter with only the given DJANGO_ and related variables."""
    ours = ("DJANGO_", "DATABASE_", "CACHE_URL", "AXES_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "cupmanager.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deployment_check_asks_for_the_sites_address():
    settings = {key: value for key, value in PRODUCTION.items() if key != "SITE_URL"}
    proc = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **settings)

    assert proc.returncode != 0
    assert "core.W001" in proc.stderr + proc.stdout


def test_the_deployment_check_reports_nothing_with_production_settings():
    proc = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)

    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "System check identified no issues (0 silenced)." in proc.stdout
    assert "WARNING" not in proc.stdout + proc.stderr


def test_https_only_settings_are_on_whenever_debug_is_off():
    proc = run(["-c", SHOW_HTTPS], **PRODUCTION)

    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "True", "True", "31536000", "None"]


def test_djangos_https_0_serves_plain_http_on_loopback():
    proc = run(["-c", SHOW_HTTPS], **PRODUCTION, DJANGO_HTTPS="0")

    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["False", "False", "False", "0", "None"]


def test_debug_serves_plain_http_by_default():
    proc = run(["-c", SHOW_HTTPS], DJANGO_DEBUG="true")

    assert proc.stdout.split()[:4] == ["False", "False", "False", "0"]


def test_the_proxy_ssl_header_comes_from_the_environment():
    proc = run(["-c", SHOW_HTTPS], **PRODUCTION, DJANGO_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO")

    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("('HTTP_X_FORWARDED_PROTO', 'https')")


def test_it_refuses_a_proxy_header_that_is_not_a_request_header():
    with pytest.raises(ImproperlyConfigured, match="like HTTP_X_FORWARDED_PROTO"):
        proxy_ssl_header("X-Forwarded-Proto")


def test_the_login_lockout_is_configured_by_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, int(s.AXES_COOLOFF_TIME.total_seconds()))"
    )
    default = run(["-c", code])
    changed = run(["-c", code], AXES_FAILURE_LIMIT="3", AXES_COOLOFF_MINUTES="120")

    assert default.stdout.split() == ["5", "1800"]
    assert changed.stdout.split() == ["3", "7200"]


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("", "locmem.LocMemCache", None),
        ("locmem://", "locmem.LocMemCache", None),
        ("dummy://", "dummy.DummyCache", None),
        ("redis://127.0.0.1:6379/1", "redis.RedisCache", "redis://127.0.0.1:6379/1"),
        (
            "rediss://:pw@cache.example:6380/0",
            "redis.RedisCache",
            "rediss://:pw@cache.example:6380/0",
        ),
    ],
)
def test_cache_url_chooses_the_cache(url, backend, location):
    cache = cache_from_url(url)

    assert cache["BACKEND"] == f"django.core.cache.backends.{backend}"
    assert cache.get("LOCATION") == location


def test_the_memory_cache_holds_a_crowds_throttle_counts_beside_the_kept_pages():
    # Django's default (300 entries) would let one entry per fan's address push pages out.
    assert cache_from_url("")["OPTIONS"] == {"MAX_ENTRIES": 20_000}
    assert "OPTIONS" not in cache_from_url("redis://127.0.0.1:6379/1")


def test_it_refuses_a_cache_url_it_cannot_read():
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must start with one of"):
        cache_from_url("memcached://127.0.0.1:11211")


def test_every_page_sends_the_security_headers(client, db):
    response = client.get("/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_content_security_policy_allows_nothing_inline(client, db):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))

    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_the_api_docs_load_their_start_up_script_from_a_url(client, db):
    page = client.get("/api/v1/docs/").content.decode()
    script = client.get("/api/v1/docs/?script=")

    assert "<script>" not in page and "<style>" not in page
    assert '<script src="/api/v1/docs/?script="></script>' in page
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in script.content.decode()


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31536000)
def test_plain_http_is_redirected_to_https_but_the_health_check_is_not(client, db):
    page = client.get("/standings/")
    health = client.get("/healthz")
    secure = client.get("/", secure=True)

    assert page.status_code == 301
    assert page["Location"] == "https://testserver/standings/"
    assert health.status_code == 200
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


@override_settings(
    SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")
)
def test_behind_a_proxy_its_header_says_the_request_was_https(client, db):
    assert client.get("/", HTTP_X_FORWARDED_PROTO="https").status_code == 200
    assert client.get("/", HTTP_X_FORWARDED_PROTO="http").status_code == 301


def test_the_benchmarks_plain_text_view_is_a_404_unless_enabled(client, settings):
    assert client.get("/bench/ping").status_code == 404

    settings.BENCH_PING = True
    response = client.get("/bench/ping")

    assert response.status_code == 200
    assert response.content == b"pong\n"
