"""The "Series manager" group: created by a migration, with what the role needs and no more."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse

from staff.roles import SERIES_MANAGER_GROUP, SERIES_MANAGER_PERMISSIONS
from tests.factories import granted, make_championship, make_entry

migration = importlib.import_module("championships.migrations.0004_series_manager_group")
operations = importlib.import_module("staff.migrations.0002_season_operations")

FULL = {"view", "add", "change", "delete"}
SEASON_MODELS = ("championship", "championshipclass", "circuit", "meeting", "race", "result")
EXPECTED = {
    ("championships", "series"): {"view", "add", "change"},
    **{("championships", model): FULL for model in (*SEASON_MODELS, "penalty")},
    **{("entries", model): FULL for model in ("driver", "team", "entry")},
    # The season's operation: prizes, categories, the arrive-and-drive fleet.
    ("championships", "prize"): FULL,
    **{
        ("entries", model): FULL
        for model in (
            "driverclassification",
            "eligibilityflag",
            "reviewrequest",
            "operator",
            "car",
            "seatpackage",
            "carallocation",
            "damagereport",
        )
    },
    # Beyond the season (staff.roles): the Talent Pool's winners to enter, and the timing
    # providers' tokens (staff/0005_talentpool_winner_entry, staff/0006_timing_provider_tokens).
    ("talentpool", "winner"): {"view"},
    ("staff", "providertoken"): {"add", "delete"},
    # The entrants' side (staff/0008_paddock): entries opened, applications reviewed, fees and
    # checks recorded, drivers' documents opened.
    ("paddock", "entrywindow"): FULL,
    ("paddock", "entryapplication"): {"view", "change", "review"},
    ("paddock", "fee"): FULL,
    ("paddock", "meetingcheck"): FULL,
    ("paddock", "entrantteam"): {"view", "change"},
    ("paddock", "entrantdriver"): {"view", "change"},
    ("paddock", "driverdocument"): {"view", "open"},
    # The meetings' notice boards (staff/0009_notice_board): documents published and read,
    # never changed nor deleted.
    ("championships", "boarddocument"): {"view", "add"},
    # Who acknowledged them, and the stewards' steps on the teams' protests and appeals (the
    # time limits and deposits the series manager sets).
    ("paddock", "acknowledgement"): {"view"},
    ("paddock", "protest"): {"view", "change"},
    ("paddock", "hearingrules"): {"view", "add", "change"},
    # The weekend's sessions (staff/0010_sessions_and_grids): kept, their classifications
    # uploaded (change_session); their results and the grids read (written by the uploads and
    # the Grid page only).
    ("championships", "session"): FULL,
    ("championships", "sessionresult"): {"view"},
    ("championships", "gridslot"): {"view"},
    # Tyres (staff/0011_tyres): the quota set, sets received, scanned and a mistaken scan
    # cancelled (the latest of its set only); the Talent Pool winners' prize sets delivered.
    ("entries", "tyrequota"): FULL,
    ("entries", "tyreset"): FULL,
    ("entries", "tyrescan"): {"view", "add", "delete"},
    ("talentpool", "prizetyredelivery"): {"view", "add"},
    # Webhooks (staff/0012_webhooks): the subscriptions kept, the deliveries' log read.
    ("core", "webhooksubscription"): FULL,
    ("core", "webhookdelivery"): {"view"},
    # The task queue's failed tasks (staff/0014_failed_tasks): read, run again, deleted.
    ("core", "failedtask"): {"view", "rerun", "delete"},
}


@pytest.fixture
def series_manager(client, django_user_model, db):
    user = django_user_model.objects.create_user("manager", password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=SERIES_MANAGER_GROUP))
    client.force_login(user)
    return client


def test_series_manager_group_has_exactly_the_roles_permissions(db):
    expected = {
        (app_label, f"{action}_{model}")
        for (app_label, model), actions in EXPECTED.items()
        for action in actions
    }

    assert granted(Group.objects.get(name="Series manager")) == expected


def test_migration_grants_the_same_permissions_as_the_shared_list():
    assert migration.GROUP_NAME == SERIES_MANAGER_GROUP
    added = operations.GRANTS[SERIES_MANAGER_GROUP]
    assert set(migration.PERMISSIONS) | set(added) == SERIES_MANAGER_PERMISSIONS


def test_series_manager_cannot_manage_users_sessions_or_the_admin_log(db):
    apps_granted = {app_label for app_label, _ in granted(Group.objects.get(name="Series manager"))}

    # talentpool: the winners to enter (view_winner); staff: timing providers' tokens;
    # paddock: the entrants' side; core: the webhooks' subscriptions and log.
    assert apps_granted == {"championships", "entries", "talentpool", "paddock", "staff", "core"}


def test_series_manager_opens_the_entry_changelist(series_manager):
    make_entry(make_championship())

    response = series_manager.get(reverse("admin:entries_entry_changelist"))

    assert response.status_code == 200


def test_series_manager_is_refused_the_user_changelist(series_manager):
    response = series_manager.get(reverse("admin:auth_user_changelist"))

    assert response.status_code == 403


def test_series_manager_cannot_delete_a_series(series_manager):
    championship = make_championship()

    response = series_manager.get(
        reverse("admin:championships_series_delete", args=[championship.series_id])
    )

    assert response.status_code == 403


def test_series_manager_edits_a_championship(series_manager):
    championship = make_championship()

    response = series_manager.get(
        reverse("admin:championships_championship_change", args=[championship.pk])
    )

    assert response.status_code == 200
    assert response.context["has_change_permission"]


def test_migration_reverse_removes_the_group_and_forward_restores_it(db):
    schema_editor = SimpleNamespace(connection=connection)

    migration.remove_group(apps, schema_editor)
    assert not Group.objects.filter(name=SERIES_MANAGER_GROUP).exists()

    migration.create_group(apps, schema_editor)
    operations.grant(apps, schema_editor)
    assert granted(Group.objects.get(name=SERIES_MANAGER_GROUP)) == SERIES_MANAGER_PERMISSIONS
