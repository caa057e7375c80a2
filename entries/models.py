"""Drivers, teams and the entries (cars) of a championship."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from championships.models import (
    Championship,
    ChampionshipClass,
    FiaCategory,
    Meeting,
    Race,
    Series,
    check_entry_in_championship,
    country_validator,
)

# A driver may ask the FIA to review their category within this many days of its publication.
REVIEW_WINDOW_DAYS = 15
# Higher is faster: a move from Silver to Gold is a move up.
CATEGORY_RANK = {
    FiaCategory.BRONZE: 1,
    FiaCategory.SILVER: 2,
    FiaCategory.GOLD: 3,
    FiaCategory.PLATINUM: 4,
}
currency_validator = RegexValidator(
    r"^[A-Z]{3}$", _("Use an ISO 4217 currency code in capitals, e.g. CNY.")
)


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Whole years completed on ``day`` (a 29 February birthday counts on 1 March)."""
    had_birthday = (day.month, day.day) >= (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - (0 if had_birthday else 1)


def category_in_force_subquery(
    day: dt.date, driver: str = "pk", season_year: str | None = None
) -> Subquery:
    """The category of the latest classification effective on ``day`` of the driver that
    ``driver`` names in the outer query; NULL when none is recorded by then. With
    ``season_year`` (the outer query's season year), no later than that season's last day.

    The one reading of a driver's category: pages, exports, the API and the back office all
    go through it (issue 14.16)."""
    records = DriverClassification.objects.filter(driver=OuterRef(driver), effective_from__lte=day)
    if season_year is not None:
        records = records.filter(effective_from__year__lte=OuterRef(season_year))
    return Subquery(records.latest_first().values("category")[:1])


def class_in_force_subquery(day: dt.date) -> Subquery:
    """Rule 7: the class code of the outer entry's latest move from ``day`` or before and no
    later than its season's last meeting; NULL when none, so its first race's class holds."""
    last_meeting = Meeting.objects.filter(championship=OuterRef("entry__championship"))
    last_day = Subquery(last_meeting.order_by("-end_date").values("end_date")[:1])
    moves = EntryClassChange.objects.filter(entry=OuterRef("pk"), from_date__lte=day)
    moves = moves.filter(from_date__lte=last_day).order_by("-from_date")
    return Subquery(moves.values("entry_class__code")[:1])


class DriverQuerySet(models.QuerySet):
    def with_category_on(self, day: dt.date, name: str = "category_in_force") -> DriverQuerySet:
        """Adds ``name``: the category in force on ``day``, None if unrecorded."""
        return self.annotate(**{name: category_in_force_subquery(day)})


class Driver(models.Model):
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=170, unique=True)
    nationality = models.CharField(_("nationality"), max_length=2, validators=[country_validator])
    date_of_birth = models.DateField(_("date of birth"))
    # No category of its own: the dated classifications are the one source of truth, read
    # through ``category_on`` and the querysets' ``with_category_on`` (issue 14.16).

    objects = DriverQuerySet.as_manager()

    class Meta:
        verbose_name = _("driver")
        verbose_name_plural = _("drivers")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @staticmethod
    def slug_for(first_name: str, last_name: str) -> str:
        """The public slug a driver is given unless it is taken: from the name only, never the
        date of birth (issue 14.12: drivers include minors); ``driver_slugs_free`` tells
        namesakes apart with -2, -3."""
        return slugify(f"{first_name} {last_name}")[:160] or "driver"

    def category_on(self, day: dt.date) -> str | None:
        """The category in force on ``day``; None if no classification was effective yet."""
        return (
            self.classifications.filter(effective_from__lte=day)
            .latest_first()
            .values_list("category", flat=True)
            .first()
        )


def person_key(first_name: str, last_name: str, date_of_birth: dt.date) -> str:
    """Who a driver is, for an import to find them again: their name and birth year. Never
    shown nor stored: the public slug carries no birth data."""
    return slugify(f"{first_name} {last_name} {date_of_birth.year}")


def drivers_by_person(people: Iterable[tuple[str, str, dt.date]]) -> dict[str, Driver]:
    """The known drivers among ``people`` (first name, last name, date of birth), by
    ``person_key``, in one query; of namesakes born the same year, the first recorded."""
    keys = {person_key(*person) for person in people}
    years = {date_of_birth.year for _, _, date_of_birth in people}
    found: dict[str, Driver] = {}
    for driver in Driver.objects.filter(date_of_birth__year__in=years).order_by("pk"):
        key = person_key(driver.first_name, driver.last_name, driver.date_of_birth)
        if key in keys:
            found.setdefault(key, driver)
    return found


