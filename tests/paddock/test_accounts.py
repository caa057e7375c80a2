"""Entrants' accounts (django-allauth): sign-up with a verified address, sign-in, reset,
signing out everywhere, the site's layout in both languages, rate limits, and that an entrant
never reaches the back office nor locks staff out of it."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from tests.paddock.factories import PASSWORD, entrant_client, make_account

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-paddock-password-2"


def squeezed(response: object) -> str:
    """The page with its runs of white space as one space (allauth's templates indent)."""
    return re.sub(r"\s+", " ", response.content.decode())


def link_in(message: mail.EmailMessage) -> str:
    """The path of the one link of an allauth e-mail."""
    found = re.search(r"https?://[^/\s]+(/\S+)", message.body)
    assert found, message.body
    return found.group(1)


def sign_up(client: Client, email: str = "manager@example.com") -> object:
    return client.post(
        "/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )


def sign_in(client: Client, email: str, password: str = PASSWORD) -> object:
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_sign_up_verifies_the_address_then_lands_on_the_paddock(client):
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session  # not signed in before verifying
    assert [message.to for message in mail.outbox] == [["manager@example.com"]]

    confirm = link_in(mail.outbox[0])
    assert client.get(confirm).status_code == 200
    response = client.post(confirm)

    assert response.status_code == 302
    assert response["Location"] == "/paddock/"
    assert client.get("/paddock/").status_code == 200
    user = get_user_model().objects.get(email="manager@example.com")
    assert user.emailaddress_set.get().verified
    assert not user.is_staff and not user.is_superuser


def test_an_unverified_account_cannot_sign_in(client):
    make_account("late@example.com", verified=False)
    response = sign_in(client, "late@example.com")
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_a_verified_entrant_signs_in_to_the_paddock(client):
    make_account("driver@example.com")
    response = sign_in(client, "driver@example.com")
    assert response.status_code == 302
    assert response["Location"] == "/paddock/"


def test_the_paddock_sends_a_visitor_to_sign_in(client):
    response = client.get("/paddock/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/paddock/")


def test_an_entrant_never_reaches_the_back_office(client):
    sign_up(client, "keen@example.com")
    client.post(link_in(mail.outbox[0]))  # verified and signed in
    user = get_user_model().objects.get(email="keen@example.com")
    assert not user.is_staff

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.get("/admin/paddock/entrantteam/").status_code == 302


def test_sign_up_cannot_make_a_staff_account(client):
    client.post(
        "/accounts/signup/",
        {
            "email": "sly@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "is_staff": "on",
            "is_superuser": "on",
        },
    )
    user = get_user_model().objects.get(email="sly@example.com")
    assert not user.is_staff and not user.is_superuser


def test_password_reset_by_e_mail(client):
    make_account("forgetful@example.com")
    response = client.post("/accounts/password/reset/", {"email": "forgetful@example.com"})
    assert response["Location"] == "/accounts/password/reset/done/"
    assert mail.outbox[-1].to == ["forgetful@example.com"]

    set_password = client.get(link_in(mail.outbox[-1]))["Location"]  # the key kept aside
    response = client.post(set_password, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response["Location"] == "/accounts/password/reset/key/done/"

    assert sign_in(Client(), "forgetful@example.com").status_code == 200  # refused, shown again
    assert sign_in(Client(), "forgetful@example.com", NEW_PASSWORD)["Location"] == "/paddock/"


def test_a_reset_for_an_unknown_address_tells_nothing_and_sends_no_link(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response["Location"] == "/accounts/password/reset/done/"
    assert all("/password/reset/key/" not in message.body for message in mail.outbox)


def test_sign_out_everywhere_ends_the_other_sessions():
    make_account("busy@example.com")
    laptop, phone = Client(), Client()
    sign_in(laptop, "busy@example.com")
    sign_in(phone, "busy@example.com")
    assert phone.get("/paddock/").status_code == 200

    page = laptop.get("/accounts/sessions/")
    assert page.status_code == 200
    assert page.context["session_count"] == 2
    response = laptop.post("/accounts/sessions/")

    assert response.status_code == 302
    assert phone.get("/paddock/").status_code == 302  # sent to sign in
    assert laptop.get("/paddock/").status_code == 200


def test_signing_out_ends_the_session(client):
    make_account("leaving@example.com")
    sign_in(client, "leaving@example.com")
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/paddock/").status_code == 302


def test_account_pages_are_in_the_sites_layout(client):
    page = squeezed(client.get("/accounts/login/"))
    assert 'class="site-header"' in page
    assert "<title> Sign In · CupManager</title>" in page
    assert page.count("<h1>") == 1 and "<h2" not in page
    assert '<label for="id_login">' in page and '<label for="id_password">' in page


def test_signup_page_labels_every_field(client):
    page = client.get("/accounts/signup/").content.decode()
    for field in ("id_email", "id_password1", "id_password2"):
        assert f'<label for="{field}">' in page


def test_the_account_pages_of_an_entrant_render(client):
    manager = entrant_client(make_account())
    for address in ("/accounts/email/", "/accounts/password/change/", "/accounts/sessions/"):
        response = manager.get(address)
        assert response.status_code == 200, address
        assert 'aria-label="Your account"' in response.content.decode()


def test_the_sign_in_page_in_chinese(client):
    page = squeezed(client.get("/zh-hans/accounts/login/"))
    assert '<html lang="zh-hans">' in page
    assert "<h1> 登录 </h1>" in page
    assert 'action="/zh-hans/accounts/login/"' in page


def test_sign_up_is_rate_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}
    assert sign_up(client, "one@example.com").status_code == 302
    assert sign_up(Client(), "two@example.com").status_code == 302

    response = sign_up(Client(), "three@example.com")

    assert response.status_code == 429
    assert "<h1>Too many attempts</h1>" in response.content.decode()
    assert not get_user_model().objects.filter(email="three@example.com").exists()


def test_failed_sign_ins_are_rate_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/key"}
    make_account("target@example.com")
    for _attempt in range(3):
        response = sign_in(client, "target@example.com", "wrong-password")
        assert "not correct" in response.content.decode()

    response = sign_in(client, "target@example.com", PASSWORD)  # right, but too late

    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failed_entrant_sign_ins_do_not_lock_staff_out(client, settings, django_user_model):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "50/m/ip"}
    django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-for-tests")
    make_account("entrant@example.com")
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 2):
        sign_in(client, "entrant@example.com", "wrong-password")

    assert sign_in(Client(), "entrant@example.com").status_code == 429  # that address, locked

    staff = Client()
    response = staff.post("/admin/login/", {"username": "boss", "password": "pw-for-tests"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    # Counted by address signed in with: another entrant behind the same address is not locked.
    make_account("colleague@example.com")
    assert sign_in(Client(), "colleague@example.com")["Location"] == "/paddock/"
