"""When the database is out of reach: /healthz and the pages answer 503 (a friendly page, never a
traceback, JSON under /api/), and the site answers again by itself once the database is back.

The outage is real: on PostgreSQL the site talks to the database through a loopback relay that
the test closes and reopens; on SQLite the database file's folder is moved away and back.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import OperationalError, close_old_connections, connection
from django.test import RequestFactory, override_settings

from cupmanager.views import server_error
from tests.factories import Relay, default_database, make_championship, make_entry

PAGES = ["/", "/standings/", "/entries/", "/talent-pool/", "/admin/"]


class Client:
    """The test client, closing connections around each request as the server's handler does
    (the test client alone keeps one connection for the whole test)."""

    def __init__(self, client) -> None:
        self.client = client

    def get(self, path: str):
        close_old_connections()
        try:
            return self.client.get(path)
        finally:
            close_old_connections()


@pytest.fixture
def server(client, django_user_model) -> Client:
    """A staff member's browser, so that the back office asks the database too."""
    client.force_login(django_user_model.objects.create_user("official", is_staff=True))
    return Client(client)


# Connections closed after each request (the default), and kept with a health check.
@pytest.fixture(params=[0, 60], ids=["new-connection-per-request", "kept-connections"])
def outage(request, transactional_db, tmp_path) -> Iterator[tuple]:
    """(take the database away, bring it back), with requests served through the way it goes."""
    make_entry(make_championship("pcca-test"))
    kept = {"CONN_MAX_AGE": request.param, "CONN_HEALTH_CHECKS": True}
    if connection.vendor == "postgresql":
        yield from _postgresql_outage(kept)
    elif connection.vendor == "sqlite":
        yield from _sqlite_outage(tmp_path, kept)
    else:
        pytest.skip(f"no outage to stage on {connection.vendor}")


def _postgresql_outage(kept: dict) -> Iterator[tuple]:
    settings = connection.settings_dict
    relay = Relay((settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432)))
    relay.open()
    with default_database({**settings, **kept, "HOST": "127.0.0.1", "PORT": str(relay.port)}):
        yield relay.close, relay.open
    relay.close()


def _sqlite_outage(tmp_path: Path, kept: dict) -> Iterator[tuple]:
    if kept["CONN_MAX_AGE"]:
        pytest.skip("an open SQLite file stays readable when its folder moves")
    home, away = tmp_path / "db", tmp_path / "moved"
    home.mkdir()
    with connection.cursor() as cursor:  # a copy of the test database, in a file
        cursor.execute("VACUUM INTO %s", [str(home / "db.sqlite3")])
    settings = {**connection.settings_dict, **kept, "NAME": str(home / "db.sqlite3")}
    with default_database(settings):
        yield (lambda: shutil.move(home, away)), (lambda: shutil.move(away, home))


def test_the_pages_answer_503_while_the_database_is_away_and_200_once_it_is_back(server, outage):
    take_away, bring_back = outage
    assert [server.get(page).status_code for page in PAGES] == [200] * len(PAGES)

    take_away()
    during = [server.get(page) for page in PAGES]
    bring_back()

    assert [response.status_code for response in during] == [503] * len(PAGES)
    assert [server.get(page).status_code for page in PAGES] == [200] * len(PAGES)
    html = during[0].content.decode()
    assert "<h1>Back in a moment</h1>" in html
    assert "Traceback" not in html
    assert during[0]["Retry-After"] == "30"
    assert "no-cache" in during[0]["Cache-Control"]


def test_the_health_check_and_the_api_answer_503_in_json(server, outage):
    take_away, bring_back = outage

    take_away()
    health, api = server.get("/healthz"), server.get("/api/v1/championships/")
    bring_back()

    assert health.status_code == 503
    assert health.json()["database"] == "error"
    assert api.status_code == 503
    assert api.json() == {
        "detail": "The service is briefly unavailable. Please try again in a moment."
    }
    assert server.get("/healthz").status_code == 200
    assert server.get("/api/v1/championships/").status_code == 200


@override_settings(DEBUG=True)
def test_even_in_debug_mode_an_outage_shows_the_friendly_page(server, outage):
    take_away, bring_back = outage

    take_away()
    response = server.get("/standings/")
    bring_back()

    assert response.status_code == 503
    assert "Traceback" not in response.content.decode()


def test_an_outage_met_outside_a_view_is_a_503_too():
    request = RequestFactory().get("/")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(request)

    assert response.status_code == 503


def test_any_other_error_is_still_the_500_page():
    request = RequestFactory().get("/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