def driver_slugs_free(names: list[tuple[str, str]]) -> list[str]:
    """A free slug for each (first name, last name), in order: the name's slug, else with -2,
    -3... (taken by no driver, no former slug, nor an earlier name of the list)."""
    bases = [Driver.slug_for(first_name, last_name) for first_name, last_name in names]
    near = Q(pk__in=[])
    for base in set(bases):
        near |= Q(slug=base) | Q(slug__startswith=f"{base}-")
    taken = set(Driver.objects.filter(near).values_list("slug", flat=True))
    taken |= set(DriverSlugAlias.objects.filter(near).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


class DriverSlugAliasQuerySet(models.QuerySet):
    def moved_to(self, slug: str) -> str | None:
        """The current slug of the driver that ``slug`` named before, if any."""
        return self.filter(slug=slug).values_list("driver__slug", flat=True).first()

    def keep(self, *, slug: str, driver: Driver) -> None:
        """Keep ``slug`` as a former slug of ``driver``, whose slug changes."""
        self.update_or_create(slug=slug, defaults={"driver": driver})


class DriverSlugAlias(models.Model):
    """A driver's former public slug (with the birth year, before issue 14.12), kept only so
    that its old addresses answer 301 with the current one; never shown or listed."""

    slug = models.SlugField(_("former slug"), max_length=170, unique=True)
    driver = models.ForeignKey(
        Driver, on_delete=models.CASCADE, related_name="slug_aliases", verbose_name=_("driver")
    )

    objects = DriverSlugAliasQuerySet.as_manager()

    class Meta:
        verbose_name = _("former driver slug")
        verbose_name_plural = _("former driver slugs")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug


class Team(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EntryQuerySet(models.QuerySet):
    def with_people(self) -> EntryQuerySet:
        return self.select_related("driver", "team", "entry_class", "championship")

    def with_category_on(self, day: dt.date, *, within_season: bool = False) -> EntryQuerySet:
        """Adds ``category_in_force``: the driver's category in force on ``day``, or the
        entry's own category for the season when no classification is recorded by then.
        ``within_season``: no later than the last day of each entry's season, so a past
        season's entry shows the category its driver ended that season with."""
        year = "championship__year" if within_season else None
        in_force = category_in_force_subquery(day, "driver", year)
        return self.annotate(category_in_force=Coalesce(in_force, F("category")))

    def as_shown_on(self, day: dt.date) -> EntryQuerySet:
        """The category and class an entry list shows on ``day`` (and its filters compare)."""
        return self.with_category_on(day, within_season=True).with_class_on(day)

    def with_class_on(self, day: dt.date) -> EntryQuerySet:
        """Adds ``class_in_force``: rule 7's class code on ``day``, no later than the last
        meeting of each entry's season (a past season shows the class it ended with), else
        the class at the entry's first race. ``Entry.class_on`` reads one entry the same way;
        this reads a list in its own query."""
        moved = class_in_force_subquery(day)
        return self.annotate(class_in_force=Coalesce(moved, F("entry_class__code")))


class Entry(models.Model):
    """A car in a championship: its number, driver, team and class for the season."""

    championship = models.ForeignKey(
        Championship,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("championship"),
    )
    car_number = models.PositiveSmallIntegerField(
        _("car number"), validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    driver = models.ForeignKey(
        Driver, on_delete=models.PROTECT, related_name="entries", verbose_name=_("driver")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="entries", verbose_name=_("team")
    )
    entry_class = models.ForeignKey(
        ChampionshipClass,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("class"),
    )
    category = models.CharField(
        _("FIA category"),
        max_length=10,
        choices=FiaCategory.choices,
        help_text=_("The driver's category for this season, under which the class admits them."),
    )
    rookie = models.BooleanField(_("rookie"), default=False)
    guest = models.BooleanField(
        _("guest"), default=False, help_text=_("Guests race but never score.")
    )
    arrive_and_drive = models.BooleanField(_("arrive-and-drive"), default=False)
    dealer_trophy = models.BooleanField(_("dealer trophy"), default=False)

    objects = EntryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["championship", "car_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["championship", "car_number"], name="entry_car_number_unique"
            ),
            models.UniqueConstraint(fields=["championship", "driver"], name="entry_one_per_driver"),
            models.CheckConstraint(
                condition=Q(car_number__gte=1) & Q(car_number__lte=999),
                name="entry_car_number_range",
            ),
            models.CheckConstraint(
                condition=Q(category__in=FiaCategory.values), name="entry_category_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.car_number} {self.driver}"

    def clean(self) -> None:
        if not (self.championship_id and self.entry_class_id and self.driver_id and self.category):
            return
        if self.entry_class.championship_id != self.championship_id:
            raise ValidationError({"entry_class": _("This class belongs to another championship.")})
        problem = self.admission_problem(
            self.entry_class, self.category, self.championship.first_race_day()
        )
        if problem:
            raise ValidationError({"entry_class": problem})

    def admission_problem(
        self, entry_class: ChampionshipClass, category: str, first_day: dt.date | None
    ) -> str | None:
        """Why ``entry_class`` would not admit this entry's driver as ``category`` in a season
        whose first race day is ``first_day``; None if it would."""
        return class_admission_problem(
            entry_class,
            category=category,
            date_of_birth=self.driver.date_of_birth,
            first_day=first_day,
        )

    def category_on(self, day: dt.date) -> str:
        """The driver's category in force on ``day``, else the entry's own for the season."""
        return self.driver.category_on(day) or self.category

    def class_on(self, day: dt.date) -> ChampionshipClass:
        """Rule 7: the class the entry holds on ``day``: its latest move from that day or
        before, else ``entry_class``, its class at its first race."""
        move = (
            self.class_changes.filter(from_date__lte=day)
            .select_related("entry_class")
            .order_by("-from_date")
            .first()
        )
        return move.entry_class if move else self.entry_class


class EntryClassChange(models.Model):
    """Rule 7: the entry moves to ``entry_class`` from ``from_date`` on; races starting that
    day or later (in the circuit's local time) count it in that class."""

    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="class_changes", verbose_name=_("entry")
    )
    entry_class = models.ForeignKey(
        ChampionshipClass,
        on_delete=models.PROTECT,
        related_name="class_changes",
        verbose_name=_("class"),
    )
    from_date = models.DateField(pgettext_lazy("the day a class move takes effect", "from"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("class change")
        verbose_name_plural = _("class changes")
        ordering = ["entry", "from_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "from_date"],
                name="entry_class_change_one_per_day",
                violation_error_message=_("This entry already changes class on this date."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(entry)s: %(code)s from %(day)s") % {
            "entry": self.entry,
            "code": self.entry_class.code,
            "day": self.from_date,
        }


def class_admission_problem(
    entry_class: ChampionshipClass,
    *,
    category: str,
    date_of_birth: dt.date,
    first_day: dt.date | None,
) -> str | None:
    """The one rule of class admission, shared by the admin, the import and the API."""
    if category not in entry_class.categories:
        return _("Class %(code)s admits %(allowed)s, not %(category)s.") % {
            "code": entry_class.code,
            "allowed": ", ".join(entry_class.categories),
            "category": category,
        }
    if entry_class.min_age is not None and first_day is not None:
        age = age_on(date_of_birth, first_day)
        if age < entry_class.min_age:
            return _(
                "Class %(code)s needs drivers aged %(min)s or more on %(day)s; "
                "this driver is %(age)s."
            ) % {"code": entry_class.code, "min": entry_class.min_age, "day": first_day, "age": age}
    return None


# --- FIA driver categories as dated data ----------------------------------------------------


class ClassificationSource(models.TextChoices):
    FIA_LIST = "FIA_LIST", _("FIA annual list")
    FIA_REVIEW = "FIA_REVIEW", _("FIA review decision")
    SERIES = "SERIES", _("Series decision")


def category_move(before: str | None, after: str) -> str:
    """ "up", "down" or "same" from ``before`` to ``after``; "new" without a ``before``."""
    if before is None:
        return "new"
    step = CATEGORY_RANK[after] - CATEGORY_RANK[before]
    return "up" if step > 0 else "down" if step < 0 else "same"


class DriverClassificationQuerySet(models.QuerySet):
    def latest_first(self) -> DriverClassificationQuerySet:
        # On the same day the later record wins: a review decision over the annual list.
        return self.order_by("-effective_from", "-recorded_at", "-pk")


class DriverClassification(models.Model):
    """A driver's FIA category from a date on, and who decided it. The latest one effective
    on a date is the category in force that day."""

    driver = models.ForeignKey(
        Driver,
        on_delete=models.CASCADE,
        related_name="classifications",
        verbose_name=_("driver"),
    )
    category = models.CharField(_("FIA category"), max_length=10, choices=FiaCategory.choices)
    effective_from = models.DateField(_("effective from"))
    source = models.CharField(_("source"), max_length=12, choices=ClassificationSource.choices)
    published_on = models.DateField(
        _("published on"),
        null=True,
        blank=True,
        help_text=_(
            "The day the FIA published it; the review window runs from this day. "
            "Empty: the effective date."
        ),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    objects = DriverClassificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("driver classification")
        verbose_name_plural = _("driver classifications")
        ordering = ["driver", "-effective_from", "-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["driver", "effective_from", "source"],
                name="classification_one_per_driver_day_source",
                violation_error_message=_(
                    "This driver already has a classification from this source on this date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(category__in=FiaCategory.values), name="classification_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=ClassificationSource.values),
                name="classification_source_valid",
            ),
        ]

    def __str__(self) -> str:
        return _("%(driver)s: %(category)s from %(day)s (%(source)s)") % {
            "driver": self.driver,
            "category": self.get_category_display(),
            "day": self.effective_from,
            "source": self.get_source_display(),
        }

    @property
    def review_deadline(self) -> dt.date:
        """The last day a driver may ask the FIA to review this classification."""
        start = self.published_on or self.effective_from
        return start + dt.timedelta(days=REVIEW_WINDOW_DAYS)


class EligibilityDecision(models.TextChoices):
    KEPT = "KEPT", _("Kept in its class by a series decision")
    MOVED = "MOVED", _("Moved to a class that admits the new category")


class EligibilityFlagQuerySet(models.QuerySet):
    def open(self) -> EligibilityFlagQuerySet:
        return self.filter(resolved_at__isnull=True)


class EligibilityFlag(models.Model):
    """An entry whose class no longer admits its driver after a category change, waiting for
    the series manager's decision. The entry is left as it was until then."""

    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="eligibility_flags", verbose_name=_("entry")
    )
    classification = models.ForeignKey(
        DriverClassification,
        on_delete=models.PROTECT,
        related_name="flags",
        verbose_name=_("category change"),
    )
    reason = models.CharField(_("reason"), max_length=300)
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=EligibilityDecision.choices, blank=True
    )
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)

    objects = EligibilityFlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("eligibility flag")
        verbose_name_plural = _("eligibility flags")
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "classification"], name="eligibility_flag_once_per_change"
            ),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decision__in=EligibilityDecision.values),
                name="eligibility_flag_decision_valid",
            ),
            models.CheckConstraint(
                condition=(Q(decision="") & Q(resolved_at__isnull=True))
                | (~Q(decision="") & Q(resolved_at__isnull=False)),
                name="eligibility_flag_resolved_iff_decided",
            ),
        ]

    def __str__(self) -> str:
        return _("%(entry)s: %(reason)s") % {"entry": self.entry, "reason": self.reason}

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class ReviewOutcome(models.TextChoices):
    PENDING = "PENDING", _("Pending")
    CONFIRMED = "CONFIRMED", _("Category confirmed")
    CHANGED = "CHANGED", _("Category changed")
    WITHDRAWN = "WITHDRAWN", _("Withdrawn by the driver")


