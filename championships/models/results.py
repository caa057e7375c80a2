"""Results, stewards' decisions (penalties) and the versions of a race's classification.

Results and penalties refer to ``"entries.Entry"`` by its string name so that the arrow
between the apps points one way only (entries uses championships).
"""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from championships.models.calendar import ClassificationState, Meeting, Race
from core.numbers import plain


class ResultStatus(models.TextChoices):
    CLASSIFIED = "CLASSIFIED", _("Classified")
    DNF = "DNF", _("Did not finish")
    DNS = "DNS", _("Did not start")
    DSQ = "DSQ", _("Disqualified")
    NC = "NC", _("Not classified")


class Result(models.Model):
    """One car's line of a race's classification, as the timing provider published it."""

    race = models.ForeignKey(
        Race, on_delete=models.CASCADE, related_name="results", verbose_name=_("race")
    )
    entry = models.ForeignKey(
        "entries.Entry", on_delete=models.PROTECT, related_name="results", verbose_name=_("entry")
    )
    position = models.PositiveSmallIntegerField(_("position"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ResultStatus.choices, default=ResultStatus.CLASSIFIED
    )
    laps = models.PositiveSmallIntegerField(_("laps"), default=0)
    total_time = models.DurationField(_("total time"), null=True, blank=True)
    best_lap = models.DurationField(_("best lap"), null=True, blank=True)
    grid = models.PositiveSmallIntegerField(_("grid"), null=True, blank=True)
    chassis = models.ForeignKey(
        "entries.Car",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="results",
        verbose_name=_("chassis"),
        help_text=_("The operator's car this entry raced, for arrive-and-drive entries."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["race", models.F("position").asc(nulls_last=True), "id"]
        constraints = [
            models.UniqueConstraint(fields=["race", "entry"], name="result_one_per_entry_per_race"),
            models.UniqueConstraint(fields=["race", "position"], name="result_position_unique"),
            models.CheckConstraint(
                condition=(
                    Q(status=ResultStatus.CLASSIFIED)
                    & Q(position__isnull=False)
                    & Q(position__gte=1)
                )
                | (~Q(status=ResultStatus.CLASSIFIED) & Q(position__isnull=True)),
                name="result_position_iff_classified",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ResultStatus.values), name="result_status_valid"
            ),
            models.CheckConstraint(condition=Q(laps__gte=0), name="result_laps_not_negative"),
            models.CheckConstraint(
                condition=Q(total_time__isnull=True) | Q(total_time__gte=dt.timedelta(0)),
                name="result_total_time_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(best_lap__isnull=True) | Q(best_lap__gt=dt.timedelta(0)),
                name="result_best_lap_positive",
            ),
            models.CheckConstraint(
                condition=Q(grid__isnull=True) | Q(grid__gte=1), name="result_grid_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.race} · #{self.entry.car_number} · {self.position_label}"

    def clean(self) -> None:
        if self.race_id and self.entry_id:
            check_entry_in_championship(self.entry, self.race.meeting.championship_id)

    @property
    def is_classified(self) -> bool:
        return self.status == ResultStatus.CLASSIFIED

    @property
    def position_label(self) -> str:
        return str(self.position) if self.is_classified else self.status


def check_entry_in_championship(
    entry: models.Model, championship_id: int, *, field: str = "entry"
) -> None:
    if entry.championship_id != championship_id:
        raise ValidationError({field: _("This entry belongs to another championship.")})


class PenaltyKind(models.TextChoices):
    TIME = "TIME", _("Time penalty")
    DSQ = "DSQ", _("Disqualification")
    POINTS = "POINTS", _("Points deduction")
    GRID = "GRID", _("Grid penalty")
    REPRIMAND = "REPRIMAND", _("Reprimand")
    WARNING = "WARNING", _("Warning")


# The kinds that change a classification or a table (STANDINGS_RULES.md 1.2, 1.3 and 3.3);
# a grid penalty takes effect at a later start, reprimands and warnings are on record only.
COUNTED_PENALTY_KINDS = (PenaltyKind.TIME, PenaltyKind.DSQ, PenaltyKind.POINTS)


@dataclass(frozen=True)
class PenaltyShape:
    """What a kind of penalty carries: whether it names its race, and its value's unit
    (None: it has no value; a unit means a value above 0)."""

    needs_race: bool
    unit: str | None


# The one statement of the kind/value rule: the database constraint, the API's and the
# bundle's messages and the API docs are all derived from this table.
PENALTY_SHAPES: dict[str, PenaltyShape] = {
    PenaltyKind.TIME: PenaltyShape(needs_race=True, unit="seconds"),
    PenaltyKind.DSQ: PenaltyShape(needs_race=True, unit=None),
    PenaltyKind.POINTS: PenaltyShape(needs_race=False, unit="points"),
    PenaltyKind.GRID: PenaltyShape(needs_race=False, unit="places"),
    PenaltyKind.REPRIMAND: PenaltyShape(needs_race=False, unit=None),
    PenaltyKind.WARNING: PenaltyShape(needs_race=False, unit=None),
}


def penalty_misfit(kind: str, value: Decimal | None, *, has_race: bool) -> str | None:
    """The field that does not fit ``kind`` ("race" or "value"), None when both fit or the
    kind is unknown (its own check refuses it)."""
    shape = PENALTY_SHAPES.get(kind)
    if shape is None:
        return None
    if shape.needs_race and not has_race:
        return "race"
    if (value is not None) if shape.unit is None else (value is None or value <= 0):
        return "value"
    return None


def _value_fits_kind() -> Q:
    """The constraint's condition, one branch per shape. NULL passes a CHECK in SQL, so each
    branch says "not null" where it needs a value."""
    branches = []
    for shape in dict.fromkeys(PENALTY_SHAPES.values()):
        kinds = [kind for kind, its in PENALTY_SHAPES.items() if its == shape]
        branch = Q(kind=kinds[0]) if len(kinds) == 1 else Q(kind__in=kinds)
        if shape.needs_race:
            branch &= Q(race__isnull=False)
        if shape.unit is None:
            branch &= Q(value__isnull=True)
        else:
            branch &= Q(value__isnull=False) & Q(value__gt=0)
        branches.append(branch)
    return reduce(operator.or_, branches)


class PenaltyQuerySet(models.QuerySet):
    def grid_of(self, race: Race) -> PenaltyQuerySet:
        """The grid penalties that apply to ``race``'s start, not withdrawn."""
        return self.filter(grid_race=race, kind=PenaltyKind.GRID, withdrawn_at__isnull=True)

    def counted(self) -> PenaltyQuerySet:
        """Decisions the standings apply: time, DSQ and points, not withdrawn."""
        return self.filter(kind__in=COUNTED_PENALTY_KINDS, withdrawn_at__isnull=True)

    def counted_at(self, at: dt.datetime) -> PenaltyQuerySet:
        """Decisions the standings applied at ``at``: decided by then, not yet withdrawn.

        A decision without a time (one imported with a season bundle) has always counted.
        """
        decided = Q(decided_at__isnull=True) | Q(decided_at__lte=at)
        standing = Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=at)
        return self.filter(decided & standing, kind__in=COUNTED_PENALTY_KINDS)


class Penalty(models.Model):
    """A stewards' decision: seconds added, a disqualification, points deducted in a round, a
    grid penalty for a later race, a reprimand or a warning. Withdrawn on appeal, it stays on
    record and counts no more."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="penalties", verbose_name=_("round")
    )
    race = models.ForeignKey(
        Race,
        on_delete=models.CASCADE,
        related_name="penalties",
        null=True,
        blank=True,
        verbose_name=_("race"),
        help_text=_("Empty for a points deduction that applies to the round."),
    )
    entry = models.ForeignKey(
        "entries.Entry",
        on_delete=models.PROTECT,
        related_name="penalties",
        verbose_name=_("entry"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PenaltyKind.choices)
    value = models.DecimalField(
        _("value"),
        max_digits=8,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_(
            "Seconds for a time penalty, points for a deduction, places for a grid penalty; "
            "empty for a disqualification, a reprimand or a warning."
        ),
    )
    reason = models.CharField(_("reason"), max_length=300)
    number = models.PositiveIntegerField(
        _("decision number"),
        null=True,
        blank=True,
        help_text=_("The number on the stewards' decision document, unique in the round."),
    )
    decided_at = models.DateTimeField(
        _("decided at"),
        null=True,
        blank=True,
        help_text=_("When the stewards published it; empty for decisions imported with a season."),
    )
    grid_race = models.ForeignKey(
        Race,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="grid_penalties",
        verbose_name=_("grid of race"),
        help_text=_("For a grid penalty: the later race whose start it applies to."),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawn_reason = models.CharField(
        _("reason for the withdrawal"), max_length=300, blank=True, editable=False
    )

    objects = PenaltyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("penalty")
        verbose_name_plural = _("penalties")
        ordering = ["meeting", "race", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PenaltyKind.values), name="penalty_kind_valid"
            ),
            models.CheckConstraint(
                condition=_value_fits_kind(),
                name="penalty_value_fits_kind",
                violation_error_message=_(
                    "The value does not fit the kind: seconds for a time penalty (with the "
                    "race), points for a deduction, places for a grid penalty, no value for a "
                    "disqualification (with the race), a reprimand or a warning."
                ),
            ),
            models.UniqueConstraint(
                fields=["meeting", "number"],
                condition=Q(number__isnull=False),
                name="penalty_number_unique_in_meeting",
                violation_error_message=_("This round already has a decision of this number."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(withdrawn_at__isnull=True)
                    & Q(withdrawn_by__isnull=True)
                    & Q(withdrawn_reason="")
                )
                | (Q(withdrawn_at__isnull=False) & ~Q(withdrawn_reason="")),
                name="penalty_withdrawal_has_time_and_reason",
            ),
        ]

    def __str__(self) -> str:
        where = self.race if self.race_id else self.meeting
        value = f" {plain(self.value)}" if self.value is not None else ""
        return f"{self.get_kind_display()}{value} · #{self.entry.car_number} · {where}"

    def clean(self) -> None:
        if self.race_id and self.meeting_id and self.race.meeting_id != self.meeting_id:
            raise ValidationError({"race": _("This race is not part of the chosen round.")})
        if self.meeting_id and self.entry_id:
            check_entry_in_championship(self.entry, self.meeting.championship_id)
        if self.grid_race_id and self.meeting_id:
            self._check_grid_race()

    def _check_grid_race(self) -> None:
        if self.kind != PenaltyKind.GRID:
            raise ValidationError({"grid_race": _("Only a grid penalty applies to a later grid.")})
        if self.grid_race.meeting.championship_id != self.meeting.championship_id:
            raise ValidationError({"grid_race": _("This race is of another championship.")})
        if self.race_id and self.grid_race.starts_at <= self.race.starts_at:
            raise ValidationError({"grid_race": _("Choose a race after the one penalised.")})

    @property
    def reference(self) -> str:
        """How versions and pages cite the decision: its document number when it has one."""
        if self.number is not None:
            return _("Decision %(number)s") % {"number": self.number}
        return _("Decision #%(id)s") % {"id": self.pk}

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class VersionCause(models.TextChoices):
    BASELINE = "BASELINE", _("Results held before versions were kept")
    IMPORT = "IMPORT", _("Timing import")
    CORRECTION = "CORRECTION", _("Correction in the back office")
    DECISION = "DECISION", _("Stewards' decision")
    WITHDRAWAL = "WITHDRAWAL", _("Decision withdrawn on appeal")
    STATE = "STATE", _("State declared")


class ClassificationVersion(models.Model):
    """One published state of a race's classification: who, when, why, and what it was.

    Versions are never deleted; ``snapshot`` holds the results as recorded, the decisions
    counted and the final classification of STANDINGS_RULES.md section 1. They protect
    their race: a race with versions cannot be deleted. Only replacing a whole season lets
    its races go, and then their versions are archived first: detached from the race, with
    the championship, round and race number it was, and the drivers' names of its entries,
    so that they remain readable.
    """

    race = models.ForeignKey(
        Race,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="classification_versions",
        verbose_name=_("race"),
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    archived_championship = models.SlugField(
        _("championship of the archived race"), blank=True, editable=False
    )
    archived_round = models.PositiveSmallIntegerField(
        _("round of the archived race"), null=True, blank=True, editable=False
    )
    archived_race_number = models.PositiveSmallIntegerField(
        _("number of the archived race"), null=True, blank=True, editable=False
    )
    archived_names = models.JSONField(
        _("drivers of the archived race"), default=dict, blank=True, editable=False
    )
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=12, choices=ClassificationState.choices)
    cause = models.CharField(_("cause"), max_length=12, choices=VersionCause.choices)
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
    decision = models.ForeignKey(
        Penalty,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="classification_versions",
        verbose_name=_("decision"),
    )
    reference = models.CharField(
        _("reference"), max_length=80, blank=True, help_text=_("e.g. Decision 12")
    )
    snapshot = models.JSONField(_("snapshot"))

    class Meta:
        verbose_name = _("classification version")
        verbose_name_plural = _("classification versions")
        ordering = ["race", "number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["race", "number"], name="version_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
            models.CheckConstraint(
                condition=Q(state__in=ClassificationState.values), name="version_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(cause__in=VersionCause.values), name="version_cause_valid"
            ),
            models.CheckConstraint(
                condition=(Q(race__isnull=False) & Q(archived_at__isnull=True))
                | (
                    Q(race__isnull=True)
                    & Q(archived_at__isnull=False)
                    & ~Q(archived_championship="")
                    & Q(archived_round__isnull=False)
                    & Q(archived_race_number__isnull=False)
                ),
                name="version_of_a_race_or_archived",
            ),
        ]

    def __str__(self) -> str:
        return _("%(race)s · version %(number)s (%(state)s)") % {
            "race": self.race or self.archived_label,
            "number": self.number,
            "state": self.get_state_display(),
        }

    @property
    def archived_label(self) -> str:
        """Where an archived version was: "pcca-2024 R1-2"."""
        return _("%(championship)s R%(round)s-%(number)s (archived)") % {
            "championship": self.archived_championship,
            "round": self.archived_round,
            "number": self.archived_race_number,
        }
