"""Fees: made on approval from the entry window, then what was invoiced and paid is recorded
by staff (no card processing), each record a step of the application; the rules of an
invoiced and a paid fee refused with their field named."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from entries.models import PaymentStatus, SeatPackage
from paddock.services.review import application_approve, fee_record
from tests.paddock.factories import make_application, make_entrant_team, make_window

pytestmark = pytest.mark.django_db


@pytest.fixture
def fee(django_user_model):
    application = make_application(make_window(), make_entrant_team())
    application_approve(application=application, by=None)
    return application.fees.get(kind="SEASON")


def test_invoiced_then_paid(fee, django_user_model):
    staff = django_user_model.objects.create_user("cashier", "cashier@example.com", "pw")

    fee_record(
        fee=fee,
        status=PaymentStatus.INVOICED,
        invoice_number=" INV-1 ",
        invoiced_on=dt.date(2027, 1, 5),
        by=staff,
    )
    fee_record(
        fee=fee,
        status=PaymentStatus.PAID,
        invoice_number="INV-1",
        invoiced_on=dt.date(2027, 1, 5),
        paid_on=dt.date(2027, 1, 20),
        by=staff,
    )

    fee.refresh_from_db()
    assert (fee.status, fee.invoice_number, fee.paid_on) == ("PAID", "INV-1", dt.date(2027, 1, 20))
    notes = list(fee.application.events.filter(by=staff).values_list("note", flat=True))
    assert notes == ["Season entry fee: Invoiced", "Season entry fee: Paid"]


def test_an_invoiced_fee_needs_its_number(fee):
    with pytest.raises(ValidationError) as raised:
        fee_record(fee=fee, status=PaymentStatus.INVOICED, invoice_number="  ", by=None)

    assert raised.value.message_dict == {
        "invoice_number": ["An invoiced fee needs its invoice number."]
    }
    fee.refresh_from_db()
    assert fee.status == PaymentStatus.UNPAID


def test_a_paid_fee_needs_its_day(fee):
    with pytest.raises(ValidationError) as raised:
        fee_record(fee=fee, status=PaymentStatus.PAID, by=None)

    assert raised.value.message_dict == {"paid_on": ["A paid fee needs the day it was paid."]}


def test_an_unknown_status_is_refused(fee):
    with pytest.raises(ValidationError, match="Choose a payment status"):
        fee_record(fee=fee, status="GIFT", by=None)


def test_a_refund_is_recorded(fee):
    fee_record(fee=fee, status=PaymentStatus.REFUNDED, by=None)

    fee.refresh_from_db()
    assert fee.status == PaymentStatus.REFUNDED


@pytest.mark.parametrize("seat", ["FULL_SEASON", "MEETING"])
def test_the_seat_fee_and_the_seat_package_are_one_payment(seat):
    window = make_window(seat_season_price=Decimal("200000"), seat_meeting_price=Decimal("30000"))
    meeting = window.championship.meetings.get() if seat == "MEETING" else None
    application = make_application(window, make_entrant_team(), seat=seat, meeting=meeting)
    application_approve(application=application, by=None)
    seat_fee, season_fee = application.fees.get(kind="SEAT"), application.fees.exclude(kind="SEAT")
    package = SeatPackage.objects.get(entry__applications=application)

    fee_record(fee=seat_fee, status=PaymentStatus.INVOICED, invoice_number="INV-9", by=None)
    package.refresh_from_db()
    assert package.payment_status == PaymentStatus.INVOICED

    fee_record(fee=seat_fee, status=PaymentStatus.PAID, paid_on=dt.date(2027, 2, 1), by=None)
    package.refresh_from_db()
    assert package.payment_status == PaymentStatus.PAID

    for other in season_fee:  # the entry fee and the deposit are not the seat's
        fee_record(fee=other, status=PaymentStatus.REFUNDED, by=None)
    package.refresh_from_db()
    assert package.payment_status == PaymentStatus.PAID


def test_a_refused_seat_fee_record_leaves_the_package_as_it_was():
    window = make_window(seat_season_price=Decimal("200000"))
    application = make_application(window, make_entrant_team(), seat="FULL_SEASON")
    application_approve(application=application, by=None)

    with pytest.raises(ValidationError):
        fee_record(fee=application.fees.get(kind="SEAT"), status=PaymentStatus.PAID, by=None)

    assert SeatPackage.objects.get().payment_status == PaymentStatus.UNPAID
