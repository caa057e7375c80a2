"""Staff roles: each group holds exactly its permissions, and each role sees exactly its part
of the back office (its apps and models on the index, a 403 everywhere else)."""

import importlib

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from rest_framework.authtoken.models import Token
from simple_history.models import HistoricalChanges

from championships.models import ClassificationState, ClassificationVersion, VersionCause
from championships.services import classification_declare
from staff.roles import (
    RACE_CONTROL_GROUP,
    READ_ONLY_STAFF_GROUP,
    ROLES,
    TALENT_POOL_REVIEWER_GROUP,
    TIMING_PROVIDER_GROUP,
)
from tests.factories import (
    granted,
    make_car,
    make_championship,
    make_entry,
    make_meeting,
    make_penalty,
    make_race,
    make_result,
    role_client,
)

migration = importlib.import_module("staff.migrations.0001_roles")
operations = importlib.import_module("staff.migrations.0002_season_operations")
erasure_records = importlib.import_module("staff.migrations.0003_talentpool_erasure_records")
winner_entry = importlib.import_module("staff.migrations.0005_talentpool_winner_entry")
provider_tokens = importlib.import_module("staff.migrations.0006_timing_provider_tokens")
paddock_grants = importlib.import_module("staff.migrations.0008_paddock")
board_grants = importlib.import_module("staff.migrations.0009_notice_board")
session_grants = importlib.import_module("staff.migrations.0010_sessions_and_grids")
tyre_grants = importlib.import_module("staff.migrations.0011_tyres")
webhook_grants = importlib.import_module("staff.migrations.0012_webhooks")
live_grants = importlib.import_module("staff.migrations.0013_live_timing")

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
TALENT_POOL = {
    ("talentpool", m)
    for m in ("Application", "AssessmentSession", "ErasureRecord", "Review", "TalentPoolEdition")
}

# What each role finds on the back office's index page, and so may open (of the models that
# have a page of their own there: see ``visible``).
VISIBLE = {
    # The Talent Pool's winners, to enter them in the championship (issue 14.19).
    "Series manager": SEASON | ENTRY_LIST | FLEET_AND_CATEGORIES | {("talentpool", "Winner")},
    RACE_CONTROL_GROUP: SEASON | ENTRY_LIST | {("entries", "Car")},
    TALENT_POOL_REVIEWER_GROUP: TALENT_POOL,
    READ_ONLY_STAFF_GROUP: SEASON | ENTRY_LIST | FLEET_AND_CATEGORIES,
    None: set(),  # staff without a role
}
# Entered drivers and their documents (paddock/documents_admin.py): read by the series manager
# and race control, who open the files; never by read-only staff (personal data).
for _role in ("Series manager", RACE_CONTROL_GROUP):
    VISIBLE[_role] = VISIBLE[_role] | {("paddock", m) for m in ("EntrantDriver", "DriverDocument")}
# The administrative checks at each meeting (paddock/checks_admin.py): recorded by race control
# and the series manager, read by read-only staff.
for _role in ("Series manager", RACE_CONTROL_GROUP, READ_ONLY_STAFF_GROUP):
    VISIBLE[_role] = VISIBLE[_role] | {("paddock", "MeetingCheck")}
# The entry windows and applications (paddock/admin.py): reviewed by the series manager, who
# also links team accounts to the entry lists' teams, read by read-only staff.
VISIBLE["Series manager"] |= {
    ("paddock", m) for m in ("EntryWindow", "EntryApplication", "EntrantTeam")
}
VISIBLE[READ_ONLY_STAFF_GROUP] |= {("paddock", m) for m in ("EntryWindow", "EntryApplication")}
# The meetings' notice boards (championships/board_admin.py): published by the series manager
# and race control, read by read-only staff.
# Who acknowledged them (the series manager and race control), and the teams' protests and
# appeals (paddock/protests_admin.py: the stewards' steps; read-only staff read them).
for _role in ("Series manager", RACE_CONTROL_GROUP, READ_ONLY_STAFF_GROUP):
    VISIBLE[_role] = VISIBLE[_role] | {
        ("championships", "BoardDocument"),
        ("paddock", "Protest"),
        ("paddock", "HearingRules"),
    }
for _role in ("Series manager", RACE_CONTROL_GROUP):
    VISIBLE[_role] = VISIBLE[_role] | {("paddock", "Acknowledgement")}
# The weekend's practice and qualifying sessions (championships/weekend_admin.py): kept by the
# series manager, their classifications uploaded by race control too, read by read-only staff;
# a timing provider reads them to send their classifications through the API.
for _role in ("Series manager", RACE_CONTROL_GROUP, READ_ONLY_STAFF_GROUP):
    VISIBLE[_role] = VISIBLE[_role] | {("championships", "Session")}
