"""Staff roles: each group holds exactly its permissions, and each role sees exactly its part
of the back office (its apps and models on the index, a 403 everywhere else)."""

import importlib

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from rest_framework.authtoken.models import Token

from staff.roles import (
    RACE_CONTROL_GROUP,
    READ_ONLY_STAFF_GROUP,
    ROLES,
    TALENT_POOL_REVIEWER_GROUP,
)
from tests.factories import make_championship, make_entry, make_meeting, make_race

migration = importlib.import_module("staff.migrations.0001_roles")

SEASON = {
    ("championships", m)
    for m in (
        "Championship",
        "ChampionshipClass",
        "Circuit",
        "Meeting",
        "Penalty",
        "Race",
        "Result",
        "Series",
    )
}
ENTRY_LIST = {("entries", m) for m in ("Driver", "Entry", "Team")}
FLEET_AND_CATEGORIES = {
    ("entries", m)
    for m in (
        "Car",
        "CarAllocation",
        "DamageReport",
        "DriverClassification",
        "EligibilityFlag",
        "Operator",
        "ReviewRequest",
        "SeatPackage",
    )
}
TALENT_POOL = {("talentpool", m) for m in ("Application", "Review", "TalentPoolEdition")}

# What each role finds on the back office's index page, and so may open (of the models that
# have a page of their own there: see ``visible``).
VISIBLE = {
    "Series manager": SEASON | ENTRY_LIST,
    RACE_CONTROL_GROUP: SEASON | ENTRY_LIST,
    TALENT_POOL_REVIEWER_GROUP: TALENT_POOL,
    READ_ONLY_STAFF_GROUP: SEASON | ENTRY_LIST | FLEET_AND_CATEGORIES,
    None: set(),  # staff without a role
}


def registered() -> set[tuple[str, str]]:
    return {(model._meta.app_label, model.__name__) for model in admin.site._registry}


def visible(role: str | None) -> set[tuple[str, str]]:
    return VISIBLE[role] & registered()


def granted(group: Group) -> set[tuple[str, str]]:
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def staff_client(client, django_user_model, role: str | None):
    user = django_user_model.objects.create_user("staffer", password="pw-for-tests", is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return client


def index_models(client) -> set[tuple[str, str]]:
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return {
        (app["app_label"], model["object_name"])
        for app in response.context["app_list"]
        for model in app["models"]
    }


def changelist_status(client) -> dict[tuple[str, str], int]:
    """Every registered model's list page, as the role gets it: 200 or 403."""
    statuses = {}
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        statuses[(model._meta.app_label, model.__name__)] = client.get(url).status_code
    return statuses


def test_every_role_is_a_group_with_exactly_its_permissions(db):
    for name, permissions in ROLES.items():
        assert granted(Group.objects.get(name=name)) == set(permissions), name


def test_the_migration_grants_what_the_roles_module_lists():
    for name, permissions in migration.GROUPS.items():
        assert set(permissions) == ROLES[name], name


def test_no_role_touches_accounts_tokens_or_login_records():
    for name, permissions in ROLES.items():
        assert {app for app, _ in permissions} <= {"championships", "entries", "talentpool"}, name


def test_only_the_reviewers_see_the_talent_pool():
    for name, permissions in ROLES.items():
        if name != TALENT_POOL_REVIEWER_GROUP:
            assert not any(app == "talentpool" for app, _ in permissions), name


def test_read_only_staff_may_only_view():
    assert all(code.startswith("view_") for _, code in ROLES[READ_ONLY_STAFF_GROUP])


@pytest.mark.parametrize("role", list(VISIBLE))
def test_each_role_sees_exactly_its_models_on_the_index(client, django_user_model, db, role):
    client = staff_client(client, django_user_model, role)

    assert index_models(client) == visible(role)


@pytest.mark.parametrize("role", list(VISIBLE))
def test_each_role_is_refused_every_other_list_with_a_403(client, django_user_model, db, role):
    client = staff_client(client, django_user_model, role)

    statuses = changelist_status(client)

    assert {model for model, status in statuses.items() if status == 200} == visible(role)
    assert {status for model, status in statuses.items() if model not in visible(role)} <= {403}


ADD_PAGES = {
    "championships_championship": {"Series manager"},
    "championships_race": {"Series manager"},
    "championships_result": {"Series manager", RACE_CONTROL_GROUP},
    "championships_penalty": {"Series manager", RACE_CONTROL_GROUP},
    "entries_entry": {"Series manager"},
}


@pytest.mark.parametrize("role", list(VISIBLE))
def test_only_the_roles_that_write_open_the_add_pages(client, django_user_model, db, role):
    client = staff_client(client, django_user_model, role)

    for page, writers in ADD_PAGES.items():
        status = client.get(reverse(f"admin:{page}_add")).status_code
        assert status == (200 if role in writers else 403), (page, status)


def test_race_control_changes_a_race_but_not_its_championship(client, django_user_model, db):
    race = make_race(make_meeting(make_championship()))
    client = staff_client(client, django_user_model, RACE_CONTROL_GROUP)

    race_page = client.get(reverse("admin:championships_race_change", args=[race.pk]))
    championship_page = client.get(
        reverse("admin:championships_championship_change", args=[race.meeting.championship.pk])
    )

    assert race_page.context["has_change_permission"] is True
    assert championship_page.context["has_change_permission"] is False


def test_read_only_staff_see_an_entry_but_cannot_change_it(client, django_user_model, db):
    entry = make_entry(make_championship())
    client = staff_client(client, django_user_model, READ_ONLY_STAFF_GROUP)

    response = client.get(reverse("admin:entries_entry_change", args=[entry.pk]))
    posted = client.post(reverse("admin:entries_entry_change", args=[entry.pk]), {})

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert posted.status_code == 403


def test_only_the_season_writers_open_the_bundle_import(client, django_user_model, db):
    url = reverse("admin:championships_championship_import_bundle")
    for role in VISIBLE:
        client.logout()
        django_user_model.objects.filter(username="staffer").delete()
        status = staff_client(client, django_user_model, role).get(url).status_code
        assert status == (200 if role == "Series manager" else 403), (role, status)


@pytest.mark.parametrize(
    ("role", "expected"), [(RACE_CONTROL_GROUP, 201), (READ_ONLY_STAFF_GROUP, 403)]
)
def test_the_api_lets_race_control_but_not_read_only_staff_record_a_penalty(
    client, django_user_model, db, role, expected
):
    entry = make_entry(make_championship())
    race = make_race(make_meeting(entry.championship))
    user = django_user_model.objects.create_user("official", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    token = Token.objects.create(user=user)

    response = client.post(
        "/api/v1/penalties/",
        {"race": race.pk, "entry": entry.pk, "kind": "TIME", "value": 5, "reason": "Track limits"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )

    assert response.status_code == expected, response.content


RACE_DAY_PAGES = {  # page: the roles that open it
    "championships_race_import_classification": {"Series manager", RACE_CONTROL_GROUP},
    "championships_race_versions": {"Series manager", RACE_CONTROL_GROUP, READ_ONLY_STAFF_GROUP},
}


@pytest.mark.parametrize("role", list(VISIBLE))
def test_race_day_pages_open_for_the_roles_that_run_the_race(client, django_user_model, db, role):
    race = make_race(make_meeting(make_championship()))
    client = staff_client(client, django_user_model, role)

    for page, roles in RACE_DAY_PAGES.items():
        status = client.get(reverse(f"admin:{page}", args=[race.pk])).status_code
        assert status == (200 if role in roles else 403), (page, status)
