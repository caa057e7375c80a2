"""Race control in the back office: the classification upload (dry run, then apply), versions
and declared states, withdrawing a decision, and two staff members saving the same race."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from championships.models import (
    ClassificationState,
    Penalty,
    PenaltyKind,
    Race,
    Result,
    VersionCause,
)
from championships.services import penalty_change, penalty_save
from tests.factories import (
    make_championship,
    make_entry,
    make_meeting,
    make_race,
    make_result,
    management_form,
)

pytestmark = pytest.mark.django_db

BUNDLE_CSV = (
    "POS,NO,LAPS,TIME,BEST_LAP,GRID\n"
    "1,2,15,30:00.500,1:58.100,2\n"
    "2,1,15,30:01.000,1:58.200,1\n"
    "DNF,3,4,,,3\n"
)
TIMING_CSV = (
    "POSITION;NUMBER;STATUS;LAPS;TOTAL_TIME;GAP_FIRST;FL_TIME\n"
    "1;1;Classified;15;29'59.900;;1'58.000\n"
    "2;2;Classified;15;30:00.500;+0.600;1'58.100\n"
    "3;3;Not classified;10;;;2'01.000\n"
)


@pytest.fixture
def race():
    championship = make_championship("control-cup")
    cars = {n: make_entry(championship, n) for n in (1, 2, 3)}
    race = make_race(make_meeting(championship))
    make_result(race, cars[1], position=1, laps=15, total_time=dt.timedelta(minutes=30), grid=1)
    make_result(race, cars[2], position=2, laps=15, total_time=dt.timedelta(minutes=30, seconds=1))
    return race


def url(name: str, race: Race) -> str:
    return reverse(f"admin:championships_race_{name}", args=[race.pk])


def staff_member(django_user_model, username: str) -> Client:
    """A second staff member with the series manager's rights on races, results, penalties."""
    user = django_user_model.objects.create_user(username, password="pw", is_staff=True)
    codenames = [
        f"{action}_{model}"
        for action in ("view", "add", "change", "delete")
        for model in ("race", "result", "penalty")
    ]
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, race: Race, text: str, name: str = "R1-1.csv", reason: str = ""):
    return client.post(
        url("import_classification", race),
        {"classification": SimpleUploadedFile(name, text.encode()), "reason": reason},
    )


# Upload: dry run, apply -------------------------------------------------------------------


def test_the_dry_run_shows_rows_added_changed_with_fields_and_removed(staff_client, race):
    response = upload(staff_client, race, "POS,NO,LAPS,TIME\n1,2,15,30:00.500\nDNF,3,4,\n")

    assert response.status_code == 200
    diff = response.context["diff"]
    assert [row.car_number for row in diff.added] == [3]
    assert [row.car_number for row in diff.removed] == [1]
    assert [(c.car_number, [f.field for f in c.changes]) for c in diff.changed] == [
        (2, ["position", "total_time"])
    ]
    page = response.content.decode()
    assert 'id="rows-added"' in page and 'id="rows-changed"' in page and 'id="rows-removed"' in page
    assert "30:00.500" in page
    assert race.results.count() == 2 and not race.classification_versions.exists()


def test_applying_the_dry_run_writes_it_at_once_as_a_new_version(staff_client, race):
    token = upload(staff_client, race, BUNDLE_CSV, reason="Provisional").context["token"]

    response = staff_client.post(url("import_classification", race), {"token": token, "apply": "1"})

    assert response.status_code == 302 and response["Location"] == url("versions", race)
    race.refresh_from_db()
    assert race.classification_version == 2  # the baseline of the old results, then the import
    version = race.classification_versions.last()
    assert (version.cause, version.reason, version.created_by.username) == (
        VersionCause.IMPORT,
        "Provisional",
        "admin",
    )
    positions = dict(race.results.values_list("entry__car_number", "position"))
    assert positions == {1: 2, 2: 1, 3: None}


def test_a_timing_export_is_uploaded_the_same_way(staff_client, race):
    response = upload(staff_client, race, TIMING_CSV, name="TSL export.csv")

    diff = response.context["diff"]
    assert [row.car_number for row in diff.added] == [3]
    assert diff.added[0].status == "NC"


def test_a_bad_file_lists_every_problem_with_line_and_column_and_writes_nothing(staff_client, race):
    text = "POS,NO,LAPS,TIME\n1,2,15,30:00.5x\n1,1,fifteen,30:01.000\nDNF,77,3,\n"

    response = upload(staff_client, race, text, name="R1-1.csv")

    issues = [(i.line, i.column) for i in response.context["issues"]]
    assert issues == [(2, "TIME"), (3, "LAPS"), (4, "NO")]
    page = response.content.decode()
    assert "R1-1.csv, line 2, column TIME" in page and "nothing was written" in page
    assert "token" not in response.context
    assert race.results.count() == 2 and not race.classification_versions.exists()


