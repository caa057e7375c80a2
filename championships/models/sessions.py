"""The race weekend beyond its races: practice and qualifying sessions, their classifications
and versions, and each race's published starting grid.

A race stays a ``Race`` (what the standings read); a ``Session`` is every other session of the
meeting. A qualifying split in groups is one session per group, with the same number: their
times are merged into race 1's grid as the championship sets (``Championship.qualifying_merge``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from championships.models.calendar import Meeting, Race
from championships.models.results import ResultStatus


class SessionKind(models.TextChoices):
    PRACTICE = "PRACTICE", _("Practice")
    QUALIFYING = "QUALIFYING", _("Qualifying")


class SessionQuerySet(models.QuerySet):
    def in_order(self) -> SessionQuerySet:
        return self.order_by("meeting__round", "starts_at", "kind", "number", "group")

    def qualifying(self) -> SessionQuerySet:
        return self.filter(kind=SessionKind.QUALIFYING)


class Session(models.Model):
    """A practice or qualifying session of a meeting (one per group when the field is split)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("round")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=SessionKind.choices)
    number = models.PositiveSmallIntegerField(
        _("number"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Practice 1, practice 2, …; qualifying 1 sets race 1's grid."),
    )
    group = models.CharField(
        _("group"),
        max_length=10,
        blank=True,
        help_text=_("A, B, … when the field is split; empty when every car runs together."),
    )
    starts_at = models.DateTimeField(_("start"))
    classification_version = models.PositiveIntegerField(
        _("classification version"),
        default=0,
        editable=False,
        help_text=_("The number of the classification's latest version; 0 before the first."),
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        # Not "sessions" alone: the back office lists the signed-in sessions of accounts too.
        verbose_name = _("practice or qualifying session")
        verbose_name_plural = _("practice and qualifying sessions")
        ordering = ["meeting", "starts_at", "kind", "number", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "kind", "number", "group"],
                name="session_unique_in_meeting",
                violation_error_message=_("This round already has this session."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SessionKind.values), name="session_kind_valid"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="session_number_positive"),
        ]

    def __str__(self) -> str:
        return _("R%(round)s %(session)s %(circuit)s") % {
            "round": self.meeting.round,
            "session": self.label,
            "circuit": self.meeting.circuit,
        }

    @property
    def label(self) -> str:
        """ "Qualifying 1", "Qualifying 1 · Group A", "Practice 2"."""
        name = _("%(kind)s %(number)s") % {"kind": self.get_kind_display(), "number": self.number}
        if self.group:
            return _("%(session)s · Group %(group)s") % {"session": name, "group": self.group}
        return name

    @property
    def local_start(self) -> dt.datetime:
        return self.starts_at.astimezone(self.meeting.circuit.zone)


class SessionResult(models.Model):
    """One car's line of a practice or qualifying classification: ranked by its best lap."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="results", verbose_name=_("session")
    )
    entry = models.ForeignKey(
        "entries.Entry",
        on_delete=models.PROTECT,
        related_name="session_results",
        verbose_name=_("entry"),
    )
    position = models.PositiveSmallIntegerField(_("position"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ResultStatus.choices, default=ResultStatus.CLASSIFIED
    )
    laps = models.PositiveSmallIntegerField(_("laps"), default=0)
    best_lap = models.DurationField(_("best lap"), null=True, blank=True)
    second_best_lap = models.DurationField(
        _("second-best lap"),
        null=True,
        blank=True,
        help_text=_("What a grid set from second-best qualifying times reads."),
    )

    class Meta:
        verbose_name = _("session result")
        verbose_name_plural = _("session results")
        ordering = ["session", models.F("position").asc(nulls_last=True), "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "entry"], name="session_result_one_per_entry"
            ),
            models.UniqueConstraint(
                fields=["session", "position"], name="session_result_position_unique"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=ResultStatus.CLASSIFIED)
                    & Q(position__isnull=False)
                    & Q(position__gte=1)
                )
                | (~Q(status=ResultStatus.CLASSIFIED) & Q(position__isnull=True)),
                name="session_result_position_iff_classified",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ResultStatus.values), name="session_result_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(best_lap__isnull=True) | Q(best_lap__gt=dt.timedelta(0)),
                name="session_result_best_lap_positive",
            ),
            models.CheckConstraint(
                condition=Q(second_best_lap__isnull=True)
                | (Q(best_lap__isnull=False) & Q(second_best_lap__gte=models.F("best_lap"))),
                name="session_result_second_best_after_best",
                violation_error_message=_(
                    "The second-best lap needs a best lap and is not faster than it."
                ),
            ),
        ]

    def __str__(self) -> str:
        label = str(self.position) if self.position else self.status
        return f"{self.session} · #{self.entry.car_number} · {label}"


class SessionVersion(models.Model):
    """One published state of a session's classification: who, when, why, and its lines."""

    # Published versions are kept: a session that has them cannot be deleted (a season
    # deleted or replaced takes them first, championships.services.weekend_rows_delete).
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="versions", verbose_name=_("session")
    )
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("published at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    lines = models.JSONField(_("lines"), default=list)

    class Meta:
        verbose_name = _("session classification version")
        verbose_name_plural = _("session classification versions")
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"], name="session_version_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="session_version_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return _("%(session)s, version %(number)s") % {
            "session": self.session,
            "number": self.number,
        }


