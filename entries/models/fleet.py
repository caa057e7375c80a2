"""Arrive-and-drive: the operator's fleet, seat packages, car allocations and damage."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from championships.models import (
    Meeting,
    Race,
    Series,
    check_entry_in_championship,
)
from entries.models.entries import Entry

currency_validator = RegexValidator(
    r"^[A-Z]{3}$", _("Use an ISO 4217 currency code in capitals, e.g. CNY.")
)


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
