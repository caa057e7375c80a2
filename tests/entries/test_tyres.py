"""Tyres (issue 20): sets received into an operator's stock for a round, scanned out to a car
and back in, each refusal with its reason; the quota of new sets; the database's constraints;
the stock of a round."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from entries.models import (
    DEFAULT_NEW_SETS_PER_MEETING,
    TyreCompound,
    TyreDirection,
    TyreQuota,
    TyreScan,
    TyreSet,
    new_sets_quota,
)
from entries.tyres import (
    TyreRefused,
    barcodes_of,
    current_meeting,
    new_sets_fitted,
    tyre_scan,
    tyre_scan_cancel,
    tyre_sets_receive,
    tyre_stock,
)
from tests.factories import (
    make_championship,
    make_entry,
    make_meeting,
    make_operator,
    make_series,
)

OUT, IN = TyreDirection.OUT, TyreDirection.IN


@pytest.fixture
def meeting(db):
    """Round 1 of a 2025 season at Shanghai (UTC+8), with cars #7 and #12."""
    championship = make_championship(year=2025)
    meeting = make_meeting(championship, 1, start_date=dt.date(2025, 4, 19))
    make_entry(championship, 7)
    make_entry(championship, 12)
    return meeting


@pytest.fixture
def operator(meeting):
    return make_operator("Cup Operations", meeting.championship.series)


def receive(meeting, operator, *barcodes, compound=TyreCompound.DRY):
    return tyre_sets_receive(
        operator=operator, meeting=meeting, compound=compound, barcodes=barcodes, user=None
    )


def scan(meeting, barcode, car, direction=OUT):
    return tyre_scan(
        barcode=barcode, car_number=car, meeting=meeting, direction=direction, user=None
    )


def refusal(call, *args, **kwargs) -> list[str]:
    with pytest.raises(TyreRefused) as refused:
        call(*args, **kwargs)
    return refused.value.messages


# --- Receiving sets --------------------------------------------------------------------------


def test_sets_received_are_in_the_operators_stock_for_the_round(meeting, operator):
    sets = receive(meeting, operator, " mx-001 ", "MX-002")

    assert [s.barcode for s in TyreSet.objects.order_by("barcode")] == ["MX-001", "MX-002"]
    assert {(s.operator, s.meeting, s.compound) for s in sets} == {
        (operator, meeting, TyreCompound.DRY)
    }


def test_a_pasted_list_is_read_one_barcode_a_line():
    assert barcodes_of("MX-001\r\nMX-002\n\n  MX-003  \n") == ["MX-001", "MX-002", "MX-003"]


def test_a_receipt_refuses_every_duplicate_and_known_barcode_and_writes_nothing(meeting, operator):
    receive(meeting, operator, "MX-001")

    problems = refusal(receive, meeting, operator, "MX-002", "mx-002", "MX-001", "MX 3", "MX-004")

    assert problems == [
        "“MX 3” is not a barcode: letters, digits and hyphens only.",
        "MX-002 is listed 2 times.",
        "MX-001 was received already: Cup Operations, Round 1 · Shanghai International Circuit.",
    ]
    assert list(TyreSet.objects.values_list("barcode", flat=True)) == ["MX-001"]


def test_a_receipt_refuses_a_barcode_with_other_characters(meeting, operator):
    problems = refusal(receive, meeting, operator, "MX_001", "MX-002")

    assert problems == ["“MX_001” is not a barcode: letters, digits and hyphens only."]
    assert not TyreSet.objects.exists()


def test_a_receipt_refuses_an_operator_of_another_series(meeting):
    other = make_operator("Other Cup Operations", make_series("Another Cup"))

    problems = refusal(receive, meeting, other, "MX-001")

    assert problems == [
        "Other Cup Operations supplies Another Cup, not the series of "
        "Round 1 · Shanghai International Circuit."
    ]


def test_an_empty_receipt_is_refused(meeting, operator):
    assert refusal(receive, meeting, operator, " ", "") == [
        "Give at least one barcode, one a line."
    ]


# --- Scanning out: the rules -----------------------------------------------------------------