# Tyres (entries/tyres_admin.py): the sets and their scans, scanned by race control and the
# series manager, read by read-only staff; each championship's quota, set by the series manager.
for _role in ("Series manager", RACE_CONTROL_GROUP, READ_ONLY_STAFF_GROUP):
    VISIBLE[_role] = VISIBLE[_role] | {("entries", "TyreSet"), ("entries", "TyreScan")}
for _role in ("Series manager", READ_ONLY_STAFF_GROUP):
    VISIBLE[_role] = VISIBLE[_role] | {("entries", "TyreQuota")}
# Webhooks (core/webhooks_admin.py): the subscriptions and their deliveries' log, kept by the
# series manager alone.
VISIBLE["Series manager"] |= {("core", "WebhookSubscription"), ("core", "WebhookDelivery")}
# The task queue's failed tasks (core/queue_admin.py): read and run again by the series manager.
VISIBLE["Series manager"] |= {("core", "FailedTask")}
# Live timing (championships/live_admin.py): read, and cleared after a rehearsal, by race control
# (and the timing provider, through the API); read by read-only staff.
for _role in (RACE_CONTROL_GROUP, READ_ONLY_STAFF_GROUP):
    VISIBLE[_role] = VISIBLE[_role] | {("championships", "LiveTiming")}


def registered() -> set[tuple[str, str]]:
    return {(model._meta.app_label, model.__name__) for model in admin.site._registry}


def visible(role: str | None) -> set[tuple[str, str]]:
    return VISIBLE[role] & registered()


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
        granted_later = (
            set(operations.GRANTS.get(name, ()))
            | set(paddock_grants.GRANTS.get(name, ()))
            | set(board_grants.GRANTS.get(name, ()))
            | set(session_grants.GRANTS.get(name, ()))
            | set(tyre_grants.GRANTS.get(name, ()))
            | set(webhook_grants.GRANTS.get(name, ()))
            | set(live_grants.GRANTS.get(name, ()))
        )
        assert set(permissions) | granted_later == ROLES[name], name


def test_no_role_touches_accounts_tokens_or_login_records():
    for name, permissions in ROLES.items():
        apps_held = {app for app, _ in permissions}
        # core: the webhooks' subscriptions and log (staff/0012_webhooks).
        assert apps_held <= {
            "championships",
            "entries",
            "talentpool",
            "paddock",
            "staff",
            "core",
        }, name
        assert not any(code.endswith(("_user", "_group", "_token")) for _, code in permissions)


def test_only_the_series_manager_holds_the_timing_providers_token_permissions():
    # Theirs: issuing and revoking a timing provider's token (staff/tokens.py), no other token.
    for name, permissions in ROLES.items():
        staff_permissions = {p for p in permissions if p[0] == "staff"}
        expected = (
            {("staff", "add_providertoken"), ("staff", "delete_providertoken")}
            if name == "Series manager"
            else set()
        )
        assert staff_permissions == expected, name


def test_only_the_reviewers_see_the_applications_and_the_series_manager_the_winners():
    for name, permissions in ROLES.items():
        talent_pool = {code for app, code in permissions if app == "talentpool"}
        if name == "Series manager":
            # And the winners' prize tyre sets (staff/0011_tyres): delivered, read.
            assert talent_pool == {
                "view_winner",
                "view_prizetyredelivery",
                "add_prizetyredelivery",
            }
        elif name != TALENT_POOL_REVIEWER_GROUP:
            assert talent_pool == set(), name


def test_the_staff_migrations_grant_what_the_roles_module_adds():
    assert {("talentpool", "view_winner")} == set(winner_entry.PERMISSIONS)
    assert set(provider_tokens.SERIES_MANAGER) == {
        ("staff", "add_providertoken"),
        ("staff", "delete_providertoken"),
    }
    sessions = set(session_grants.GRANTS[TIMING_PROVIDER_GROUP])
    live = set(live_grants.GRANTS[TIMING_PROVIDER_GROUP])
    assert set(provider_tokens.TIMING_PROVIDER) | sessions | live == ROLES[TIMING_PROVIDER_GROUP]
    assert {("talentpool", erasure_records.PERMISSION[1])} <= ROLES[TALENT_POOL_REVIEWER_GROUP]


def test_a_timing_provider_sees_the_races_and_their_results_and_nothing_else(client, db):
    client = role_client(client, TIMING_PROVIDER_GROUP)

    assert index_models(client) == {
        ("championships", "Race"),
        ("championships", "Result"),
        ("championships", "Session"),
        ("championships", "LiveTiming"),  # what it pushed, to clear a rehearsal
    }


def test_read_only_staff_may_only_view():
    assert all(code.startswith("view_") for _, code in ROLES[READ_ONLY_STAFF_GROUP])


