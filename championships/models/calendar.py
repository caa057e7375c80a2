"""The calendar: circuits, meetings (rounds) and their races."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from championships.models.season import Championship, country_validator, validate_timezone


class Circuit(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    country = models.CharField(_("country"), max_length=2, validators=[country_validator])
    timezone = models.CharField(_("time zone"), max_length=64, validators=[validate_timezone])

    class Meta:
        verbose_name = _("circuit")
        verbose_name_plural = _("circuits")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class MeetingQuerySet(models.QuerySet):
    def with_circuit(self) -> MeetingQuerySet:
        return self.select_related("circuit", "championship")


class Meeting(models.Model):
    """A race weekend: one round of the championship at one circuit."""

    championship = models.ForeignKey(
        Championship,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("championship"),
    )
    round = models.PositiveSmallIntegerField(_("round"), validators=[MinValueValidator(1)])
    circuit = models.ForeignKey(
        Circuit, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("circuit")
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    supporting_event = models.CharField(_("supporting event"), max_length=160, blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["championship", "round"]
        constraints = [
            models.UniqueConstraint(
                fields=["championship", "round"], name="meeting_round_unique_in_championship"
            ),
            models.CheckConstraint(condition=Q(round__gte=1), name="meeting_round_positive"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="meeting_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return _("Round %(round)s · %(circuit)s") % {"round": self.round, "circuit": self.circuit}


class PointsFactor(models.TextChoices):
    # Stored as text so that the database compares exact values on every backend.
    FULL = "1", _("Full points")
    HALF = "0.5", _("Half points")
    NONE = "0", _("No points")


class ClassificationState(models.TextChoices):
    PROVISIONAL = "PROVISIONAL", _("Provisional")
    FINAL = "FINAL", _("Final")
    AMENDED = "AMENDED", _("Amended")


def _has_results() -> models.Exists:
    """True for a race with at least one result recorded: what "held" means."""
    from championships.models.results import Result  # results.py imports this module

    return models.Exists(Result.objects.filter(race=models.OuterRef("pk")))


class RaceQuerySet(models.QuerySet):
    def held(self) -> RaceQuerySet:
        """Races with at least one result recorded."""
        return self.filter(_has_results())

    def with_held(self) -> RaceQuerySet:
        """Every race, each with ``held``: whether a result is recorded."""
        return self.annotate(held=_has_results())

    def in_order(self) -> RaceQuerySet:
        return self.order_by("meeting__round", "number")

    def scoring(self) -> RaceQuerySet:
        """Rule 3.2's scoring races: the calendar's races whose points factor is not 0."""
        return self.exclude(points_factor=PointsFactor.NONE)


class Race(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="races", verbose_name=_("meeting")
    )
    number = models.PositiveSmallIntegerField(_("race number"), validators=[MinValueValidator(1)])
    starts_at = models.DateTimeField(_("start"))
    points_factor = models.CharField(
        _("points factor"), max_length=3, choices=PointsFactor.choices, default=PointsFactor.FULL
    )
    classification_state = models.CharField(
        _("classification state"),
        max_length=12,
        choices=ClassificationState.choices,
        default=ClassificationState.PROVISIONAL,
        editable=False,
    )
    classification_version = models.PositiveIntegerField(
        _("classification version"),
        default=0,
        editable=False,
        help_text=_("The number of the classification's latest version; 0 before the first."),
    )

    objects = RaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("race")
        verbose_name_plural = _("races")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="race_number_unique_in_meeting"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="race_number_positive"),
            models.CheckConstraint(
                condition=Q(points_factor__in=PointsFactor.values),
                name="race_points_factor_valid",
            ),
            models.CheckConstraint(
                condition=Q(classification_state__in=ClassificationState.values),
                name="race_classification_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return _("R%(round)s-%(number)s %(circuit)s") % {
            "round": self.meeting.round,
            "number": self.number,
            "circuit": self.meeting.circuit,
        }

    @property
    def factor(self) -> Decimal:
        return Decimal(self.points_factor)

    @property
    def local_start(self) -> dt.datetime:
        """The start in the circuit's own time zone."""
        return self.starts_at.astimezone(self.meeting.circuit.zone)
