"""Sign-up, sign-in and password-reset requests are counted per address in the counters'
cache that every worker shares, whatever the default cache is (per process, or off)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.paddock.factories import PASSWORD, make_account

pytestmark = pytest.mark.django_db

# allauth's own limits count in the default cache; with it off, only ours are left.
DUMMY_DEFAULT = {
    "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    "counters": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
}


@pytest.fixture
def default_cache_off(settings):
    settings.CACHES = DUMMY_DEFAULT


def post(path: str, data: dict, address: str = "198.51.100.7") -> object:
    return Client(REMOTE_ADDR=address).post(path, data)


def test_sign_ups_are_limited_per_address_with_the_default_cache_off(default_cache_off, settings):
    settings.PADDOCK_SIGNUP_RATE_LIMIT = "2/h"
    for n in range(2):
        data = {"email": f"e{n}@example.com", "password1": PASSWORD, "password2": PASSWORD}
        assert post("/accounts/signup/", data).status_code == 302

    data = {"email": "e3@example.com", "password1": PASSWORD, "password2": PASSWORD}
    response = post("/accounts/signup/", data)

    assert response.status_code == 429
    assert "<h1>Too many attempts</h1>" in response.content.decode()
    assert not get_user_model().objects.filter(email="e3@example.com").exists()
    other = {"email": "e4@example.com", "password1": PASSWORD, "password2": PASSWORD}
    assert post("/accounts/signup/", other, address="198.51.100.8").status_code == 302


def test_sign_ins_are_limited_per_address_with_the_default_cache_off(default_cache_off, settings):
    settings.PADDOCK_LOGIN_RATE_LIMIT = "3/h"
    make_account("racer@example.com")
    for _attempt in range(3):
        post("/accounts/login/", {"login": "racer@example.com", "password": "wrong"})

    response = post("/accounts/login/", {"login": "racer@example.com", "password": PASSWORD})

    assert response.status_code == 429
    assert "sessionid" not in response.cookies


def test_password_reset_requests_are_limited_per_address(default_cache_off, settings, mailoutbox):
    settings.PADDOCK_PASSWORD_RESET_RATE_LIMIT = "1/h"
    make_account("racer@example.com")
    assert post("/accounts/password/reset/", {"email": "racer@example.com"}).status_code == 302

    response = post("/accounts/password/reset/", {"email": "racer@example.com"})

    assert response.status_code == 429
    assert len(mailoutbox) == 1


def test_reading_the_pages_counts_nothing(default_cache_off, settings):
    settings.PADDOCK_LOGIN_RATE_LIMIT = "1/h"
    client = Client(REMOTE_ADDR="198.51.100.7")
    assert [client.get("/accounts/login/").status_code for _ in range(3)] == [200, 200, 200]
