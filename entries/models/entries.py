"""Drivers, teams and the entries (cars) of a championship, with their class moves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from championships.models import (
    Championship,
    ChampionshipClass,
    FiaCategory,
    Meeting,
    country_validator,
)
from core.models import NamedWithSlug


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
    go through it."""
    # Here beside the entries' and drivers' querysets that read it; the records' module
    # imports this one, hence the import at call time.
    from entries.models.fia_categories import DriverClassification

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
    # through ``category_on`` and the querysets' ``with_category_on``.

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
        date of birth (drivers include minors); ``driver_slugs_free`` tells
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
    """A driver's former public slug (with the birth year, as slugs were once made), kept
    only so that its old addresses answer 301 with the current one; never shown or listed."""

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


class Team(NamedWithSlug):
    class Meta(NamedWithSlug.Meta):
        verbose_name = _("team")
        verbose_name_plural = _("teams")


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
