"""Serializers of the championships app: explicit fields, nothing personal.

Times are aware ISO 8601 with an offset: ``starts_at`` in UTC, ``local_start`` in the
circuit's own zone. Race and lap times are written as timing sheets (and the results CSV)
write them: ``H:MM:SS.sss`` or ``MM:SS.sss`` for a race, ``M:SS.sss`` for a lap.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request

from championships.bundle.export import lap_time, race_time
from championships.models import (
    COUNTED_PENALTY_KINDS,
    PENALTY_SHAPES,
    BoardDocument,
    BoardEdition,
    Championship,
    ChampionshipClass,
    Circuit,
    ClassificationVersion,
    GridSlot,
    Meeting,
    Penalty,
    Race,
    ResultStatus,
    Series,
    Session,
    SessionKind,
    SessionResult,
    SessionVersion,
    penalty_misfit,
)
from championships.results_import import FieldChange
from championships.standings import rules
from championships.standings.cache import cached_season
from championships.standings.data import Entry, Result
from championships.standings.data import Race as SeasonRace
from championships.standings.tables import SeasonTables
from championships.versions import snapshot_duration


@extend_schema_field({"type": "string", "nullable": True, "example": "1:58.123"})
class LapTimeField(serializers.Field):
    def to_representation(self, value: dt.timedelta) -> str:
        return lap_time(value)


@extend_schema_field({"type": "string", "nullable": True, "example": "32:05.120"})
class RaceTimeField(serializers.Field):
    def to_representation(self, value: dt.timedelta) -> str:
        return race_time(value)


@extend_schema_field(OpenApiTypes.DATETIME)
class OffsetDateTimeField(serializers.DateTimeField):
    """An aware datetime as it is, with its own offset (DRF would convert it to UTC)."""

    def to_representation(self, value: dt.datetime) -> str:
        return value.isoformat()


# A text fans read, in Simplified Chinese, beside the field that gives it in English (the API
# answers in English: its addresses carry no language prefix).
IN_CHINESE = {
    "read_only": True,
    "help_text": _("In Simplified Chinese; null where not translated (pages then show English)."),
}


def absolute(request: Request | None, name: str, **kwargs: Any) -> str:
    path = reverse(name, kwargs=kwargs)
    return request.build_absolute_uri(path) if request else path


class ChampionshipLinkSerializer(serializers.ModelSerializer):
    """A championship named from elsewhere: enough to show it and to follow it."""

    url = serializers.HyperlinkedIdentityField(view_name="championship-detail", lookup_field="slug")

    class Meta:
        model = Championship
        fields = ["slug", "name", "year", "url"]


class SeriesSeasons:
    """The seasons a list of series names, read once for the whole list (two queries, however
    many series): each series' current season and the site's featured one."""

    @cached_property
    def current(self) -> dict[int, Championship]:
        return Championship.objects.current_of_series()

    @cached_property
    def featured(self) -> Championship | None:
        return Championship.objects.filter(featured=True).order_by().first()


class SeriesSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="series-detail", lookup_field="slug")
    current_championship = serializers.SerializerMethodField(
        help_text=_(
            "The series' current season: its published season of the latest year, else its "
            "latest archived one; never a draft. Null when the series has none."
        )
    )
    featured_championship = serializers.SerializerMethodField(
        help_text=_(
            "The season staff featured for the whole site (the one /standings/, /calendar/ "
            "and /entries/ show) when it is of this series; else null."
        )
    )

    class Meta:
        model = Series
        fields = [
            "slug",
            "name",
            "name_zh_hans",
            "url",
            "position",
            "current_championship",
            "featured_championship",
        ]
        extra_kwargs = {"name_zh_hans": IN_CHINESE}

    @cached_property
    def seasons(self) -> SeriesSeasons:
        # The view gives one for the whole list; a serializer used alone reads its own.
        return self.context.get("seasons") or SeriesSeasons()

    @extend_schema_field(ChampionshipLinkSerializer(allow_null=True))
    def get_current_championship(self, series: Series) -> dict[str, Any] | None:
        return self.linked(self.seasons.current.get(series.pk))

    @extend_schema_field(ChampionshipLinkSerializer(allow_null=True))
    def get_featured_championship(self, series: Series) -> dict[str, Any] | None:
        featured = self.seasons.featured
        return self.linked(featured if featured and featured.series_id == series.pk else None)

    def linked(self, championship: Championship | None) -> dict[str, Any] | None:
        if championship is None:
            return None
        return ChampionshipLinkSerializer(championship, context=self.context).data


class ClassSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChampionshipClass
        fields = ["code", "categories", "min_age"]


class ChampionshipSerializer(serializers.ModelSerializer):
    series = serializers.CharField(source="series.name", read_only=True)
    series_slug = serializers.CharField(source="series.slug", read_only=True)
    classes = ClassSerializer(many=True, read_only=True)
    pole_points = serializers.DecimalField(6, 2, coerce_to_string=False, read_only=True)
    fastest_lap_points = serializers.DecimalField(6, 2, coerce_to_string=False, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="championship-detail", lookup_field="slug")
    standings_url = serializers.SerializerMethodField()

    class Meta:
        model = Championship
        fields = [
            "slug",
            "name",
            "name_zh_hans",
            "year",
            "series",
            "series_slug",
            "race_points",
            "pole_points",
            "fastest_lap_points",
            "dropped_results",
            "drop_disqualified",
            "tie_break",
            "positions",
            "classes",
            "tables_changed_at",
            "url",
            "standings_url",
            "status",
            "featured",
        ]
        extra_kwargs = {
            "name_zh_hans": IN_CHINESE,
            "status": {
                "help_text": _(
                    "draft (seen by staff only), published (its series' current season) or "
                    "archived (in the archive)."
                )
            },
            "featured": {
                "help_text": _(
                    "The season the site's own addresses show (/standings/, /calendar/, "
                    "/entries/): one at most, published."
                )
            },
        }

    @extend_schema_field(OpenApiTypes.URI)
    def get_standings_url(self, championship: Championship) -> str:
        request = self.context.get("request")
        return absolute(request, "championship-standings", slug=championship.slug)


class CircuitSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="circuit-detail")

    class Meta:
        model = Circuit
        fields = ["id", "name", "name_zh_hans", "country", "timezone", "url"]
        extra_kwargs = {"name_zh_hans": IN_CHINESE}


class RaceSummarySerializer(serializers.ModelSerializer):
    """A race inside its meeting."""

    local_start = OffsetDateTimeField(read_only=True)
    points_factor = serializers.DecimalField(
        2, 1, source="factor", coerce_to_string=False, read_only=True
    )
    url = serializers.HyperlinkedIdentityField(view_name="race-detail")

    class Meta:
        model = Race
        fields = ["id", "number", "starts_at", "local_start", "points_factor", "url"]


class MeetingSerializer(serializers.ModelSerializer):
    championship = serializers.CharField(source="championship.slug", read_only=True)
    circuit = CircuitSerializer(read_only=True)
    races = RaceSummarySerializer(many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="meeting-detail")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "championship",
            "round",
            "circuit",
            "start_date",
            "end_date",
            "supporting_event",
            "supporting_event_zh_hans",
            "races",
            "url",
        ]
        extra_kwargs = {"supporting_event_zh_hans": IN_CHINESE}


class RaceSerializer(RaceSummarySerializer):
    championship = serializers.CharField(source="meeting.championship.slug", read_only=True)
    round = serializers.IntegerField(source="meeting.round", read_only=True)
    meeting = serializers.PrimaryKeyRelatedField(read_only=True)
    circuit = serializers.CharField(source="meeting.circuit.name", read_only=True)
    timezone = serializers.CharField(source="meeting.circuit.timezone", read_only=True)
    held = serializers.BooleanField(read_only=True, help_text=_("Results are recorded."))

    class Meta(RaceSummarySerializer.Meta):
        fields = [
            "id",
            "championship",
            "round",
            "number",
            "meeting",
            "circuit",
            "timezone",
            "starts_at",
            "local_start",
            "points_factor",
            "held",
            "url",
        ]


class ClassificationRowSerializer(serializers.Serializer):
    """One line of a race's final classification: rule 1 of STANDINGS_RULES.md applied."""

    position = serializers.IntegerField(allow_null=True, help_text=_("Final, after penalties."))
    status = serializers.CharField(help_text=_("CLASSIFIED, DNF, DNS, DSQ or NC."))
    car_number = serializers.IntegerField()
    driver = serializers.CharField()
    team = serializers.CharField()
    entry_class = serializers.CharField()
    laps = serializers.IntegerField()
    total_time = RaceTimeField(allow_null=True)
    best_lap = LapTimeField(allow_null=True)
    grid = serializers.IntegerField(allow_null=True)
    penalties = serializers.ListField(child=serializers.CharField())