def test_a_token_of_another_user_is_refused(staff_client, race, django_user_model):
    token = upload(staff_client, race, BUNDLE_CSV).context["token"]
    other = staff_member(django_user_model, "other")

    response = other.post(url("import_classification", race), {"token": token, "apply": "1"})

    assert response.status_code == 403
    assert race.results.count() == 2


# Versions and states --------------------------------------------------------------------


def test_the_versions_page_compares_each_version_with_the_one_before(staff_client, race):
    penalty_save(
        penalty=Penalty(
            meeting_id=race.meeting_id,
            entry_id=race.results.get(position=1).entry_id,
            kind=PenaltyKind.TIME,
            value=Decimal(5),
            race_id=race.pk,
            number=4,
            reason="Track limits",
            decided_at=timezone.now(),
        )
    )

    response = staff_client.get(url("versions", race))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="version-2"' in page and "Decision 4" in page and "Track limits" in page
    assert "position 1 → 2" in page and "position 2 → 1" in page


def test_declaring_the_classification_final_is_a_version(staff_client, race):
    response = staff_client.post(
        url("versions", race), {"state": "FINAL", "reason": "Stewards' sign-off", "seen_version": 0}
    )

    assert response.status_code == 302
    race.refresh_from_db()
    assert race.classification_state == ClassificationState.FINAL
    assert race.classification_versions.last().cause == VersionCause.STATE


def test_the_race_list_and_page_show_the_state_and_version(staff_client, race):
    page = staff_client.get(reverse("admin:championships_race_change", args=[race.pk]))

    text = page.content.decode()
    assert "Upload classification" in text and "Versions (Provisional, v0)" in text


# Decisions --------------------------------------------------------------------------------


