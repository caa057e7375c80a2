"""/api/v1/: the one router of every app's viewsets, the imports, the schema and its docs."""

from django.urls import include, path, re_path
from django.utils.translation import gettext as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.decorators import api_view, permission_classes, schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.routers import DefaultRouter

from championships.api import (
    ChampionshipViewSet,
    CircuitViewSet,
    MeetingViewSet,
    PenaltyViewSet,
    RaceViewSet,
    SeasonBundleView,
    SeriesViewSet,
    SessionViewSet,
)
from entries.api import DriverViewSet, EntryListViewSet, EntryViewSet, TeamViewSet

router = DefaultRouter()
router.register("series", SeriesViewSet, basename="series")
router.register("championships", ChampionshipViewSet, basename="championship")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("races", RaceViewSet, basename="race")
router.register("sessions", SessionViewSet, basename="session")
router.register("penalties", PenaltyViewSet, basename="penalty")
router.register("entries", EntryViewSet, basename="entry")
router.register("entry-lists", EntryListViewSet, basename="entry-list")
router.register("drivers", DriverViewSet, basename="driver")
router.register("teams", TeamViewSet, basename="team")
router.register("circuits", CircuitViewSet, basename="circuit")


@api_view(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@schema(None)
@permission_classes([])  # it writes nothing: a 404 for anyone, even a POST
def not_found(request: Request) -> None:
    """Any address under /api/v1/ that names no endpoint or object: a JSON 404."""
    raise NotFound(_("No such endpoint or object."))


urlpatterns = [
    path("season-bundles/", SeasonBundleView.as_view(), name="season-bundle-import"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script from its own URL, not inline, so the
    # Content-Security-Policy needs no 'unsafe-inline'.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("championships.standings_api")),
    *router.urls,
    # Last: any other address under /api/v1/ is a JSON 404, like an unknown object; [\s\S]
    # so that an address holding a line break (%0A) is one too, not the site's HTML 404.
    re_path(r"^[\s\S]*$", not_found),
]
