"""Read API of the entries app: entries, drivers and teams, filtered by the shared FilterSets;
a meeting's entry list for broadcasters and timing."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponsePermanentRedirect
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from championships.kept import championships_version
from championships.models import Meeting
from championships.visibility import VisibleSeasonsMixin, drafts_seen
from core.api import ID, SLUG
from core.kept import KeptListMixin
from entries.exports import entry_list_document
from entries.filters import DriverFilter, EntryApiFilter, TeamFilter
from entries.models import Driver, DriverSlugAlias, Entry, Team
from entries.serializers import (
    DriverSerializer,
    EntryListSerializer,
    EntrySerializer,
    TeamSerializer,
)


@extend_schema_view(
    list=extend_schema(summary="List the entries (cars) of every championship"),
    retrieve=extend_schema(summary="One entry"),
)
class EntryViewSet(KeptListMixin, VisibleSeasonsMixin, viewsets.ReadOnlyModelViewSet):
    """Entries: filter with ``championship`` (slug), ``series`` (slug), ``entry_class`` (class
    code), ``category``, ``team`` (slug), ``nationality``, and the flags ``rookie``, ``guest``,
    ``arrive_and_drive``, ``dealer_trophy`` (true or false). A draft season's: staff only."""

    queryset = Entry.objects.with_people().order_by(
        "-championship__year", "championship__slug", "car_number"
    )
    serializer_class = EntrySerializer
    filterset_class = EntryApiFilter
    ordering_fields = ["car_number", "category"]
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[Entry]:
        # ``category`` is the driver's category in force today (a past season: on its last
        # day), ``entry_class`` the class likewise (rule 7), as the entry list shows them.
        today = timezone.localdate()
        return super().get_queryset().as_shown_on(today)

    def data_version(self, request: Request) -> str | None:
        # Every write to an entry moves its championship's tables_changed_at; staff who see
        # drafts have answers kept apart (an anonymous user is known without a query).
        slug = request.query_params.get("championship")
        return championships_version(slug, drafts=drafts_seen(request))


@extend_schema_view(
    list=extend_schema(summary="List the drivers"),
    retrieve=extend_schema(summary="One driver, by slug"),
)
class DriverViewSet(viewsets.ReadOnlyModelViewSet):
    """Drivers as the public pages show them: no date of birth, no contact details."""

    queryset = Driver.objects.order_by("last_name", "first_name", "slug")
    serializer_class = DriverSerializer
    filterset_class = DriverFilter
    ordering_fields = ["last_name", "first_name", "nationality", "category"]
    lookup_field = "slug"
    lookup_value_regex = SLUG

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            return super().retrieve(request, *args, **kwargs)
        except Http404:
            # A former slug (with the birth year, as slugs were once made) moves for good.
            moved = DriverSlugAlias.objects.moved_to(kwargs["slug"])
            if moved is None:
                raise
            url = reverse("driver-detail", kwargs={"slug": moved}, request=request)
            return HttpResponsePermanentRedirect(url)

    def get_queryset(self) -> QuerySet[Driver]:
        # ``category``, to show, filter and order by: the one in force today.
        return super().get_queryset().with_category_on(timezone.localdate(), name="category")


@extend_schema_view(
    list=extend_schema(summary="List the teams"),
    retrieve=extend_schema(summary="One team, by slug"),
)
class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Team.objects.order_by("name")
    serializer_class = TeamSerializer
    filterset_class = TeamFilter
    ordering_fields = ["name"]
    lookup_field = "slug"
    lookup_value_regex = SLUG


@extend_schema_view(
    retrieve=extend_schema(
        summary="A meeting's entry list for broadcasters and timing, by the meeting's id",
        responses=EntryListSerializer,
    ),
)
class EntryListViewSet(VisibleSeasonsMixin, viewsets.GenericViewSet):
    """The entry list of a meeting: each car's number, driver, team, class, the driver's FIA
    category in force on the meeting's first day, the chassis of an arrive-and-drive car and
    the driver's nationality; the same as the public download
    ``/championships/<slug>/rounds/<round>/entry-list.json``. A draft season's: staff only."""

    queryset = Meeting.objects.with_circuit()
    serializer_class = EntryListSerializer
    filter_backends: list[type] = []
    pagination_class = None
    lookup_value_regex = ID

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(entry_list_document(self.get_object()))
