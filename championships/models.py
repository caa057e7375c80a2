"""The season: series, championships and their points schemes, the calendar, results, penalties.

Results and penalties refer to ``"entries.Entry"`` by its string name so that the arrow
between the apps points one way only (entries uses championships).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from championships.numbers import plain

DEFAULT_RACE_POINTS = [25, 20, 17, 14, 12, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]

slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$", _("Use lower-case letters, digits and '-'.")
)
class_code_validator = RegexValidator(r"^[A-Z0-9_]+$", _("Use upper-case letters, digits and '_'."))
country_validator = RegexValidator(r"^[A-Z]{2}$", _("Use an ISO 3166-1 alpha-2 code, e.g. CN."))


def default_race_points() -> list[int]:
    return list(DEFAULT_RACE_POINTS)


def validate_points_list(value: object) -> None:
    if not isinstance(value, list) or not all(
        isinstance(p, int | float) and not isinstance(p, bool) and p >= 0 for p in value
    ):
        raise ValidationError(_("Points by rank must be a list of numbers of 0 or more."))


def validate_timezone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("%(value)s is not an IANA time zone name, e.g. Asia/Shanghai."),
            params={"value": value},
        ) from None


class FiaCategory(models.TextChoices):
    PLATINUM = "PLATINUM", _("Platinum")
    GOLD = "GOLD", _("Gold")
    SILVER = "SILVER", _("Silver")
    BRONZE = "BRONZE", _("Bronze")


def validate_categories(value: object) -> None:
    if (
        not isinstance(value, list)
        or not value
        or any(c not in FiaCategory.values for c in value)
        or len(set(value)) != len(value)
    ):
        raise ValidationError(
            _("Admitted categories must be a non-empty list of distinct values from %(choices)s."),
            params={"choices": ", ".join(FiaCategory.values)},
        )


def aware_from_local(local: dt.datetime, zone_name: str) -> dt.datetime:
    """A wall-clock time at a circuit as an aware datetime; ValueError if the clocks skip it."""
    zone = zoneinfo.ZoneInfo(zone_name)
    aware = local.replace(tzinfo=zone)
    if aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != local:
        raise ValueError(f"{local:%Y-%m-%d %H:%M} does not exist in {zone_name} (clocks change)")
    return aware


class TieBreak(models.TextChoices):
    COUNTBACK = "countback", _("Countback")
    NONE = "none", _("None (share the position)")


class PositionStyle(models.TextChoices):
    STANDARD = "standard", _("Standard (1, 2, 2, 4)")
    DENSE = "dense", _("Dense (1, 2, 2, 3)")


class Series(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ChampionshipQuerySet(models.QuerySet):
    def latest_first(self) -> ChampionshipQuerySet:
        return self.order_by("-year", "name")


class Championship(models.Model):
    """One season of a series, with the points scheme and settings of its championship.toml."""

    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, related_name="championships", verbose_name=_("series")
    )
    slug = models.CharField(_("slug"), max_length=80, unique=True, validators=[slug_validator])
    name = models.CharField(_("name"), max_length=160)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1900), MaxValueValidator(2999)]
    )
    race_points = models.JSONField(
        _("points by rank"),
        default=default_race_points,
        validators=[validate_points_list],
        help_text=_("Points for rank 1, 2, 3, … in the drivers table, e.g. [25, 20, 17]."),
    )
    pole_points = models.DecimalField(
        _("pole points"), max_digits=6, decimal_places=2, default=Decimal(0)
    )
    fastest_lap_points = models.DecimalField(
        _("fastest lap points"), max_digits=6, decimal_places=2, default=Decimal(0)
    )
    dropped_results = models.PositiveSmallIntegerField(_("dropped results"), default=0)
    tie_break = models.CharField(
        _("tie break"), max_length=10, choices=TieBreak.choices, default=TieBreak.COUNTBACK
    )
    positions = models.CharField(
        _("positions"), max_length=10, choices=PositionStyle.choices, default=PositionStyle.STANDARD
    )
    team_cars_per_race = models.PositiveSmallIntegerField(_("team cars per race"), default=2)
    dealer_cars_per_race = models.PositiveSmallIntegerField(_("dealer cars per race"), default=1)
    rookies_race_points = models.JSONField(
        _("rookies points by rank"),
        null=True,
        blank=True,
        validators=[validate_points_list],
        help_text=_("Empty: the drivers table's points by rank."),
    )
    rookies_pole_points = models.DecimalField(
        _("rookies pole points"), max_digits=6, decimal_places=2, default=Decimal(0)
    )
    rookies_fastest_lap_points = models.DecimalField(
        _("rookies fastest lap points"), max_digits=6, decimal_places=2, default=Decimal(0)
    )
    tables_changed_at = models.DateTimeField(
        _("tables last changed"),
        default=timezone.now,
        editable=False,
        help_text=_("When anything the standings depend on last changed; keys caches and ETags."),
    )

    objects = ChampionshipQuerySet.as_manager()
    # Who changed the points scheme and when; the cache key moves on every write, so skip it.
    history = HistoricalRecords(excluded_fields=["tables_changed_at"])

    class Meta:
        verbose_name = _("championship")
        verbose_name_plural = _("championships")
        ordering = ["-year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pole_points__gte=0)
                & Q(fastest_lap_points__gte=0)
                & Q(rookies_pole_points__gte=0)
                & Q(rookies_fastest_lap_points__gte=0),
                name="championship_bonus_points_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(team_cars_per_race__gte=1) & Q(dealer_cars_per_race__gte=1),
                name="championship_scoring_cars_at_least_one",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("championships:detail", kwargs={"slug": self.slug})

    def first_race_day(self) -> dt.date | None:
        """The local date of the season's first race: the day class ages are taken on."""
        first = (
            Race.objects.filter(meeting__championship=self)
            .select_related("meeting__circuit")
            .order_by("starts_at")
            .first()
        )
        return first.local_start.date() if first else None