class ReviewRequest(models.Model):
    """A driver's request that the FIA review a classification, and the FIA's decision."""

    classification = models.ForeignKey(
        DriverClassification,
        on_delete=models.PROTECT,
        related_name="review_requests",
        verbose_name=_("classification reviewed"),
    )
    asked_on = models.DateField(_("asked on"))
    requested_category = models.CharField(
        _("category asked for"), max_length=10, choices=FiaCategory.choices, blank=True
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=ReviewOutcome.choices, default=ReviewOutcome.PENDING
    )
    decision = models.ForeignKey(
        DriverClassification,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_decisions",
        verbose_name=_("classification decided"),
        help_text=_("The FIA review decision recorded when the category changed."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("review request")
        verbose_name_plural = _("review requests")
        ordering = ["-asked_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["classification"],
                name="review_request_one_per_classification",
                violation_error_message=_("This classification has a review request already."),
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=ReviewOutcome.values), name="review_request_outcome_valid"
            ),
            models.CheckConstraint(
                condition=(Q(outcome=ReviewOutcome.PENDING) & Q(decided_on__isnull=True))
                | (
                    ~Q(outcome=ReviewOutcome.PENDING)
                    & Q(decided_on__isnull=False)
                    & Q(decided_on__gte=F("asked_on"))
                ),
                name="review_request_decided_iff_not_pending",
            ),
            models.CheckConstraint(
                condition=(Q(outcome=ReviewOutcome.CHANGED) & Q(decision__isnull=False))
                | (~Q(outcome=ReviewOutcome.CHANGED) & Q(decision__isnull=True)),
                name="review_request_decision_iff_changed",
            ),
        ]

    def __str__(self) -> str:
        return _("Review of %(classification)s asked on %(day)s") % {
            "classification": self.classification,
            "day": self.asked_on,
        }

    def is_within_window(self) -> bool:
        """Asked no later than 15 days after the classification was published."""
        return self.asked_on <= self.classification.review_deadline

    def clean(self) -> None:
        if self.classification_id and self.asked_on and not self.is_within_window():
            raise ValidationError(
                {
                    "asked_on": _(
                        "A review must be asked within %(days)s days of publication, "
                        "by %(deadline)s."
                    )
                    % {"days": REVIEW_WINDOW_DAYS, "deadline": self.classification.review_deadline}
                }
            )


