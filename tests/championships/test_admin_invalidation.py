"""Admin writes to anything a table depends on mark the championship's tables as changed."""

import datetime as dt

import pytest
from django.urls import reverse

from championships.models import Championship, PenaltyKind, ResultStatus
from championships.services import penalty_change, penalty_save
from tests.factories import (
    driver_form_inlines,
    make_championship,
    make_driver,
    make_entry,
    make_meeting,
    make_penalty,
    make_race,
    make_result,
    make_team,
)

LONG_AGO = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def mark_unchanged(*championships: Championship) -> None:
    Championship.objects.filter(pk__in=[c.pk for c in championships]).update(
        tables_changed_at=LONG_AGO
    )


def tables_changed(championship: Championship) -> bool:
    championship.refresh_from_db()
    return championship.tables_changed_at > LONG_AGO


def management_form(prefix: str, *, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


@pytest.fixture
def race(championship):
    return make_race(make_meeting(championship))


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
