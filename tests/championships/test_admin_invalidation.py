"""Every write to anything a table depends on marks the championship's tables as changed.

The admins and API endpoints writing what the standings read are enumerated from the admin
site and the API router, not listed by hand: a new admin or endpoint fails
``test_every_..._has_a_write_here`` until a write through it is added below, and that write
fails until it goes through the services that invalidate (``standings_invalidate``).
"""

import datetime as dt
from collections.abc import Callable

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
    PenaltyKind,
    Prize,
    Race,
    Result,
    ResultStatus,
    Session,
    SessionKind,
)
from championships.services import penalty_change, penalty_save
from cupmanager.api_urls import router
from entries.models import Driver, Entry, EntryClassChange, Team
from tests.factories import (
    driver_form_inlines,
    make_championship,
    make_class,
    make_driver,
    make_entry,
    make_meeting,
    make_penalty,
    make_race,
    make_result,
    make_team,
    management_form,
    posted_back,
    token_client,
)

LONG_AGO = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def mark_unchanged(*championships: Championship) -> None:
    Championship.objects.filter(pk__in=[c.pk for c in championships]).update(
        tables_changed_at=LONG_AGO
    )


def tables_changed(championship: Championship) -> bool:
    championship.refresh_from_db()
    return championship.tables_changed_at > LONG_AGO


def result_data(result, **changes) -> dict:
    return {
        "race": result.race_id,
        "entry": result.entry_id,
        "position": result.position or "",
        "status": result.status,
        "laps": result.laps,
        "total_time": "",
        "best_lap": "",
        "grid": "",
        "seen_version": result.race.classification_version,
        **changes,
    }


def test_saving_a_result_marks_the_tables_changed(staff_client, championship, race):
    result = make_result(race, make_entry(championship), position=2)
    mark_unchanged(championship)

    response = staff_client.post(
        reverse("admin:championships_result_change", args=[result.pk]),
        result_data(result, position=1),
    )

    assert response.status_code == 302
    assert tables_changed(championship)


def test_deleting_results_in_bulk_marks_each_championships_tables_changed(
    staff_client, championship, race
):
    other = make_championship()
    other_race = make_race(make_meeting(other))
    results = [
        make_result(race, make_entry(championship), position=1),
        make_result(other_race, make_entry(other), position=1),
    ]
    untouched = make_championship()
    mark_unchanged(championship, other, untouched)

    response = staff_client.post(
        reverse("admin:championships_result_changelist"),
        {"action": "delete_selected", "_selected_action": [r.pk for r in results], "post": "yes"},
    )

    assert response.status_code == 302
    assert not race.results.exists()
    assert tables_changed(championship)
    assert tables_changed(other)
    assert not tables_changed(untouched)


def test_a_result_moved_to_another_season_with_its_entry_there_marks_both_tables_changed(
    staff_client, championship, race
):
    result = make_result(race, make_entry(championship), position=1)
    other = make_championship()
    other_race = make_race(make_meeting(other))
    mark_unchanged(championship, other)

    other_entry = make_entry(other)
    mark_unchanged(championship, other)

    response = staff_client.post(
        reverse("admin:championships_result_change", args=[result.pk]),
        result_data(result, race=other_race.pk, entry=other_entry.pk),
    )

    assert response.status_code == 302
    assert tables_changed(championship)
    assert tables_changed(other)


def test_deleting_a_penalty_marks_the_tables_changed(staff_client, championship, race):
    penalty = make_penalty(make_entry(championship), race=race)
    mark_unchanged(championship)

    response = staff_client.post(
        reverse("admin:championships_penalty_delete", args=[penalty.pk]),
        {"post": "yes", "seen_change": penalty_change(penalty_id=penalty.pk)},
    )

    assert response.status_code == 302
    assert tables_changed(championship)


def test_a_result_added_under_its_race_marks_the_tables_changed(staff_client, championship, race):
    entry = make_entry(championship)
    mark_unchanged(championship)
    data = {
        "meeting": race.meeting_id,
        "number": race.number,
        "starts_at_0": "2024-04-20",
        "starts_at_1": "10:35:00",
        "points_factor": race.points_factor,
        "seen_version": race.classification_version,
        **management_form("results", total=1),
        **management_form("penalties", total=0),
        "results-0-entry": entry.pk,
        "results-0-status": ResultStatus.DNF,
        "results-0-laps": 3,
    }

    response = staff_client.post(reverse("admin:championships_race_change", args=[race.pk]), data)

    assert response.status_code == 302
    assert race.results.get().status == ResultStatus.DNF
    assert tables_changed(championship)


def test_adding_an_entry_marks_the_tables_changed(staff_client, championship):
    mark_unchanged(championship)
    data = {
        "championship": championship.pk,
        "car_number": 88,
        "driver": make_driver(category="BRONZE").pk,
        "team": make_team().pk,
        "entry_class": championship.classes.get(code="AM").pk,
    }

    response = staff_client.post(reverse("admin:entries_entry_add"), data)

    assert response.status_code == 302
    assert tables_changed(championship)