@pytest.mark.parametrize("role", list(VISIBLE))
def test_each_role_sees_exactly_its_models_on_the_index(client, db, role):
    client = role_client(client, role)

    assert index_models(client) == visible(role)


@pytest.mark.parametrize("role", list(VISIBLE))
def test_each_role_is_refused_every_other_list_with_a_403(client, db, role):
    client = role_client(client, role)

    statuses = changelist_status(client)

    assert {model for model, status in statuses.items() if status == 200} == visible(role)
    assert {status for model, status in statuses.items() if model not in visible(role)} <= {403}


ADD_PAGES = {
    "championships_championship": {"Series manager"},
    "championships_race": {"Series manager"},
    "championships_result": {"Series manager", RACE_CONTROL_GROUP},
    "championships_penalty": {"Series manager", RACE_CONTROL_GROUP},
    "entries_entry": {"Series manager"},
    "championships_boarddocument": {"Series manager", RACE_CONTROL_GROUP},
    "paddock_hearingrules": {"Series manager"},
    # Receiving tyre sets, and the scan page (the add page of a scan).
    "entries_tyreset": {"Series manager"},
    "entries_tyrescan": {"Series manager", RACE_CONTROL_GROUP},
    "core_webhooksubscription": {"Series manager"},
}


@pytest.mark.parametrize("role", list(VISIBLE))
def test_only_the_roles_that_write_open_the_add_pages(client, db, role):
    client = role_client(client, role)

    for page, writers in ADD_PAGES.items():
        status = client.get(reverse(f"admin:{page}_add")).status_code
        assert status == (200 if role in writers else 403), (page, status)


def test_race_control_changes_a_race_but_not_its_championship(client, db):
    race = make_race(make_meeting(make_championship()))
    client = role_client(client, RACE_CONTROL_GROUP)

    race_page = client.get(reverse("admin:championships_race_change", args=[race.pk]))
    championship_page = client.get(
        reverse("admin:championships_championship_change", args=[race.meeting.championship.pk])
    )

    assert race_page.context["has_change_permission"] is True
    assert championship_page.context["has_change_permission"] is False


def test_read_only_staff_see_an_entry_but_cannot_change_it(client, db):
    entry = make_entry(make_championship())
    client = role_client(client, READ_ONLY_STAFF_GROUP)

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
        status = role_client(client, role).get(url).status_code
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
def test_race_day_pages_open_for_the_roles_that_run_the_race(client, db, role):
    race = make_race(make_meeting(make_championship()))
    client = role_client(client, role)

    for page, roles in RACE_DAY_PAGES.items():
        status = client.get(reverse(f"admin:{page}", args=[race.pk])).status_code
        assert status == (200 if role in roles else 403), (page, status)


# Classification versions and history (docs/ROLES.md, "Classification versions and history").

SEASON_READERS = {"Series manager", RACE_CONTROL_GROUP, READ_ONLY_STAFF_GROUP}


def record_models() -> list:
    """The models that record another: classification versions and historical records."""
    return [ClassificationVersion] + [
        model for model in apps.get_models() if issubclass(model, HistoricalChanges)
    ]


def test_no_role_holds_a_permission_on_versions_or_history_records(db):
    # They are read through the race or the object they record; a grant here would gate nothing.
    record_permissions = {
        (model._meta.app_label, f"{action}_{model._meta.model_name}")
        for model in record_models()
        for action in ("view", "add", "change", "delete")
    }
    assert ("championships", "view_historicalresult") in record_permissions
    assert ("entries", "view_historicalentry") in record_permissions

    for name in ROLES:
        assert not granted(Group.objects.get(name=name)) & record_permissions, name


@pytest.mark.parametrize("role", [RACE_CONTROL_GROUP, READ_ONLY_STAFF_GROUP])
def test_race_control_and_read_only_staff_read_the_versions_of_a_race(client, db, role):
    race = make_race(make_meeting(make_championship()))
    classification_declare(race=race, state=ClassificationState.PROVISIONAL, reason="After Q2")
    client = role_client(client, role)

    response = client.get(reverse("admin:championships_race_versions", args=[race.pk]))

    assert response.status_code == 200
    assert [page["version"].reason for page in response.context["versions"]] == ["After Q2"]


@pytest.mark.parametrize(
    ("role", "offered"), [(RACE_CONTROL_GROUP, True), (READ_ONLY_STAFF_GROUP, False)]
)
def test_only_those_who_may_change_a_race_are_offered_the_upload_and_the_declare_form(
    client, db, role, offered
):
    race = make_race(make_meeting(make_championship()))
    client = role_client(client, role)
    upload = reverse("admin:championships_race_import_classification", args=[race.pk])

    versions = client.get(reverse("admin:championships_race_versions", args=[race.pk]))
    change = client.get(reverse("admin:championships_race_change", args=[race.pk]))

    assert ('id="declare-form"' in versions.content.decode()) is offered
    assert "The classification is" in versions.content.decode()
    assert (upload in change.content.decode()) is offered