def test_a_new_set_scanned_out_is_fitted_to_the_car_and_counts_against_its_quota(meeting, operator):
    receive(meeting, operator, "MX-001")

    fitted = scan(meeting, "mx-001", 7)

    assert (fitted.entry.car_number, fitted.direction, fitted.first_fitting) == (7, OUT, True)
    assert new_sets_fitted(entry=fitted.entry, meeting=meeting) == 1


def test_unknown_barcode_is_refused_with_its_reason(meeting):
    assert refusal(scan, meeting, "mx-404", 7) == [
        "No tyre set has barcode MX-404: check the code or receive the set first."
    ]
    assert not TyreScan.objects.exists()


def test_a_car_not_entered_in_the_championship_is_refused(meeting, operator):
    receive(meeting, operator, "MX-001")

    assert refusal(scan, meeting, "MX-001", 99) == ["Car #99 is not an entry of this championship."]


def test_a_set_used_by_one_car_is_refused_to_another_with_when_it_was_fitted(meeting, operator):
    receive(meeting, operator, "MX-001")
    first = scan(meeting, "MX-001", 7)
    # 02:42 UTC is 10:42 at Shanghai, where the round is.
    TyreScan.objects.filter(pk=first.pk).update(
        scanned_at=dt.datetime(2025, 4, 19, 2, 42, tzinfo=dt.UTC)
    )
    scan(meeting, "MX-001", 7, IN)

    assert refusal(scan, meeting, "MX-001", 12) == [
        "Set MX-001 is car #7's (fitted at 10:42 on 19 Apr): a set used by one car is never "
        "fitted to another."
    ]
    assert TyreScan.objects.count() == 2


def test_the_quota_refuses_a_new_set_over_the_championships_quota(meeting, operator):
    receive(meeting, operator, *(f"MX-00{n}" for n in range(1, 6)))
    for n in range(1, 5):
        scan(meeting, f"MX-00{n}", 12)

    assert refusal(scan, meeting, "MX-005", 12) == [
        "Car #12 has fitted its 4 new sets at this round: the quota is 4 new sets a car."
    ]
    assert TyreSet.objects.get(barcode="MX-005").scans.count() == 0


def test_the_quota_is_the_championships_own_when_it_sets_one(meeting, operator):
    TyreQuota.objects.create(championship=meeting.championship, new_sets_per_meeting=1)
    receive(meeting, operator, "MX-001", "MX-002")
    scan(meeting, "MX-001", 12)

    assert refusal(scan, meeting, "MX-002", 12) == [
        "Car #12 has fitted its 1 new sets at this round: the quota is 1 new set a car."
    ]


def test_the_quota_is_four_new_sets_without_a_row(meeting):
    assert new_sets_quota(meeting.championship_id) == DEFAULT_NEW_SETS_PER_MEETING == 4


def test_the_quota_counts_new_sets_only_a_used_set_goes_out_again(meeting, operator):
    TyreQuota.objects.create(championship=meeting.championship, new_sets_per_meeting=1)
    receive(meeting, operator, "MX-001")
    scan(meeting, "MX-001", 12)
    scan(meeting, "MX-001", 12, IN)

    again = scan(meeting, "MX-001", 12)

    assert again.first_fitting is False
    assert new_sets_fitted(entry=again.entry, meeting=meeting) == 1


def test_the_quota_counts_each_car_on_its_own(meeting, operator):
    TyreQuota.objects.create(championship=meeting.championship, new_sets_per_meeting=1)
    receive(meeting, operator, "MX-001", "MX-002")
    scan(meeting, "MX-001", 12)

    assert scan(meeting, "MX-002", 7).first_fitting


def test_a_set_allocated_to_another_round_is_refused(meeting, operator):
    round_3 = make_meeting(meeting.championship, 3, start_date=dt.date(2025, 6, 14))
    receive(round_3, operator, "MX-001")

    assert refusal(scan, meeting, "MX-001", 7) == [
        "Set MX-001 was allocated to round 3, not this round."
    ]


def test_a_set_allocated_to_another_championship_is_refused(meeting, operator):
    other = make_championship(year=2025, name="Sprint Cup", series=meeting.championship.series)
    receive(make_meeting(other, 1), operator, "MX-001")

    assert refusal(scan, meeting, "MX-001", 7) == [
        "Set MX-001 was allocated to round 1 of Sprint Cup, not this championship."
    ]


