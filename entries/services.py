"""Operations that write drivers' categories, eligibility decisions and the arrive-and-drive
fleet. Each is atomic and keyword-only; the admin, the commands and the imports call these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from championships.models import Championship, ChampionshipClass, Meeting, Race, Result
from championships.services import standings_invalidate
from entries.eligibility import (
    CategoryChange,
    CategorySpec,
    first_race_day_of,
    plan_changes,
)
from entries.models import (
    Car,
    CarAllocation,
    CarStatus,
    ClassificationSource,
    DamageReport,
    Driver,
    DriverClassification,
    EligibilityDecision,
    EligibilityFlag,
    Entry,
    EntryClassChange,
    ReviewOutcome,
    ReviewRequest,
    Team,
)

# --- Driver categories --------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    classifications: list[DriverClassification]
    changes: list[CategoryChange]
    flags: list[EligibilityFlag]


@transaction.atomic
def fia_categories_record(*, specs: list[CategorySpec]) -> Recorded:
    """Record classifications and flag every entry whose class no longer admits its driver.
    Entries themselves are not changed; the category in force is read from the records on
    the day asked, so nothing is brought up to date."""
    changes = plan_changes(specs)
    classifications = DriverClassification.objects.bulk_create(
        DriverClassification(**_fields(spec)) for spec in specs
    )
    flags = _raise_flags(changes, classifications)
    _invalidate({impact.entry.championship_id for c in changes for impact in c.impacts})
    return Recorded(classifications, changes, flags)


def driver_classify(
    *,
    driver: Driver,
    category: str,
    effective_from: dt.date,
    source: str,
    note: str = "",
    published_on: dt.date | None = None,
) -> Recorded:
    """Record one classification of one driver (see ``fia_categories_record``)."""
    spec = CategorySpec(driver, category, effective_from, source, note, published_on)
    classification = DriverClassification(**_fields(spec))
    classification.full_clean()  # the constraints, with their messages, before writing
    return fia_categories_record(specs=[spec])


def _fields(spec: CategorySpec) -> dict[str, object]:
    return {
        "driver": spec.driver,
        "category": spec.category,
        "effective_from": spec.effective_from,
        "source": spec.source,
        "note": spec.note,
        "published_on": spec.published_on,
    }


def _raise_flags(
    changes: list[CategoryChange], classifications: list[DriverClassification]
) -> list[EligibilityFlag]:
    return EligibilityFlag.objects.bulk_create(
        EligibilityFlag(entry=impact.entry, classification=classification, reason=impact.problem)
        for change, classification in zip(changes, classifications, strict=True)
        for impact in change.flagged
    )


def _invalidate(championship_ids: set[int]) -> None:
    # Pages and the API show each entry's category in force.
    for championship_id in sorted(championship_ids):
        standings_invalidate(championship_id=championship_id)


# --- Entries ------------------------------------------------------------------------------


@transaction.atomic
def entry_enter(
    *,
    championship: Championship,
    car_number: int,
    driver: Driver,
    team: Team,
    entry_class: ChampionshipClass,
    category: str,
    guest: bool = False,
    arrive_and_drive: bool = False,
    rookie: bool | None = None,
) -> Entry:
    """Add a car to the championship: the one write that enters one. The class admission
    rule and the unique number and driver are checked first (ValidationError naming the
    field); ``rookie`` None means "no earlier entry of this driver". The tables change."""
    if rookie is None:
        rookie = driver.pk is None or not driver.entries.exists()
    entry = Entry(
        championship=championship,
        car_number=car_number,
        driver=driver,
        team=team,
        entry_class=entry_class,
        category=category,
        guest=guest,
        arrive_and_drive=arrive_and_drive,
        rookie=rookie,
    )
    entry.full_clean()
    entry.save()
    standings_invalidate(championship_id=championship.pk)
    return entry


# --- Eligibility flags --------------------------------------------------------------------


@transaction.atomic
def eligibility_flag_resolve(
    *,
    flag: EligibilityFlag,
    decision: str,
    user: AbstractBaseUser | None,
    entry_class: ChampionshipClass | None = None,
    from_date: dt.date | None = None,
    note: str = "",
) -> EligibilityFlag:
    """Record the series manager's decision on a flag. ``MOVED`` moves the entry, with the
    new category, to ``entry_class`` or, if none is given, the one class that admits it,
    from ``from_date`` on (rule 7; default: the day the new category takes effect)."""
    flag = (
        EligibilityFlag.objects.select_for_update().select_related("classification").get(pk=flag.pk)
    )
    if not flag.is_open:
        raise ValidationError(_("This flag was resolved already."))
    if decision == EligibilityDecision.MOVED:
        day = from_date or flag.classification.effective_from
        note = note or _entry_move(flag, entry_class, day)
    flag.decision, flag.decision_note = decision, note
    flag.resolved_at, flag.resolved_by = timezone.now(), user
    flag.full_clean()
    flag.save()
    return flag


def flag_move_target(
    flag: EligibilityFlag, entry_class: ChampionshipClass | None
) -> ChampionshipClass:
    """The class a flagged entry moves to: ``entry_class`` or, if None, the one class of its
    season that admits the driver's new category. ValidationError if it does not admit them."""
    entry, category = flag.entry, flag.classification.category
    first_day = first_race_day_of(entry.championship_id)
    target = entry_class or _only_admitting_class(entry, category, first_day)
    if target.championship_id != entry.championship_id:
        raise ValidationError(_("This class belongs to another championship."))
    problem = entry.admission_problem(target, category, first_day)
    if problem:
        raise ValidationError(problem)
    return target


