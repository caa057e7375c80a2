"""What a championship opens to entrants: when, how many places, which classes, at what
price, under which regulations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from championships.models import Championship, ChampionshipClass
from entries.models import currency_validator, money_checks
from paddock.models.applications import ApplicationStatus


class EntryWindowQuerySet(models.QuerySet):
    def open_at(self, moment: dt.datetime) -> EntryWindowQuerySet:
        """The windows taking applications at ``moment``, of published seasons only."""
        return self.filter(
            opens_at__lte=moment,
            closes_at__gt=moment,
            championship__in=Championship.objects.public(),
        )

    def with_places_taken(self) -> EntryWindowQuerySet:
        """Each window with ``places_taken``, its championship's approved season (not
        single-meeting) applications, and ``reserve_count``, those on the reserve list."""
        applications = "championship__entry_applications"
        status, season = f"{applications}__status", f"{applications}__meeting__isnull"
        approved = Q(**{status: ApplicationStatus.APPROVED, season: True})
        return self.annotate(
            places_taken=Count(applications, filter=approved),
            reserve_count=Count(applications, filter=Q(**{status: ApplicationStatus.RESERVE})),
        )


def _money(label: str, **options: object) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        **options,
    )


class EntryWindow(models.Model):
    """The organiser opens entries for a championship: every application, season or
    single-meeting (guest), is taken only while the window is open (from ``opens_at`` until
    ``closes_at``); a guest entry also only before its meeting starts. Season entries are
    ``places`` cars at most; further ones go to the reserve list."""

    championship = models.OneToOneField(
        Championship,
        on_delete=models.CASCADE,
        related_name="entry_window",
        verbose_name=_("championship"),
    )
    opens_at = models.DateTimeField(_("entries open"))
    closes_at = models.DateTimeField(_("entries close"))
    places = models.PositiveSmallIntegerField(
        _("places"), help_text=_("Season entries at most; further ones go to the reserve list.")
    )
    classes = models.ManyToManyField(
        ChampionshipClass, related_name="entry_windows", verbose_name=_("classes offered")
    )
    season_fee = _money(_("season entry fee"))
    meeting_fee = _money(_("single-meeting entry fee"))
    deposit = _money(_("deposit"), default=0)
    currency = models.CharField(_("currency"), max_length=3, validators=[currency_validator])
    seat_season_price = _money(
        _("arrive-and-drive seat, season"),
        null=True,
        blank=True,
        help_text=_("Empty when the operator offers no seats for the season."),
    )
    seat_meeting_price = _money(
        _("arrive-and-drive seat, one meeting"),
        null=True,
        blank=True,
        help_text=_("Empty when the operator offers no seats for single meetings."),
    )
    regulations_title = models.CharField(_("regulations"), max_length=200)
    regulations_url = models.URLField(_("regulations address"), blank=True)
    regulations_version = models.CharField(_("regulations version"), max_length=40)
    numbers_held_until = models.DateField(
        _("last season's numbers held until"),
        null=True,
        blank=True,
        help_text=_("Until this day, a number raced last season is kept for its driver."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("document reminder (days before a meeting)"), default=14
    )

    objects = EntryWindowQuerySet.as_manager()

    class Meta:
        verbose_name = _("entry window")
        verbose_name_plural = _("entry windows")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="paddock_window_closes_after_opening",
                violation_error_message=_("Entries must close after they open."),
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="paddock_window_places"),
            *money_checks("paddock_window", "season_fee")[:1],
            *money_checks("paddock_window", "meeting_fee")[:1],
            *money_checks("paddock_window", "deposit"),
            models.CheckConstraint(
                condition=Q(seat_season_price__isnull=True) | Q(seat_season_price__gte=0),
                name="paddock_window_seat_season_price_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(seat_meeting_price__isnull=True) | Q(seat_meeting_price__gte=0),
                name="paddock_window_seat_meeting_price_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return str(self.championship)

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("Entries must close after they open.")})

    def is_open(self, moment: dt.datetime) -> bool:
        return self.opens_at <= moment < self.closes_at

    @property
    def offers_seats(self) -> bool:
        return self.seat_season_price is not None or self.seat_meeting_price is not None
