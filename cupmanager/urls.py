"""URL configuration: public site, back office, API and health check."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from championships.api import ChampionshipViewSet
from cupmanager.views import healthz

router = DefaultRouter()
router.register("championships", ChampionshipViewSet, basename="championship")

admin.site.site_header = "CupManager"
admin.site.site_title = "CupManager back office"
admin.site.index_title = "Season administration"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(router.urls)),
    path("api/v1/", include("championships.standings_api")),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Public pages: English at /, Simplified Chinese at /zh-hans/, so a page in either language
# has its own address that media can link to and caches can keep.
urlpatterns += i18n_patterns(
    path("", include("championships.urls")),
    path("", include("talentpool.urls")),
    path("", include("entries.urls")),
    prefix_default_language=False,
)
