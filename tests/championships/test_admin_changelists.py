"""Every season changelist reads a fixed number of queries, however many rows it shows."""

import datetime as dt

import pytest

from championships.models import PenaltyKind, PointsFactor
from tests.factories import (
    get_changelist,
    make_championship,
    make_circuit,
    make_driver,
    make_entry,
    make_meeting,
    make_penalty,
    make_race,
    make_result,
    make_series,
    make_team,
)

ROWS = [1, 25]


def make_championships(rows: int) -> None:
    for n in range(rows):
        championship = make_championship(series=make_series(f"Series {n}"))
        make_meeting(championship, circuit=make_circuit(f"Circuit {n}"))
        make_entry(championship)


def make_meetings(rows: int):
    championship = make_championship()
    meetings = []
    for n in range(rows):
        meeting = make_meeting(
            championship,
            round=n + 1,
            circuit=make_circuit(f"Circuit {n}"),
            start_date=dt.date(2024, 1, 1) + dt.timedelta(days=7 * n),
        )
        make_race(meeting, 1)
        meetings.append(meeting)
    return championship, meetings


def make_results(rows: int):
    championship = make_championship()
    race = make_race(make_meeting(championship))
    for n in range(rows):
        entry = make_entry(championship, car_number=n + 1, driver=make_driver(), team=make_team())
        make_result(race, entry, position=n + 1, total_time=dt.timedelta(minutes=30, seconds=n))
    return championship, race


@pytest.mark.parametrize("rows", ROWS)
def test_series_changelist_reads_a_fixed_number_of_queries(
    rows, staff_client, django_assert_num_queries
):
    for n in range(rows):
        make_championship(series=make_series(f"Series {n}"))
    # session, user, paginator count, "N total" count, the page with championship counts
    with django_assert_num_queries(5):
        response = get_changelist(staff_client, "championships", "series")
    assert len(response.context["cl"].result_list) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_championship_changelist_reads_a_fixed_number_of_queries(
    rows, staff_client, django_assert_num_queries
):
    make_championships(rows)
    # session, user, series filter choices, paginator count, "N total" count,
    # the page with series and meeting and entry counts, year filter choices
    with django_assert_num_queries(7):
        response = get_changelist(staff_client, "championships", "championship")
    assert len(response.context["cl"].result_list) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_circuit_changelist_reads_a_fixed_number_of_queries(
    rows, staff_client, django_assert_num_queries
):
    for n in range(rows):
        make_circuit(f"Circuit {n}")
    # session, user, paginator count, "N total" count, the page, country filter choices
    with django_assert_num_queries(6):
        response = get_changelist(staff_client, "championships", "circuit")
    assert len(response.context["cl"].result_list) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_meeting_changelist_reads_a_fixed_number_of_queries(
    rows, staff_client, django_assert_num_queries
):
    make_meetings(rows)
    # session, user, championship filter choices, paginator count, "N total" count,
    # the page with championship, circuit and race count
    with django_assert_num_queries(6):
        response = get_changelist(staff_client, "championships", "meeting")
    assert len(response.context["cl"].result_list) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_race_changelist_reads_a_fixed_number_of_queries(
    rows, staff_client, django_assert_num_queries
):
    championship, meetings = make_meetings(rows)
    # session, user, championship filter choices, paginator count, "N total" count,
    # the page with meeting, circuit, championship and result count
    with django_assert_num_queries(6):
        response = get_changelist(staff_client, "championships", "race")
    assert len(response.context["cl"].result_list) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_result_changelist_reads_a_fixed_number_of_queries(
    rows, staff_client, django_assert_num_queries
):
    make_results(rows)
    # session, user, championship filter choices, paginator count, "N total" count,
    # the page with race, meeting, circuit, entry, driver, team and class
    with django_assert_num_queries(6):
        response = get_changelist(staff_client, "championships", "result")
    assert len(response.context["cl"].result_list) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_penalty_changelist_reads_a_fixed_number_of_queries(
    rows, staff_client, django_assert_num_queries
):
    championship, race = make_results(rows)
    for n, result in enumerate(race.results.select_related("entry")):
        # Every other penalty is a round's points deduction, without a race.
        if n % 2:
            make_penalty(result.entry, PenaltyKind.POINTS, meeting=race.meeting)
        else:
            make_penalty(result.entry, race=race)
    # session, user, championship filter choices, paginator count, "N total" count,
    # the page with meeting, race, their circuits, entry and driver
    with django_assert_num_queries(6):
        response = get_changelist(staff_client, "championships", "penalty")
    assert len(response.context["cl"].result_list) == rows


def test_race_changelist_shows_the_start_in_the_circuits_time_zone(staff_client):
    championship = make_championship()
    meeting = make_meeting(championship)
    make_race(meeting, starts_at=dt.datetime(2024, 4, 20, 2, 35, tzinfo=dt.UTC))

    response = get_changelist(staff_client, "championships", "race")

    assert "2024-04-20 10:35 (Asia/Shanghai)" in response.content.decode()


def test_race_changelist_shows_the_points_factor(staff_client):
    make_race(make_meeting(make_championship()), points_factor=PointsFactor.HALF)

    response = get_changelist(staff_client, "championships", "race")

    assert "Half points" in response.content.decode()


def test_result_changelist_prints_times_as_timing_sheets_do(staff_client):
    championship = make_championship()
    race = make_race(make_meeting(championship))
    make_result(
        race,
        make_entry(championship),
        position=1,
        total_time=dt.timedelta(minutes=31, seconds=4, milliseconds=250),
        best_lap=dt.timedelta(minutes=1, seconds=58, milliseconds=123),
    )

    content = get_changelist(staff_client, "championships", "result").content.decode()

    assert "31:04.250" in content
    assert "1:58.123" in content
