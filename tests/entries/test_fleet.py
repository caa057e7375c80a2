"""Arrive-and-drive: seat packages, car allocations, damage reports and results' chassis."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from championships.models import Result
from entries.models import CarAllocation, CarStatus, DamageReport, PackageKind, SeatPackage
from entries.services import (
    car_allocate,
    car_allocation_release,
    damage_report,
    results_chassis_record,
)
from tests.factories import (
    make_allocation,
    make_car,
    make_championship,
    make_entry,
    make_meeting,
    make_package,
    make_race,
    make_result,
)


@pytest.fixture
def meeting(db):
    championship = make_championship(year=2025)
    return make_meeting(championship, 1, start_date=dt.date(2025, 4, 19))


@pytest.fixture
def renters(meeting):
    """Two arrive-and-drive entries of the meeting's season."""
    return [make_entry(meeting.championship, number, arrive_and_drive=True) for number in (21, 22)]


# --- Allocations ----------------------------------------------------------------------------


def test_a_spare_car_is_allocated_to_an_entry(meeting, renters):
    car = make_car("WP0ZZZ99ZPS000101")

    allocation = car_allocate(meeting=meeting, car=car, entry=renters[0])

    assert CarAllocation.objects.get() == allocation
    assert str(allocation) == f"WP0ZZZ99ZPS000101 → {renters[0]}"


def test_a_chassis_allocated_at_the_meeting_is_refused_to_another_entry(meeting, renters):
    car = make_car()
    car_allocate(meeting=meeting, car=car, entry=renters[0])

    with pytest.raises(ValidationError) as error:
        car_allocate(meeting=meeting, car=car, entry=renters[1])

    assert error.value.messages == [
        "This chassis is already allocated to another entry at this meeting; choose a spare car."
    ]
    assert CarAllocation.objects.count() == 1


def test_the_same_chassis_may_go_to_another_entry_at_another_meeting(meeting, renters):
    car = make_car()
    car_allocate(meeting=meeting, car=car, entry=renters[0])
    next_meeting = make_meeting(meeting.championship, 2, start_date=dt.date(2025, 5, 17))

    car_allocate(meeting=next_meeting, car=car, entry=renters[1])

    assert CarAllocation.objects.count() == 2


def test_the_database_refuses_a_chassis_twice_at_one_meeting(meeting, renters):
    car = make_car()
    make_allocation(meeting, car, renters[0])

    with pytest.raises(IntegrityError), transaction.atomic():
        make_allocation(meeting, car, renters[1])


def test_the_database_refuses_two_chassis_for_one_entry_at_one_meeting(meeting, renters):
    make_allocation(meeting, make_car(), renters[0])

    with pytest.raises(IntegrityError), transaction.atomic():
        make_allocation(meeting, make_car(), renters[0])


@pytest.mark.parametrize("status", [CarStatus.DAMAGED, CarStatus.RETIRED])
def test_a_damaged_or_retired_car_is_refused(meeting, renters, status):
    car = make_car("WP0ZZZ99ZPS000102", status=status)

    with pytest.raises(ValidationError) as error:
        car_allocate(meeting=meeting, car=car, entry=renters[0])

    label = {"DAMAGED": "damaged", "RETIRED": "retired"}[status]
    assert error.value.message_dict["car"] == [
        f"Chassis WP0ZZZ99ZPS000102 is {label} and cannot be allocated."
    ]
    assert not CarAllocation.objects.exists()


def test_only_arrive_and_drive_entries_of_the_season_get_a_car(meeting, renters):
    own_car = make_entry(meeting.championship, 5)
    other_season = make_entry(make_championship(year=2025), 21, arrive_and_drive=True)

    with pytest.raises(ValidationError, match="not arrive-and-drive"):
        car_allocate(meeting=meeting, car=make_car(), entry=own_car)
    with pytest.raises(ValidationError, match="another championship"):
        car_allocate(meeting=meeting, car=make_car(), entry=other_season)


