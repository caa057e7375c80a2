"""An unexpected error of the API answers JSON, never Django's HTML page (issue 14.12)."""

import pytest
from django.test import RequestFactory, override_settings

from championships.api import SeriesViewSet
from cupmanager.views import server_error

pytestmark = pytest.mark.django_db


def boom(*args, **kwargs):
    raise RuntimeError("a bug")


@override_settings(DEBUG=False)
def test_a_bug_in_an_api_view_is_a_json_500(client, monkeypatch, caplog):
    monkeypatch.setattr(SeriesViewSet, "list", boom)
    client.raise_request_exception = False

    response = client.get("/api/v1/series/", HTTP_ACCEPT="text/html")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "Server error" in response.json()["detail"]
    assert "a bug" not in response.content.decode()  # no detail of the bug
    assert any("a bug" in str(r.exc_info) for r in caplog.records if r.exc_info)


@override_settings(DEBUG=False)
def test_handler500_answers_json_under_the_api_and_the_page_elsewhere(db):
    api = server_error(RequestFactory().get("/api/v1/series/"))
    page = server_error(RequestFactory().get("/standings/"))

    assert api.status_code == page.status_code == 500
    assert api["Content-Type"] == "application/json"
    assert page["Content-Type"].startswith("text/html")


@override_settings(DEBUG=False)
def test_an_outage_met_by_an_api_view_is_still_the_503(client, monkeypatch):
    from django.db import OperationalError

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(SeriesViewSet, "list", down)
    client.raise_request_exception = False

    response = client.get("/api/v1/series/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
