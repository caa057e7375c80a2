"""Every write path to what the tables read marks the championship's tables as changed.

The admins and API endpoints are enumerated from the admin site and the API router, not
listed by hand: a new admin or endpoint that writes what the standings read fails
``test_every_..._has_a_write_here`` until a write through it is added below, and that write
fails until it goes through the services that invalidate (``standings_invalidate``).
"""

import datetime as dt
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse
from rest_framework.test import APIClient

from championships.models import (
    Championship,
    ChampionshipClass,
    Circuit,
    ClassificationVersion,
    Meeting,
    Penalty,
    Prize,
    Race,
    Result,
)
from cupmanager.api_urls import router
from entries.models import Driver, Entry, EntryClassChange, Team
from tests.api.conftest import token_client
from tests.factories import (
    make_class,
    make_entry,
    make_meeting,
    make_penalty,
    make_race,
    make_result,
)

pytestmark = pytest.mark.django_db

# What the standings read (championships/standings/loader.py: the championship and its
# classes, entries with their drivers, teams and class moves, the calendar's races with
# their meetings and circuits, results, penalties, classification versions) and what the
# kept pages keyed by tables_changed_at show beside them (prizes).
STANDINGS_SOURCES: set[type[models.Model]] = {
    Championship,
    ChampionshipClass,
    Circuit,
    ClassificationVersion,
    Driver,
    Entry,
    EntryClassChange,
    Meeting,
    Penalty,
    Prize,
    Race,
    Result,
    Team,
}

# For each admin of a source, an object of its model that feeds the championship.
FEEDING: dict[str, Callable[[Championship], models.Model]] = {
    "championships.Championship": lambda championship: championship,
    "championships.ChampionshipClass": lambda championship: championship.classes.first(),
    "championships.Circuit": lambda championship: make_meeting(championship).circuit,
    "championships.Meeting": lambda championship: make_meeting(championship),
    "championships.Race": lambda championship: make_race(make_meeting(championship)),
    "championships.Result": lambda championship: make_result(
        make_race(make_meeting(championship)), make_entry(championship), position=1
    ),
    "championships.Penalty": lambda championship: make_penalty(
        make_entry(championship), race=make_race(make_meeting(championship))
    ),
    "entries.Entry": lambda championship: make_entry(championship),
    "entries.Driver": lambda championship: make_entry(championship).driver,
    "entries.Team": lambda championship: make_entry(championship).team,
}

# Those whose deletion leaves the championship behind to mark (a championship deleted takes
# its tables with it) and that no table protects (drivers, teams and circuits of an entry or
# a meeting are kept by on_delete=PROTECT).
DELETABLE: dict[str, Callable[[Championship], models.Model]] = {
    "championships.ChampionshipClass": lambda championship: make_class(championship, "X", []),
    "championships.Meeting": FEEDING["championships.Meeting"],
    "championships.Race": FEEDING["championships.Race"],
    "championships.Result": FEEDING["championships.Result"],
    "championships.Penalty": FEEDING["championships.Penalty"],
    "entries.Entry": FEEDING["entries.Entry"],
}


LONG_AGO = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def mark_unchanged(championship: Championship) -> None:
    Championship.objects.filter(pk=championship.pk).update(tables_changed_at=LONG_AGO)


def tables_changed(championship: Championship) -> bool:
    championship.refresh_from_db()
    return championship.tables_changed_at > LONG_AGO


def source_admins() -> dict[str, admin.ModelAdmin]:
    return {
        model._meta.label: model_admin
        for model, model_admin in admin.site._registry.items()
        if model in STANDINGS_SOURCES
    }