def test_renaming_a_driver_marks_the_tables_of_their_seasons_changed(staff_client, championship):
    driver = make_driver("Kai", "Lindqvist")
    make_entry(championship, driver=driver)
    untouched = make_championship()
    mark_unchanged(championship, untouched)
    data = {
        "first_name": "Kai",
        "last_name": "Lindqvist-Berg",
        "slug": driver.slug,
        "nationality": driver.nationality,
        "date_of_birth": driver.date_of_birth.isoformat(),
        **driver_form_inlines(driver),
    }

    response = staff_client.post(reverse("admin:entries_driver_change", args=[driver.pk]), data)

    assert response.status_code == 302
    assert tables_changed(championship)
    assert not tables_changed(untouched)


def test_deleting_a_meeting_marks_the_tables_changed(staff_client, championship, race):
    make_penalty(make_entry(championship), PenaltyKind.POINTS, meeting=race.meeting)
    mark_unchanged(championship)

    response = staff_client.post(
        reverse("admin:championships_meeting_delete", args=[race.meeting_id]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert tables_changed(championship)


def test_moving_a_result_to_a_race_of_another_season_keeps_its_entry_out(
    staff_client, championship, race
):
    result = make_result(race, make_entry(championship), position=1)
    other_race = make_race(make_meeting(make_championship()))

    response = staff_client.post(
        reverse("admin:championships_result_change", args=[result.pk]),
        result_data(result, race=other_race.pk),
    )

    assert response.status_code == 200
    assert "This entry belongs to another championship." in response.content.decode()
    result.refresh_from_db()
    assert result.race_id == race.pk


def test_a_decision_moved_to_another_season_marks_both_tables_changed(championship, race):
    penalty = make_penalty(make_entry(championship), PenaltyKind.POINTS, meeting=race.meeting)
    other = make_championship()
    before = (penalty.race_id, penalty.kind, championship.pk)
    penalty.meeting, penalty.entry = make_meeting(other), make_entry(other)
    mark_unchanged(championship, other)

    penalty_save(penalty=penalty, before=before)

    assert tables_changed(championship)
    assert tables_changed(other)


# Every write path, enumerated ----------------------------------------------------------

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
    Session,
    Team,
}


def session_of(championship: Championship) -> Session:
    """A qualifying session of a new round of ``championship``."""
    meeting = make_meeting(championship)
    start = dt.datetime.combine(meeting.start_date, dt.time(3, 0), tzinfo=dt.UTC)
    return Session.objects.create(meeting=meeting, kind=SessionKind.QUALIFYING, starts_at=start)


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
    "championships.Session": lambda championship: session_of(championship),
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
    "championships.Session": FEEDING["championships.Session"],
    "entries.Entry": FEEDING["entries.Entry"],
}


def source_admins() -> dict[str, admin.ModelAdmin]:
    return {
        model._meta.label: model_admin
        for model, model_admin in admin.site._registry.items()
        if model in STANDINGS_SOURCES
    }


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


# Live timing is written beside a race or a session, never into what the tables read: its push
# must leave them unchanged (tests/api/test_live_api.py).
NEVER_THE_TABLES = {("race", "live"), ("session", "live")}


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
    return found - NEVER_THE_TABLES


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


def session_results_import(client: APIClient, championship: Championship) -> object:
    session = session_of(championship)
    entry = make_entry(championship)
    mark_unchanged(championship)
    url = f"/api/v1/sessions/{session.pk}/results/"
    body = f"POS,NO,LAPS,BEST_LAP\n1,{entry.car_number},5,1:58.452\n"
    return client.post(url, body, content_type="text/csv")


LAPS = "NUMBER;LAP_NUMBER;LAP_TIME\n{car};1;2'00.000\n"


def race_laps_import(client: APIClient, championship: Championship) -> object:
    race = make_race(make_meeting(championship))
    body = LAPS.format(car=make_entry(championship).car_number)
    mark_unchanged(championship)
    return client.post(f"/api/v1/races/{race.pk}/laps/", body, content_type="text/csv")


def session_laps_import(client: APIClient, championship: Championship) -> object:
    session = session_of(championship)
    body = LAPS.format(car=make_entry(championship).car_number)
    mark_unchanged(championship)
    return client.post(f"/api/v1/sessions/{session.pk}/laps/", body, content_type="text/csv")


API_WRITE: dict[tuple[str, str], Callable[[APIClient, Championship], object]] = {
    ("penalty", "create"): penalty_create,
    ("penalty", "update"): penalty_write("put", {"value": 5}),
    ("penalty", "partial_update"): penalty_write("patch", {"value": 20}),
    ("penalty", "destroy"): penalty_write("delete"),
    ("race", "results"): results_import,
    ("session", "results"): session_results_import,
    ("race", "laps"): race_laps_import,
    ("session", "laps"): session_laps_import,
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
