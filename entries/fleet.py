"""The arrive-and-drive fleet as the back office shows it: the allocation board of a meeting
and the fleet report (each car's meetings, races and damage history). Each is read in a fixed
number of queries however large the fleet."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from championships.models import Meeting, Result
from entries.models import (
    Car,
    CarAllocation,
    CarStatus,
    DamageReport,
    Entry,
    PackageKind,
    SeatPackage,
)


@dataclass(frozen=True)
class CarHistory:
    car: Car
    allocations: list[CarAllocation]  # one per meeting, oldest first
    results: list[Result]  # one per race it raced, oldest first
    damage: list[DamageReport]  # oldest first

    @property
    def meetings(self) -> list[Meeting]:
        """Meetings the car was allocated at or raced in, in date order."""
        seen = {a.meeting.pk: a.meeting for a in self.allocations}
        seen.update({r.race.meeting.pk: r.race.meeting for r in self.results})
        return sorted(seen.values(), key=lambda m: (m.start_date, m.pk))

    @property
    def repair_costs(self) -> dict[str, Decimal]:
        """Total repair cost per currency."""
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for report in self.damage:
            totals[report.currency] += report.repair_cost
        return dict(totals)


def fleet_cars(operator_id: int | None = None) -> QuerySet[Car]:
    cars = Car.objects.select_related("operator").prefetch_related(
        Prefetch(
            "allocations",
            queryset=CarAllocation.objects.select_related(
                "meeting__circuit", "meeting__championship", "entry__driver"
            ).order_by("meeting__start_date", "pk"),
        ),
        Prefetch(
            "results",
            queryset=Result.objects.select_related(
                "race__meeting__circuit", "race__meeting__championship", "entry__driver"
            ).order_by("race__starts_at", "pk"),
        ),
        Prefetch(
            "damage_reports",
            queryset=DamageReport.objects.select_related(
                "meeting__circuit", "race__meeting__circuit", "billed_to__driver"
            ).order_by("reported_at", "pk"),
        ),
    )
    return cars if operator_id is None else cars.filter(operator_id=operator_id)


def fleet_report(operator_id: int | None = None) -> list[CarHistory]:
    """Every car (of one operator, if given), by chassis number, in four queries."""
    return [
        CarHistory(
            car=car,
            allocations=list(car.allocations.all()),
            results=list(car.results.all()),
            damage=list(car.damage_reports.all()),
        )
        for car in fleet_cars(operator_id)
    ]


@dataclass(frozen=True)
class BoardRow:
    entry: Entry
    allocation: CarAllocation | None
    packages: list[SeatPackage]  # the full-season package or this meeting's


@dataclass(frozen=True)
class AllocationBoard:
    meeting: Meeting
    rows: list[BoardRow]  # the season's arrive-and-drive entries, by car number
    spare_cars: list[Car]  # available and not allocated at this meeting
    unavailable_cars: list[Car]  # damaged or retired, not allocated at this meeting


def allocation_board(meeting: Meeting) -> AllocationBoard:
    """Which chassis each arrive-and-drive entry has at the meeting, and the spare cars of the
    series' operators, in four queries."""
    entries = (
        meeting.championship.entries.filter(arrive_and_drive=True)
        .select_related("driver", "team", "entry_class")
        .order_by("car_number")
    )
    allocations = {a.entry_id: a for a in meeting.car_allocations.select_related("car")}
    packages = _packages(meeting)
    rows = [BoardRow(e, allocations.get(e.pk), packages.get(e.pk, [])) for e in entries]
    taken = {allocation.car_id for allocation in allocations.values()}
    cars = [car for car in _series_cars(meeting) if car.pk not in taken]
    return AllocationBoard(
        meeting=meeting,
        rows=rows,
        spare_cars=[car for car in cars if car.status == CarStatus.AVAILABLE],
        unavailable_cars=[car for car in cars if car.status != CarStatus.AVAILABLE],
    )


def _packages(meeting: Meeting) -> dict[int, list[SeatPackage]]:
    by_entry: dict[int, list[SeatPackage]] = defaultdict(list)
    packages = SeatPackage.objects.filter(
        Q(kind=PackageKind.FULL_SEASON) | Q(meeting=meeting),
        entry__championship_id=meeting.championship_id,
    )
    for package in packages.order_by("kind", "pk"):
        by_entry[package.entry_id].append(package)
    return by_entry


def _series_cars(meeting: Meeting) -> list[Car]:
    cars = Car.objects.filter(operator__series_id=meeting.championship.series_id)
    return list(cars.select_related("operator").order_by("chassis_number"))
