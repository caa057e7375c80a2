"""What a category change does to a driver's entries, worked out before anything is written.

The revision import's dry run shows this plan, and the service that records classifications
raises a flag for each entry in it whose class no longer admits the driver. A change effective
on a date concerns the driver's entries in seasons of that year and later; each is checked with
``class_admission_problem``, the one admission rule.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from championships.models import Championship, Race
from entries.models import (
    Driver,
    DriverClassification,
    Entry,
    category_move,
)


@dataclass(frozen=True)
class CategorySpec:
    """A classification to record; ``line`` is its line in an imported file, if any."""

    driver: Driver
    category: str
    effective_from: dt.date
    source: str
    note: str = ""
    published_on: dt.date | None = None
    line: int | None = None


@dataclass(frozen=True)
class EntryImpact:
    """An entry of the driver whose season's category differs from the new one."""

    entry: Entry
    problem: str | None  # why its class no longer admits the driver; None: it still does

    @property
    def flagged(self) -> bool:
        return self.problem is not None


@dataclass
class CategoryChange:
    spec: CategorySpec
    before: str | None  # in force the day before; None if unrecorded
    impacts: list[EntryImpact] = field(default_factory=list)

    @property
    def move(self) -> str:
        """up, down, same or new."""
        return category_move(self.before, self.spec.category)

    @property
    def flagged(self) -> list[EntryImpact]:
        return [impact for impact in self.impacts if impact.flagged]


def plan_changes(specs: list[CategorySpec]) -> list[CategoryChange]:
    """Each spec with the category it replaces and its entries' impacts, in four queries."""
    driver_ids = {spec.driver.pk for spec in specs}
    history = _history(driver_ids)
    entries = _entries(driver_ids, min((s.effective_from for s in specs), default=None))
    first_days = first_race_days({entry.championship_id for entry in entries})
    for spec in specs:  # a file may change one driver twice: the later row follows the earlier
        history[spec.driver.pk].append(spec)
    return [_change(spec, history[spec.driver.pk], entries, first_days) for spec in specs]


def _change(
    spec: CategorySpec,
    history: list[DriverClassification | CategorySpec],
    entries: list[Entry],
    first_days: dict[int, dt.date | None],
) -> CategoryChange:
    earlier = [c for c in history if c.effective_from < spec.effective_from]
    latest = max(earlier, key=lambda c: c.effective_from, default=None)
    before = latest.category if latest else None
    mine = [
        entry
        for entry in entries
        if entry.driver_id == spec.driver.pk
        and entry.championship.year >= spec.effective_from.year
        and entry.category != spec.category
    ]
    impacts = [
        EntryImpact(
            entry,
            entry.admission_problem(
                entry.entry_class, spec.category, first_days.get(entry.championship_id)
            ),
        )
        for entry in mine
    ]
    return CategoryChange(spec, before, impacts)


def _history(driver_ids: set[int]) -> dict[int, list[DriverClassification | CategorySpec]]:
    """Each driver's recorded classifications, latest first."""
    by_driver: dict[int, list[DriverClassification | CategorySpec]] = defaultdict(list)
    for classification in DriverClassification.objects.filter(
        driver_id__in=driver_ids
    ).latest_first():
        by_driver[classification.driver_id].append(classification)
    return by_driver


def _entries(driver_ids: set[int], earliest: dt.date | None) -> list[Entry]:
    if earliest is None:
        return []
    return list(
        Entry.objects.with_people()
        .filter(driver_id__in=driver_ids, championship__year__gte=earliest.year)
        .order_by("championship__year", "car_number")
    )


def first_race_day_of(championship_id: int) -> dt.date | None:
    """One championship's first race day, by the same query as ``first_race_days``."""
    return first_race_days({championship_id})[championship_id]


def admission_day(championship: Championship) -> dt.date:
    """The day an application to ``championship`` is judged on (the driver's category in force
    and age for the class, the documents of a season entry): its first race day; before any
    race is scheduled, its first meeting's first day, else 1 January of its year. The one
    reading for the application, its review and the back office's review panel."""
    first = first_race_day_of(championship.pk)
    if first is not None:
        return first
    start = championship.meetings.order_by("start_date").values_list("start_date", flat=True)
    return start.first() or dt.date(championship.year, 1, 1)


def first_race_days(championship_ids: set[int]) -> dict[int, dt.date | None]:
    """Each championship's first race day at its circuit, as ``first_race_day`` gives it,
    for many championships in one query."""
    races = (
        Race.objects.filter(meeting__championship_id__in=championship_ids)
        .select_related("meeting__circuit")
        .order_by("-starts_at")
    )
    days: dict[int, dt.date | None] = dict.fromkeys(championship_ids)
    for race in races:  # latest first, so the first race is written last
        days[race.meeting.championship_id] = race.local_start.date()
    return days
