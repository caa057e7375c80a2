"""Fixtures of the API tests: clients for anonymous, staff without and with permissions."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from championships.bundle import season_import
from championships.models import Championship
from tests.conftest import EXAMPLE_SEASON


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def pcca(db) -> Championship:
    """The example 2024 season: 7 meetings, 16 races, 18 entries, 3 penalties."""
    season_import(EXAMPLE_SEASON)
    return Championship.objects.get(slug="pcca-2024")


def token_client(user, *permissions: str) -> APIClient:
    """A client sending the user's token; ``permissions`` as "app_label.codename"."""
    for name in permissions:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("steward", password="pw-for-tests", is_staff=True)