def test_a_set_on_a_car_is_not_scanned_out_twice(meeting, operator):
    receive(meeting, operator, "MX-001")
    first = scan(meeting, "MX-001", 7)
    TyreScan.objects.filter(pk=first.pk).update(
        scanned_at=dt.datetime(2025, 4, 19, 6, 5, tzinfo=dt.UTC)
    )

    assert refusal(scan, meeting, "MX-001", 7) == [
        "Set MX-001 is on car #7 already (scanned out at 14:05 on 19 Apr): scan it in before "
        "fitting it again."
    ]


def test_a_set_out_needs_a_car_number(meeting, operator):
    receive(meeting, operator, "MX-001")

    assert refusal(scan, meeting, "MX-001", None) == [
        "Give the car number: a set is fitted to one car."
    ]


def test_an_empty_barcode_is_refused(meeting):
    assert refusal(scan, meeting, "  ", 7) == ["Scan or type the set's barcode."]


def test_a_direction_other_than_out_or_in_is_refused(meeting, operator):
    receive(meeting, operator, "MX-001")

    assert refusal(scan, meeting, "MX-001", 7, "SIDEWAYS") == [
        "Choose Out (fitted to the car) or In (returned)."
    ]


def test_a_set_kept_for_one_car_is_refused_to_another(meeting, operator):
    (kept,) = receive(meeting, operator, "MX-001")
    seven = meeting.championship.entries.get(car_number=7)
    TyreSet.objects.filter(pk=kept.pk).update(kept_for=seven)

    assert refusal(scan, meeting, "MX-001", 12) == [
        "Set MX-001 is kept for car #7 (a prize set): it is fitted to that car only."
    ]
    assert scan(meeting, "MX-001", 7).first_fitting


# --- Scanning in -----------------------------------------------------------------------------


def test_a_fitted_set_scanned_in_is_returned_by_its_car(meeting, operator):
    receive(meeting, operator, "MX-001")
    scan(meeting, "MX-001", 7)

    returned = scan(meeting, "MX-001", None, IN)

    assert (returned.entry.car_number, returned.direction, returned.first_fitting) == (7, IN, False)


def test_a_set_never_fitted_is_not_scanned_in(meeting, operator):
    receive(meeting, operator, "MX-001")

    assert refusal(scan, meeting, "MX-001", 7, IN) == [
        "Set MX-001 has never been fitted to a car: only a fitted set is scanned in."
    ]


def test_a_set_returned_is_not_scanned_in_twice(meeting, operator):
    receive(meeting, operator, "MX-001")
    scan(meeting, "MX-001", 7)
    returned = scan(meeting, "MX-001", 7, IN)
    TyreScan.objects.filter(pk=returned.pk).update(
        scanned_at=dt.datetime(2025, 4, 20, 8, 30, tzinfo=dt.UTC)
    )

    assert refusal(scan, meeting, "MX-001", 7, IN) == [
        "Set MX-001 was scanned in already at 16:30 on 20 Apr: scan it out before returning it "
        "again."
    ]


def test_a_set_scanned_in_for_another_car_names_its_own(meeting, operator):
    receive(meeting, operator, "MX-001")
    scan(meeting, "MX-001", 7)

    assert refusal(scan, meeting, "MX-001", 12, IN) == [
        "Set MX-001 is car #7's, not car #12's: check the car number."
    ]


# --- Cancelling a mistaken scan --------------------------------------------------------------


def test_cancelling_a_first_fitting_gives_the_set_back_new_and_the_car_its_quota(meeting, operator):
    receive(meeting, operator, "MX-001")
    mistaken = scan(meeting, "MX-001", 12)

    tyre_scan_cancel(scan=mistaken)

    assert not TyreScan.objects.exists()
    assert scan(meeting, "MX-001", 7).first_fitting