# --- Arrive-and-drive: the operator's fleet, seat packages, allocations, damage -------------


class Operator(models.Model):
    """The company that owns a series' cars and rents seats to arrive-and-drive entries."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, related_name="operators", verbose_name=_("series")
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("operator")
        verbose_name_plural = _("operators")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CarStatus(models.TextChoices):
    AVAILABLE = "AVAILABLE", _("Available")
    DAMAGED = "DAMAGED", _("Damaged")
    RETIRED = "RETIRED", _("Retired")


class Car(models.Model):
    operator = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="cars", verbose_name=_("operator")
    )
    chassis_number = models.CharField(_("chassis number"), max_length=40, unique=True)
    model = models.CharField(_("model"), max_length=80, default="911 GT3 Cup (992)")
    status = models.CharField(
        _("status"), max_length=10, choices=CarStatus.choices, default=CarStatus.AVAILABLE
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("car")
        verbose_name_plural = _("cars")
        ordering = ["chassis_number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CarStatus.values), name="car_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(chassis_number=""), name="car_chassis_number_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.chassis_number

    def allocation_problem(self) -> str | None:
        """Why this car cannot be given to an entry; None if it can."""
        if self.status == CarStatus.AVAILABLE:
            return None
        return _("Chassis %(chassis)s is %(status)s and cannot be allocated.") % {
            "chassis": self.chassis_number,
            "status": self.get_status_display().lower(),
        }


class PackageKind(models.TextChoices):
    FULL_SEASON = "FULL_SEASON", _("Full season")
    SINGLE_MEETING = "MEETING", _("Single meeting")


class PaymentStatus(models.TextChoices):
    UNPAID = "UNPAID", _("Unpaid")
    INVOICED = "INVOICED", _("Invoiced")
    PAID = "PAID", _("Paid")
    REFUNDED = "REFUNDED", _("Refunded")


def money_checks(prefix: str, amount: str) -> list[models.CheckConstraint]:
    """An amount of 0 or more in a currency of three capital letters."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{amount}__gte": 0}), name=f"{prefix}_{amount}_not_negative"
        ),
        models.CheckConstraint(
            condition=Q(currency__regex=r"^[A-Z]{3}$"), name=f"{prefix}_currency_iso_4217"
        ),
    ]


