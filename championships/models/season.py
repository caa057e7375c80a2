"""Series, championships with their points schemes, and their classes."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connections, models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import limits
from core.models import NamedWithSlug

DEFAULT_RACE_POINTS = [25, 20, 17, 14, 12, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]

slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$", _("Use lower-case letters, digits and '-'.")
)
class_code_validator = RegexValidator(r"^[A-Z0-9_]+$", _("Use upper-case letters, digits and '_'."))
country_validator = RegexValidator(r"^[A-Z]{2}$", _("Use an ISO 3166-1 alpha-2 code, e.g. CN."))


def default_race_points() -> list[int]:
    return list(DEFAULT_RACE_POINTS)


def validate_points_list(value: object) -> None:
    """At most one value per position, each what a points column holds (0 to 9999.99)."""
    if (
        not isinstance(value, list)
        or len(value) > limits.MAX_RANKS
        or not all(_is_points(p) for p in value)
    ):
        raise ValidationError(
            _("Points by rank must be a list of at most %(ranks)s numbers from 0 to %(max)s."),
            params={"ranks": limits.MAX_RANKS, "max": limits.MAX_POINTS},
        )


def _is_points(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    # A float by its shortest text (12.5, not 12.4999…); an int too large for one is no points.
    return limits.points_in_range(Decimal(str(value)))


def validate_timezone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long
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
    """A wall-clock time at a circuit as an aware datetime; ValueError if the clocks skip it,
    or if it is outside the years a season can have (year 1 east of UTC has no UTC time)."""
    if not limits.year_in_range(local.year):
        raise ValueError(
            f"{local.date().isoformat()} is not a date from {limits.FIRST_YEAR} "
            f"to {limits.LAST_YEAR}"
        )
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


class SeriesQuerySet(models.QuerySet):
    def public(self) -> SeriesQuerySet:
        """The series anyone sees: those with a published or archived season. A series whose
        only season is a draft is for staff only, as the draft is."""
        seasons = Championship.objects.filter(series=models.OuterRef("pk")).public()
        return self.filter(models.Exists(seasons))

    def visible(self, *, drafts: bool) -> SeriesQuerySet:
        """Every series with ``drafts`` (staff: ``staff.roles.sees_drafts``), else the public."""
        return self if drafts else self.public()


class Series(NamedWithSlug):
    """A one-make series the organiser runs (the Cup, a Sprint Challenge): a season a year."""

    position = models.PositiveSmallIntegerField(
        _("position"),
        default=0,
        help_text=_("Where the series comes on the organiser's home page and menus: lowest first."),
    )

    objects = SeriesQuerySet.as_manager()

    class Meta(NamedWithSlug.Meta):
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["position", "name"]


class QualifyingMerge(models.TextChoices):
    BY_TIME = "TIME", _("All groups together, by best time")
    ALTERNATE = "ALTERNATE", _("Groups alternate, the group of the fastest car on pole")


class LaterGrid(models.TextChoices):
    SECOND_BEST = "SECOND_BEST", _("Second-best qualifying times")
    FINISH = "FINISH", _("The previous race's finishing order")
    REVERSED = "REVERSED", _("The previous race's finishing order, its top N reversed")


class SeasonStatus(models.TextChoices):
    """Who sees a season: a draft only staff; a published or archived one everyone. A
    published season is its series' current one; an archived one is listed in the archive
    only."""

    DRAFT = "draft", _("Draft (staff only)")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


PUBLIC_STATUSES = (SeasonStatus.PUBLISHED, SeasonStatus.ARCHIVED)


class ChampionshipQuerySet(models.QuerySet):
    def latest_first(self) -> ChampionshipQuerySet:
        return self.order_by("-year", "series__position", "series__name", "name")

    def public(self) -> ChampionshipQuerySet:
        """The seasons anyone sees: published or archived, never a draft."""
        return self.filter(status__in=PUBLIC_STATUSES)

    def visible(self, *, drafts: bool) -> ChampionshipQuerySet:
        """Every season with ``drafts`` (staff: ``staff.roles.sees_drafts``), else the public."""
        return self if drafts else self.public()

    def current(self, slug: str | None = None) -> Championship | None:
        """The championship of ``slug`` (whatever its status: the caller decides who may see
        a draft) or, without one, the featured one (``featured_order``); None when there is
        none. The way every page, feed and API finds its season. As a raw query it ignores
        anything chained before it."""
        return next(iter(self.raw(*self._current_sql(None, slug))), None)

    def current_version(self, slug: str | None = None) -> tuple[int, dt.datetime, str] | None:
        """(pk, tables_changed_at, status) of ``current(slug)``: what a kept answer is keyed
        on, read alone because every kept answer asks it before anything else."""
        found = self.raw(*self._current_sql(("id", "tables_changed_at", "status"), slug))
        return next(((c.pk, c.tables_changed_at, c.status) for c in found), None)

    def _current_sql(
        self, columns: tuple[str, ...] | None, slug: str | None
    ) -> tuple[str, list[str]]:
        """The one query that finds the current championship, in SQL: the ORM took longer to
        build it than the database takes to answer it (docs/OPERATIONS.md). ``columns`` None
        reads the whole row.

        Without a slug: the season staff featured; else (none featured) a published season
        before an archived one, the latest year, then the series staff put first (its
        ``position``): never the name's alphabetical order. Never a draft."""
        quote = connections[self.db].ops.quote_name
        table = quote(self.model._meta.db_table)
        selected = ", ".join(f"{table}.{quote(c)}" for c in columns) if columns else f"{table}.*"
        if slug:
            return f"SELECT {selected} FROM {table} WHERE {quote('slug')} = %s", [slug]
        series = quote(Series._meta.db_table)
        published = f"CASE WHEN {table}.{quote('status')} = %s THEN 0 ELSE 1 END"
        order = (
            f"{table}.{quote('featured')} DESC, {published}, {table}.{quote('year')} DESC, "
            f"{series}.{quote('position')}, {series}.{quote('id')}, {table}.{quote('id')}"
        )
        return (
            f"SELECT {selected} FROM {table} JOIN {series} ON {series}.{quote('id')} = "
            f"{table}.{quote('series_id')} WHERE {table}.{quote('status')} IN (%s, %s) "
            f"ORDER BY {order} LIMIT 1",
            [*PUBLIC_STATUSES, SeasonStatus.PUBLISHED],
        )

    def current_of_series(self) -> dict[int, Championship]:
        """Each series' current season (series id to championship, in the series' order), in
        one query: its published season of the latest year, else its latest archived one.
        Drafts never."""
        found: dict[int, Championship] = {}
        for championship in self.public().select_related("series"):
            best = found.get(championship.series_id)
            if best is None or current_first(championship) < current_first(best):
                found[championship.series_id] = championship
        in_order = sorted(found.values(), key=lambda c: (c.series.position, c.series.name))
        return {c.series_id: c for c in in_order}