def _entry_move(
    flag: EligibilityFlag, entry_class: ChampionshipClass | None, from_date: dt.date
) -> str:
    """Move the flagged entry to a class that admits its new category from ``from_date``
    on; the decision note. Results before that day stay in the old class (rule 7)."""
    flag.entry = Entry.objects.select_for_update().with_people().get(pk=flag.entry_id)
    target = flag_move_target(flag, entry_class)
    entry, category = flag.entry, flag.classification.category
    note = _("Moved from %(old)s to %(new)s as %(category)s from %(day)s.") % {
        "old": entry.class_on(from_date).code,
        "new": target.code,
        "category": category,
        "day": from_date,
    }
    entry_class_move(entry=entry, entry_class=target, from_date=from_date, category=category)
    return note


@transaction.atomic
def entry_class_move(
    *,
    entry: Entry,
    entry_class: ChampionshipClass,
    from_date: dt.date,
    category: str | None = None,
    note: str = "",
) -> Entry:
    """Rule 7: the entry races in ``entry_class`` from ``from_date`` on; earlier races keep
    counting it in the class it held then. A move from the season's first race day or
    before changes the entry's class itself (its class at its first race), with its
    ``category`` if given. ValidationError for a class of another championship, the class
    it already holds that day, a second move on one day, or a class that does not admit the
    driver's category in force that day."""
    first_day = first_race_day_of(entry.championship_id)
    category = category or entry.category_on(from_date)
    class_move_check(entry, entry_class, from_date, category, first_day)
    if first_day is None or from_date <= first_day:
        entry.entry_class, entry.category = entry_class, category
        entry.full_clean()
        entry.save(update_fields=["entry_class", "category"])
    else:
        change = EntryClassChange(
            entry=entry, entry_class=entry_class, from_date=from_date, note=note
        )
        change.full_clean()
        change.save()
    standings_invalidate(championship_id=entry.championship_id)
    return entry


def class_move_check(
    entry: Entry,
    entry_class: ChampionshipClass,
    from_date: dt.date,
    category: str,
    first_day: dt.date | None,
) -> None:
    """Why ``entry_class_move`` would refuse the move, as a ValidationError."""
    if entry_class.championship_id != entry.championship_id:
        raise ValidationError(_("This class belongs to another championship."))
    if entry.class_on(from_date).pk == entry_class.pk:
        raise ValidationError(
            _("%(entry)s is in class %(code)s on %(day)s already.")
            % {"entry": entry, "code": entry_class.code, "day": from_date}
        )
    problem = entry.admission_problem(entry_class, category, first_day)
    if problem:
        raise ValidationError(problem)


def _only_admitting_class(
    entry: Entry, category: str, first_day: dt.date | None
) -> ChampionshipClass:
    classes = [
        entry_class
        for entry_class in entry.championship.classes.all()
        if entry.admission_problem(entry_class, category, first_day) is None
    ]
    if len(classes) != 1:
        raise ValidationError(
            _("%(count)s classes admit this driver as %(category)s; choose one.")
            % {"count": len(classes), "category": category}
        )
    return classes[0]


# --- FIA review requests ------------------------------------------------------------------


def review_request_file(
    *,
    classification: DriverClassification,
    asked_on: dt.date,
    requested_category: str = "",
    note: str = "",
) -> ReviewRequest:
    """A driver asks the FIA to review a classification; refused after the 15-day window."""
    review = ReviewRequest(
        classification=classification,
        asked_on=asked_on,
        requested_category=requested_category,
        note=note,
    )
    review.full_clean()
    review.save()
    return review


