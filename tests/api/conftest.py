"""Fixtures of the API tests: clients for anonymous, staff without and with permissions."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("steward", password="pw-for-tests", is_staff=True)