def current_first(championship: Championship) -> tuple[int, int, int]:
    """A series' seasons in this order put its current one first: a published season before
    an archived one, then the latest year (``current_of_series``, a series' own section)."""
    published = championship.status == SeasonStatus.PUBLISHED
    return (0 if published else 1, -championship.year, -championship.pk)


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
    dropped_results = models.PositiveSmallIntegerField(
        _("dropped results"),
        default=0,
        help_text=_(
            "How many of the calendar's scoring races do not count: of S races whose points "
            "factor is not 0, each driver keeps only the best S minus this many results. "
            "0: every result counts."
        ),
    )
    drop_disqualified = models.BooleanField(
        _("disqualifications may be dropped"),
        default=False,
        help_text=_(
            "Whether a race the driver was disqualified from may be one of the dropped "
            "results. If not, it counts and the next lowest score is dropped instead."
        ),
    )
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
    qualifying_merge = models.CharField(
        _("qualifying groups"),
        max_length=10,
        choices=QualifyingMerge.choices,
        default=QualifyingMerge.BY_TIME,
        help_text=_("How the groups of a split qualifying make race 1's grid."),
    )
    later_grids = models.CharField(
        _("grid of race 2 and after"),
        max_length=12,
        choices=LaterGrid.choices,
        default=LaterGrid.SECOND_BEST,
    )
    reversed_top = models.PositiveSmallIntegerField(
        _("cars reversed"),
        default=6,
        validators=[MinValueValidator(2), MaxValueValidator(99)],
        help_text=_("N, for a grid from the previous race's finish with its top N reversed."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SeasonStatus.choices,
        default=SeasonStatus.PUBLISHED,
        db_index=True,
        help_text=_(
            "Draft: only staff see the season (pages, API, feeds). Published: everyone sees "
            "it as its series' current season. Archived: in the archive only."
        ),
    )
    featured = models.BooleanField(
        _("featured"),
        default=False,
        help_text=_(
            "The season the site's own addresses show (/standings/, /calendar/, /entries/, "
            "/calendar.ics): one at a time, and published."
        ),
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
                condition=Q(pole_points__lte=limits.MAX_POINTS)
                & Q(fastest_lap_points__lte=limits.MAX_POINTS)
                & Q(rookies_pole_points__lte=limits.MAX_POINTS)
                & Q(rookies_fastest_lap_points__lte=limits.MAX_POINTS),
                name="championship_points_bounded",
            ),
            models.CheckConstraint(
                condition=Q(team_cars_per_race__gte=1) & Q(dealer_cars_per_race__gte=1),
                name="championship_scoring_cars_at_least_one",
            ),
            models.CheckConstraint(
                condition=Q(status__in=SeasonStatus.values), name="championship_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(qualifying_merge__in=QualifyingMerge.values)
                & Q(later_grids__in=LaterGrid.values)
                & Q(reversed_top__gte=2)
                & Q(reversed_top__lte=99),
                name="championship_grid_settings_valid",
            ),
            models.UniqueConstraint(
                fields=["featured"], condition=Q(featured=True), name="championship_one_featured"
            ),
            models.CheckConstraint(
                condition=Q(featured=False) | Q(status=SeasonStatus.PUBLISHED),
                name="championship_featured_is_published",
                violation_error_message=_("Only a published season can be featured."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("championships:detail", kwargs={"slug": self.slug})

    def gives_pole_points(self) -> bool:
        """True if pole position scores in any table: drivers, rookies or a class."""
        if self.pole_points or self.rookies_pole_points:
            return True
        return self.classes.filter(pole_points__gt=0).exists()

    def first_race_day(self) -> dt.date | None:
        """The local date of the season's first race: the day class ages are taken on."""
        from championships.models.calendar import Race  # the calendar builds on this module

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