class RaceDetailSerializer(RaceSerializer):
    classification = serializers.SerializerMethodField()

    class Meta(RaceSerializer.Meta):
        fields = [
            *RaceSerializer.Meta.fields,
            "classification_state",
            "classification_version",
            "classification",
        ]

    @extend_schema_field(ClassificationRowSerializer(many=True))
    def get_classification(self, race: Race) -> list[dict[str, Any]]:
        return ClassificationRowSerializer(classification_rows(race), many=True).data


class VersionLineSerializer(serializers.Serializer):
    """One line of a version's final classification, as it was published."""

    position = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    car_number = serializers.IntegerField(allow_null=True)
    laps = serializers.IntegerField()
    total_time = RaceTimeField(allow_null=True)
    best_lap = LapTimeField(allow_null=True)
    grid = serializers.IntegerField(allow_null=True)


class ClassificationVersionSerializer(serializers.ModelSerializer):
    """A published version of a race's classification: who, when, why, and what it was."""

    by = serializers.SerializerMethodField()
    classification = serializers.SerializerMethodField()

    class Meta:
        model = ClassificationVersion
        fields = [
            "number",
            "state",
            "cause",
            "created_at",
            "by",
            "reason",
            "reference",
            "decision",
            "classification",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_by(self, version: ClassificationVersion) -> str | None:
        return made_by(version.created_by)

    @extend_schema_field(VersionLineSerializer(many=True))
    def get_classification(self, version: ClassificationVersion) -> list[dict[str, Any]]:
        lines = [
            {
                **line,
                "car_number": line["car"],
                "total_time": snapshot_duration(line["total_time"]),
                "best_lap": snapshot_duration(line["best_lap"]),
            }
            for line in version.snapshot.get("classification", [])
        ]
        return VersionLineSerializer(lines, many=True).data


def made_by(user: Any) -> str | None:
    """Who made a version, as the public may read it: the staff member's name, or "staff"
    without one; never the username that signs in to the back office. None: an import or a
    decision made without a signed-in user."""
    if user is None:
        return None
    return user.get_full_name() or "staff"


class PenaltySerializer(serializers.ModelSerializer):
    """A stewards' decision. Written with ``meeting`` (or just ``race``), ``entry``, ``kind``,
    ``value`` and ``reason``; the model's own checks decide what fits together."""

    championship = serializers.CharField(source="meeting.championship.slug", read_only=True)
    round = serializers.IntegerField(source="meeting.round", read_only=True)
    race_number = serializers.IntegerField(source="race.number", read_only=True, allow_null=True)
    car_number = serializers.IntegerField(source="entry.car_number", read_only=True)
    driver = serializers.CharField(source="entry.driver.full_name", read_only=True)
    value = serializers.DecimalField(
        8,
        3,
        coerce_to_string=False,
        allow_null=True,
        required=False,
        help_text=_("Seconds for TIME, points for POINTS, null for DSQ."),
    )
    url = serializers.HyperlinkedIdentityField(view_name="penalty-detail")

    class Meta:
        model = Penalty
        fields = [
            "id",
            "championship",
            "meeting",
            "round",
            "race",
            "race_number",
            "entry",
            "car_number",
            "driver",
            "kind",
            "value",
            "reason",
            "reason_zh_hans",
            "url",
        ]
        extra_kwargs = {
            "reason_zh_hans": IN_CHINESE,
            "meeting": {"required": False, "help_text": _("The round; may be left out with race.")},
            "race": {"required": False, "help_text": _("Null for a points deduction.")},
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("race") is not None and "meeting" not in attrs:
            attrs["meeting"] = attrs["race"].meeting
        values = {**self._current(), **attrs}
        if values.get("meeting") is None:
            raise serializers.ValidationError({"meeting": [_("Give the round or the race.")]})
        check_kind_and_value(values)
        candidate = Penalty(**values)
        try:
            candidate.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(_as_drf(error)) from None
        return attrs

    def _current(self) -> dict[str, Any]:
        if self.instance is None:
            return {}
        names = ("meeting", "race", "entry", "kind", "value", "reason")
        return {name: getattr(self.instance, name) for name in names}


def check_kind_and_value(values: dict[str, Any]) -> None:
    """The model's kind/value rule said in words for the kinds the API documents (time, DSQ,
    points); the others get the constraint's own sentence from ``full_clean``."""
    kind = values.get("kind")
    if kind not in COUNTED_PENALTY_KINDS:
        return
    misfit = penalty_misfit(kind, values.get("value"), has_race=values.get("race") is not None)
    if misfit == "race":
        raise serializers.ValidationError(
            {"race": [_("A time penalty or a disqualification needs the race.")]}
        )
    if misfit == "value" and PENALTY_SHAPES[kind].unit is None:
        raise serializers.ValidationError({"value": [_("A disqualification has no value.")]})
    if misfit == "value":
        raise serializers.ValidationError({"value": [_("Give a value above 0.")]})


def _as_drf(error: DjangoValidationError) -> dict[str, list[str]]:
    errors = error.message_dict
    if "__all__" in errors:
        errors["non_field_errors"] = errors.pop("__all__")
    return errors


def classification_rows(race: Race) -> list[dict[str, Any]]:
    """The race's final classification (rule 1, penalties applied) from the standings module.

    The season is the standings' cached one, so this costs no query while the championship's
    data is unchanged; a race without results has an empty classification.
    """
    season = cached_season(race.meeting.championship)
    held = next((r for r in season.races if r.id == race.pk), None)
    if held is None:
        return []
    tables = SeasonTables(season)
    entries = {entry.id: entry for entry in season.entries}
    return [
        _classification_row(result, entries[result.entry_id], held, tables)
        for result in tables.classification(held)
    ]


def _classification_row(
    result: Result, entry: Entry, race: SeasonRace, tables: SeasonTables
) -> dict[str, Any]:
    """A line as the race sheet gives it; the class the one held on the race's day (rule 7)."""
    notes = tables.notes(race, result.entry_id)
    return {
        "position": result.position,
        "status": result.status,
        "car_number": entry.car_number,
        "driver": entry.driver,
        "team": entry.team,
        "entry_class": rules.class_on(entry, race.day),
        "laps": result.laps,
        "total_time": result.total_time,
        "best_lap": result.best_lap,
        "grid": result.grid,
        "penalties": list(notes),
    }


# Imports ---------------------------------------------------------------------------------


class ImportQuerySerializer(serializers.Serializer):
    dry_run = serializers.BooleanField(
        default=False, help_text=_("1 or true: check and answer the difference, write nothing.")
    )


class BundleQuerySerializer(ImportQuerySerializer):
    replace = serializers.BooleanField(
        default=False,
        help_text=_("1 or true: replace the championship of the same slug, all at once."),
    )


class ResultRowSerializer(serializers.Serializer):
    car_number = serializers.IntegerField()
    line = serializers.IntegerField(allow_null=True, help_text=_("Line in the file."))
    position = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    laps = serializers.IntegerField()
    total_time = RaceTimeField(allow_null=True)
    best_lap = LapTimeField(allow_null=True)
    grid = serializers.IntegerField(allow_null=True)


@extend_schema_field(
    {"oneOf": [{"type": "integer"}, {"type": "string"}], "nullable": True, "example": 3}
)
class ResultValueField(serializers.Field):
    """A value of a results row: a number, a status, or a time as the CSV writes it."""

    def get_attribute(self, instance: FieldChange) -> tuple[str, Any]:
        return instance.field, getattr(instance, self.source)

    def to_representation(self, value: tuple[str, Any]) -> int | str | None:
        field, data = value
        if field == "total_time":
            return race_time(data) or None
        if field == "best_lap":
            return lap_time(data) or None
        return data


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    before = ResultValueField()
    after = ResultValueField()


class RowChangeSerializer(serializers.Serializer):
    car_number = serializers.IntegerField()
    line = serializers.IntegerField()
    changes = FieldChangeSerializer(many=True)


class FileWarningSerializer(serializers.Serializer):
    """Something a file says that is accepted but probably not meant; where, as for errors."""

    file = serializers.CharField()
    line = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ResultsDiffSerializer(serializers.Serializer):
    race = serializers.IntegerField(source="race_id")
    dry_run = serializers.BooleanField(help_text=_("True: nothing was written."))
    added = ResultRowSerializer(many=True)
    changed = RowChangeSerializer(many=True)
    removed = ResultRowSerializer(many=True)
    unchanged = serializers.IntegerField()
    warnings = FileWarningSerializer(
        many=True,
        help_text=_(
            "Accepted but probably not meant, e.g. no grid while the scheme gives pole points."
        ),
    )


class RacePreviewSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    local_start = OffsetDateTimeField()
    points_factor = serializers.CharField()
    results = serializers.IntegerField()


class MeetingPreviewSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    circuit = serializers.CharField()
    country = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    supporting_event = serializers.CharField()
    races = RacePreviewSerializer(many=True)


class EntryPreviewSerializer(serializers.Serializer):
    car_number = serializers.IntegerField()
    driver = serializers.CharField()
    category = serializers.CharField()
    team = serializers.CharField()
    class_code = serializers.CharField()
    flags = serializers.ListField(child=serializers.CharField())
    new_driver = serializers.BooleanField()


class ImportSummarySerializer(serializers.Serializer):
    """What a season import wrote or, in a dry run, would write."""

    slug = serializers.CharField()
    name = serializers.CharField()
    year = serializers.IntegerField()
    replaced = serializers.BooleanField()
    dry_run = serializers.BooleanField()
    championship_id = serializers.IntegerField(allow_null=True)
    classes = serializers.ListField(child=serializers.CharField())
    meetings = serializers.IntegerField()
    races = serializers.IntegerField()
    races_with_results = serializers.IntegerField()
    entries = serializers.IntegerField()
    results = serializers.IntegerField()
    penalties = serializers.IntegerField()
    drivers_created = serializers.IntegerField()
    drivers_reused = serializers.IntegerField()
    teams_created = serializers.IntegerField()
    teams_reused = serializers.IntegerField()
    circuits_created = serializers.IntegerField()
    circuits_reused = serializers.IntegerField()
    meeting_previews = MeetingPreviewSerializer(many=True)
    entry_previews = EntryPreviewSerializer(many=True)


# The notice board ------------------------------------------------------------------------------


class BoardEditionSerializer(serializers.ModelSerializer):
    """One PDF of a document in one language, with the SHA-256 of its bytes."""

    url = serializers.SerializerMethodField()

    class Meta:
        model = BoardEdition
        fields = ["language", "url", "sha256", "size"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, edition: BoardEdition) -> str:
        edition.document.meeting = self.context["meeting"]  # loaded once, with its championship
        path = edition.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class BoardDocumentSerializer(serializers.ModelSerializer):
    """A document of a meeting's notice board, as published (it never changes). Needs the
    meeting in the context (``meeting``), its documents read with ``on_board``, their
    ``editions`` and ``concerns`` prefetched."""

    title_zh_hans = serializers.CharField(allow_null=True, **IN_CHINESE)
    published_at_local = serializers.SerializerMethodField(
        help_text=_("The publication time in the circuit's time zone, with its offset.")
    )
    published_by = serializers.SerializerMethodField()
    supersedes = serializers.SerializerMethodField()
    superseded_by = serializers.SerializerMethodField()
    cars_concerned = serializers.SerializerMethodField()
    editions = serializers.SerializerMethodField()
    pending = serializers.SerializerMethodField()

    class Meta:
        model = BoardDocument
        fields = [
            "number",
            "kind",
            "title",
            "title_en",
            "title_zh_hans",
            "issued_by",
            "published_at",
            "published_at_local",
            "published_by",
            "supersedes",
            "superseded_by",
            "race",
            "decision",
            "cars_concerned",
            "editions",
            "pending",
        ]

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_published_at_local(self, document: BoardDocument) -> str:
        zone = self.context["meeting"].circuit.zone
        return document.published_at.astimezone(zone).isoformat()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_published_by(self, document: BoardDocument) -> str | None:
        """The staff member's name; null without one (never the username that signs in)."""
        user = document.published_by
        return (user.get_full_name() or None) if user is not None else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_supersedes(self, document: BoardDocument) -> int | None:
        return document.supersedes.number if document.supersedes is not None else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_superseded_by(self, document: BoardDocument) -> int | None:
        try:
            return document.superseded_by.number
        except BoardDocument.DoesNotExist:
            return None

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_cars_concerned(self, document: BoardDocument) -> list[int]:
        """Empty: the document concerns every competitor of the meeting."""
        return sorted(entry.car_number for entry in document.concerns.all())

    @extend_schema_field(BoardEditionSerializer(many=True))
    def get_editions(self, document: BoardDocument) -> list[dict[str, Any]]:
        editions = sorted(document.editions.all(), key=lambda edition: edition.language)
        for edition in editions:
            edition.document = document  # no query back to the document
        return BoardEditionSerializer(editions, many=True, context=self.context).data

    @extend_schema_field(serializers.BooleanField())
    def get_pending(self, document: BoardDocument) -> bool:
        """A generated document whose PDFs are still being drawn."""
        return document.is_generated and len(document.editions.all()) < len(settings.LANGUAGES)


# Practice and qualifying sessions, and the starting grids ----------------------------------------


def gap_text(time: dt.timedelta | None, fastest: dt.timedelta | None) -> str | None:
    """The time behind the fastest as the session's versions write it: +0.123."""
    if time is None or fastest is None:
        return None
    millis = round((time - fastest) / dt.timedelta(milliseconds=1))
    return f"+{millis // 1000}.{millis % 1000:03d}"


@extend_schema_field(
    {"type": "string", "enum": SessionKind.values, "example": SessionKind.QUALIFYING},
    component_name="SessionKindEnum",  # one name, beside the penalties' and documents' kinds
)
class SessionKindField(serializers.CharField):
    """PRACTICE or QUALIFYING."""


class SessionSerializer(serializers.ModelSerializer):
    """A practice or qualifying session (one per group when the field is split)."""

    championship = serializers.CharField(source="meeting.championship.slug", read_only=True)
    round = serializers.IntegerField(source="meeting.round", read_only=True)
    meeting = serializers.PrimaryKeyRelatedField(read_only=True)
    kind = SessionKindField(read_only=True)
    label = serializers.CharField(read_only=True, help_text=_('e.g. "Qualifying 1 · Group A".'))
    timezone = serializers.CharField(source="meeting.circuit.timezone", read_only=True)
    local_start = OffsetDateTimeField(read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="session-detail")

    class Meta:
        model = Session
        fields = [
            "id",
            "championship",
            "round",
            "meeting",
            "kind",
            "number",
            "group",
            "label",
            "timezone",
            "starts_at",
            "local_start",
            "classification_version",
            "url",
        ]


class SessionLineSerializer(serializers.Serializer):
    """One car's line of a session's classification, ranked by its best lap."""

    position = serializers.IntegerField(allow_null=True, help_text=_("Null when not classified."))
    status = serializers.CharField(help_text=_("CLASSIFIED, DNF, DNS, DSQ or NC."))
    car_number = serializers.IntegerField()
    driver = serializers.CharField()
    team = serializers.CharField()
    laps = serializers.IntegerField()
    best_lap = LapTimeField(allow_null=True)
    gap = serializers.CharField(
        allow_null=True, help_text=_("Behind the first's best lap, e.g. +0.123; null for it.")
    )
    second_best_lap = LapTimeField(allow_null=True)


class SessionDetailSerializer(SessionSerializer):
    """A session with its classification as it stands (its results read with the entries'
    drivers and teams)."""

    classification = serializers.SerializerMethodField()

    class Meta(SessionSerializer.Meta):
        fields = [*SessionSerializer.Meta.fields, "classification"]

    @extend_schema_field(SessionLineSerializer(many=True))
    def get_classification(self, session: Session) -> list[dict[str, Any]]:
        return SessionLineSerializer(session_rows(list(session.results.all())), many=True).data


def session_rows(results: list[SessionResult]) -> list[dict[str, Any]]:
    """A session's results (in classification order) as lines of its classification."""
    fastest = next((r.best_lap for r in results if r.position == 1), None)
    return [
        {
            "position": r.position,
            "status": r.status,
            "car_number": r.entry.car_number,
            "driver": r.entry.driver.full_name,
            "team": r.entry.team.name,
            "laps": r.laps,
            "best_lap": r.best_lap,
            "gap": gap_text(r.best_lap, fastest) if (r.position or 0) > 1 else None,
            "second_best_lap": r.second_best_lap,
        }
        for r in results
    ]


@extend_schema_field({"type": "string", "nullable": True, "example": "1:58.123"})
class LapTextField(serializers.CharField):
    """A lap time a version keeps as text (M:SS.sss); null for none."""

    def to_representation(self, value: str) -> str | None:
        return value or None


class SessionVersionLineSerializer(serializers.Serializer):
    """One line of a session's classification as a version published it."""

    position = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    car_number = serializers.IntegerField(source="car")
    driver = serializers.CharField()
    team = serializers.CharField()
    laps = serializers.IntegerField()
    best_lap = LapTextField(source="best", allow_null=True)
    gap = LapTextField(allow_null=True)
    second_best_lap = LapTextField(source="second", allow_null=True)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_position(self, line: dict[str, Any]) -> int | None:
        position = str(line["position"])
        return int(position) if position.isdigit() else None

    @extend_schema_field(serializers.CharField(help_text=_("CLASSIFIED, DNF, DNS, DSQ or NC.")))
    def get_status(self, line: dict[str, Any]) -> str:
        position = str(line["position"])
        return ResultStatus.CLASSIFIED if position.isdigit() else position


class SessionVersionSerializer(serializers.ModelSerializer):
    """A published version of a session's classification: who, when, why, and what it was."""

    by = serializers.SerializerMethodField()
    classification = SessionVersionLineSerializer(source="lines", many=True, read_only=True)

    class Meta:
        model = SessionVersion
        fields = ["number", "created_at", "by", "reason", "classification"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_by(self, version: SessionVersion) -> str | None:
        return made_by(version.created_by)


class SessionImportQuerySerializer(ImportQuerySerializer):
    expected_version = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text=_(
            "The session's classification version the file was prepared against (its "
            "classification_version); 412 if it has moved on. Or send If-Match."
        ),
    )


class SessionImportLineSerializer(serializers.Serializer):
    """A line of the file as read, in classification order."""

    position = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    car_number = serializers.IntegerField()
    laps = serializers.IntegerField()
    best_lap = LapTimeField(allow_null=True)
    second_best_lap = LapTimeField(allow_null=True)


class SessionDiffSerializer(serializers.Serializer):
    """What a session's import changed or, in a dry run, would change."""

    session = serializers.IntegerField(source="session_id")
    dry_run = serializers.BooleanField(help_text=_("True: nothing was written."))
    added = serializers.IntegerField(help_text=_("Cars the classification did not have."))
    changed = serializers.IntegerField(help_text=_("Cars whose line changes."))
    removed = serializers.IntegerField(help_text=_("Cars the file leaves out."))
    unchanged = serializers.IntegerField()
    base_version = serializers.IntegerField(help_text=_("The version the file replaces."))
    version = serializers.IntegerField(
        allow_null=True, help_text=_("The version the import made; null for a dry run.")
    )
    lines = SessionImportLineSerializer(many=True)


class GridSlotSerializer(serializers.ModelSerializer):
    """A car's place on a race's published starting grid."""

    car_number = serializers.IntegerField(source="entry.car_number", read_only=True)
    driver = serializers.CharField(source="entry.driver.full_name", read_only=True)
    time = LapTimeField(
        allow_null=True,
        read_only=True,
        help_text=_("The lap time it was ranked on; null when ranked on a race's finish."),
    )
    qualified = serializers.IntegerField(
        read_only=True, help_text=_("The place the grid's basis gave, before grid penalties.")
    )

    class Meta:
        model = GridSlot
        fields = ["position", "qualified", "car_number", "entry", "driver", "time", "published_at"]


class LapSerializer(serializers.Serializer):
    """One lap of one car."""

    car_number = serializers.IntegerField()
    lap = serializers.IntegerField()
    time = LapTimeField()
    pit = serializers.BooleanField(help_text=_("The lap ended in the pit lane."))


class CarLapsSerializer(serializers.Serializer):
    """One car's laps in a lap file, as the dry run counts them."""

    car_number = serializers.IntegerField()
    laps = serializers.IntegerField()
    best = LapTimeField()
    total = RaceTimeField()
    pits = serializers.IntegerField(help_text=_("Laps ending in the pit lane."))


class LapsDiffSerializer(serializers.Serializer):
    """What a lap import holds and, unless a dry run, wrote."""

    dry_run = serializers.BooleanField(help_text=_("True: nothing was written."))
    laps = serializers.IntegerField()
    replaced = serializers.IntegerField(help_text=_("Laps held before, which the file replaces."))
    cars = CarLapsSerializer(many=True)
    warnings = FileWarningSerializer(
        many=True,
        help_text=_("Accepted but probably not meant: a car's laps against its classification."),
    )
