"""``make_*`` helpers for the models of issue 7 (categories history, arrive-and-drive fleet).

They belong in tests/factories.py, which the lead keeps; until they move, tests import them
from here.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from championships.models import Meeting
from entries.models import (
    Car,
    CarAllocation,
    DriverClassification,
    Entry,
    Operator,
    PackageKind,
    SeatPackage,
)
from tests.factories import make_series

_seq = itertools.count(1)


def make_classification(driver, category: str, effective_from: dt.date, **fields):
    return DriverClassification.objects.create(
        driver=driver,
        category=category,
        effective_from=effective_from,
        source=fields.pop("source", "FIA_LIST"),
        **fields,
    )


def make_operator(name: str = "Cup Operations", series=None) -> Operator:
    operator, _ = Operator.objects.get_or_create(
        name=name, defaults={"series": series or make_series()}
    )
    return operator


def make_car(chassis_number: str | None = None, **fields) -> Car:
    return Car.objects.create(
        operator=fields.pop("operator", None) or make_operator(),
        chassis_number=chassis_number or f"WP0ZZZ99Z{next(_seq):05}",
        **fields,
    )


def make_package(entry: Entry, meeting: Meeting | None = None, **fields) -> SeatPackage:
    kind = PackageKind.SINGLE_MEETING if meeting else PackageKind.FULL_SEASON
    return SeatPackage.objects.create(
        entry=entry,
        kind=fields.pop("kind", kind),
        meeting=meeting,
        price=fields.pop("price", Decimal("185000.00")),
        currency=fields.pop("currency", "CNY"),
        **fields,
    )


def make_allocation(meeting: Meeting, car: Car, entry: Entry) -> CarAllocation:
    return CarAllocation.objects.create(meeting=meeting, car=car, entry=entry)
