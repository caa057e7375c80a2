"""``GET``/``POST``/``DELETE /api/v1/races|sessions/{id}/live/``: the live running order,
pushed by the timing provider every few seconds and read by anyone. Mixed into the race and
session viewsets; the push needs its own permission (``change_livetiming``: the timing
provider's and race control's, who need no right to replace the official results), a clear
``delete_livetiming``."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from championships.live import LiveStale, live_clear, live_of, live_push
from championships.live_feed import FILE, LiveFeed, parse_live_csv, parse_live_json
from championships.models import LiveCarStatus, LiveFlag, LiveTiming
from core.api import FILE_ERRORS_SCHEMA, CsvParser, file_errors, uploaded_file
from core.imports import FileError, IssueLog, decode

LIVE_MAX_BYTES = 64 * 1024
LIVE_WRITE = ("championships.change_livetiming",)
LIVE_CLEAR = "championships.delete_livetiming"


class LiveCarSerializer(serializers.Serializer):
    position = serializers.IntegerField(min_value=1)
    number = serializers.IntegerField(min_value=1, max_value=999)
    laps = serializers.IntegerField(min_value=0)
    gap = serializers.CharField(
        required=False, help_text="Behind the leader: +1.234, +1:02.345, +1 LAP; empty for it."
    )
    last_lap = serializers.CharField(required=False, help_text="2:05.321, or seconds: 125.321")
    best_lap = serializers.CharField(required=False, help_text="2:04.998, or seconds: 124.998")
    status = serializers.ChoiceField(LiveCarStatus.choices, required=False, default="RUNNING")
    pit = serializers.BooleanField(required=False, default=False)


class LivePushSerializer(serializers.Serializer):
    """The JSON body of a push (documentation; ``live_feed`` reads it)."""

    sequence = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="Above the last push's; a lower one is refused (409). Omitted: the next.",
    )
    flag = serializers.ChoiceField(LiveFlag.choices, required=False, default="GREEN")
    cars = LiveCarSerializer(many=True)


class LiveStateCarSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    car_number = serializers.IntegerField()
    laps = serializers.IntegerField()
    gap_ms = serializers.IntegerField(allow_null=True)
    gap_laps = serializers.IntegerField()
    last_lap_ms = serializers.IntegerField(allow_null=True)
    best_lap_ms = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(LiveCarStatus.choices)
    pit = serializers.BooleanField()


class LiveTimingSerializer(serializers.ModelSerializer):
    official = serializers.SerializerMethodField(
        help_text="Always false: live timing is never the official classification."
    )
    cars = LiveStateCarSerializer(many=True)

    class Meta:
        model = LiveTiming
        fields = ["race", "session", "sequence", "flag", "updated_at", "official", "cars"]

    def get_official(self, timing: LiveTiming) -> bool:
        return False


LIVE_DOCS = {
    "DELETE": {
        "summary": "Clear the live running order (a rehearsal, or the session over)",
        "description": (
            "The next push may start again from sequence 1; the live page says nothing is "
            "live. Needs the permission to delete live timing."
        ),
        "request": None,
        "responses": {
            204: OpenApiResponse(description="Cleared."),
            404: OpenApiResponse(description="Nothing was live."),
        },
    },
    "GET": {
        "summary": "The live running order of a race or session (unofficial)",
        "responses": {
            200: LiveTimingSerializer,
            404: OpenApiResponse(description="No such race or session, or nothing pushed."),
        },
    },
    "POST": {
        "summary": "Push the live running order (timing provider)",
        "description": (
            "Every few seconds during the session: a JSON body (below) or the timing system's "
            "partial file as text/csv, header POSITION;NUMBER;LAPS and any of GAP_FIRST, "
            "LAST_LAP_TIME, FL_TIME, STATUS, IN_PIT, with ?flag= and ?sequence=. Kept apart "
            "from the classification: it never creates a version nor changes a table; the "
            "official classification comes by POST .../results/. A refused push names every "
            "problem by line and column (CSV) or path (JSON, cars[2].gap); a sequence not above "
            "the last one kept is refused with 409."
        ),
        "request": {"application/json": LivePushSerializer, "text/csv": OpenApiTypes.STR},
        "parameters": [
            OpenApiParameter("flag", str, description="text/csv only: the track's flag"),
            OpenApiParameter("sequence", int, description="text/csv only: the push's number"),
        ],
        "responses": {
            200: LiveTimingSerializer,
            400: OpenApiResponse(FILE_ERRORS_SCHEMA, description="Refused; nothing kept."),
            409: OpenApiResponse(description="An older push than the one kept."),
        },
    },
}


class LiveActionMixin:
    @extend_schema(methods=["GET"], **LIVE_DOCS["GET"])
    @extend_schema(methods=["POST"], **LIVE_DOCS["POST"])
    @extend_schema(methods=["DELETE"], **LIVE_DOCS["DELETE"])
    @action(
        detail=True,
        methods=["get", "post", "delete"],
        url_path="live",
        parser_classes=[JSONParser, CsvParser],
        filter_backends=[],
        pagination_class=None,
        # The push's own permission, not the classification's: a timing provider's live feed
        # needs no right to replace the official results.
        write_permissions=LIVE_WRITE,
    )
    def live(self, request: Request, pk: str) -> Response:
        model = self.queryset.model  # type: ignore[attr-defined]
        if request.method == "GET":
            subject = get_object_or_404(self.visible(model.objects.all()), pk=pk)  # type: ignore[attr-defined]
            timing = live_of(subject)
            if timing is None:
                response = Response({"detail": "Nothing live."}, status=status.HTTP_404_NOT_FOUND)
            else:
                response = Response(LiveTimingSerializer(timing).data)
            # Never kept by the page cache: a race's order changes every few seconds.
            patch_cache_control(response, no_cache=True, max_age=0)
            return response
        subject = get_object_or_404(model.objects.select_related("meeting"), pk=pk)
        if request.method == "DELETE":
            if not request.user.has_perm(LIVE_CLEAR):
                raise PermissionDenied()
            cleared = live_clear(subject=subject)
            return Response(status=status.HTTP_204_NO_CONTENT if cleared else 404)
        try:
            timing = live_push(subject=subject, feed=_feed(request), user=request.user)
        except FileError as error:
            return Response(file_errors(error.issues), status=status.HTTP_400_BAD_REQUEST)
        except LiveStale as stale:
            return Response({"detail": str(stale)}, status=status.HTTP_409_CONFLICT)
        return Response(LiveTimingSerializer(timing).data)


def _feed(request: Request) -> LiveFeed:
    if isinstance(request.data, bytes):
        _name, content = uploaded_file(request, max_bytes=LIVE_MAX_BYTES)
        issues: list[Any] = []
        text = decode(content, IssueLog(FILE, issues))
        if text is None:
            raise FileError(issues)
        params = request.query_params
        return parse_live_csv(text, flag=params.get("flag"), sequence=params.get("sequence"))
    return parse_live_json(request.data)