def test_only_the_latest_scan_of_a_set_is_cancelled(meeting, operator):
    receive(meeting, operator, "MX-001")
    fitted = scan(meeting, "MX-001", 7)
    scan(meeting, "MX-001", 7, IN)

    assert refusal(tyre_scan_cancel, scan=fitted) == [
        "Only the latest scan of set MX-001 is cancelled: cancel the later ones first."
    ]
    assert TyreScan.objects.count() == 2


# --- Constraints of the database -------------------------------------------------------------


def test_the_database_refuses_a_barcode_twice(meeting, operator):
    receive(meeting, operator, "MX-001")

    with pytest.raises(IntegrityError), transaction.atomic():
        TyreSet.objects.create(
            barcode="MX-001", compound=TyreCompound.WET, operator=operator, meeting=meeting
        )


def test_the_database_refuses_a_barcode_of_other_characters(meeting, operator):
    with pytest.raises(IntegrityError), transaction.atomic():
        TyreSet.objects.bulk_create(
            [TyreSet(barcode="mx 001", compound="DRY", operator=operator, meeting=meeting)]
        )


def test_a_barcode_saved_is_stripped_and_in_capitals(meeting, operator):
    tyre_set = TyreSet.objects.create(
        barcode="  mx-001 ", compound="DRY", operator=operator, meeting=meeting
    )

    assert TyreSet.objects.get(pk=tyre_set.pk).barcode == "MX-001"


def test_the_database_refuses_an_unknown_compound(meeting, operator):
    with pytest.raises(IntegrityError), transaction.atomic():
        TyreSet.objects.create(barcode="MX-001", compound="ICE", operator=operator, meeting=meeting)


def test_the_database_refuses_an_unknown_direction(meeting, operator):
    (tyre_set,) = receive(meeting, operator, "MX-001")
    entry = meeting.championship.entries.get(car_number=7)

    with pytest.raises(IntegrityError), transaction.atomic():
        TyreScan.objects.create(tyre_set=tyre_set, entry=entry, meeting=meeting, direction="UP")


def test_the_database_refuses_a_second_first_fitting_of_a_set(meeting, operator):
    (tyre_set,) = receive(meeting, operator, "MX-001")
    scan(meeting, "MX-001", 7)
    twelve = meeting.championship.entries.get(car_number=12)

    with pytest.raises(IntegrityError), transaction.atomic():
        TyreScan.objects.create(
            tyre_set=tyre_set, entry=twelve, meeting=meeting, direction=OUT, first_fitting=True
        )


def test_the_database_refuses_a_first_fitting_scanned_in(meeting, operator):
    (tyre_set,) = receive(meeting, operator, "MX-001")
    entry = meeting.championship.entries.get(car_number=7)

    with pytest.raises(IntegrityError), transaction.atomic():
        TyreScan.objects.create(
            tyre_set=tyre_set, entry=entry, meeting=meeting, direction=IN, first_fitting=True
        )


def test_the_database_refuses_a_quota_of_no_set(meeting):
    with pytest.raises(IntegrityError), transaction.atomic():
        TyreQuota.objects.create(championship=meeting.championship, new_sets_per_meeting=0)


def test_the_database_refuses_a_second_quota_for_a_championship(meeting):
    TyreQuota.objects.create(championship=meeting.championship, new_sets_per_meeting=4)

    with pytest.raises(IntegrityError), transaction.atomic():
        TyreQuota.objects.create(championship=meeting.championship, new_sets_per_meeting=5)


def test_a_set_of_an_operator_of_another_series_fails_its_check(meeting):
    other = make_operator("Other Cup Operations", make_series("Another Cup"))
    tyre_set = TyreSet(barcode="MX-001", compound="DRY", operator=other, meeting=meeting)

    with pytest.raises(ValidationError) as error:
        tyre_set.full_clean()

    assert error.value.message_dict == {
        "operator": [
            "Other Cup Operations supplies Another Cup, not the series of "
            "Round 1 · Shanghai International Circuit."
        ]
    }


def test_a_set_with_a_scan_is_protected_from_deletion(meeting, operator):
    (tyre_set,) = receive(meeting, operator, "MX-001")
    scan(meeting, "MX-001", 7)

    with pytest.raises(IntegrityError), transaction.atomic():
        tyre_set.delete()


# --- The stock of a round --------------------------------------------------------------------