def review_decision_check(
    *, review: ReviewRequest, outcome: str, category: str, decided_on: dt.date
) -> None:
    """ValidationError unless the answer fits the request: decided on or after the day it was
    asked, and for a changed category, a new category that can be recorded."""
    if decided_on < review.asked_on:
        raise ValidationError(_("The decision cannot come before the request."))
    if outcome != ReviewOutcome.CHANGED:
        return
    reviewed = review.classification
    if not category or category == reviewed.category:
        raise ValidationError(_("A changed category needs a category other than the reviewed one."))
    DriverClassification(**_review_fields(review, category, decided_on)).full_clean()


def _review_fields(review: ReviewRequest, category: str, decided_on: dt.date) -> dict[str, object]:
    reviewed = review.classification
    return {
        "driver": reviewed.driver,
        "category": category,
        "effective_from": reviewed.effective_from,
        "source": ClassificationSource.FIA_REVIEW,
        "published_on": decided_on,
        "note": _("Review asked on %(day)s") % {"day": review.asked_on},
    }


@transaction.atomic
def review_request_decide(
    *,
    review: ReviewRequest,
    outcome: str,
    decided_on: dt.date,
    category: str = "",
    note: str = "",
) -> ReviewRequest:
    """Record the FIA's answer. A changed category is recorded as an FIA review decision
    effective when the reviewed classification was, which flags entries as any change does."""
    review = (
        ReviewRequest.objects.select_for_update()
        .select_related("classification__driver")
        .get(pk=review.pk)
    )
    if review.outcome != ReviewOutcome.PENDING:
        raise ValidationError(_("This review was decided already."))
    review_decision_check(review=review, outcome=outcome, category=category, decided_on=decided_on)
    if outcome == ReviewOutcome.CHANGED:
        spec = CategorySpec(**_review_fields(review, category, decided_on))
        review.decision = fia_categories_record(specs=[spec]).classifications[0]
    review.outcome, review.decided_on = outcome, decided_on
    review.note = note or review.note
    review.full_clean()
    review.save()
    return review


# --- Arrive-and-drive ---------------------------------------------------------------------


@transaction.atomic
def car_allocate(*, meeting: Meeting, car: Car, entry: Entry) -> CarAllocation:
    """Give ``car`` to ``entry`` for ``meeting``: refused for a damaged or retired car, a car
    already allocated at the meeting, or an entry that has a car there already."""
    car = Car.objects.select_for_update().get(pk=car.pk)  # its status cannot change meanwhile
    allocation = CarAllocation(meeting=meeting, car=car, entry=entry)
    allocation.full_clean()
    try:
        with transaction.atomic():
            allocation.save()
    except IntegrityError:  # a concurrent allocation won the race between check and write
        allocation.validate_constraints()
        raise
    return allocation


def car_allocation_release(*, allocation: CarAllocation) -> None:
    """The entry gives its car back; the car is spare again for the meeting."""
    allocation.delete()


@transaction.atomic
def damage_report(
    *,
    car: Car,
    meeting: Meeting,
    description: str,
    repair_cost: Decimal,
    currency: str,
    race: Race | None = None,
    billed_to: Entry | None = None,
    mark_damaged: bool = True,
) -> DamageReport:
    """Record damage to a car and, unless told otherwise, take it out of service until it is
    repaired (a staff member sets it available again)."""
    report = DamageReport(
        car=car,
        meeting=meeting,
        race=race,
        description=description,
        repair_cost=repair_cost,
        currency=currency,
        billed_to=billed_to,
    )
    report.full_clean()
    report.save()
    if mark_damaged and car.status == CarStatus.AVAILABLE:
        car.status = CarStatus.DAMAGED
        car.save(update_fields=["status"])
    return report


@transaction.atomic
def results_chassis_record(*, meeting: Meeting) -> int:
    """Fill in the chassis of the meeting's results from its car allocations, where a result
    has none yet; the number of results filled in."""
    chassis_of = dict(meeting.car_allocations.values_list("entry_id", "car_id"))
    results = list(
        Result.objects.filter(
            race__meeting=meeting, chassis__isnull=True, entry_id__in=chassis_of
        ).only("pk", "entry_id")
    )
    for result in results:
        result.chassis_id = chassis_of[result.entry_id]
    Result.objects.bulk_update(results, ["chassis"])
    return len(results)
