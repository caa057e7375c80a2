"""Fixtures of the API tests: clients for anonymous, staff without and with permissions."""

import pytest
from rest_framework.test import APIClient

from championships.bundle import season_import
from championships.models import Championship
from tests.factories import EXAMPLE_SEASON


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def pcca(db) -> Championship:
    """The example 2024 season: 7 meetings, 16 races, 18 entries, 3 penalties."""
    season_import(EXAMPLE_SEASON)
    return Championship.objects.get(slug="pcca-2024")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("steward", password="pw-for-tests", is_staff=True)
