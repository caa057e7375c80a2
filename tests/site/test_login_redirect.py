"""After the back-office login, a refused or missing `next` lands on the back office's index
(issue 14.22d), not on Django's default /accounts/profile/, which is a 404 here."""

import pytest

PASSWORD = "a-good-password-for-tests"


@pytest.fixture
def official(django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return django_user_model.objects.create_user("official", password=PASSWORD, is_staff=True)


def log_in(client, **next_field):
    data = {"username": "official", "password": PASSWORD, **next_field}
    return client.post("/admin/login/", data, REMOTE_ADDR="203.0.113.7")


@pytest.mark.parametrize(
    "refused",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"],
)
def test_a_next_to_another_host_is_refused_for_the_back_office_index(client, official, refused):
    response = log_in(client, next=refused)

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get(response["Location"]).status_code == 200


def test_a_login_without_next_lands_on_the_back_office_index(client, official):
    response = log_in(client)

    assert response["Location"] == "/admin/"


def test_a_next_on_this_site_is_followed(client, official):
    response = log_in(client, next="/admin/entries/entry/")

    assert response["Location"] == "/admin/entries/entry/"


def test_a_page_that_needs_a_login_sends_to_the_back_office_login(settings):
    from django.contrib.auth.views import redirect_to_login

    assert redirect_to_login("/admin/x/")["Location"] == "/admin/login/?next=/admin/x/"