def test_a_released_car_is_spare_again(meeting, renters):
    car = make_car()
    allocation = car_allocate(meeting=meeting, car=car, entry=renters[0])

    car_allocation_release(allocation=allocation)
    car_allocate(meeting=meeting, car=car, entry=renters[1])

    assert CarAllocation.objects.get().entry == renters[1]


def allocation_form_data(meeting, car, entry) -> dict:
    return {"meeting": meeting.pk, "car": car.pk, "entry": entry.pk}


def test_the_allocation_form_shows_the_double_allocation_message(meeting, renters, staff_client):
    car = make_car()
    make_allocation(meeting, car, renters[0])

    response = staff_client.post(
        reverse("admin:entries_carallocation_add"), allocation_form_data(meeting, car, renters[1])
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "This chassis is already allocated to another entry at this meeting; choose a spare car."
    ]
    assert CarAllocation.objects.count() == 1


def test_the_allocation_form_refuses_a_damaged_car(meeting, renters, staff_client):
    car = make_car("WP0ZZZ99ZPS000103", status=CarStatus.DAMAGED)

    response = staff_client.post(
        reverse("admin:entries_carallocation_add"), allocation_form_data(meeting, car, renters[0])
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["car"] == [
        "Chassis WP0ZZZ99ZPS000103 is damaged and cannot be allocated."
    ]
    assert not CarAllocation.objects.exists()


def test_the_allocation_form_allocates_a_spare_car(meeting, renters, staff_client):
    car = make_car()

    response = staff_client.post(
        reverse("admin:entries_carallocation_add"), allocation_form_data(meeting, car, renters[0])
    )

    assert response.status_code == 302
    assert CarAllocation.objects.get().car == car


def test_a_car_damaged_after_allocation_keeps_its_allocation_editable(meeting, renters):
    car = make_car()
    allocation = car_allocate(meeting=meeting, car=car, entry=renters[0])
    car.status = CarStatus.DAMAGED
    car.save()

    allocation.refresh_from_db()
    allocation.full_clean()  # no error: the car was sound when allocated


# --- The allocation board --------------------------------------------------------------------


def test_the_board_lists_entries_their_chassis_and_the_spare_cars(meeting, renters, staff_client):
    allocated = make_car("CHASSIS-A")
    make_car("CHASSIS-SPARE")
    make_car("CHASSIS-BROKEN", status=CarStatus.DAMAGED)
    make_allocation(meeting, allocated, renters[0])
    make_package(renters[0])

    response = staff_client.get(reverse("admin:entries_carallocation_board", args=[meeting.pk]))

    board = response.context["board"]
    assert [(row.entry, row.allocation and row.allocation.car) for row in board.rows] == [
        (renters[0], allocated),
        (renters[1], None),
    ]
    assert [car.chassis_number for car in board.spare_cars] == ["CHASSIS-SPARE"]
    assert [car.chassis_number for car in board.unavailable_cars] == ["CHASSIS-BROKEN"]
    assert [p.kind for p in board.rows[0].packages] == [PackageKind.FULL_SEASON]
    assert list(response.context["form"].fields["car"].queryset) == board.spare_cars


def test_the_board_allocates_a_spare_car(meeting, renters, staff_client):
    car = make_car()
    url = reverse("admin:entries_carallocation_board", args=[meeting.pk])

    response = staff_client.post(url, {"entry": renters[1].pk, "car": car.pk, "allocate": "1"})

    assert response.status_code == 302
    assert CarAllocation.objects.get().entry == renters[1]


def test_the_board_does_not_offer_an_allocated_car(meeting, renters, staff_client):
    car = make_car()
    make_allocation(meeting, car, renters[0])
    url = reverse("admin:entries_carallocation_board", args=[meeting.pk])

    response = staff_client.post(url, {"entry": renters[1].pk, "car": car.pk, "allocate": "1"})

    assert response.status_code == 200
    assert "car" in response.context["form"].errors
    assert CarAllocation.objects.count() == 1


def test_the_board_releases_a_car(meeting, renters, staff_client):
    allocation = make_allocation(meeting, make_car(), renters[0])
    url = reverse("admin:entries_carallocation_board", args=[meeting.pk])

    response = staff_client.post(url, {"release": allocation.pk})

    assert response.status_code == 302
    assert not CarAllocation.objects.exists()


def test_the_board_index_links_every_meeting(meeting, staff_client):
    response = staff_client.get(reverse("admin:entries_carallocation_board_index"))

    assert reverse("admin:entries_carallocation_board", args=[meeting.pk]) in (
        response.content.decode()
    )


# --- Seat packages ---------------------------------------------------------------------------


def test_a_full_season_package_and_a_single_meeting_package_are_recorded(meeting, renters):
    season = make_package(renters[0], price=Decimal("650000.00"), currency="CNY")
    single = make_package(renters[1], meeting, price=Decimal("95000"), currency="HKD")

    assert (season.kind, season.meeting, season.payment_status) == ("FULL_SEASON", None, "UNPAID")
    assert (single.kind, single.meeting) == ("MEETING", meeting)
    assert str(single) == f"{renters[1]} · {meeting} · 95000 HKD"


@pytest.mark.parametrize(
    "fields",
    [
        {"price": Decimal("-1")},
        {"currency": "cny"},
        {"currency": "CN"},
        {"payment_status": "MAYBE"},
        {"kind": PackageKind.SINGLE_MEETING},  # without a meeting
    ],
)
def test_the_database_refuses_an_invalid_package(renters, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_package(renters[0], **fields)


def test_the_database_refuses_a_second_full_season_package(renters):
    make_package(renters[0])

    with pytest.raises(IntegrityError), transaction.atomic():
        make_package(renters[0])


def test_a_package_is_for_an_arrive_and_drive_entry_of_the_meetings_season(meeting):
    own_car = make_entry(meeting.championship, 5)
    package = SeatPackage(entry=own_car, kind="FULL_SEASON", price=1, currency="CNY")

    with pytest.raises(ValidationError, match="arrive-and-drive entries only"):
        package.full_clean()


def test_a_single_meeting_package_after_a_full_season_one_is_refused(meeting, renters):
    make_package(renters[0])
    single = SeatPackage(entry=renters[0], kind="MEETING", meeting=meeting, price=1, currency="CNY")

    with pytest.raises(ValidationError, match="covers every meeting"):
        single.full_clean()


def test_the_package_form_refuses_a_lowercase_currency(renters, staff_client):
    response = staff_client.post(
        reverse("admin:entries_seatpackage_add"),
        {
            "entry": renters[0].pk,
            "kind": "FULL_SEASON",
            "price": "1000",
            "currency": "usd",
            "payment_status": "PAID",
        },
    )

    assert response.context["adminform"].form.errors["currency"] == [
        "Use an ISO 4217 currency code in capitals, e.g. CNY."
    ]


# --- Damage reports and the chassis of results ------------------------------------------------


def test_a_damage_report_records_the_cost_and_takes_the_car_out_of_service(meeting, renters):
    car = make_car()
    race = make_race(meeting)

    report = damage_report(
        car=car,
        meeting=meeting,
        race=race,
        description="Front splitter and radiator after contact at turn 1",
        repair_cost=Decimal("48500.00"),
        currency="CNY",
        billed_to=renters[0],
    )

    report.refresh_from_db()
    assert (report.race, report.repair_cost, report.billed_to) == (
        race,
        Decimal("48500.00"),
        renters[0],
    )
    car.refresh_from_db()
    assert car.status == CarStatus.DAMAGED


def test_damage_is_not_billed_to_an_entry_of_another_championship(meeting):
    other_season = make_entry(make_championship(year=2025), 31, arrive_and_drive=True)
    report = DamageReport(
        car=make_car(),
        meeting=meeting,
        description="Rear wing",
        repair_cost=Decimal("9000.00"),
        currency="CNY",
        billed_to=other_season,
    )

    with pytest.raises(ValidationError) as error:
        report.full_clean()

    assert error.value.message_dict == {
        "billed_to": ["This entry belongs to another championship."]
    }


def test_a_damage_report_may_leave_the_car_in_service(meeting):
    car = make_car()

    damage_report(
        car=car,
        meeting=meeting,
        description="Scratched mirror",
        repair_cost=Decimal(0),
        currency="CNY",
        mark_damaged=False,
    )

    car.refresh_from_db()
    assert car.status == CarStatus.AVAILABLE


def test_a_damage_report_refuses_a_race_of_another_meeting(meeting):
    other = make_race(make_meeting(meeting.championship, 2))

    with pytest.raises(ValidationError, match="not part of the chosen meeting"):
        damage_report(
            car=make_car(),
            meeting=meeting,
            race=other,
            description="x",
            repair_cost=Decimal(1),
            currency="CNY",
        )
    assert not DamageReport.objects.exists()


def test_the_database_refuses_a_negative_repair_cost(meeting):
    with pytest.raises(IntegrityError), transaction.atomic():
        DamageReport.objects.create(
            car=make_car(), meeting=meeting, description="x", repair_cost=-1, currency="CNY"
        )


def test_the_damage_form_reports_damage_through_the_service(meeting, renters, staff_client):
    car = make_car()

    response = staff_client.post(
        reverse("admin:entries_damagereport_add"),
        {
            "car": car.pk,
            "meeting": meeting.pk,
            "race": "",
            "description": "Gearbox",
            "repair_cost": "12000",
            "currency": "EUR",
            "billed_to": renters[0].pk,
            "mark_damaged": "on",
        },
    )

    assert response.status_code == 302
    assert DamageReport.objects.get().billed_to == renters[0]
    car.refresh_from_db()
    assert car.status == CarStatus.DAMAGED


def test_results_record_the_allocated_chassis(meeting, renters):
    car = make_car()
    make_allocation(meeting, car, renters[0])
    race = make_race(meeting)
    raced = make_result(race, renters[0], 1)
    other = make_result(race, renters[1], 2)

    assert results_chassis_record(meeting=meeting) == 1

    assert Result.objects.get(pk=raced.pk).chassis == car
    assert Result.objects.get(pk=other.pk).chassis is None


def test_a_chassis_typed_on_a_result_is_kept(meeting, renters):
    allocated, raced_instead = make_car(), make_car()
    make_allocation(meeting, allocated, renters[0])
    result = make_result(make_race(meeting), renters[0], 1, chassis=raced_instead)

    assert results_chassis_record(meeting=meeting) == 0
    result.refresh_from_db()
    assert result.chassis == raced_instead


def test_the_fleet_report_shows_each_cars_meetings_races_and_damage(meeting, renters, staff_client):
    car = make_car("CHASSIS-REPORT")
    make_car("CHASSIS-IDLE")
    make_allocation(meeting, car, renters[0])
    race = make_race(meeting)
    make_result(race, renters[0], 3, chassis=car)
    damage_report(
        car=car,
        meeting=meeting,
        race=race,
        description="Rear wing",
        repair_cost=Decimal("9000"),
        currency="CNY",
        billed_to=renters[0],
    )

    response = staff_client.get(reverse("admin:entries_car_fleet_report"))

    report = {history.car.chassis_number: history for history in response.context["cars"]}
    history = report["CHASSIS-REPORT"]
    assert history.meetings == [meeting]
    assert [r.race for r in history.results] == [race]
    assert [d.description for d in history.damage] == ["Rear wing"]
    assert history.repair_costs == {"CNY": Decimal("9000")}
    assert report["CHASSIS-IDLE"].meetings == []
    assert "Rear wing" in response.content.decode()


def test_the_fleet_report_reads_four_queries_however_many_cars(
    meeting, renters, staff_client, django_assert_num_queries
):
    for n in range(5):
        car = make_car()
        if n < 2:
            make_allocation(meeting, car, renters[n])
    # session, user, cars with operators, their allocations, results, damage reports
    with django_assert_num_queries(6):
        staff_client.get(reverse("admin:entries_car_fleet_report"))
