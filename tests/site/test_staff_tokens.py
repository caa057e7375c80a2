"""API tokens without a superuser (issue 14.19): staff who write manage their own token, and a
series manager issues and revokes the tokens of timing providers' accounts, never more."""

import re

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token

from tests.factories import grant, make_staff

OWN = "/admin/token/"
PROVIDERS = "/admin/token/providers/"


def logged_in(client, user):
    client.force_login(user)
    return client


def shown_key(response) -> str | None:
    found = re.search(r'<code id="token-key">([0-9a-f]+)</code>', response.content.decode())
    return found.group(1) if found else None


@pytest.fixture
def provider(db):
    return make_staff("timing-co", roles=("Timing provider",))


@pytest.fixture
def manager(db):
    return make_staff("manager", roles=("Series manager",))


# --- One's own token -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["Race control", "Series manager"])
def test_staff_who_write_issue_rotate_and_revoke_their_own_token(client, db, role):
    user = make_staff("writer", roles=(role,))
    client = logged_in(client, user)

    issued = client.post(OWN, {"action": "issue"})
    first = shown_key(issued)
    rotated = shown_key(client.post(OWN, {"action": "issue"}))
    page = client.get(OWN)

    assert first and first == issued.context["issued"].key
    assert rotated != first and Token.objects.get(user=user).key == rotated
    assert shown_key(page) is None and "You have a token" in page.content.decode()
    assert "no-store" in issued["Cache-Control"]
    client.post(OWN, {"action": "revoke"})
    assert not Token.objects.filter(user=user).exists()


def test_the_back_office_links_to_ones_token_page(client, manager):
    html = logged_in(client, manager).get("/admin/").content.decode()

    assert f'href="{OWN}"' in html


@pytest.mark.parametrize("role", ["Read-only staff", None])
def test_staff_who_cannot_write_issue_no_token(client, db, role):
    user = make_staff("reader", roles=(role,) if role else ())
    client = logged_in(client, user)

    page = client.get(OWN)
    posted = client.post(OWN, {"action": "issue"})

    assert page.status_code == posted.status_code == 403
    assert "needs a role that writes" in page.content.decode()
    assert not Token.objects.filter(user=user).exists()


def test_a_visitor_is_sent_to_the_login(client, db):
    response = client.get(OWN)

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- Timing providers' tokens ----------------------------------------------------------------


def test_a_series_manager_issues_and_revokes_a_timing_providers_token(client, manager, provider):
    client = logged_in(client, manager)

    listed = client.get(PROVIDERS)
    issued = client.post(PROVIDERS, {"user": provider.pk, "action": "issue"})

    assert "timing-co" in listed.content.decode()
    assert shown_key(issued) == Token.objects.get(user=provider).key
    client.post(PROVIDERS, {"user": provider.pk, "action": "revoke"})
    assert not Token.objects.filter(user=provider).exists()


def test_a_series_manager_cannot_issue_a_token_for_a_superuser(client, manager):
    owner = make_staff("owner", roles=("Timing provider",), is_superuser=True)

    response = logged_in(client, manager).post(PROVIDERS, {"user": owner.pk, "action": "issue"})

    assert response.status_code == 403
    assert "is not a timing provider" in response.content.decode()
    assert not Token.objects.filter(user=owner).exists()


def test_a_series_manager_cannot_issue_their_own_token_as_a_providers(client, manager):
    manager.groups.add(Group.objects.get(name="Timing provider"))

    response = logged_in(client, manager).post(PROVIDERS, {"user": manager.pk, "action": "issue"})

    assert response.status_code == 403
    assert not Token.objects.filter(user=manager).exists()


@pytest.mark.parametrize(
    "extra",
    [
        {"roles": ["Series manager"]},
        {"roles": ["Race control"]},
        {"permissions": ["auth.add_user"]},
        {"is_active": False},
        {"is_staff": False},
    ],
    ids=["series-manager", "race-control", "user-admin", "inactive", "not-staff"],
)
def test_a_series_manager_cannot_issue_a_token_that_gives_more_than_a_providers(
    client, manager, extra
):
    fields = {k: v for k, v in extra.items() if k in ("is_active", "is_staff")}
    target = make_staff("escalate", roles=("Timing provider", *extra.get("roles", [])))
    grant(target, *extra.get("permissions", []))
    type(target).objects.filter(pk=target.pk).update(**fields)

    response = logged_in(client, manager).post(PROVIDERS, {"user": target.pk, "action": "issue"})

    assert response.status_code == 403
    assert not Token.objects.filter(user=target).exists()


@pytest.mark.parametrize("role", ["Race control", "Read-only staff", "Talent Pool reviewer"])
def test_other_roles_cannot_issue_a_providers_token(client, provider, role):
    user = make_staff("other", roles=(role,))
    client = logged_in(client, user)

    page = client.get(PROVIDERS)
    posted = client.post(PROVIDERS, {"user": provider.pk, "action": "issue"})

    assert page.status_code == posted.status_code == 403
    assert "managed by the Series manager role" in page.content.decode()
    assert not Token.objects.filter(user=provider).exists()


def test_a_series_manager_cannot_revoke_a_superusers_token(client, manager):
    owner = make_staff("owner", is_superuser=True)
    Token.objects.create(user=owner)

    response = logged_in(client, manager).post(PROVIDERS, {"user": owner.pk, "action": "revoke"})

    assert response.status_code == 403
    assert Token.objects.filter(user=owner).exists()


@pytest.mark.parametrize("user_id", ["abc", "", "999999"])
def test_an_unknown_account_is_a_404(client, manager, user_id):
    response = logged_in(client, manager).post(PROVIDERS, {"user": user_id, "action": "issue"})

    assert response.status_code == 404


def test_a_providers_token_writes_results_and_nothing_else(client, manager, provider):
    logged_in(client, manager).post(PROVIDERS, {"user": provider.pk, "action": "issue"})
    key = Token.objects.get(user=provider).key

    response = client.post(
        "/api/v1/penalties/",
        {},
        HTTP_AUTHORIZATION=f"Token {key}",
        content_type="application/json",
    )

    assert response.status_code == 403
