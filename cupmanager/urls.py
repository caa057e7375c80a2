"""URL configuration: public site, back office, API and health check."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from cupmanager.views import bench_ping, favicon, healthz
from public.sitemaps import SITEMAPS
from staff import views as staff_views

admin.site.site_header = _("CupManager")
admin.site.site_title = _("CupManager back office")
admin.site.index_title = _("Season administration")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("bench/ping", bench_ping, name="bench-ping"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/token/", include("staff.urls")),  # one's API token
    # The header's language picker: one's back-office language (staff/language.py).
    path("admin/language/", admin.site.admin_view(staff_views.language), name="admin-language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("cupmanager.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Both languages in one sitemap: each page lists its other-language address.
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]

# Public pages: English at /, Simplified Chinese at /zh-hans/, so a page in either language
# has its own address that media can link to and caches can keep.
urlpatterns += i18n_patterns(
    path("", include("public.urls.championships")),
    path("", include("public.urls.exports")),
    path("", include("public.urls.talentpool")),
    path("", include("public.urls.entries")),
    path("", include("public.urls.paddock")),
    # Entrants' accounts (django-allauth), in both languages like the pages they lead to.
    path("", include("public.urls.accounts")),
    prefix_default_language=False,
)

# A database outage met outside a view (say, saving the session) is a 503 too, not a 500.
handler500 = "cupmanager.views.server_error"
# A refusal names the role that opens the page (staff/needs.py).
handler403 = "staff.views.permission_denied"
