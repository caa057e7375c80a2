"""A category change that leaves an entry outside its class raises a flag, and nothing else
changes until the series manager decides."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from championships.models import Championship
from entries.models import EligibilityDecision, EligibilityFlag
from entries.services import driver_classify, eligibility_flag_resolve
from tests.factories import (
    make_championship,
    make_class,
    make_driver,
    make_entry,
    make_meeting,
    make_race,
)

NEW_YEAR = dt.date(2025, 1, 1)


@pytest.fixture
def pro_entry(db):
    """A Gold driver in the PRO class of 2025 (PRO: Platinum to Silver; PRO_AM: Silver,
    Bronze; AM: Bronze)."""
    championship = make_championship(year=2025)
    make_race(make_meeting(championship), starts_at=dt.datetime(2025, 4, 20, 2, tzinfo=dt.UTC))
    return make_entry(championship, 7, driver=make_driver(category="GOLD"), class_code="PRO")


def demote(entry, category: str = "BRONZE", effective_from: dt.date = NEW_YEAR):
    return driver_classify(
        driver=entry.driver, category=category, effective_from=effective_from, source="FIA_LIST"
    )


def test_a_change_the_class_does_not_admit_raises_a_flag_and_changes_no_entry(pro_entry):
    recorded = demote(pro_entry)

    flag = EligibilityFlag.objects.get()
    assert recorded.flags == [flag]
    assert (flag.entry, flag.classification) == (pro_entry, recorded.classifications[0])
    assert flag.reason == "Class PRO admits PLATINUM, GOLD, SILVER, not BRONZE."
    assert flag.is_open
    pro_entry.refresh_from_db()
    assert (pro_entry.entry_class.code, pro_entry.category) == ("PRO", "GOLD")


def test_a_change_the_class_still_admits_raises_no_flag(pro_entry):
    recorded = demote(pro_entry, "SILVER")

    assert not EligibilityFlag.objects.exists()
    assert [impact.entry for impact in recorded.changes[0].impacts] == [pro_entry]


def test_a_change_effective_after_the_season_leaves_its_entries_alone(pro_entry):
    demote(pro_entry, effective_from=dt.date(2026, 1, 1))

    assert not EligibilityFlag.objects.exists()


def test_a_change_flags_the_entries_of_later_seasons_too(pro_entry):
    later = make_championship(year=2026)
    later_entry = make_entry(later, 7, driver=pro_entry.driver, class_code="PRO")

    demote(pro_entry)

    assert set(EligibilityFlag.objects.values_list("entry", flat=True)) == {
        pro_entry.pk,
        later_entry.pk,
    }


def test_the_minimum_age_on_the_first_race_is_checked_with_the_new_category(pro_entry):
    championship = pro_entry.championship
    masters = make_class(championship, "MASTERS", ["SILVER", "BRONZE"], min_age=50)
    young = make_entry(
        championship,
        8,
        driver=make_driver(category="SILVER", date_of_birth=dt.date(1990, 1, 1)),
        class_code="PRO",
    )

    demote(young)
    flag = EligibilityFlag.objects.get()

    with pytest.raises(ValidationError) as error:
        eligibility_flag_resolve(
            flag=flag, decision=EligibilityDecision.MOVED, user=None, entry_class=masters
        )
    assert "needs drivers aged 50 or more on 2025-04-20; this driver is 35" in str(error.value)


def test_a_recorded_change_marks_the_seasons_tables_as_changed(pro_entry):
    before = pro_entry.championship.tables_changed_at

    demote(pro_entry)

    assert Championship.objects.get(pk=pro_entry.championship_id).tables_changed_at > before


def test_keeping_an_entry_in_its_class_resolves_the_flag_and_changes_nothing_else(
    pro_entry, django_user_model
):
    manager = django_user_model.objects.create_user("manager")
    demote(pro_entry)
    flag = EligibilityFlag.objects.get()

    eligibility_flag_resolve(
        flag=flag, decision=EligibilityDecision.KEPT, user=manager, note="Dispensation for 2025"
    )

    flag.refresh_from_db()
    assert (flag.decision, flag.resolved_by, flag.decision_note) == (
        "KEPT",
        manager,
        "Dispensation for 2025",
    )
    assert flag.resolved_at is not None and not flag.is_open
    pro_entry.refresh_from_db()
    assert (pro_entry.entry_class.code, pro_entry.category) == ("PRO", "GOLD")


def test_moving_an_entry_takes_it_to_the_one_class_that_admits_its_new_category(pro_entry):
    demote(pro_entry, "BRONZE")
    flag = EligibilityFlag.objects.get()
    # PRO_AM and AM both admit Bronze: the manager must choose.
    with pytest.raises(ValidationError, match="2 classes admit this driver as BRONZE"):
        eligibility_flag_resolve(flag=flag, decision=EligibilityDecision.MOVED, user=None)

    am = pro_entry.championship.classes.get(code="AM")
    eligibility_flag_resolve(
        flag=flag, decision=EligibilityDecision.MOVED, user=None, entry_class=am
    )

    pro_entry.refresh_from_db()
    assert (pro_entry.entry_class.code, pro_entry.category) == ("AM", "BRONZE")
    flag.refresh_from_db()
    assert flag.decision_note == "Moved from PRO to AM as BRONZE from 2025-01-01."


def test_a_move_without_a_class_picks_the_only_one_that_admits(pro_entry):
    pro_am = make_entry(
        pro_entry.championship, 9, driver=make_driver(category="SILVER"), class_code="PRO_AM"
    )
    demote(pro_am, "GOLD")

    eligibility_flag_resolve(
        flag=EligibilityFlag.objects.get(), decision=EligibilityDecision.MOVED, user=None
    )

    pro_am.refresh_from_db()
    assert (pro_am.entry_class.code, pro_am.category) == ("PRO", "GOLD")


def test_a_resolved_flag_cannot_be_resolved_again(pro_entry):
    demote(pro_entry)
    flag = EligibilityFlag.objects.get()
    eligibility_flag_resolve(flag=flag, decision=EligibilityDecision.KEPT, user=None)

    with pytest.raises(ValidationError, match="resolved already"):
        eligibility_flag_resolve(flag=flag, decision=EligibilityDecision.KEPT, user=None)


def test_the_database_refuses_a_decision_without_a_resolution_time(pro_entry):
    demote(pro_entry)

    with pytest.raises(IntegrityError):
        EligibilityFlag.objects.update(decision=EligibilityDecision.KEPT)


def test_the_database_refuses_a_resolution_without_a_decision(pro_entry):
    demote(pro_entry)

    with pytest.raises(IntegrityError):
        EligibilityFlag.objects.update(resolved_at=timezone.now())


# --- In the back office ---------------------------------------------------------------------


def test_the_flag_list_shows_open_flags_by_default(pro_entry, staff_client):
    demote(pro_entry)
    other = make_entry(pro_entry.championship, 8, driver=make_driver(category="GOLD"))
    demote(other)
    eligibility_flag_resolve(
        flag=EligibilityFlag.objects.get(entry=other),
        decision=EligibilityDecision.KEPT,
        user=None,
    )

    response = staff_client.get(reverse("admin:entries_eligibilityflag_changelist"))
    resolved = staff_client.get(
        reverse("admin:entries_eligibilityflag_changelist"), {"status": "resolved"}
    )

    assert [f.entry for f in response.context["cl"].result_list] == [pro_entry]
    assert [f.entry for f in resolved.context["cl"].result_list] == [other]


def test_the_keep_action_resolves_the_selected_flags(pro_entry, staff_client):
    demote(pro_entry)
    flag = EligibilityFlag.objects.get()

    staff_client.post(
        reverse("admin:entries_eligibilityflag_changelist"),
        {"action": "keep_in_class", "_selected_action": [flag.pk]},
    )

    flag.refresh_from_db()
    assert flag.decision == "KEPT"
    assert flag.resolved_by.username == "admin"


def test_the_move_action_reports_flags_it_cannot_resolve(pro_entry, staff_client):
    demote(pro_entry)
    flag = EligibilityFlag.objects.get()

    response = staff_client.post(
        reverse("admin:entries_eligibilityflag_changelist"),
        {
            "action": "move_to_admitting_class",
            "_selected_action": [flag.pk],
            "apply": "1",
            "move_from": "2025-01-01",
        },
        follow=True,
    )

    assert "2 classes admit this driver as BRONZE; choose one." in response.content.decode()
    flag.refresh_from_db()
    assert flag.is_open


def test_the_flag_form_moves_the_entry_to_the_chosen_class(pro_entry, staff_client):
    demote(pro_entry)
    flag = EligibilityFlag.objects.get()
    pro_am = pro_entry.championship.classes.get(code="PRO_AM")

    response = staff_client.post(
        reverse("admin:entries_eligibilityflag_change", args=[flag.pk]),
        {"decision": "MOVED", "move_to": pro_am.pk, "decision_note": ""},
    )

    assert response.status_code == 302
    pro_entry.refresh_from_db()
    assert pro_entry.entry_class == pro_am


def test_the_flag_form_refuses_a_class_that_does_not_admit_the_driver(pro_entry, staff_client):
    demote(pro_entry)
    flag = EligibilityFlag.objects.get()
    pro = pro_entry.championship.classes.get(code="PRO")

    response = staff_client.post(
        reverse("admin:entries_eligibilityflag_change", args=[flag.pk]),
        {"decision": "MOVED", "move_to": pro.pk, "decision_note": ""},
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["move_to"] == ["Class PRO admits PLATINUM, GOLD, SILVER, not BRONZE."]
    flag.refresh_from_db()
    assert flag.is_open


def test_recording_a_classification_in_the_admin_flags_entries(pro_entry, staff_client):
    response = staff_client.post(
        reverse("admin:entries_driverclassification_add"),
        {
            "driver": pro_entry.driver.pk,
            "category": "BRONZE",
            "effective_from": "2025-01-01",
            "source": "SERIES",
            "published_on": "",
            "note": "",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert EligibilityFlag.objects.get().entry == pro_entry
    assert "1 entry no longer fits its class and was flagged." in response.content.decode()