def test_the_stock_counts_each_operators_sets_and_each_cars_new_sets(meeting, operator):
    second = make_operator("Tyre Partner", meeting.championship.series)
    receive(meeting, operator, "MX-001", "MX-002", "MX-003")
    receive(meeting, operator, "MW-001", compound=TyreCompound.WET)
    receive(meeting, second, "TP-001")
    scan(meeting, "MX-001", 7)
    scan(meeting, "MX-002", 7)
    scan(meeting, "MX-002", 7, IN)
    scan(meeting, "TP-001", 12)

    stock = tyre_stock(meeting)

    cup, partner = stock.operators
    assert (cup.operator, cup.received, cup.new, cup.on_cars, cup.returned) == (
        operator,
        4,
        2,
        1,
        1,
    )
    assert cup.by_compound == (("Dry (slick)", 3, 1), ("Wet", 1, 1))
    assert [(entry.car_number, count) for entry, count in cup.per_car] == [(7, 2)]
    assert (partner.received, partner.new, partner.on_cars) == (1, 0, 1)
    assert [(c.entry.car_number, c.new_sets, c.left, c.on_car, c.returned) for c in stock.cars] == [
        (7, 2, 2, ("MX-001",), ("MX-002",)),
        (12, 1, 3, ("TP-001",), ()),
    ]
    assert stock.quota == 4


def test_the_stock_of_a_round_without_sets_lists_every_car_with_its_quota(meeting):
    stock = tyre_stock(meeting)

    assert stock.operators == []
    assert [(c.entry.car_number, c.new_sets, c.left) for c in stock.cars] == [(7, 0, 4), (12, 0, 4)]


def test_the_round_to_scan_at_is_the_one_under_way(meeting):
    later = make_meeting(meeting.championship, 2, start_date=dt.date(2025, 5, 17))

    assert current_meeting(dt.date(2025, 4, 20)) == meeting
    assert current_meeting(dt.date(2025, 5, 1)) == meeting
    assert current_meeting(dt.date(2025, 5, 18)) == later
    assert current_meeting(dt.date(2025, 1, 1)) == meeting


def test_a_scan_records_who_scanned_and_when(meeting, operator, django_user_model):
    user = django_user_model.objects.create_user("tyres")
    receive(meeting, operator, "MX-001")
    before = timezone.now()

    recorded = tyre_scan(barcode="MX-001", car_number=7, meeting=meeting, direction=OUT, user=user)

    assert recorded.scanned_by == user and recorded.scanned_at >= before


def test_the_stock_is_read_in_four_queries(meeting, operator, django_assert_num_queries):
    receive(meeting, operator, "MX-001", "MX-002")
    scan(meeting, "MX-001", 7)
    scan(meeting, "MX-002", 12)
    scan(meeting, "MX-002", 12, IN)

    with django_assert_num_queries(4):
        stock = tyre_stock(meeting)

    assert [(c.entry.driver.full_name != "", c.new_sets) for c in stock.cars] == [
        (True, 1),
        (True, 1),
    ]


def test_a_receipt_refuses_a_barcode_longer_than_the_field_and_writes_nothing(meeting, operator):
    problems = refusal(receive, meeting, operator, "MX-" + "9" * 40, "MX-002")

    assert problems == [f"MX-{'9' * 40} is longer than 40 characters."]
    assert not TyreSet.objects.exists()


def test_the_round_under_way_is_read_in_the_circuits_own_day(meeting):
    # 20:30 UTC on the eve of the first day is already that day at the circuit (UTC+8).
    zone = meeting.circuit.zone
    first_morning = dt.datetime.combine(meeting.start_date, dt.time(4, 30), tzinfo=zone)
    eve_in_utc = first_morning.astimezone(dt.UTC)
    later = make_meeting(
        meeting.championship, 2, start_date=meeting.start_date + dt.timedelta(days=2)
    )

    assert eve_in_utc.date() < meeting.start_date or zone.utcoffset(first_morning) <= dt.timedelta(
        0
    )
    assert current_meeting(now=eve_in_utc) == meeting
    assert current_meeting(now=eve_in_utc + dt.timedelta(days=2, hours=1)) == later