class SeatPackage(models.Model):
    """A seat sold to an arrive-and-drive entry, for the season or one meeting."""

    entry = models.ForeignKey(
        Entry, on_delete=models.PROTECT, related_name="seat_packages", verbose_name=_("entry")
    )
    kind = models.CharField(_("package"), max_length=12, choices=PackageKind.choices)
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seat_packages",
        verbose_name=_("meeting"),
        help_text=_("Only for a single-meeting package."),
    )
    price = models.DecimalField(
        _("price"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[currency_validator])
    payment_status = models.CharField(
        _("payment"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID
    )

    class Meta:
        verbose_name = _("seat package")
        verbose_name_plural = _("seat packages")
        ordering = ["entry", "meeting"]
        constraints = [
            *money_checks("seat_package", "price"),
            models.CheckConstraint(
                condition=Q(kind__in=PackageKind.values), name="seat_package_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(payment_status__in=PaymentStatus.values),
                name="seat_package_payment_status_valid",
            ),
            models.CheckConstraint(
                condition=(Q(kind=PackageKind.FULL_SEASON) & Q(meeting__isnull=True))
                | (Q(kind=PackageKind.SINGLE_MEETING) & Q(meeting__isnull=False)),
                name="seat_package_meeting_iff_single",
            ),
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(kind=PackageKind.FULL_SEASON),
                name="seat_package_one_full_season_per_entry",
                violation_error_message=_("This entry has a full-season package already."),
            ),
            models.UniqueConstraint(
                fields=["entry", "meeting"],
                name="seat_package_one_per_entry_meeting",
                violation_error_message=_("This entry has a package for this meeting already."),
            ),
        ]

    def __str__(self) -> str:
        what = self.meeting if self.meeting_id else self.get_kind_display()
        return f"{self.entry} · {what} · {self.price} {self.currency}"

    def clean(self) -> None:
        if not self.entry_id:
            return
        if not self.entry.arrive_and_drive:
            raise ValidationError({"entry": _("Seats are sold to arrive-and-drive entries only.")})
        if self.meeting_id:
            check_entry_in_championship(self.entry, self.meeting.championship_id)
        if self.kind == PackageKind.SINGLE_MEETING and self._full_season_sold():
            raise ValidationError(
                {"kind": _("This entry has a full-season package, which covers every meeting.")}
            )

    def _full_season_sold(self) -> bool:
        packages = SeatPackage.objects.filter(entry_id=self.entry_id, kind=PackageKind.FULL_SEASON)
        return packages.exclude(pk=self.pk).exists()


class CarAllocation(models.Model):
    """Which chassis an arrive-and-drive entry races at a meeting."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="car_allocations", verbose_name=_("meeting")
    )
    car = models.ForeignKey(
        Car, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("chassis")
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="car_allocations", verbose_name=_("entry")
    )

    class Meta:
        verbose_name = _("car allocation")
        verbose_name_plural = _("car allocations")
        ordering = ["meeting", "entry__car_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "car"],
                name="car_allocation_chassis_once_per_meeting",
                violation_error_message=_(
                    "This chassis is already allocated to another entry at this meeting; "
                    "choose a spare car."
                ),
            ),
            models.UniqueConstraint(
                fields=["meeting", "entry"],
                name="car_allocation_one_chassis_per_entry",
                violation_error_message=_("This entry already has a chassis at this meeting."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.car} → {self.entry}"

    def clean(self) -> None:
        if self.meeting_id and self.entry_id:
            check_entry_in_championship(self.entry, self.meeting.championship_id)
            if not self.entry.arrive_and_drive:
                raise ValidationError({"entry": _("This entry is not arrive-and-drive.")})
        if self.car_id and self._car_is_new():
            problem = self.car.allocation_problem()
            if problem:
                raise ValidationError({"car": problem})

    def _car_is_new(self) -> bool:
        """A car damaged after it was allocated stays on its allocation until someone swaps it."""
        if self._state.adding:
            return True
        return not CarAllocation.objects.filter(pk=self.pk, car_id=self.car_id).exists()


class DamageReport(models.Model):
    car = models.ForeignKey(
        Car, on_delete=models.PROTECT, related_name="damage_reports", verbose_name=_("chassis")
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="damage_reports", verbose_name=_("meeting")
    )
    race = models.ForeignKey(
        Race,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="damage_reports",
        verbose_name=_("race"),
        help_text=_("Empty for damage outside a race, e.g. in practice."),
    )
    description = models.TextField(_("description"))
    repair_cost = models.DecimalField(
        _("repair cost"),
        max_digits=10,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[currency_validator])
    billed_to = models.ForeignKey(
        Entry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="damage_bills",
        verbose_name=_("billed to"),
    )
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)

    class Meta:
        verbose_name = _("damage report")
        verbose_name_plural = _("damage reports")
        ordering = ["-reported_at", "-pk"]
        constraints = money_checks("damage_report", "repair_cost")

    def __str__(self) -> str:
        return _("%(chassis)s damaged at %(meeting)s") % {
            "chassis": self.car,
            "meeting": self.meeting,
        }

    def clean(self) -> None:
        if self.race_id and self.meeting_id and self.race.meeting_id != self.meeting_id:
            raise ValidationError({"race": _("This race is not part of the chosen meeting.")})
        if self.billed_to_id and self.meeting_id:
            check_entry_in_championship(
                self.billed_to, self.meeting.championship_id, field="billed_to"
            )
