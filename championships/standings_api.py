"""GET /api/v1/championships/<slug>/standings/: a championship's tables, cached and conditional.

Routed by ``cupmanager/api_urls.py`` with ``include("championships.standings_api")``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.db.models import Max
from django.http import Http404, HttpResponse, HttpResponseBase
from django.urls import path
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from championships.api_docs import STANDINGS
from championships.kept import Version, championship_version, versioned_championship
from championships.models import ChampionshipClass, Meeting
from championships.standings.cache import TIMEOUT, cache_key, standings_table
from championships.standings.data import DRIVERS, TABLES
from championships.standings.payload import JSON
from championships.visibility import drafts_seen
from core.kept import CODE_LOADED_AT, rendering


class RoundField(serializers.IntegerField):
    """A round as written in a URL: ASCII digits only, so "3.0", "+3" and "3_0" are refused."""

    def to_internal_value(self, data: Any) -> int:
        if not (isinstance(data, str) and data.isascii() and data.isdigit()):
            self.fail("invalid")
        return super().to_internal_value(data)


TABLE_MESSAGE = 'table must be one of drivers, rookies, teams or dealers, not "{input}".'
ROUND_MESSAGE = "after_round must be a round number: a whole number of 1 or more."


class StandingsQuery(serializers.Serializer):
    """The query parameters; an empty parameter counts as not given."""

    table = serializers.ChoiceField(
        choices=TABLES,
        default=DRIVERS,
        error_messages={"invalid_choice": TABLE_MESSAGE},
    )
    after_round = RoundField(
        min_value=1,
        required=False,
        default=None,
        error_messages={"invalid": ROUND_MESSAGE, "min_value": ROUND_MESSAGE},
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        # "class" is a Python keyword, so this field cannot be declared as an attribute.
        fields["class"] = serializers.CharField(required=False, default=None)
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        code, table = attrs["class"], attrs["table"]
        if code is None:
            return attrs
        if table != DRIVERS:
            message = f"class goes with table=drivers only, not with table={table}."
            raise serializers.ValidationError({"class": message})
        classes = ChampionshipClass.objects.filter(championship_id=self.context["championship"])
        codes = list(classes.order_by("pk").values_list("code", flat=True))
        if code not in codes:
            message = f'"{code}" is not a class of this championship; use {", ".join(codes)}.'
            raise serializers.ValidationError({"class": message})
        return attrs


class StandingsView(APIView):
    """A table of the championship; 304 when the client's copy is still current.

    The parameters are checked first, on every request, so that a bad query is a 400 even
    with conditional headers and the kept tables are keyed by what was asked, not by how
    the query string spells it (a client adding ``?_=<time>`` cannot fill the cache). A kept
    table then costs the championship's query, and a class table the class codes too. A
    draft season's tables: staff only (``staff.roles.sees_drafts``)."""

    @extend_schema(**STANDINGS)
    def get(self, request: Request, slug: str) -> HttpResponseBase:
        version = championship_version(slug)
        # A draft's tables are staff's only: anyone else gets the 404 of an unknown slug,
        # before any kept table or conditional answer (its key is the draft's own).
        if version is None or (version.draft and not drafts_seen(request)):
            raise Http404("No Championship matches the given query.")
        query = StandingsQuery(data=request.query_params, context={"championship": version.pk})
        query.is_valid(raise_exception=True)
        table, code, after_round = (
            query.validated_data[k] for k in ("table", "class", "after_round")
        )
        scope = (table, code, clamped_round(version, after_round))
        key = f"{cache_key(version, *scope)}:{CODE_LOADED_AT.isoformat()}"
        etag = etag_for(key, request.accepted_renderer.format)
        last_modified = int(version.tables_changed_at.timestamp())
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is None:
            response = standings_response(request, key, version, scope)
        return with_validators(response, etag, last_modified)


def clamped_round(version: Version, after_round: int | None) -> int | None:
    """A round past the calendar's last is the last: after_round=999 is the final table, kept
    once, not once per number a client makes up."""
    if after_round is None:
        return None
    key = f"standings-last-round:{version.key}"
    last = cache.get(key)
    if last is None:
        meetings = Meeting.objects.filter(championship_id=version.pk)
        last = meetings.aggregate(last=Max("round"))["last"] or 0
        cache.set(key, last, TIMEOUT)
    return min(after_round, last) if last else None


def standings_response(
    request: Request,
    key: str,
    version: Version,
    scope: tuple[str, str | None, int | None],
) -> HttpResponseBase:
    """JSON is kept rendered (a crowd asks for the same table); the browsable page is not.

    The key holds when this process loaded the code, so a deploy never serves JSON shaped
    by the code before it."""

    def data() -> JSON:
        championship = versioned_championship(version)
        return {"championship": championship.slug, **standings_table(championship, *scope)}

    if request.accepted_renderer.format != "json":
        return Response(data())
    # "application/json; indent=4" renders apart; "application/json; x=1" does not.
    kept = f"{key}:{rendering(request)}"
    body = cache.get(kept)
    if body is None:
        media_type = request.accepted_media_type
        body = request.accepted_renderer.render(data(), media_type, {"request": request})
        cache.set(kept, body, TIMEOUT)
    return HttpResponse(body, content_type=request.accepted_renderer.media_type)


def etag_for(key: str, media_format: str) -> str:
    """A quoted ETag per table, scope, data version and rendering (JSON or browsable)."""
    return quote_etag(hashlib.sha256(f"{key}:{media_format}".encode()).hexdigest())


def with_validators(response: HttpResponseBase, etag: str, last_modified: int) -> HttpResponseBase:
    """ETag and Last-Modified, and no-cache so that clients revalidate rather than guess."""
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, no_cache=True)
    return response


urlpatterns = [
    path(
        "championships/<slug:slug>/standings/",
        StandingsView.as_view(),
        name="championship-standings",
    ),
]
