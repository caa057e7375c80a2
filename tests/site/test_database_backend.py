"""cupmanager.postgresql: a kept connection is health-checked only after a second idle."""

import pytest
from django.db import close_old_connections, connection, connections

from championships.models import Championship
from cupmanager.postgresql import base
from tests import factories
from tests.factories import default_database

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the health check is PostgreSQL's"
)


@pytest.fixture
def kept(transactional_db, monkeypatch):
    """A kept, health-checked connection; a clock the test moves; the checks it makes."""
    championship = factories.make_championship("kept-cup")
    clock, checks = [1000.0], []
    monkeypatch.setattr(base, "monotonic", lambda: clock[0])
    settings = {**connection.settings_dict, "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}
    with default_database(settings):
        wrapper = connections["default"]
        usable = wrapper.is_usable
        monkeypatch.setattr(wrapper, "is_usable", lambda: checks.append(clock[0]) or usable())
        yield championship, clock, checks


def request(championship):
    """One request's database work, ended as Django's handler ends it."""
    try:
        return list(Championship.objects.filter(pk=championship.pk).values_list("slug"))
    finally:
        close_old_connections()


def test_a_connection_used_within_the_delay_is_reused_without_a_check(kept):
    championship, clock, checks = kept
    request(championship)  # opens the connection

    for _ in range(3):
        clock[0] += base.CHECK_DELAY / 2
        assert request(championship) == [("kept-cup",)]

    assert checks == []


def test_a_connection_idle_for_the_delay_is_checked_before_it_is_reused(kept):
    championship, clock, checks = kept
    request(championship)

    clock[0] += base.CHECK_DELAY
    assert request(championship) == [("kept-cup",)]

    assert checks == [clock[0]]


def test_a_connection_that_died_while_idle_is_replaced(kept):
    championship, clock, _checks = kept
    request(championship)
    original_backend = connections["default"].connection.info.backend_pid
    other = connections.create_connection("default")
    with other.cursor() as cursor:  # as if the server restarted
        cursor.execute("SELECT pg_terminate_backend(%s)", [original_backend])
    other.close()

    clock[0] += base.CHECK_DELAY
    assert request(championship) == [("kept-cup",)]

    assert connections["default"].connection.info.backend_pid != original_backend
