"""The changelists of categories, flags, reviews and the fleet read a fixed number of queries,
however many rows they show."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from entries.models import Driver, EligibilityFlag
from entries.services import damage_report, driver_classify, review_request_file
from tests.factories import (
    get_changelist,
    make_allocation,
    make_car,
    make_championship,
    make_classification,
    make_driver,
    make_entry,
    make_meeting,
    make_operator,
    make_package,
    make_series,
)

ROWS = [1, 12]


@pytest.mark.parametrize("rows", ROWS)
def test_classification_changelist_reads_a_fixed_number_of_queries(
    rows, staff_client, django_assert_num_queries
):
    for n in range(rows):
        make_classification(make_driver(category=None), "GOLD", dt.date(2024 + n % 2, 1, 1))
    # session, user, paginator count, "N total" count, the page with drivers,
    # the date hierarchy's first and last day, and its years
    with django_assert_num_queries(7):
        response = get_changelist(staff_client, "entries", "driverclassification")
    assert len(response.context["cl"].result_list) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_flag_changelist_reads_a_fixed_number_of_queries(
    rows, staff_client, django_assert_num_queries
):
    championship = make_championship(year=2025)
    for n in range(rows):
        entry = make_entry(championship, n + 1, driver=make_driver(category="GOLD"))
        driver_classify(
            driver=entry.driver,
            category="BRONZE",
            effective_from=dt.date(2025, 1, 1),
            source="FIA_LIST",
        )
    # session, user, championship filter choices, paginator count, "N total" count,
    # the page with entries, drivers, classes, seasons, changes and who resolved
    with django_assert_num_queries(6):
        response = get_changelist(staff_client, "entries", "eligibilityflag")
    assert len(response.context["cl"].result_list) == rows == EligibilityFlag.objects.count()


@pytest.mark.parametrize("rows", ROWS)
def test_review_request_changelist_reads_a_fixed_number_of_queries(
    rows, staff_client, django_assert_num_queries
):
    for _ in range(rows):
        classification = make_classification(make_driver(), "GOLD", dt.date(2025, 1, 1))
        review_request_file(classification=classification, asked_on=dt.date(2025, 1, 10))
    # session, user, paginator count, "N total" count, the page with drivers
    with django_assert_num_queries(5):
        response = get_changelist(staff_client, "entries", "reviewrequest")
    assert len(response.context["cl"].result_list) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_operator_changelist_reads_a_fixed_number_of_queries(
    rows, staff_client, django_assert_num_queries
):
    for n in range(rows):
        make_car(operator=make_operator(f"Operator {n}", make_series(f"Series {n}")))
    # session, user, paginator count, "N total" count, the page with series and car counts
    with django_assert_num_queries(5):
        response = get_changelist(staff_client, "entries", "operator")
    assert len(response.context["cl"].result_list) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_car_changelist_reads_a_fixed_number_of_queries(
    rows, staff_client, django_assert_num_queries
):
    for _ in range(rows):
        make_car()
    # session, user, operator filter choices, paginator count, "N total" count, the page
    with django_assert_num_queries(6):
        response = get_changelist(staff_client, "entries", "car")
    assert len(response.context["cl"].result_list) == rows


@pytest.fixture
def renters(db):
    championship = make_championship(year=2025)
    meeting = make_meeting(championship)
    entries = [make_entry(championship, n + 1, arrive_and_drive=True) for n in range(12)]
    return meeting, entries


@pytest.mark.parametrize("rows", ROWS)
def test_seat_package_changelist_reads_a_fixed_number_of_queries(
    rows, renters, staff_client, django_assert_num_queries
):
    meeting, entries = renters
    for n in range(rows):
        make_package(entries[n], meeting if n % 2 else None)
    # session, user, championship filter choices, paginator count, "N total" count,
    # the page with entries, drivers, seasons and meetings
    with django_assert_num_queries(6):
        response = get_changelist(staff_client, "entries", "seatpackage")
    assert len(response.context["cl"].result_list) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_car_allocation_changelist_reads_a_fixed_number_of_queries(
    rows, renters, staff_client, django_assert_num_queries
):
    meeting, entries = renters
    for n in range(rows):
        make_allocation(meeting, make_car(), entries[n])
    # session, user, championship filter choices, paginator count, "N total" count, the page
    with django_assert_num_queries(6):
        response = get_changelist(staff_client, "entries", "carallocation")
    assert len(response.context["cl"].result_list) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_damage_report_changelist_reads_a_fixed_number_of_queries(
    rows, renters, staff_client, django_assert_num_queries
):
    meeting, entries = renters
    for n in range(rows):
        damage_report(
            car=make_car(),
            meeting=meeting,
            description="Bodywork",
            repair_cost=Decimal(100),
            currency="CNY",
            billed_to=entries[n],
        )
    # session, user, championship and car filter choices, paginator count, "N total" count,
    # the page
    with django_assert_num_queries(7):
        response = get_changelist(staff_client, "entries", "damagereport")
    assert len(response.context["cl"].result_list) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_allocation_board_reads_a_fixed_number_of_queries(
    rows, renters, staff_client, django_assert_num_queries
):
    meeting, entries = renters
    for n in range(rows):
        car = make_car()
        if n % 2:
            make_allocation(meeting, car, entries[n])
            make_package(entries[n])
    # session, user, the meeting, entries, allocations, packages, cars, the form's entry and
    # car choices; the entrants' flags (core.flags): whether the season takes entries online
    # (it has no entry window, so nothing more is read)
    with django_assert_num_queries(10):
        response = staff_client.get(reverse("admin:entries_carallocation_board", args=[meeting.pk]))
    assert len(response.context["board"].rows) == 12


@pytest.mark.parametrize(
    "model_name",
    [
        "driverclassification",
        "eligibilityflag",
        "reviewrequest",
        "operator",
        "car",
        "seatpackage",
        "carallocation",
        "damagereport",
    ],
)
def test_add_or_change_forms_open(model_name, renters, staff_client):
    meeting, entries = renters
    driver_classify(
        driver=entries[0].driver,
        category="BRONZE",
        effective_from=dt.date(2025, 1, 1),
        source="SERIES",
    )
    review_request_file(
        classification=Driver.objects.get(pk=entries[0].driver_id)
        .classifications.filter(source="SERIES")
        .get(),
        asked_on=dt.date(2025, 1, 5),
    )
    make_package(entries[0])
    make_allocation(meeting, make_car(), entries[0])
    damage_report(
        car=make_car(), meeting=meeting, description="x", repair_cost=Decimal(1), currency="CNY"
    )
    model = reverse(f"admin:entries_{model_name}_changelist")
    obj_pk = staff_client.get(model).context["cl"].result_list[0].pk

    change = staff_client.get(reverse(f"admin:entries_{model_name}_change", args=[obj_pk]))
    add = staff_client.get(reverse(f"admin:entries_{model_name}_add"))

    assert change.status_code == 200
    assert add.status_code == (403 if model_name == "eligibilityflag" else 200)
