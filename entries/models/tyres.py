"""Tyres: the championship's quota of new sets, the barcoded sets an operator receives for a
meeting, and every scan of a set out to a car and back in. The rules that read several rows
(the quota, one car per set) are checked by ``entries.tyres.tyre_scan``, the one write of a
scan; what one row or one index can hold is a constraint here."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from championships.models import Championship, Meeting
from entries.models.entries import Entry
from entries.models.fleet import Operator

DEFAULT_NEW_SETS_PER_MEETING = 4
BARCODE_PATTERN = r"^[A-Z0-9][A-Z0-9-]*$"
barcode_validator = RegexValidator(
    BARCODE_PATTERN, _("A barcode is made of letters, digits and hyphens, e.g. MX-240419-001.")
)


def barcode_normalised(value: str) -> str:
    """A barcode as it is stored: without the spaces around it, in capitals (a scanner and a
    hand may type either case)."""
    return (value or "").strip().upper()


class TyreCompound(models.TextChoices):
    DRY = "DRY", _("Dry (slick)")
    WET = "WET", _("Wet")


class TyreDirection(models.TextChoices):
    OUT = "OUT", _("Out: fitted to the car")
    IN = "IN", _("In: returned")


class TyreQuota(models.Model):
    """How many new sets each car may fit at a meeting of the championship; without a row,
    ``DEFAULT_NEW_SETS_PER_MEETING``."""

    championship = models.OneToOneField(
        Championship,
        on_delete=models.CASCADE,
        related_name="tyre_quota",
        verbose_name=_("championship"),
    )
    new_sets_per_meeting = models.PositiveSmallIntegerField(
        _("new sets per car per meeting"),
        default=DEFAULT_NEW_SETS_PER_MEETING,
        validators=[MinValueValidator(1)],
        help_text=_("A set is new until it is first fitted to a car."),
    )

    class Meta:
        verbose_name = _("tyre quota")
        verbose_name_plural = _("tyre quotas")
        ordering = ["championship"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_sets_per_meeting__gte=1), name="tyre_quota_at_least_one_set"
            ),
        ]

    def __str__(self) -> str:
        return _("%(championship)s: %(sets)s new sets a car per meeting") % {
            "championship": self.championship,
            "sets": self.new_sets_per_meeting,
        }


def new_sets_quota(championship_id: int) -> int:
    """The championship's quota of new sets per car per meeting (its row, else the default)."""
    quota = TyreQuota.objects.filter(championship_id=championship_id)
    return quota.values_list("new_sets_per_meeting", flat=True).first() or (
        DEFAULT_NEW_SETS_PER_MEETING
    )


class TyreSet(models.Model):
    """One barcoded set of four tyres, in the operator's stock, allocated for one meeting."""

    barcode = models.CharField(
        _("barcode"), max_length=40, unique=True, validators=[barcode_validator]
    )
    compound = models.CharField(_("compound"), max_length=3, choices=TyreCompound.choices)
    operator = models.ForeignKey(
        Operator,
        on_delete=models.PROTECT,
        related_name="tyre_sets",
        verbose_name=_("operator"),
        help_text=_("Whose stock the set is in."),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        related_name="tyre_sets",
        verbose_name=_("meeting"),
        help_text=_("The round the set is allocated for: it is scanned at that round only."),
    )
    kept_for = models.ForeignKey(
        Entry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kept_tyre_sets",
        verbose_name=_("kept for"),
        help_text=_("A set given to one car (a Talent Pool prize): fitted to that car only."),
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )

    class Meta:
        verbose_name = _("tyre set")
        verbose_name_plural = _("tyre sets")
        ordering = ["meeting", "operator", "barcode"]
        constraints = [
            models.CheckConstraint(
                condition=Q(barcode__regex=BARCODE_PATTERN), name="tyre_set_barcode_format"
            ),
            models.CheckConstraint(
                condition=Q(compound__in=TyreCompound.values), name="tyre_set_compound_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.barcode

    def save(self, *args: object, **kwargs: object) -> None:
        self.barcode = barcode_normalised(self.barcode)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.barcode = barcode_normalised(self.barcode)
        if self.operator_id and self.meeting_id:
            problem = stock_problem(self.operator, self.meeting)
            if problem:
                raise ValidationError({"operator": problem})


def stock_problem(operator: Operator, meeting: Meeting) -> str | None:
    """Why ``operator`` holds no stock for ``meeting``: it supplies another series."""
    if operator.series_id == meeting.championship.series_id:
        return None
    return _("%(operator)s supplies %(series)s, not the series of %(meeting)s.") % {
        "operator": operator,
        "series": operator.series,
        "meeting": meeting,
    }


class TyreScan(models.Model):
    """A set scanned out to a car (fitted) or back in (returned) at a meeting. Written only by
    ``entries.tyres.tyre_scan``; ``first_fitting`` marks the scan that took a new set."""

    tyre_set = models.ForeignKey(
        TyreSet, on_delete=models.PROTECT, related_name="scans", verbose_name=_("tyre set")
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.PROTECT, related_name="tyre_scans", verbose_name=_("car")
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="tyre_scans", verbose_name=_("meeting")
    )
    direction = models.CharField(_("direction"), max_length=3, choices=TyreDirection.choices)
    first_fitting = models.BooleanField(
        _("new set"),
        default=False,
        help_text=_("The set's first fitting: it counts against the car's quota of new sets."),
    )
    scanned_at = models.DateTimeField(_("scanned"), default=timezone.now)
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scanned by"),
    )

    class Meta:
        verbose_name = _("tyre scan")
        verbose_name_plural = _("tyre scans")
        ordering = ["-scanned_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction__in=TyreDirection.values), name="tyre_scan_direction_valid"
            ),
            # A set is new once: its first fitting is the one scan out that takes it new.
            models.CheckConstraint(
                condition=Q(first_fitting=False) | Q(direction=TyreDirection.OUT),
                name="tyre_scan_first_fitting_is_out",
            ),
            models.UniqueConstraint(
                fields=["tyre_set"],
                condition=Q(first_fitting=True),
                name="tyre_scan_one_first_fitting_per_set",
                violation_error_message=_("This set has been fitted new already."),
            ),
        ]
        indexes = [
            models.Index(fields=["meeting", "entry", "first_fitting"], name="tyre_scan_quota_idx"),
        ]

    def __str__(self) -> str:
        return _("%(barcode)s %(direction)s car #%(car)s") % {
            "barcode": self.tyre_set,
            "direction": self.direction,
            "car": self.entry.car_number,
        }
