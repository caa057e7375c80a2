"""The running order as the timing system pushes it during a session: live, never official.

A ``LiveTiming`` row is the latest state of one race or one practice or qualifying session:
each car's position, laps, gap, last and best lap, status and pit, with the track's flag and
the sequence number of the push. It is kept apart from the classifications: writing it never
creates a version, never changes a result and never reaches the official tables. The official
classification still arrives by the upload with its dry run.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from championships.models.calendar import Race
from championships.models.sessions import Session


class LiveFlag(models.TextChoices):
    GREEN = "GREEN", _("Green flag")
    YELLOW = "YELLOW", _("Yellow flag")
    SAFETY_CAR = "SC", _("Safety car")
    VIRTUAL_SAFETY_CAR = "VSC", _("Virtual safety car")
    RED = "RED", _("Red flag")
    CHEQUERED = "CHEQUERED", _("Chequered flag")


class LiveCarStatus(models.TextChoices):
    RUNNING = "RUNNING", _("Running")
    PIT = "PIT", _("In the pits")
    FINISHED = "FINISHED", _("Finished")
    DNF = "DNF", _("Retired")
    DNS = "DNS", _("Did not start")
    DSQ = "DSQ", _("Disqualified")


class LiveTiming(models.Model):
    """The latest pushed running order of one race or one session (exactly one of the two)."""

    race = models.OneToOneField(
        Race,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="live",
        verbose_name=_("race"),
    )
    session = models.OneToOneField(
        Session,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="live",
        verbose_name=_("practice or qualifying session"),
    )
    sequence = models.PositiveIntegerField(
        _("sequence"), help_text=_("The number of the latest push; each push must be higher.")
    )
    flag = models.CharField(
        _("flag"), max_length=10, choices=LiveFlag.choices, default=LiveFlag.GREEN
    )
    # Each car as the feed gave it, times in milliseconds: position, car_number, laps, gap_ms,
    # gap_laps, last_lap_ms, best_lap_ms, status, pit (``championships.live_feed``).
    cars = models.JSONField(_("running order"), default=list)
    updated_at = models.DateTimeField(_("updated"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pushed by"),
    )

    class Meta:
        verbose_name = _("live timing")
        verbose_name_plural = _("live timing")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(race__isnull=False, session__isnull=True)
                    | Q(race__isnull=True, session__isnull=False)
                ),
                name="live_timing_race_or_session",
            ),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="live_timing_sequence"),
            models.CheckConstraint(
                condition=Q(flag__in=LiveFlag.values), name="live_timing_flag_valid"
            ),
        ]

    def __str__(self) -> str:
        return str(self.race or self.session)

    @property
    def subject(self) -> Race | Session:
        return self.race or self.session  # type: ignore[return-value]