class FormReader(HTMLParser):
    """What a browser posts from the page's form whose id or one of whose fields is ``key``:
    inputs (checked boxes only, no files or buttons), selected options, text areas."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key, self.forms, self.select, self.textarea = key, [], None, None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append((found.get("id", ""), []))
        elif tag == "input" and self.forms and "name" in found:
            kind = found.get("type", "text")
            if kind not in {"file", "submit", "button", "image", "reset"} and (
                kind not in {"checkbox", "radio"} or "checked" in found
            ):
                self.forms[-1][1].append((found["name"], found.get("value", "")))
        elif tag == "select" and self.forms:
            self.select = found.get("name")
        elif tag == "option" and self.select and "selected" in found:
            self.forms[-1][1].append((self.select, found.get("value", "")))
        elif tag == "textarea" and self.forms:
            self.textarea = found.get("name")
            self.forms[-1][1].append((self.textarea, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            name, text = self.forms[-1][1].pop()
            self.forms[-1][1].append((name, text + data.removeprefix("\n") * (not text)))

    def fields(self) -> dict[str, list[str]]:
        form = next(f for f in self.forms if self.key in (f[0], *(n for n, _ in f[1])))
        data: dict[str, list[str]] = {}
        for name, value in form[1]:
            data.setdefault(name, []).append(value)
        return data


def posted_back(client, url: str, key: str):
    """The form of the page at ``url`` posted back as it was filled in."""
    page = client.get(url)
    assert page.status_code == 200
    reader = FormReader(key)
    reader.feed(page.content.decode())
    return client.post(url, reader.fields())


def admin_url(obj: models.Model, view: str) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])


def test_every_admin_of_what_the_tables_read_has_a_write_here():
    assert set(source_admins()) == set(FEEDING)


@pytest.mark.parametrize("label", sorted(source_admins()))
def test_saving_through_each_admin_of_what_the_tables_read_marks_the_tables_changed(
    staff_client, championship, label
):
    obj = FEEDING[label](championship)
    mark_unchanged(championship)

    response = posted_back(staff_client, admin_url(obj, "change"), f"{obj._meta.model_name}_form")

    assert response.status_code == 302, response.content.decode()[:2000]
    assert tables_changed(championship)


@pytest.mark.parametrize("label", sorted(DELETABLE))
def test_deleting_through_each_admin_of_what_the_tables_read_marks_the_tables_changed(
    staff_client, championship, label
):
    obj = DELETABLE[label](championship)
    mark_unchanged(championship)

    response = posted_back(staff_client, admin_url(obj, "delete"), "post")

    assert response.status_code == 302
    assert not type(obj).objects.filter(pk=obj.pk).exists()
    assert tables_changed(championship)


@pytest.mark.parametrize("label", sorted(DELETABLE))
def test_deleting_in_bulk_through_each_admin_of_what_the_tables_read_marks_the_tables_changed(
    staff_client, championship, label
):
    obj = DELETABLE[label](championship)
    opts = obj._meta
    mark_unchanged(championship)

    response = staff_client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not type(obj).objects.filter(pk=obj.pk).exists()
    assert tables_changed(championship)


# The API ----------------------------------------------------------------------------------

READ_ONLY = {"GET", "HEAD", "OPTIONS"}
WRITES = ("create", "update", "partial_update", "destroy")


def api_writes() -> set[tuple[str, str]]:
    """(basename, action) of every API write to a model the tables read."""
    found = set()
    for _prefix, viewset, basename in router.registry:
        if getattr(viewset, "queryset", None) is None or viewset.queryset.model not in (
            STANDINGS_SOURCES
        ):
            continue
        found |= {(basename, name) for name in WRITES if hasattr(viewset, name)}
        for action in viewset.get_extra_actions():
            if {method.upper() for method in action.mapping} - READ_ONLY:
                found.add((basename, action.__name__))
    return found


def penalty_write(method: str, change: dict | None = None):
    """A change (PUT: the penalty as read, changed; PATCH: the change) or a deletion, sent
    with the ETag read, as the API asks."""

    def write(client: APIClient, championship: Championship) -> object:
        penalty = FEEDING["championships.Penalty"](championship)
        mark_unchanged(championship)
        url = f"/api/v1/penalties/{penalty.pk}/"
        read = APIClient().get(url)
        body = {**read.json(), **change} if method == "put" else change
        return getattr(client, method)(url, body, format="json", HTTP_IF_MATCH=read["ETag"])

    return write


def penalty_create(client: APIClient, championship: Championship) -> object:
    race = make_race(make_meeting(championship))
    body = {"race": race.pk, "entry": make_entry(championship).pk, "kind": "TIME", "value": 10}
    mark_unchanged(championship)
    return client.post("/api/v1/penalties/", body | {"reason": "Track limits"}, format="json")


def results_import(client: APIClient, championship: Championship) -> object:
    race = make_race(make_meeting(championship))
    entry = make_entry(championship)
    line = f"1,{entry.car_number},{entry.driver.first_name} {entry.driver.last_name.upper()}"
    body = f"POS,NO,DRIVER,LAPS,TIME,BEST_LAP,GRID\n{line},15,30:01.632,1:58.452,1\n"
    mark_unchanged(championship)
    url = f"/api/v1/races/{race.pk}/results/"
    return client.post(url, body, content_type="text/csv")


API_WRITE: dict[tuple[str, str], Callable[[APIClient, Championship], object]] = {
    ("penalty", "create"): penalty_create,
    ("penalty", "update"): penalty_write("put", {"value": 5}),
    ("penalty", "partial_update"): penalty_write("patch", {"value": 20}),
    ("penalty", "destroy"): penalty_write("delete"),
    ("race", "results"): results_import,
}


def test_every_api_write_to_what_the_tables_read_has_a_write_here():
    assert api_writes() == set(API_WRITE)


@pytest.mark.parametrize("write", sorted(api_writes()))
def test_each_api_write_to_what_the_tables_read_marks_the_tables_changed(
    championship, django_user_model, write
):
    user = django_user_model.objects.create_superuser("api", "api@example.com", "pw-for-tests")
    client = token_client(user)

    response = API_WRITE[write](client, championship)

    assert response.status_code in {200, 201, 204}, response.content.decode()[:2000]
    assert tables_changed(championship)
