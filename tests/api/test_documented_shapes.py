"""Every list the API documents answers the shape its schema promises (issue 14.23): the
versions list answered a bare array while the schema promised a paged object."""

import json
import re

import pytest

from championships.models import (
    Championship,
    Circuit,
    Meeting,
    Penalty,
    Race,
    Series,
    Session,
    SessionKind,
)
from entries.models import Driver, Entry, Team

pytestmark = pytest.mark.django_db

PAGED = {"count", "next", "previous", "results"}
# The object each path names, by the path's first part: what fills its {id} or {slug}.
OBJECTS = {
    "series": lambda: Series.objects.first().slug,
    "championships": lambda: Championship.objects.first().slug,
    "meetings": lambda: Meeting.objects.first().pk,
    "entry-lists": lambda: Meeting.objects.first().pk,
    "races": lambda: Race.objects.filter(results__isnull=False).first().pk,
    "sessions": lambda: Session.objects.first().pk,
    "penalties": lambda: Penalty.objects.first().pk,
    "entries": lambda: Entry.objects.first().pk,
    "drivers": lambda: Driver.objects.first().slug,
    "teams": lambda: Team.objects.first().slug,
    "circuits": lambda: Circuit.objects.first().pk,
}


def documented_lists(openapi: dict):
    """(path, "array" or "paged") of each read whose answer is a list."""
    schemas = openapi["components"]["schemas"]
    for path, operations in openapi["paths"].items():
        if "get" not in operations:
            continue
        body = operations["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        if body.get("type") == "array":
            yield path, "array"
        elif "$ref" in body:
            properties = schemas[body["$ref"].rsplit("/", 1)[1]].get("properties", {})
            if PAGED <= set(properties) and properties["results"].get("type") == "array":
                yield path, "paged"


def address(path: str) -> str:
    first = path.removeprefix("/api/v1/").split("/")[0]
    return re.sub(r"\{\w+\}", lambda _: str(OBJECTS[first]()), path)


def shape(answer) -> str:
    if isinstance(answer, list):
        return "array"
    if isinstance(answer, dict) and PAGED <= set(answer) and isinstance(answer["results"], list):
        return "paged"
    return f"something else: {sorted(answer) if isinstance(answer, dict) else type(answer)}"


def test_every_documented_list_answers_the_documented_shape(client, pcca):
    race = Race.objects.filter(results__isnull=False).first()
    Session.objects.create(
        meeting=race.meeting, kind=SessionKind.QUALIFYING, starts_at=race.starts_at
    )
    openapi = json.loads(client.get("/api/v1/schema/", {"format": "json"}).content)
    lists = list(documented_lists(openapi))

    assert ("/api/v1/races/{id}/versions/", "array") in lists
    assert ("/api/v1/sessions/{id}/versions/", "array") in lists
    assert ("/api/v1/races/{id}/grid/", "array") in lists
    assert ("/api/v1/entries/", "paged") in lists
    for path, documented in lists:
        response = client.get(address(path))
        assert response.status_code == 200, path
        assert shape(response.json()) == documented, path


def test_the_versions_list_documents_no_paging_it_does_not_do(client, pcca):
    openapi = json.loads(client.get("/api/v1/schema/", {"format": "json"}).content)
    operation = openapi["paths"]["/api/v1/races/{id}/versions/"]["get"]
    race = Race.objects.filter(results__isnull=False).first()

    assert not [p for p in operation.get("parameters", []) if p["in"] == "query"]
    response = client.get(f"/api/v1/races/{race.pk}/versions/")
    assert isinstance(response.json(), list)