class GridSlot(models.Model):
    """One car's place on a race's published starting grid."""

    race = models.ForeignKey(
        Race, on_delete=models.CASCADE, related_name="grid_slots", verbose_name=_("race")
    )
    entry = models.ForeignKey(
        "entries.Entry",
        on_delete=models.PROTECT,
        related_name="grid_slots",
        verbose_name=_("entry"),
    )
    position = models.PositiveSmallIntegerField(_("grid position"))
    qualified = models.PositiveSmallIntegerField(
        _("qualified"), help_text=_("The place the grid's basis gave, before grid penalties.")
    )
    time = models.DurationField(
        _("time"), null=True, blank=True, help_text=_("The lap time it was ranked on, if any.")
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        verbose_name = _("grid slot")
        verbose_name_plural = _("grid slots")
        ordering = ["race", "position"]
        constraints = [
            models.UniqueConstraint(fields=["race", "entry"], name="grid_slot_one_per_entry"),
            models.UniqueConstraint(fields=["race", "position"], name="grid_slot_position_unique"),
            models.CheckConstraint(
                condition=Q(position__gte=1) & Q(qualified__gte=1),
                name="grid_slot_positions_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.race} · {self.position} · #{self.entry.car_number}"


class Lap(models.Model):
    """One lap of one car in a race or a practice or qualifying session, as the timing
    system's lap export gives it. Laps are the record behind the classification, never part
    of it: the standings read the results only."""

    race = models.ForeignKey(
        Race,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="laps",
        verbose_name=_("race"),
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="laps",
        verbose_name=_("session"),
    )
    entry = models.ForeignKey(
        "entries.Entry", on_delete=models.PROTECT, related_name="laps", verbose_name=_("entry")
    )
    number = models.PositiveSmallIntegerField(_("lap"))
    time = models.DurationField(_("lap time"))
    pit = models.BooleanField(
        _("in the pit lane"), default=False, help_text=_("The lap ended in the pit lane.")
    )

    class Meta:
        verbose_name = _("lap")
        verbose_name_plural = _("laps")
        ordering = ["entry", "number"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(race__isnull=False) & Q(session__isnull=True))
                | (Q(race__isnull=True) & Q(session__isnull=False)),
                name="lap_of_a_race_or_a_session",
            ),
            models.UniqueConstraint(
                fields=["race", "entry", "number"],
                condition=Q(race__isnull=False),
                name="lap_unique_in_race",
            ),
            models.UniqueConstraint(
                fields=["session", "entry", "number"],
                condition=Q(session__isnull=False),
                name="lap_unique_in_session",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="lap_number_positive"),
            models.CheckConstraint(condition=Q(time__gt=dt.timedelta(0)), name="lap_time_positive"),
        ]

    def __str__(self) -> str:
        return f"#{self.entry.car_number} · {self.number} · {self.time}"