class ChampionshipClass(models.Model):
    """A class of a championship (PRO, PRO_AM, …): who may enter it and how its table scores."""

    championship = models.ForeignKey(
        Championship,
        on_delete=models.CASCADE,
        related_name="classes",
        verbose_name=_("championship"),
    )
    code = models.CharField(_("code"), max_length=20, validators=[class_code_validator])
    categories = models.JSONField(
        _("admitted FIA categories"),
        validators=[validate_categories],
        help_text=_('e.g. ["SILVER", "BRONZE"]'),
    )
    min_age = models.PositiveSmallIntegerField(
        _("minimum age"),
        null=True,
        blank=True,
        help_text=_("Age on the day of the season's first race."),
    )
    race_points = models.JSONField(
        _("points by rank"),
        null=True,
        blank=True,
        validators=[validate_points_list],
        help_text=_("Empty: the drivers table's points by rank."),
    )
    pole_points = models.DecimalField(
        _("pole points"), max_digits=6, decimal_places=2, default=Decimal(0)
    )
    fastest_lap_points = models.DecimalField(
        _("fastest lap points"), max_digits=6, decimal_places=2, default=Decimal(0)
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["championship", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["championship", "code"], name="class_code_unique_in_championship"
            ),
            models.CheckConstraint(
                condition=Q(pole_points__gte=0) & Q(fastest_lap_points__gte=0),
                name="class_bonus_points_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.code


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


class RaceQuerySet(models.QuerySet):
    def held(self) -> RaceQuerySet:
        """Races with at least one result recorded."""
        return self.filter(results__isnull=False).distinct()

    def in_order(self) -> RaceQuerySet:
        return self.order_by("meeting__round", "number")


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


def check_entry_in_championship(entry: models.Model, championship_id: int) -> None:
    if entry.championship_id != championship_id:
        raise ValidationError({"entry": _("This entry belongs to another championship.")})


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
# The kinds that re-classify the race they name.
CLASSIFYING_PENALTY_KINDS = (PenaltyKind.TIME, PenaltyKind.DSQ)


class PenaltyQuerySet(models.QuerySet):
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
                # NULL passes a CHECK in SQL, so each branch says "not null" where it needs a value.
                condition=(
                    Q(kind=PenaltyKind.TIME)
                    & Q(race__isnull=False)
                    & Q(value__isnull=False)
                    & Q(value__gt=0)
                )
                | (Q(kind=PenaltyKind.DSQ) & Q(race__isnull=False) & Q(value__isnull=True))
                | (Q(kind=PenaltyKind.POINTS) & Q(value__isnull=False) & Q(value__gt=0))
                | (Q(kind=PenaltyKind.GRID) & Q(value__isnull=False) & Q(value__gt=0))
                | (
                    Q(kind__in=[PenaltyKind.REPRIMAND, PenaltyKind.WARNING]) & Q(value__isnull=True)
                ),
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

    @property
    def is_counted(self) -> bool:
        return self.kind in COUNTED_PENALTY_KINDS and not self.is_withdrawn


class VersionCause(models.TextChoices):
    BASELINE = "BASELINE", _("Results held before versions were kept")
    IMPORT = "IMPORT", _("Timing import")
    CORRECTION = "CORRECTION", _("Correction in the back office")
    DECISION = "DECISION", _("Stewards' decision")
    WITHDRAWAL = "WITHDRAWAL", _("Decision withdrawn on appeal")
    STATE = "STATE", _("State declared")


class ClassificationVersion(models.Model):
    """One published state of a race's classification: who, when, why, and what it was.

    Versions are never changed or deleted; ``snapshot`` holds the results as recorded, the
    decisions counted and the final classification of STANDINGS_RULES.md section 1.
    """

    race = models.ForeignKey(
        Race,
        on_delete=models.CASCADE,
        related_name="classification_versions",
        verbose_name=_("race"),
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
        ]

    def __str__(self) -> str:
        return _("%(race)s · version %(number)s (%(state)s)") % {
            "race": self.race,
            "number": self.number,
            "state": self.get_state_display(),
        }


class PrizeTable(models.TextChoices):
    DRIVERS = "drivers", _("Drivers")
    ROOKIES = "rookies", _("Rookies")
    TEAMS = "teams", _("Teams")
    DEALERS = "dealers", _("Dealer trophy")


class Prize(models.Model):
    """What a place in a table wins, e.g. the drivers' leader after round 4 goes to Le Mans."""

    championship = models.ForeignKey(
        Championship,
        on_delete=models.CASCADE,
        related_name="prizes",
        verbose_name=_("championship"),
    )
    table = models.CharField(
        _("table"), max_length=10, choices=PrizeTable.choices, default=PrizeTable.DRIVERS
    )
    class_code = models.CharField(
        _("class"),
        max_length=20,
        blank=True,
        validators=[class_code_validator],
        help_text=_("A class code for that class's table (drivers table only); empty for all."),
    )
    after_round = models.PositiveSmallIntegerField(
        _("after round"),
        null=True,
        blank=True,
        help_text=_("Decided on the table after this round; empty: the final table."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=1, help_text=_("1 for the leader.")
    )
    award = models.CharField(_("award"), max_length=200, help_text=_("e.g. Le Mans 24 Hours"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("prize")
        verbose_name_plural = _("prizes")
        ordering = ["championship", "after_round", "table", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(after_round__isnull=True) | Q(after_round__gte=1),
                name="prize_after_round_positive",
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="prize_position_positive"),
            models.CheckConstraint(
                condition=Q(class_code="") | Q(table=PrizeTable.DRIVERS),
                name="prize_class_only_with_drivers_table",
            ),
            models.CheckConstraint(
                condition=Q(table__in=PrizeTable.values), name="prize_table_valid"
            ),
        ]

    def __str__(self) -> str:
        when = (
            _("after round %(round)s") % {"round": self.after_round}
            if self.after_round
            else _("at the end of the season")
        )
        table = f"{self.get_table_display()} {self.class_code}".strip()
        return _("%(award)s: P%(position)s of the %(table)s table %(when)s") % {
            "award": self.award,
            "position": self.position,
            "table": table,
            "when": when,
        }