def test_a_decision_saved_in_the_back_office_versions_the_race(staff_client, race):
    entry = race.results.get(position=1).entry
    response = staff_client.post(
        reverse("admin:championships_penalty_add"),
        {
            "meeting": race.meeting_id,
            "race": race.pk,
            "number": 9,
            "entry": entry.pk,
            "kind": "DSQ",
            "value": "",
            "reason_en": "Technical infringement",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    penalty = Penalty.objects.get()
    assert penalty.decided_at is not None
    latest = race.classification_versions.last()
    assert (latest.cause, latest.decision, latest.created_by.username) == (
        VersionCause.DECISION,
        penalty,
        "admin",
    )
    assert penalty.history.first().history_user.username == "admin"


def test_withdrawing_a_decision_in_the_back_office(staff_client, race):
    penalty = penalty_save(
        penalty=Penalty(
            meeting_id=race.meeting_id,
            entry_id=race.results.get(position=1).entry_id,
            kind=PenaltyKind.DSQ,
            race_id=race.pk,
            reason="Underweight",
            decided_at=timezone.now(),
        )
    )
    withdraw = reverse("admin:championships_penalty_withdraw", args=[penalty.pk])

    assert staff_client.get(withdraw).status_code == 200
    response = staff_client.post(withdraw, {"reason": "Appeal upheld"})

    assert response.status_code == 302
    penalty.refresh_from_db()
    assert penalty.is_withdrawn and penalty.withdrawn_by.username == "admin"
    assert race.classification_versions.last().cause == VersionCause.WITHDRAWAL
    page = staff_client.get(reverse("admin:championships_penalty_change", args=[penalty.pk]))
    assert "Withdraw on appeal" not in page.content.decode()


# Two staff members at once ---------------------------------------------------------------


def race_form(race: Race, **changes) -> dict:
    """The race's change form as the browser posts it, results and penalties included."""
    results = list(race.results.order_by("position"))
    data = {
        "meeting": race.meeting_id,
        "number": race.number,
        "starts_at_0": "2024-04-20",
        "starts_at_1": "18:35:00",
        "points_factor": "1",
        "change_reason": "",
        "seen_version": race.classification_version,
        **management_form("results", total=len(results), initial=len(results)),
        **management_form("penalties", total=0),
    }
    for i, result in enumerate(results):
        data.update(
            {
                f"results-{i}-id": result.pk,
                f"results-{i}-race": race.pk,
                f"results-{i}-entry": result.entry_id,
                f"results-{i}-position": result.position or "",
                f"results-{i}-status": result.status,
                f"results-{i}-laps": result.laps,
                f"results-{i}-total_time": "",
                f"results-{i}-best_lap": "",
                f"results-{i}-grid": "",
                f"results-{i}-chassis": "",
            }
        )
    data.update(changes)
    return data


def test_the_second_of_two_staff_saving_the_same_race_is_refused_naming_the_first(
    race, django_user_model
):
    alice = staff_member(django_user_model, "alice")
    bob = staff_member(django_user_model, "bob")
    change = reverse("admin:championships_race_change", args=[race.pk])
    assert alice.get(change).status_code == bob.get(change).status_code == 200
    alices_form, bobs_form = race_form(race), race_form(race)

    first = alice.post(change, {**alices_form, "results-1-laps": 14, "change_reason": "Lap count"})
    second = bob.post(change, {**bobs_form, "results-1-laps": 13})

    assert first.status_code == 302
    assert second.status_code == 200
    message = " ".join(second.context["adminform"].form.non_field_errors())
    assert "alice changed the classification" in message and "Reload" in message
    assert Result.objects.get(race=race, position=2).laps == 14
    race.refresh_from_db()
    latest = race.classification_versions.last()
    assert (latest.cause, latest.created_by.username, latest.reason) == (
        VersionCause.CORRECTION,
        "alice",
        "Lap count",
    )


def test_a_save_after_reloading_goes_through(race, django_user_model):
    alice = staff_member(django_user_model, "alice")
    change = reverse("admin:championships_race_change", args=[race.pk])
    alice.post(change, {**race_form(race), "results-1-laps": 14})
    race.refresh_from_db()

    again = alice.post(change, {**race_form(race), "results-1-laps": 12})

    assert again.status_code == 302
    assert Result.objects.get(race=race, position=2).laps == 12


def test_an_import_applied_after_someone_elses_change_is_refused_naming_them(
    race, django_user_model
):
    alice = staff_member(django_user_model, "alice")
    bob = staff_member(django_user_model, "bob")
    token = upload(bob, race, BUNDLE_CSV).context["token"]
    alice.post(
        reverse("admin:championships_race_change", args=[race.pk]),
        {**race_form(race), "results-1-laps": 14},
    )

    response = bob.post(
        url("import_classification", race), {"token": token, "apply": "1"}, follow=True
    )

    messages = [str(m) for m in response.context["messages"]]
    assert any("alice changed the classification" in m for m in messages)
    assert Result.objects.get(race=race, entry__car_number=2).laps == 14
    assert not race.results.filter(entry__car_number=3).exists()


def test_editing_one_result_is_refused_too_when_the_race_moved_on(race, django_user_model):
    alice = staff_member(django_user_model, "alice")
    bob = staff_member(django_user_model, "bob")
    result = race.results.get(position=2)
    change = reverse("admin:championships_result_change", args=[result.pk])
    form = {
        "race": race.pk,
        "entry": result.entry_id,
        "position": 2,
        "status": "CLASSIFIED",
        "laps": 15,
        "total_time": "",
        "best_lap": "",
        "grid": "",
        "chassis": "",
        "seen_version": 0,
    }

    assert alice.post(change, {**form, "laps": 14}).status_code == 302
    refused = bob.post(change, {**form, "laps": 13})

    assert refused.status_code == 200
    assert "alice changed the classification" in str(refused.context["adminform"].form.errors)
    assert Result.objects.get(pk=result.pk).laps == 14


def test_a_race_form_that_does_not_say_which_version_it_opened_is_refused(race, django_user_model):
    alice = staff_member(django_user_model, "alice")
    form = race_form(race, **{"results-1-laps": 14})
    del form["seen_version"]

    refused = alice.post(reverse("admin:championships_race_change", args=[race.pk]), form)

    assert refused.status_code == 200
    assert "does not say which version you opened" in str(refused.context["adminform"].form.errors)
    assert Result.objects.get(race=race, position=2).laps == 15


def penalty_form(penalty: Penalty, **changes) -> dict:
    """The decision's change form as the browser posts it, with the change it was opened at."""
    return {
        "meeting": penalty.meeting_id,
        "race": penalty.race_id or "",
        "number": penalty.number or "",
        "decided_at_0": f"{penalty.decided_at:%Y-%m-%d}",
        "decided_at_1": f"{penalty.decided_at:%H:%M:%S}",
        "entry": penalty.entry_id,
        "kind": penalty.kind,
        "value": penalty.value if penalty.value is not None else "",
        "grid_race": "",
        "reason_en": penalty.reason_en,
        "reason_zh_hans": penalty.reason_zh_hans or "",
        "seen_change": penalty_change(penalty_id=penalty.pk),
        **changes,
    }


@pytest.fixture
def penalty(race) -> Penalty:
    return penalty_save(
        penalty=Penalty(
            meeting_id=race.meeting_id,
            entry_id=race.results.get(position=1).entry_id,
            kind=PenaltyKind.TIME,
            value=Decimal(5),
            race_id=race.pk,
            reason="Track limits",
            decided_at=dt.datetime(2024, 4, 20, 12, 0, tzinfo=dt.UTC),
        )
    )


def test_the_second_of_two_staff_editing_one_decision_is_refused_naming_the_first(
    race, penalty, django_user_model
):
    alice = staff_member(django_user_model, "alice")
    bob = staff_member(django_user_model, "bob")
    change = reverse("admin:championships_penalty_change", args=[penalty.pk])
    assert alice.get(change).status_code == bob.get(change).status_code == 200
    alices_form, bobs_form = penalty_form(penalty), penalty_form(penalty)

    first = alice.post(change, {**alices_form, "value": "10"})
    second = bob.post(change, {**bobs_form, "reason_en": "Track limits, turn 4"})

    assert first.status_code == 302
    assert second.status_code == 200
    message = str(second.context["adminform"].form.errors)
    assert "alice changed Decision #" in message and "Reload the decision" in message
    penalty.refresh_from_db()
    assert (penalty.value, penalty.reason) == (Decimal(10), "Track limits")


def test_a_decision_edited_again_after_reloading_goes_through(penalty, django_user_model):
    alice = staff_member(django_user_model, "alice")
    change = reverse("admin:championships_penalty_change", args=[penalty.pk])
    alice.post(change, penalty_form(penalty, value="10"))
    penalty.refresh_from_db()

    again = alice.post(change, penalty_form(penalty, value="15"))

    assert again.status_code == 302
    penalty.refresh_from_db()
    assert penalty.value == Decimal(15)


def test_a_withdrawal_in_between_refuses_an_edit_opened_before_it(penalty, django_user_model):
    alice = staff_member(django_user_model, "alice")
    opened = penalty_form(penalty, value="10")
    alice.post(
        reverse("admin:championships_penalty_withdraw", args=[penalty.pk]), {"reason": "Appeal"}
    )

    refused = alice.post(reverse("admin:championships_penalty_change", args=[penalty.pk]), opened)

    assert refused.status_code == 200
    penalty.refresh_from_db()
    assert penalty.value == Decimal(5)


def test_a_decision_form_that_does_not_say_which_change_it_opened_is_refused(
    penalty, django_user_model
):
    alice = staff_member(django_user_model, "alice")
    form = penalty_form(penalty, value="10")
    del form["seen_change"]

    refused = alice.post(reverse("admin:championships_penalty_change", args=[penalty.pk]), form)

    assert refused.status_code == 200
    penalty.refresh_from_db()
    assert penalty.value == Decimal(5)


def test_a_deletion_confirmed_after_someone_elses_change_is_refused_naming_them(
    penalty, django_user_model
):
    alice = staff_member(django_user_model, "alice")
    bob = staff_member(django_user_model, "bob")
    delete = reverse("admin:championships_penalty_delete", args=[penalty.pk])
    page = bob.get(delete)
    seen = page.context["seen_change"]
    assert f'name="seen_change" value="{seen}"' in page.content.decode()
    alice.post(
        reverse("admin:championships_penalty_change", args=[penalty.pk]),
        penalty_form(penalty, value="10"),
    )

    refused = bob.post(delete, {"post": "yes", "seen_change": seen}, follow=True)

    assert "alice changed Decision #" in refused.content.decode()
    penalty.refresh_from_db()
    assert penalty.value == Decimal(10)


def test_a_deletion_confirmed_on_the_page_as_opened_goes_through(penalty, django_user_model):
    alice = staff_member(django_user_model, "alice")
    delete = reverse("admin:championships_penalty_delete", args=[penalty.pk])
    seen = alice.get(delete).context["seen_change"]

    response = alice.post(delete, {"post": "yes", "seen_change": seen})

    assert response.status_code == 302
    assert not Penalty.objects.filter(pk=penalty.pk).exists()


def test_a_deletion_that_does_not_say_which_change_it_opened_is_refused(penalty, django_user_model):
    alice = staff_member(django_user_model, "alice")

    alice.post(reverse("admin:championships_penalty_delete", args=[penalty.pk]), {"post": "yes"})

    assert Penalty.objects.filter(pk=penalty.pk).exists()
