"""The category in force on a date (the dated records, the one source of it), and reviews."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse

from entries.models import (
    Driver,
    Entry,
    ReviewOutcome,
    ReviewRequest,
    category_move,
)
from entries.services import (
    driver_classify,
    review_request_decide,
    review_request_file,
)
from tests.factories import (
    make_championship,
    make_classification,
    make_driver,
    make_entry,
    recorded,
)

NEW_YEAR = dt.date(2025, 1, 1)


@pytest.fixture
def promoted(db):
    """Silver from 2024, Gold from 2025."""
    driver = make_driver(category=None)
    make_classification(driver, "SILVER", dt.date(2024, 1, 1))
    make_classification(driver, "GOLD", NEW_YEAR)
    return driver


@pytest.mark.parametrize(
    ("day", "category"),
    [
        (dt.date(2023, 12, 31), None),
        (dt.date(2024, 1, 1), "SILVER"),
        (dt.date(2024, 12, 31), "SILVER"),
        (dt.date(2025, 1, 1), "GOLD"),
        (dt.date(2026, 6, 1), "GOLD"),
    ],
)
def test_the_category_in_force_is_the_latest_effective_on_the_day(promoted, day, category):
    assert promoted.category_on(day) == category


@pytest.mark.parametrize(
    ("day", "category"),
    [(dt.date(2024, 12, 31), "SILVER"), (NEW_YEAR, "GOLD"), (dt.date(2023, 6, 1), None)],
)
def test_drivers_annotated_with_the_category_in_force_agree_with_the_model(promoted, day, category):
    annotated = Driver.objects.with_category_on(day).get(pk=promoted.pk)

    assert annotated.category_in_force == category


def test_an_entry_falls_back_to_its_own_category_before_any_classification(promoted):
    entry = make_entry(make_championship(year=2023), driver=promoted, category="SILVER")

    assert entry.category_on(dt.date(2023, 6, 1)) == "SILVER"
    annotated = Entry.objects.with_category_on(dt.date(2023, 6, 1)).get(pk=entry.pk)
    assert annotated.category_in_force == "SILVER"


def test_entries_annotated_with_the_category_in_force_follow_the_driver(promoted):
    entry = make_entry(make_championship(year=2024), driver=promoted, category="SILVER")

    on = {
        day: Entry.objects.with_category_on(day).get(pk=entry.pk)
        for day in (dt.date(2024, 12, 31), NEW_YEAR)
    }

    assert on[dt.date(2024, 12, 31)].category_in_force == "SILVER"
    assert on[NEW_YEAR].category_in_force == "GOLD"


def test_on_the_same_day_a_review_decision_recorded_later_wins(promoted):
    make_classification(promoted, "SILVER", NEW_YEAR, source="FIA_REVIEW")

    assert promoted.category_on(NEW_YEAR) == "SILVER"


def test_a_driver_has_one_classification_per_day_and_source(promoted):
    with pytest.raises(IntegrityError):
        make_classification(promoted, "BRONZE", NEW_YEAR)


def test_the_database_refuses_an_unknown_category(promoted):
    with pytest.raises(IntegrityError):
        make_classification(promoted, "WOOD", dt.date(2026, 1, 1))


@pytest.mark.parametrize(
    ("before", "after", "move"),
    [
        ("SILVER", "GOLD", "up"),
        ("GOLD", "BRONZE", "down"),
        ("GOLD", "GOLD", "same"),
        (None, "GOLD", "new"),
    ],
)
def test_a_move_is_up_towards_platinum(before, after, move):
    assert category_move(before, after) == move


def test_a_driver_has_no_undated_category_beside_the_dated_records(db):
    assert "category" not in {field.name for field in Driver._meta.get_fields()}


def test_a_classification_takes_over_on_its_day_with_nothing_to_bring_up_to_date(db):
    driver = make_driver(category="SILVER")

    driver_classify(driver=driver, category="GOLD", effective_from=NEW_YEAR, source="FIA_LIST")

    assert driver.category_on(dt.date(2024, 12, 31)) == "SILVER"
    assert driver.category_on(NEW_YEAR) == "GOLD"
    assert Driver.objects.with_category_on(NEW_YEAR).get().category_in_force == "GOLD"


def test_the_sync_command_is_kept_for_its_jobs_and_changes_nothing(promoted, capsys):
    call_command("sync_driver_categories", "--date", "2025-03-01")

    assert "0 drivers changed category" in capsys.readouterr().out
    assert promoted.category_on(dt.date(2025, 3, 1)) == "GOLD"


def test_recording_a_second_classification_for_the_same_day_and_source_is_refused(promoted):
    with pytest.raises(ValidationError) as error:
        driver_classify(
            driver=promoted, category="BRONZE", effective_from=NEW_YEAR, source="FIA_LIST"
        )

    assert "already has a classification from this source on this date" in str(error.value)
    assert promoted.classifications.count() == 2


# --- Review requests -------------------------------------------------------------------------


@pytest.fixture
def annual_list(db):
    driver = make_driver(category="SILVER")
    return make_classification(driver, "GOLD", NEW_YEAR, published_on=dt.date(2024, 11, 20))


def test_the_review_window_ends_15_days_after_publication(annual_list):
    assert annual_list.review_deadline == dt.date(2024, 12, 5)


def test_the_review_window_runs_from_the_effective_date_without_a_publication_day(db):
    classification = make_classification(make_driver(), "GOLD", NEW_YEAR)

    assert classification.review_deadline == dt.date(2025, 1, 16)


@pytest.mark.parametrize(
    ("asked", "within"), [(dt.date(2024, 12, 5), True), (dt.date(2024, 12, 6), False)]
)
def test_a_request_is_within_the_window_up_to_its_last_day(annual_list, asked, within):
    assert ReviewRequest(classification=annual_list, asked_on=asked).is_within_window() is within


def test_a_late_review_request_is_refused(annual_list):
    with pytest.raises(ValidationError) as error:
        review_request_file(classification=annual_list, asked_on=dt.date(2024, 12, 6))

    assert "within 15 days of publication, by 2024-12-05" in str(error.value)
    assert not ReviewRequest.objects.exists()


def test_a_confirmed_review_records_nothing_else(annual_list):
    review = review_request_file(classification=annual_list, asked_on=dt.date(2024, 11, 25))

    review_request_decide(
        review=review, outcome=ReviewOutcome.CONFIRMED, decided_on=dt.date(2024, 12, 12)
    )

    review.refresh_from_db()
    assert (review.outcome, review.decided_on, review.decision) == (
        ReviewOutcome.CONFIRMED,
        dt.date(2024, 12, 12),
        None,
    )
    assert recorded().count() == 1


def test_a_changed_category_is_recorded_as_an_fia_review_decision_from_the_same_day(annual_list):
    review = review_request_file(
        classification=annual_list, asked_on=dt.date(2024, 11, 25), requested_category="SILVER"
    )

    review_request_decide(
        review=review,
        outcome=ReviewOutcome.CHANGED,
        decided_on=dt.date(2024, 12, 12),
        category="SILVER",
    )

    review.refresh_from_db()
    decision = review.decision
    assert (decision.category, decision.source, decision.effective_from) == (
        "SILVER",
        "FIA_REVIEW",
        NEW_YEAR,
    )
    driver = annual_list.driver
    driver.refresh_from_db()
    assert driver.category_on(NEW_YEAR) == "SILVER"


def test_a_changed_outcome_needs_another_category(annual_list):
    review = review_request_file(classification=annual_list, asked_on=dt.date(2024, 11, 25))

    with pytest.raises(ValidationError):
        review_request_decide(
            review=review,
            outcome=ReviewOutcome.CHANGED,
            decided_on=dt.date(2024, 12, 12),
            category="GOLD",
        )

    review.refresh_from_db()
    assert review.outcome == ReviewOutcome.PENDING


def test_a_decision_before_the_request_is_refused(annual_list):
    review = review_request_file(classification=annual_list, asked_on=dt.date(2024, 11, 25))

    with pytest.raises(ValidationError):
        review_request_decide(
            review=review, outcome=ReviewOutcome.CONFIRMED, decided_on=dt.date(2024, 11, 24)
        )


def test_the_database_refuses_a_decided_review_without_a_day(annual_list):
    with pytest.raises(IntegrityError):
        ReviewRequest.objects.create(
            classification=annual_list,
            asked_on=dt.date(2024, 11, 25),
            outcome=ReviewOutcome.CONFIRMED,
        )


# --- Review requests in the back office ------------------------------------------------------


def test_the_admin_refuses_a_late_review_request(annual_list, staff_client):
    response = staff_client.post(
        reverse("admin:entries_reviewrequest_add"),
        {"classification": annual_list.pk, "asked_on": "2024-12-06", "note": ""},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["asked_on"] == [
        "A review must be asked within 15 days of publication, by 2024-12-05."
    ]


def test_the_admin_records_the_fia_decision_of_a_review(annual_list, staff_client):
    review = review_request_file(classification=annual_list, asked_on=dt.date(2024, 11, 25))

    response = staff_client.post(
        reverse("admin:entries_reviewrequest_change", args=[review.pk]),
        {
            "note": "Hearing on 10 December",
            "outcome": "CHANGED",
            "decided_on": "2024-12-12",
            "new_category": "SILVER",
        },
    )

    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.outcome, review.decision.category) == ("CHANGED", "SILVER")
    assert review.note == "Hearing on 10 December"


def test_the_admin_asks_for_the_new_category_of_a_changed_review(annual_list, staff_client):
    review = review_request_file(classification=annual_list, asked_on=dt.date(2024, 11, 25))

    response = staff_client.post(
        reverse("admin:entries_reviewrequest_change", args=[review.pk]),
        {"note": "", "outcome": "CHANGED", "decided_on": "2024-12-12", "new_category": ""},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["new_category"] == [
        "A changed category needs a category other than the reviewed one."
    ]
    review.refresh_from_db()
    assert review.outcome == "PENDING"
