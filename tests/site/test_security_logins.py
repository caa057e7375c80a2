"""Back-office brute-force protection: 5 failed logins for one user name from one address lock
that pair out for 30 minutes; other users and other addresses log in as usual."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.test import override_settings
from django.utils import timezone

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "a-good-password-for-tests"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    # Dozens of logins per test: the production hasher's cost is not what is tested here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def official(django_user_model):
    return django_user_model.objects.create_user("official", password=PASSWORD, is_staff=True)


def login(client, username: str, password: str, address: str = "203.0.113.7"):
    data = {"username": username, "password": password, "next": "/admin/"}
    return client.post(LOGIN, data, REMOTE_ADDR=address)


def fail(client, times: int, username: str = "official", address: str = "203.0.113.7") -> list:
    """The status of each failed attempt: the form again (200), or the lockout page (429)."""
    return [login(client, username, "wrong", address).status_code for _ in range(times)]


def test_the_right_password_after_four_failures_still_logs_in(client, official):
    assert fail(client, 4) == [200, 200, 200, 200]

    response = login(client, "official", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_five_failures_lock_the_user_out_even_with_the_right_password(client, official):
    assert fail(client, 5) == [200, 200, 200, 200, 429]  # the fifth failure locks

    response = login(client, "official", PASSWORD)

    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_holds_for_the_same_user_and_address_only(client, official, django_user_model):
    django_user_model.objects.create_user("other", password=PASSWORD, is_staff=True)
    fail(client, 5)

    from_elsewhere = login(client, "official", PASSWORD, address="198.51.100.20")
    client.logout()
    another_user = login(client, "other", PASSWORD)

    assert from_elsewhere.status_code == 302
    assert another_user.status_code == 302


def test_the_lockout_ends_after_thirty_minutes(client, official):
    fail(client, 5)
    assert login(client, "official", PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=29))
    assert login(client, "official", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=31))
    assert login(client, "official", PASSWORD).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=2)
def test_the_limit_is_a_setting(client, official):
    fail(client, 2)

    assert login(client, "official", PASSWORD).status_code == 429


def test_behind_proxies_the_forwarded_address_is_the_one_locked(client, official, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    for _ in range(5):
        data = {"username": "official", "password": "wrong", "next": "/admin/"}
        client.post(LOGIN, data, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")

    same_client = client.post(
        LOGIN,
        {"username": "official", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    other_client = client.post(
        LOGIN,
        {"username": "official", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )

    assert same_client.status_code == 429
    assert other_client.status_code == 302
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
