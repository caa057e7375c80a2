"""The season: series, championships and their points schemes, the calendar, results, penalties.

Results and penalties refer to ``"entries.Entry"`` by its string name so that the arrow
between the apps points one way only (entries uses championships).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


class Penalty(models.Model):
    """A stewards' decision: seconds added, a disqualification, or points deducted in a round."""

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
        help_text=_("Seconds for a time penalty, points for a deduction, empty for DSQ."),
    )
    reason = models.CharField(_("reason"), max_length=300)

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
                | (Q(kind=PenaltyKind.POINTS) & Q(value__isnull=False) & Q(value__gt=0)),
                name="penalty_value_fits_kind",
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