@pytest.mark.parametrize(
    ("role", "expected"), [(RACE_CONTROL_GROUP, 302), (READ_ONLY_STAFF_GROUP, 403)]
)
def test_race_control_declares_the_state_but_read_only_staff_cannot(client, db, role, expected):
    race = make_race(make_meeting(make_championship()))
    client = role_client(client, role)

    response = client.post(
        reverse("admin:championships_race_versions", args=[race.pk]),
        {"state": ClassificationState.FINAL, "reason": "Confirmed", "seen_version": 0},
    )

    assert response.status_code == expected
    declared = race.classification_versions.filter(cause=VersionCause.STATE).exists()
    assert declared is (role == RACE_CONTROL_GROUP)


def tracked_objects() -> dict:
    """One object of every model whose changes the back office keeps, by admin URL prefix."""
    championship = make_championship()
    entry = make_entry(championship)
    race = make_race(make_meeting(championship))
    return {
        "championships_championship": championship,
        "championships_championshipclass": entry.entry_class,
        "championships_result": make_result(race, entry, position=1),
        "championships_penalty": make_penalty(entry, race=race),
        "entries_entry": entry,
    }


@pytest.mark.parametrize("role", list(VISIBLE))
def test_the_roles_that_see_the_season_read_its_history(client, db, role):
    client = role_client(client, role)

    for page, obj in tracked_objects().items():
        record = obj.history.earliest()
        history = client.get(reverse(f"admin:{page}_history", args=[obj.pk]))
        past = client.get(reverse(f"admin:{page}_simple_history", args=[obj.pk, record.pk]))

        expected = 200 if role in SEASON_READERS else 403
        assert (history.status_code, past.status_code) == (expected, expected), page


@pytest.mark.parametrize(
    ("role", "page", "offered"),
    [
        (RACE_CONTROL_GROUP, "championships_result", True),
        (RACE_CONTROL_GROUP, "championships_penalty", True),
        (RACE_CONTROL_GROUP, "championships_championship", False),
        (RACE_CONTROL_GROUP, "entries_entry", False),
        (READ_ONLY_STAFF_GROUP, "championships_result", False),
        (READ_ONLY_STAFF_GROUP, "entries_entry", False),
    ],
)
def test_revert_is_offered_only_to_the_roles_that_change_the_model(client, db, role, page, offered):
    obj = tracked_objects()[page]
    client = role_client(client, role)

    url = reverse(f"admin:{page}_simple_history", args=[obj.pk, obj.history.earliest().pk])
    response = client.get(url)

    assert response.context["revert_disabled"] is not offered


def filled_form(response) -> dict:
    """The past record's form as the page shows it, ready to post back."""
    form = response.context["adminform"].form
    return {name: "" if form[name].value() is None else form[name].value() for name in form.fields}


@pytest.mark.parametrize(
    ("role", "page", "field", "value"),
    [
        (READ_ONLY_STAFF_GROUP, "championships_result", "laps", 99),
        (RACE_CONTROL_GROUP, "championships_championship", "name", "Renamed"),
    ],
)
def test_a_role_that_only_views_cannot_save_through_a_past_record(
    client, db, role, page, field, value
):
    obj = tracked_objects()[page]
    client = role_client(client, role)
    url = reverse(f"admin:{page}_simple_history", args=[obj.pk, obj.history.earliest().pk])

    response = client.post(url, {**filled_form(client.get(url)), field: value})

    obj.refresh_from_db()
    assert getattr(obj, field) != value
    assert response.status_code == 403


@pytest.mark.parametrize("role", [*VISIBLE, "anonymous"])
def test_anyone_reads_the_versions_of_a_race_through_the_api(client, db, role):
    race = make_race(make_meeting(make_championship()))
    classification_declare(race=race, state=ClassificationState.PROVISIONAL, reason="After Q2")
    if role != "anonymous":
        client = role_client(client, role)

    response = client.get(f"/api/v1/races/{race.pk}/versions/")

    assert response.status_code == 200
    assert [version["reason"] for version in response.json()] == ["After Q2"]


@pytest.mark.parametrize(
    ("role", "status"), [(RACE_CONTROL_GROUP, 200), (TALENT_POOL_REVIEWER_GROUP, 403)]
)
def test_race_control_picks_a_results_chassis_from_the_fleet_and_the_jury_cannot(
    client, db, role, status
):
    make_car("WP0ZZZ99ZNS000042")
    client = role_client(client, role)

    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "championships",
            "model_name": "result",
            "field_name": "chassis",
            "term": "42",
        },
    )

    assert response.status_code == status
    if status == 200:
        assert [car["text"] for car in response.json()["results"]] == ["WP0ZZZ99ZNS000042"]
