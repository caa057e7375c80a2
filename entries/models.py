"""Drivers, teams and the entries (cars) of a championship."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from championships.models import Championship, ChampionshipClass, FiaCategory, country_validator


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Whole years completed on ``day`` (a 29 February birthday counts on 1 March)."""
    had_birthday = (day.month, day.day) >= (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - (0 if had_birthday else 1)


class Driver(models.Model):
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=170, unique=True)
    nationality = models.CharField(_("nationality"), max_length=2, validators=[country_validator])
    date_of_birth = models.DateField(_("date of birth"))
    category = models.CharField(_("FIA category"), max_length=10, choices=FiaCategory.choices)

    class Meta:
        verbose_name = _("driver")
        verbose_name_plural = _("drivers")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=FiaCategory.values), name="driver_category_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @staticmethod
    def slug_for(first_name: str, last_name: str, date_of_birth: dt.date) -> str:
        """A stable slug; the birth year tells apart two drivers of the same name."""
        return slugify(f"{first_name} {last_name} {date_of_birth.year}")


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

    def eligible(self) -> EntryQuerySet:
        """Entries that score: every entry but the guests."""
        return self.filter(guest=False)


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
        problem = class_admission_problem(
            self.entry_class,
            category=self.category,
            date_of_birth=self.driver.date_of_birth,
            first_day=self.championship.first_race_day(),
        )
        if problem:
            raise ValidationError({"entry_class": problem})


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
