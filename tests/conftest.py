"""Fixtures shared by every test folder."""

from pathlib import Path

import pytest

from tests import factories

PROJECT_DIR = Path(__file__).resolve().parent.parent
EXAMPLE_SEASON = PROJECT_DIR / "demo" / "data" / "pcca-2024"
F1_2015 = Path(__file__).resolve().parent / "data" / "f1-2015"


@pytest.fixture
def example_season_path() -> Path:
    """The shared example bundle, as copied into the project."""
    return EXAMPLE_SEASON


@pytest.fixture
def championship(db):
    return factories.make_championship("pcca-test")


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.com", "pw-for-tests")
    client.force_login(user)
    return client


@pytest.fixture
def upload_root(settings, tmp_path) -> Path:
    """Talent Pool documents stored under the test's own temporary folder."""
    root = tmp_path / "private-uploads"
    settings.TALENTPOOL_UPLOAD_ROOT = root
    return root


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches: kept pages, tables and counters never leak between
    tests."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()
