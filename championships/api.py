"""API of the championships app: the season read by anyone, written by staff with permissions.

Writes go through the same functions as the back office (``results_import``,
``season_import``, ``weekend.session_import``) or the model's own checks (penalties), and
every write to what the tables read marks the championship's tables as changed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import F, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import parse_etags, quote_etag
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from championships import api_docs as docs
from championships.bundle import BundleError, season_import, uploaded_bundle
from championships.filters import (
    ChampionshipFilter,
    CircuitFilter,
    MeetingFilter,
    PenaltyFilter,
    RaceFilter,
    SessionFilter,
)
from championships.live_api import LiveActionMixin
from championships.models import (
    BoardDocument,
    BoardEdition,
    Championship,
    ChampionshipClass,
    Circuit,
    GridSlot,
    Meeting,
    Penalty,
    Race,
    Series,
    Session,
    SessionResult,
)
from championships.preconditions import (
    PreconditionFailed,
    PreconditionRequired,
    ResultsImportQuerySerializer,
    classification_etag,
    expected_version,
    penalty_conflict_refused,
    penalty_etag,
    penalty_if_match,
)
from championships.results_import import RESULTS_MAX_BYTES, ResultsError, results_import
from championships.serializers import (
    BoardDocumentSerializer,
    BundleQuerySerializer,
    ChampionshipSerializer,
    CircuitSerializer,
    ClassificationVersionSerializer,
    GridSlotSerializer,
    ImportQuerySerializer,
    ImportSummarySerializer,
    LapsDiffSerializer,
    LapSerializer,
    MeetingSerializer,
    PenaltySerializer,
    RaceDetailSerializer,
    RaceSerializer,
    ResultsDiffSerializer,
    SeriesSeasons,
    SeriesSerializer,
    SessionDetailSerializer,
    SessionDiffSerializer,
    SessionImportQuerySerializer,
    SessionSerializer,
    SessionVersionSerializer,
)
from championships.services import penalty_delete, penalty_save
from championships.versions import ClassificationConflict
from championships.visibility import VisibleSeasonsMixin, drafts_seen
from championships.weekend import (
    LAPS_MAX_BYTES,
    SESSION_MAX_BYTES,
    LapsFileError,
    SessionConflict,
    SessionFileError,
    laps_import,
    session_import,
)
from core.api import ID, SLUG, CsvParser, ZipParser, file_errors, uploaded_file
from entries.models import Entry


@extend_schema_view(
    list=extend_schema(
        summary="List the series, in the order staff gave them (position, then name)",
        description=(
            "Each series with its current season and, when it is of this series, the season "
            "the site features. A series has no status of its own: a draft season is never "
            "its current one."
        ),
    ),
    retrieve=extend_schema(summary="One series, by slug"),
)
class SeriesViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Series.objects.order_by("position", "name")
    serializer_class = SeriesSerializer
    ordering_fields = ["name", "position"]
    lookup_field = "slug"
    lookup_value_regex = SLUG

    def get_queryset(self) -> QuerySet[Series]:
        # A series whose only season is a draft is for staff only, as the draft is.
        return super().get_queryset().visible(drafts=drafts_seen(self.request))

    def get_serializer_context(self) -> dict[str, Any]:
        # The seasons of the whole page of series, read once.
        return {**super().get_serializer_context(), "seasons": SeriesSeasons()}


@extend_schema_view(
    list=extend_schema(
        summary="List the championships, latest season first",
        description="Draft seasons are listed for staff only (status draft).",
    ),
    retrieve=extend_schema(summary="One championship, by slug, with its points scheme"),
)
class ChampionshipViewSet(VisibleSeasonsMixin, viewsets.ReadOnlyModelViewSet):
    queryset = (
        Championship.objects.select_related("series")
        .prefetch_related(Prefetch("classes", ChampionshipClass.objects.order_by("sort_order")))
        .latest_first()
    )
    serializer_class = ChampionshipSerializer
    filterset_class = ChampionshipFilter
    ordering_fields = ["year", "name", "slug"]
    lookup_field = "slug"
    lookup_value_regex = SLUG
    championship_path = ""


@extend_schema_view(
    list=extend_schema(summary="List the circuits"),
    retrieve=extend_schema(summary="One circuit"),
)
class CircuitViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Circuit.objects.order_by("name")
    serializer_class = CircuitSerializer
    filterset_class = CircuitFilter
    ordering_fields = ["name", "country"]
    lookup_value_regex = ID


@extend_schema_view(
    list=extend_schema(summary="List the meetings (race weekends) with their races"),
    retrieve=extend_schema(summary="One meeting with its races"),
)
class MeetingViewSet(VisibleSeasonsMixin, viewsets.ReadOnlyModelViewSet):
    # Prefetched races get their meeting (and its circuit) from the prefetch: no query each.
    queryset = (
        Meeting.objects.with_circuit()
        .prefetch_related(Prefetch("races", Race.objects.order_by("number")))
        .order_by("start_date", "championship__slug", "round")
    )
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    ordering_fields = ["start_date", "round"]
    lookup_value_regex = ID

    @extend_schema(**docs.MEETING_BOARD)
    # A meeting's board is its whole list, a bare array as documented (never paged).
    @action(
        detail=True,
        methods=["get"],
        url_path="board",
        filter_backends=[],
        pagination_class=None,
    )
    def board(self, request: Request, pk: str) -> Response:
        meeting = get_object_or_404(self.visible(Meeting.objects.with_circuit()), pk=pk)
        documents = (
            BoardDocument.objects.filter(meeting=meeting)
            .on_board()
            .prefetch_related(
                Prefetch("editions", BoardEdition.objects.order_by("language")),
                Prefetch("concerns", Entry.objects.only("id", "car_number")),
            )
        )
        context = {**self.get_serializer_context(), "meeting": meeting}
        return Response(BoardDocumentSerializer(documents, many=True, context=context).data)


# Importing replaces the race's results: adding, changing and deleting results.
IMPORT_RESULTS = (
    "championships.add_result",
    "championships.change_result",
    "championships.delete_result",
)


# ``GET``/``POST .../<id>/laps/`` on a race's and a session's endpoint: the laps as read, and
# the lap export's import (``laps_import``, with its dry run), the classification's write
# permission guarding the post. (A comment, not a docstring: the schema would take it as the
# description of the viewsets that have none.)
class LapsActionMixin:
    @extend_schema(methods=["GET"], **docs.LAPS["get"])
    @extend_schema(methods=["POST"], **docs.LAPS["post"])
    # A race's laps are a few hundred rows: the whole list, a bare array (never paged).
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="laps",
        parser_classes=[CsvParser, MultiPartParser],
        filter_backends=[],
        pagination_class=None,
    )
    def laps(self, request: Request, pk: str) -> Response:
        model = self.queryset.model
        if request.method == "GET":
            subject = get_object_or_404(self.visible(model.objects.all()), pk=pk)
            rows = subject.laps.order_by("entry__car_number", "number").values_list(
                "entry__car_number", "number", "time", "pit"
            )
            laps = [{"car_number": c, "lap": n, "time": t, "pit": p} for c, n, t, p in rows]
            return Response(LapSerializer(laps, many=True).data)
        subject = get_object_or_404(model.objects.all(), pk=pk)
        params = query(ImportQuerySerializer, request)
        _name, content = uploaded_file(request, max_bytes=LAPS_MAX_BYTES)
        try:
            diff = laps_import(subject=subject, source=content, dry_run=params["dry_run"])
        except LapsFileError as error:
            return Response(file_errors(error.issues), status=status.HTTP_400_BAD_REQUEST)
        return Response(LapsDiffSerializer(diff).data)


@extend_schema_view(
    list=extend_schema(summary="List the races"),
    retrieve=extend_schema(
        summary="One race with its final classification",
        description=(
            "The classification is the final one of rule 1 of the standings rules: "
            "disqualifications and time penalties applied, positions renumbered."
        ),
    ),
)
class RaceViewSet(
    LiveActionMixin, LapsActionMixin, VisibleSeasonsMixin, viewsets.ReadOnlyModelViewSet
):
    queryset = (
        Race.objects.select_related("meeting__circuit", "meeting__championship")
        .with_held()
        .annotate(round=F("meeting__round"))
        .order_by("starts_at", "number")
    )
    filterset_class = RaceFilter
    ordering_fields = ["starts_at", "round", "number"]
    lookup_value_regex = ID
    # Its one write, the results import (StaffWritePermission, the default).
    write_permissions = IMPORT_RESULTS
    championship_path = "meeting__championship"

    def get_serializer_class(self) -> type[BaseSerializer]:
        return RaceDetailSerializer if self.action == "retrieve" else RaceSerializer

    @extend_schema(**docs.RESULTS_IMPORT)
    @action(
        detail=True,
        methods=["post"],
        url_path="results",
        parser_classes=[CsvParser, MultiPartParser],
        filter_backends=[],
    )
    def results(self, request: Request, pk: str) -> Response:
        race = get_object_or_404(Race.objects.select_related("meeting"), pk=pk)
        params = query(ResultsImportQuerySerializer, request)
        _name, content = uploaded_file(request, max_bytes=RESULTS_MAX_BYTES)
        expected = expected_version(
            race,
            if_match=request.headers.get("If-Match"),
            expected=params.get("expected_version"),
            required=not params["dry_run"] and race.results.exists(),
        )
        try:
            diff = results_import(
                race=race,
                source=content,
                dry_run=params["dry_run"],
                user=request.user,
                expected_version=expected,
            )
        except ResultsError as error:
            return Response(file_errors(error.issues), status=status.HTTP_400_BAD_REQUEST)
        except ClassificationConflict as conflict:
            raise PreconditionFailed(str(conflict)) from None
        version = diff.base_version if diff.version is None else diff.version
        return Response(
            ResultsDiffSerializer(diff).data,
            headers={"ETag": classification_etag(race.pk, version)},
        )

    @extend_schema(
        summary="The versions of a race's classification, oldest first",
        description=(
            "Every applied import, stewards' decision, withdrawal, correction and declared "
            "state (provisional, final, amended) is a version: who, when, why, and the final "
            "classification it published."
        ),
        responses=ClassificationVersionSerializer(many=True),
    )
    # A race has a few versions: the whole list, a bare array, as documented (never paged).
    @action(
        detail=True,
        methods=["get"],
        url_path="versions",
        filter_backends=[],
        pagination_class=None,
    )
    def versions(self, request: Request, pk: str) -> Response:
        race = get_object_or_404(self.visible(Race.objects.all()), pk=pk)
        versions = race.classification_versions.select_related("created_by").order_by("number")
        # The ETag names the version, for If-Match on the results import.
        etag = classification_etag(race.pk, race.classification_version)
        return Response(
            ClassificationVersionSerializer(versions, many=True).data, headers={"ETag": etag}
        )

    @extend_schema(**docs.RACE_GRID)
    # A grid is a few dozen cars: the whole of it, a bare array, as documented (never paged).
    @action(
        detail=True,
        methods=["get"],
        url_path="grid",
        filter_backends=[],
        pagination_class=None,
    )
    def grid(self, request: Request, pk: str) -> Response:
        race = get_object_or_404(self.visible(Race.objects.all()), pk=pk)
        slots = GridSlot.objects.filter(race=race).select_related("entry__driver")
        return Response(GridSlotSerializer(slots.order_by("position"), many=True).data)


# A session's results are written only by its import: adding, changing and deleting them.
IMPORT_SESSION_RESULTS = (
    "championships.add_sessionresult",
    "championships.change_sessionresult",
    "championships.delete_sessionresult",
)
SESSION_VERSION_REQUIRED = _(
    "This import replaces a classification already held: send the classification version "
    "you read, as If-Match (the ETag of the session's versions) or ?expected_version=."
)


def session_etag(session_id: int, version: int) -> str:
    """The ETag of a session's classification at ``version`` (never a race's: the two are
    numbered apart)."""
    return quote_etag(f"session-{session_id}-v{version}")


def session_expected_version(
    session: Session, *, if_match: str | None, expected: int | None, required: bool
) -> int | None:
    """The version the client read, from ``If-Match`` (weak or strong) or
    ``expected_version``: 428 if it sends neither though ``required`` (or sends ``*``), 412
    if the two disagree or the ETag names no version of this session."""
    versions = set() if expected is None else {expected}
    if if_match:
        versions.add(_session_version_of(session, if_match))
    if len(versions) > 1:
        raise PreconditionFailed(_("If-Match and expected_version name different versions."))
    if not versions and required:
        raise PreconditionRequired(SESSION_VERSION_REQUIRED)
    return versions.pop() if versions else None


def _session_version_of(session: Session, if_match: str) -> int:
    prefix = f"session-{session.pk}-v"
    for etag in parse_etags(if_match):
        if etag == "*":
            raise PreconditionRequired(SESSION_VERSION_REQUIRED)
        tag = etag.removeprefix("W/").strip('"')
        number = tag.removeprefix(prefix)
        if tag.startswith(prefix) and number.isascii() and number.isdigit():
            return int(number)
    raise PreconditionFailed(
        _("If-Match does not name a version of this session's classification.")
    )


@extend_schema_view(**docs.SESSION_VIEWS)
class SessionViewSet(
    LiveActionMixin, LapsActionMixin, VisibleSeasonsMixin, viewsets.ReadOnlyModelViewSet
):
    """Practice and qualifying sessions: read by anyone (a draft season's: staff only); their
    classification written by its import, as a race's."""

    queryset = (
        Session.objects.select_related("meeting__circuit", "meeting__championship")
        .annotate(round=F("meeting__round"))
        .order_by("starts_at", "kind", "number", "group", "id")
    )
    filterset_class = SessionFilter
    ordering_fields = ["starts_at", "round", "number"]
    lookup_value_regex = ID
    # Its one write, the classification import (StaffWritePermission, the default).
    write_permissions = IMPORT_SESSION_RESULTS
    championship_path = "meeting__championship"

    def get_queryset(self) -> QuerySet[Session]:
        queryset = super().get_queryset()
        if self.action != "retrieve":
            return queryset
        results = SessionResult.objects.select_related("entry__driver", "entry__team")
        ordered = results.order_by(F("position").asc(nulls_last=True), "entry__car_number")
        return queryset.prefetch_related(Prefetch("results", ordered))

    def get_serializer_class(self) -> type[BaseSerializer]:
        return SessionDetailSerializer if self.action == "retrieve" else SessionSerializer

    @extend_schema(**docs.SESSION_VERSIONS)
    # A session has a few versions: the whole list, a bare array, as documented (never paged).
    @action(
        detail=True,
        methods=["get"],
        url_path="versions",
        filter_backends=[],
        pagination_class=None,
    )
    def versions(self, request: Request, pk: str) -> Response:
        session = get_object_or_404(self.visible(Session.objects.all()), pk=pk)
        versions = session.versions.select_related("created_by").order_by("number")
        # The ETag names the version, for If-Match on the classification import.
        etag = session_etag(session.pk, session.classification_version)
        return Response(SessionVersionSerializer(versions, many=True).data, headers={"ETag": etag})

    @extend_schema(**docs.SESSION_RESULTS_IMPORT)
    @action(
        detail=True,
        methods=["post"],
        url_path="results",
        parser_classes=[CsvParser, MultiPartParser],
        filter_backends=[],
    )
    def results(self, request: Request, pk: str) -> Response:
        session = get_object_or_404(Session.objects.all(), pk=pk)
        params = query(SessionImportQuerySerializer, request)
        _name, content = uploaded_file(request, max_bytes=SESSION_MAX_BYTES)
        expected = session_expected_version(
            session,
            if_match=request.headers.get("If-Match"),
            expected=params.get("expected_version"),
            required=not params["dry_run"] and session.results.exists(),
        )
        try:
            diff = session_import(
                session=session,
                source=content,
                dry_run=params["dry_run"],
                user=request.user,
                expected_version=expected,
            )
        except SessionFileError as error:
            return Response(file_errors(error.issues), status=status.HTTP_400_BAD_REQUEST)
        except SessionConflict as conflict:
            raise PreconditionFailed(conflict.messages[0]) from None
        version = diff.base_version if diff.version is None else diff.version
        return Response(
            SessionDiffSerializer(diff).data,
            headers={"ETag": session_etag(session.pk, version)},
        )


def query(serializer_class: type[BaseSerializer], request: Request) -> dict[str, Any]:
    """The validated query parameters; a 400 naming each one in error."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema_view(**docs.PENALTY_VIEWS)
class PenaltyViewSet(VisibleSeasonsMixin, viewsets.ModelViewSet):
    """Stewards' decisions. Anyone reads (a draft season's: staff only); writing needs the
    penalty model permissions."""

    queryset = Penalty.objects.select_related(
        "meeting__championship", "race", "entry__driver"
    ).order_by("meeting__start_date", "meeting__round", "race__number", "id")
    serializer_class = PenaltySerializer
    filterset_class = PenaltyFilter
    ordering_fields = ["id", "kind"]
    parser_classes = [JSONParser]
    lookup_value_regex = ID
    championship_path = "meeting__championship"

    # Changes and deletions send back the ETag they read, as If-Match: a write
    # after someone else's is a 412 naming them, not a lost update.

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = penalty_etag(response.data["id"])
        return response

    def perform_create(self, serializer: BaseSerializer) -> None:
        # Through the same service as the back office: the race gets a new version.
        penalty = Penalty(**serializer.validated_data, decided_at=timezone.now())
        serializer.instance = penalty_save(penalty=penalty, user=self.request.user)

    def get_success_headers(self, data: Any) -> dict[str, str]:
        return super().get_success_headers(data) | {"ETag": penalty_etag(data["id"])}

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        penalty = self.get_object()
        seen = penalty_if_match(penalty.pk, request.headers.get("If-Match"))
        partial = kwargs.get("partial", False)
        serializer = self.get_serializer(penalty, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        before = (penalty.race_id, penalty.kind, penalty.meeting.championship_id)
        for name, value in serializer.validated_data.items():
            setattr(penalty, name, value)
        with penalty_conflict_refused():
            penalty_save(penalty=penalty, user=request.user, before=before, expected_change=seen)
        return Response(serializer.data, headers={"ETag": penalty_etag(penalty.pk)})

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        penalty = self.get_object()
        seen = penalty_if_match(penalty.pk, request.headers.get("If-Match"))
        with penalty_conflict_refused():
            penalty_delete(penalty=penalty, user=request.user, expected_change=seen)
        return Response(status=status.HTTP_204_NO_CONTENT)


ADD_CHAMPIONSHIP = "championships.add_championship"
REPLACE_CHAMPIONSHIP = ("championships.change_championship", "championships.delete_championship")


class SeasonBundleView(APIView):
    """POST a season bundle (.zip): the same import as the back office and import_season."""

    # Like the back office: adding a championship; replacing one also changes and deletes.
    write_permissions = (ADD_CHAMPIONSHIP,)
    parser_classes = [ZipParser, MultiPartParser]

    @extend_schema(**docs.SEASON_IMPORT)
    def post(self, request: Request) -> Response:
        params = query(BundleQuerySerializer, request)
        if params["replace"] and not request.user.has_perms(REPLACE_CHAMPIONSHIP):
            self.permission_denied(request, _("Replacing a championship needs change and delete."))
        name, content = uploaded_file(request, max_bytes=settings.SEASON_BUNDLE_MAX_BYTES)
        stream = uploaded_bundle(content, name or "bundle.zip")
        try:
            summary = season_import(
                stream, replace=params["replace"], dry_run=params["dry_run"], user=request.user
            )
        except BundleError as error:
            return Response(file_errors(error.issues), status=status.HTTP_400_BAD_REQUEST)
        created = status.HTTP_200_OK if summary.dry_run else status.HTTP_201_CREATED
        return Response(ImportSummarySerializer(summary).data, status=created)
