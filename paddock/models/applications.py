"""A team's application for one car (a season or one meeting), the steps of its review, and
what it owes."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from championships.models import Championship, ChampionshipClass, FiaCategory, Meeting
from entries.models import Entry, PaymentStatus, currency_validator, money_checks
from paddock.models.teams import EntrantDriver, EntrantTeam

REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "SUBMITTED", _("Submitted")
    APPROVED = "APPROVED", _("Approved")
    RESERVE = "RESERVE", _("Reserve list")
    REFUSED = "REFUSED", _("Refused")
    WITHDRAWN = "WITHDRAWN", _("Withdrawn")


# The applications that hold a car number and a driver in their championship.
ACTIVE_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.APPROVED,
    ApplicationStatus.RESERVE,
)


class SeatRequest(models.TextChoices):
    NONE = "", _("Own car")
    FULL_SEASON = "FULL_SEASON", _("Arrive-and-drive seat, full season")
    SINGLE_MEETING = "MEETING", _("Arrive-and-drive seat, this meeting")


def new_application_reference(year: int) -> str:
    """An unguessable code such as EN27-7K3M-9QXD, for the team to quote."""
    token = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"EN{year % 100:02d}-{token[:4]}-{token[4:]}"


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user: object) -> ApplicationQuerySet:
        """The applications ``user`` may see: every one of a team they manage or staff, and
        a driver's own."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        teams = EntrantTeam.objects.run_by(user)
        return self.filter(Q(team__in=teams.values("pk")) | Q(driver__user=user))

    def active(self) -> ApplicationQuerySet:
        return self.filter(status__in=ACTIVE_STATUSES)

    def reserve_order(self) -> ApplicationQuerySet:
        """The reserve list, first come first served."""
        return self.filter(status=ApplicationStatus.RESERVE).order_by("submitted_at", "pk")


class EntryApplication(models.Model):
    """One car: its driver, the number and class asked for, the seat package, the
    declarations accepted. A season entry when ``meeting`` is empty, else a single-meeting
    (guest) entry. Approval makes ``entry``."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    championship = models.ForeignKey(
        Championship,
        on_delete=models.CASCADE,
        related_name="entry_applications",
        verbose_name=_("championship"),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="entry_applications",
        verbose_name=_("meeting"),
        help_text=_("Only for a single-meeting (guest) entry."),
    )
    team = models.ForeignKey(
        EntrantTeam,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("team"),
    )
    driver = models.ForeignKey(
        EntrantDriver,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("driver"),
    )
    car_number = models.PositiveSmallIntegerField(
        _("car number"), validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    entry_class = models.ForeignKey(
        ChampionshipClass,
        on_delete=models.PROTECT,
        related_name="entry_applications",
        verbose_name=_("class"),
    )
    category = models.CharField(
        _("FIA category"),
        max_length=10,
        choices=FiaCategory.choices,
        help_text=_("The driver's category in force on the season's first race day."),
    )
    seat = models.CharField(
        _("seat package"), max_length=12, choices=SeatRequest.choices, blank=True, default=""
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    status_reason = models.TextField(_("reason"), blank=True)
    regulations_version = models.CharField(_("regulations accepted"), max_length=40)
    declared_name = models.CharField(_("declaration signed by"), max_length=160)
    declared_at = models.DateTimeField(_("declaration signed at"))
    declared_from = models.GenericIPAddressField(_("declaration signed from"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    language = models.CharField(_("language"), max_length=10, default="en")
    entry = models.ForeignKey(
        Entry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("entry"),
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("entry application")
        verbose_name_plural = _("entry applications")
        ordering = ["-submitted_at", "-pk"]
        permissions = [("review_entryapplication", "Reviews entry applications")]
        constraints = [
            models.UniqueConstraint(
                fields=["championship", "car_number"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="paddock_application_number_unique",
                violation_error_message=_("Another application holds this car number."),
            ),
            models.UniqueConstraint(
                fields=["championship", "driver"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="paddock_application_one_per_driver",
                violation_error_message=_("This driver has an application already."),
            ),
            models.CheckConstraint(
                condition=Q(car_number__gte=1) & Q(car_number__lte=999),
                name="paddock_application_car_number_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values),
                name="paddock_application_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(category__in=FiaCategory.values),
                name="paddock_application_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(seat__in=SeatRequest.values), name="paddock_application_seat_valid"
            ),
            models.CheckConstraint(
                condition=~Q(seat=SeatRequest.SINGLE_MEETING) | Q(meeting__isnull=False),
                name="paddock_application_meeting_seat_needs_meeting",
            ),
            models.CheckConstraint(
                condition=~Q(declared_name=""), name="paddock_application_declared"
            ),
            models.CheckConstraint(
                condition=Q(entry__isnull=True) | Q(status=ApplicationStatus.APPROVED),
                name="paddock_application_entry_only_when_approved",
            ),
            models.CheckConstraint(
                condition=~Q(status=ApplicationStatus.REFUSED) | ~Q(status_reason=""),
                name="paddock_application_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} #{self.car_number} {self.driver}"

    @property
    def is_season_entry(self) -> bool:
        return self.meeting_id is None


class ApplicationEvent(models.Model):
    """One step of an application's review: who moved it to which status, when, why."""

    application = models.ForeignKey(
        EntryApplication,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("application"),
    )
    status = models.CharField(_("status"), max_length=10, choices=ApplicationStatus.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    emailed = models.BooleanField(_("e-mailed to the team"), default=False)

    class Meta:
        verbose_name = _("application step")
        verbose_name_plural = _("application steps")
        ordering = ["application", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values),
                name="paddock_event_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.get_status_display()}"


class FeeKind(models.TextChoices):
    SEASON = "SEASON", _("Season entry fee")
    MEETING = "MEETING", _("Single-meeting entry fee")
    DEPOSIT = "DEPOSIT", _("Deposit")
    SEAT = "SEAT", _("Arrive-and-drive seat")
    OTHER = "OTHER", _("Other")


class Fee(models.Model):
    """What an approved entry owes, and what was invoiced and paid: recorded by staff (no
    card is processed here)."""

    application = models.ForeignKey(
        EntryApplication,
        on_delete=models.CASCADE,
        related_name="fees",
        verbose_name=_("application"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=FeeKind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[currency_validator])
    status = models.CharField(
        _("payment"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID
    )
    invoice_number = models.CharField(_("invoice number"), max_length=40, blank=True)
    invoiced_on = models.DateField(_("invoiced on"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        ordering = ["application", "pk"]
        constraints = [
            *money_checks("paddock_fee", "amount"),
            models.CheckConstraint(
                condition=Q(kind__in=FeeKind.values), name="paddock_fee_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PaymentStatus.values), name="paddock_fee_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=PaymentStatus.PAID) | Q(paid_on__isnull=False),
                name="paddock_fee_paid_has_date",
                violation_error_message=_("A paid fee needs the day it was paid."),
            ),
            models.CheckConstraint(
                condition=~Q(status=PaymentStatus.INVOICED) | ~Q(invoice_number=""),
                name="paddock_fee_invoiced_has_number",
                violation_error_message=_("An invoiced fee needs its invoice number."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference} · {self.get_kind_display()} · {self.amount}"
