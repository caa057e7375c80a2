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
from tests.factories import CATEGORY_SINCE, make_series

_seq = itertools.count(1)


def make_classification(driver, category: str, effective_from: dt.date, **fields):
    return DriverClassification.objects.create(
        driver=driver,
        category=category,
        effective_from=effective_from,
        source=fields.pop("source", "FIA_LIST"),
        **fields,
    )


def recorded():
    """The classifications a test recorded, without the one ``make_driver`` gives each driver."""
    return DriverClassification.objects.exclude(effective_from=CATEGORY_SINCE)


def driver_form_inlines(driver=None, *new: dict[str, str]) -> dict[str, object]:
    """The driver admin form's two category inlines: the history as it is (notes only) and
    the ``new`` records to add (each a dict of category, effective_from, source, ...)."""
    records = list(driver.classifications.latest_first()) if driver else []
    data: dict[str, object] = _management("classifications", len(records), len(records))
    for i, record in enumerate(records):
        data |= {f"classifications-{i}-id": record.pk, f"classifications-{i}-note": record.note}
        data[f"classifications-{i}-driver"] = driver.pk
    data |= _management("classifications-2", len(new), 0)
    for i, fields in enumerate(new):
        data |= {f"classifications-2-{i}-{name}": value for name, value in fields.items()}
    return data


def _management(prefix: str, total: int, initial: int) -> dict[str, object]:
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


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
