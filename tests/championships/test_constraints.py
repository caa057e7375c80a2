"""Invariants held by the database itself, whatever writes to it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from championships.models import Penalty, PenaltyKind, Race, Result, ResultStatus
from entries.models import DriverClassification, Entry
from tests.factories import (
    make_championship,
    make_driver,
    make_entry,
    make_meeting,
    make_penalty,
    make_race,
    make_result,
)

pytestmark = pytest.mark.django_db


def assert_refused(write) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_car_number_is_unique_in_a_championship(championship):
    make_entry(championship, 55)

    assert_refused(lambda: make_entry(championship, 55))


def test_the_same_car_number_may_run_in_another_championship(championship):
    make_entry(championship, 55)
    other = make_championship(year=2023)

    assert make_entry(other, 55).car_number == 55


def test_car_number_stays_between_1_and_999(championship):
    entry = make_entry(championship, 5)

    assert_refused(lambda: Entry.objects.filter(pk=entry.pk).update(car_number=1000))
    assert_refused(lambda: Entry.objects.filter(pk=entry.pk).update(car_number=0))


def test_a_driver_has_one_entry_per_championship(championship):
    driver = make_driver()
    make_entry(championship, 1, driver=driver)

    assert_refused(lambda: make_entry(championship, 2, driver=driver))


def test_a_driver_category_must_be_an_fia_category(db):
    driver = make_driver()  # a driver's category is a dated record (issue 14.16)

    records = DriverClassification.objects.filter(driver=driver)
    assert_refused(lambda: records.update(category="DIAMOND"))


def test_one_result_per_entry_per_race(championship, race):
    entry = make_entry(championship)
    make_result(race, entry, 1)

    assert_refused(lambda: make_result(race, entry, 2))


def test_position_is_unique_within_a_race(championship, race):
    make_result(race, make_entry(championship), 1)

    assert_refused(lambda: make_result(race, make_entry(championship), 1))


def test_several_unclassified_results_share_no_position(championship, race):
    make_result(race, make_entry(championship), None, status=ResultStatus.DNF)
    make_result(race, make_entry(championship), None, status=ResultStatus.DNS)

    assert race.results.filter(position__isnull=True).count() == 2


def test_a_classified_result_needs_a_position(championship, race):
    assert_refused(
        lambda: make_result(race, make_entry(championship), None, status=ResultStatus.CLASSIFIED)
    )


def test_an_unclassified_result_has_no_position(championship, race):
    assert_refused(lambda: make_result(race, make_entry(championship), 3, status=ResultStatus.DNF))


def test_result_status_must_be_known(championship, race):
    result = make_result(race, make_entry(championship), None, status=ResultStatus.DNF)

    assert_refused(lambda: Result.objects.filter(pk=result.pk).update(status="RET"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("laps", -1),
        ("total_time", dt.timedelta(seconds=-1)),
        ("best_lap", dt.timedelta(seconds=-1)),
        ("best_lap", dt.timedelta(0)),
        ("grid", 0),
    ],
)
def test_laps_times_and_grid_are_not_negative(championship, race, field, value):
    result = make_result(race, make_entry(championship), 1)

    assert_refused(lambda: Result.objects.filter(pk=result.pk).update(**{field: value}))


@pytest.mark.parametrize("factor", ["2", "0.3", "1.5", "1.0"])
def test_points_factor_is_one_of_0_half_and_1(race, factor):
    assert_refused(lambda: Race.objects.filter(pk=race.pk).update(points_factor=factor))


@pytest.mark.parametrize("factor", ["0", "0.5", "1"])
def test_points_factor_accepts_0_half_and_1(race, factor):
    Race.objects.filter(pk=race.pk).update(points_factor=factor)

    race.refresh_from_db()
    assert race.factor == Decimal(factor)


def test_race_number_is_unique_in_a_meeting(race):
    assert_refused(lambda: make_race(race.meeting, race.number))


def test_round_is_unique_in_a_championship(championship):
    make_meeting(championship, 1)

    assert_refused(lambda: make_meeting(championship, 1))


def test_a_meeting_cannot_end_before_it_starts(championship):
    assert_refused(
        lambda: make_meeting(
            championship, 2, start_date=dt.date(2024, 5, 2), end_date=dt.date(2024, 5, 1)
        )
    )


@pytest.mark.parametrize(
    ("kind", "value", "with_race"),
    [
        (PenaltyKind.TIME, None, True),
        (PenaltyKind.TIME, Decimal(0), True),
        (PenaltyKind.TIME, Decimal(5), False),
        (PenaltyKind.DSQ, Decimal(5), True),
        (PenaltyKind.DSQ, None, False),
        (PenaltyKind.POINTS, None, False),
        (PenaltyKind.POINTS, Decimal(-3), False),
        ("FINE", Decimal(500), True),
    ],
)
def test_penalty_value_must_fit_its_kind(championship, race, kind, value, with_race):
    entry = make_entry(championship)

    assert_refused(
        lambda: make_penalty(
            entry, kind, race=race if with_race else None, meeting=race.meeting, value=value
        )
    )


@pytest.mark.parametrize(
    ("kind", "value", "with_race"),
    [
        (PenaltyKind.TIME, Decimal(5), True),
        (PenaltyKind.DSQ, None, True),
        (PenaltyKind.POINTS, Decimal(3), False),
    ],
)
def test_penalty_accepts_each_well_formed_kind(championship, race, kind, value, with_race):
    penalty = make_penalty(
        make_entry(championship),
        kind,
        race=race if with_race else None,
        meeting=race.meeting,
        value=value,
    )

    assert penalty.pk is not None


def test_an_entry_class_must_admit_the_entry_category(championship):
    gold = make_driver(category="GOLD")

    assert_refused(lambda: make_entry(championship, 12, driver=gold, class_code="AM"))


def test_changing_an_entry_into_a_class_that_refuses_its_category_is_refused(championship):
    entry = make_entry(championship, 12, driver=make_driver(category="GOLD"), class_code="PRO")
    am = championship.classes.get(code="AM")

    assert_refused(lambda: Entry.objects.filter(pk=entry.pk).update(entry_class=am))


def test_an_entry_class_that_admits_the_category_is_accepted(championship):
    bronze = make_driver(category="BRONZE")

    entry = make_entry(championship, 12, driver=bronze, class_code="AM")

    assert entry.entry_class.code == "AM"


def test_a_result_for_an_entry_of_another_championship_is_invalid(championship, race):
    other_entry = make_entry(make_championship(year=2023), 9)
    result = Result(race=race, entry=other_entry, position=1, laps=15)

    with pytest.raises(ValidationError) as excinfo:
        result.full_clean()

    assert excinfo.value.message_dict["entry"] == ["This entry belongs to another championship."]


def test_a_penalty_race_must_belong_to_its_round(championship, race):
    other_round = make_meeting(championship, 2)
    penalty = Penalty(
        meeting=other_round,
        race=race,
        entry=make_entry(championship),
        kind=PenaltyKind.DSQ,
        reason="Underweight",
    )

    with pytest.raises(ValidationError) as excinfo:
        penalty.full_clean()

    assert excinfo.value.message_dict["race"] == ["This race is not part of the chosen round."]


def test_a_penalty_for_an_entry_of_another_championship_is_invalid(championship, race):
    penalty = Penalty(
        meeting=race.meeting,
        race=race,
        entry=make_entry(make_championship(year=2023), 9),
        kind=PenaltyKind.DSQ,
        reason="Underweight",
    )

    with pytest.raises(ValidationError) as excinfo:
        penalty.full_clean()

    assert excinfo.value.message_dict["entry"] == ["This entry belongs to another championship."]


def test_changing_an_entry_category_to_one_its_class_refuses_is_refused(championship):
    entry = make_entry(championship, 12, driver=make_driver(category="BRONZE"), class_code="AM")

    assert_refused(lambda: Entry.objects.filter(pk=entry.pk).update(category="GOLD"))


def test_a_penalty_reads_its_value_without_an_exponent(championship, race):
    penalty = make_penalty(make_entry(championship, 30), race=race, value=Decimal("30.000"))

    assert str(penalty).startswith("Time penalty 30 · #30")
