"""Back office of the entered drivers and their documents.

Staff read the drivers and their documents' details; a document's file is streamed by
``open_view`` to staff with "Opens drivers' documents" (``paddock.open_driverdocument``: the
series manager and race control), never from a public URL. No file is added, changed or
deleted here: the entrants upload them, and "Mark as checked" records who checked them.
Every write goes through ``paddock.services``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from paddock.downloads import document_response
from paddock.models import DriverDocument, EntrantDriver
from paddock.models.documents import DETAIL_FIELDS
from paddock.services.documents import documents_mark_seen
from paddock.services.drivers import entrant_driver_link

OPEN_PERMISSION = "paddock.open_driverdocument"


def may_open(request: HttpRequest) -> bool:
    user = request.user
    return user.is_active and user.is_staff and user.has_perm(OPEN_PERMISSION)


def is_expired(document: DriverDocument) -> bool:
    return document.expires_on is not None and document.expires_on < timezone.localdate()


def open_link(document: DriverDocument) -> str:
    url = reverse("admin:paddock_driverdocument_open", args=[document.pk])
    return format_html('<a href="{}">{}</a>', url, _("Open"))


class DocumentInline(admin.TabularInline):
    """The driver's documents, read only; each opened by the checked view."""

    model = DriverDocument
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ("kind", *DETAIL_FIELDS, "expired", "uploaded_at", "seen_at", "file_link")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("expired"), boolean=True)
    def expired(self, obj: DriverDocument) -> bool:
        return is_expired(obj)

    @admin.display(description=_("file"))
    def file_link(self, obj: DriverDocument) -> str:
        return open_link(obj) if obj.pk else "–"

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if may_open(request):
            return self.fields
        return tuple(f for f in self.fields if f != "file_link")


@admin.register(EntrantDriver)
class EntrantDriverAdmin(admin.ModelAdmin):
    """Drivers as their teams entered them. Staff who may change them set only which driver
    of the entry lists each one is; the rest is the team's word."""

    list_display = ("full_name", "team", "nationality", "date_of_birth", "driver", "has_account")
    list_select_related = ("team", "driver", "user")
    list_filter = ("team",)
    search_fields = ("first_name", "last_name", "email", "team__name")
    fields = (
        "team",
        "first_name",
        "last_name",
        "date_of_birth",
        "nationality",
        "email",
        "user",
        "created_at",
        "driver",
    )
    readonly_fields = fields[:-1]
    autocomplete_fields = ("driver",)
    inlines = (DocumentInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the teams enter their drivers

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deleting one would leave its documents' files behind

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, obj: EntrantDriver) -> str:
        return obj.full_name

    @admin.display(description=_("own account"), boolean=True)
    def has_account(self, obj: EntrantDriver) -> bool:
        return obj.user_id is not None

    def save_model(self, request: HttpRequest, obj: EntrantDriver, form: Any, change: bool) -> None:
        entrant_driver_link(entrant_driver=obj, driver=obj.driver, by=request.user)


class ExpiredFilter(admin.SimpleListFilter):
    title = _("expired")
    parameter_name = "expired"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", _("Expired")), ("no", _("Valid or no expiry"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.filter(expires_on__lt=today)
        if self.value() == "no":
            return queryset.exclude(expires_on__lt=today)
        return queryset


class CheckedFilter(admin.SimpleListFilter):
    title = _("checked")
    parameter_name = "checked"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", _("Checked")), ("no", _("Not checked yet"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in ("yes", "no"):
            return queryset.filter(seen_at__isnull=self.value() == "no")
        return queryset


@admin.register(DriverDocument)
class DriverDocumentAdmin(admin.ModelAdmin):
    """Documents' details, read only; the file opened by ``open_view``."""

    list_display = (
        "kind",
        "driver",
        "team",
        "expires_on",
        "expired",
        "uploaded_at",
        "seen_at",
        "file_link",
    )
    list_select_related = ("driver__team",)
    list_filter = ("kind", ExpiredFilter, CheckedFilter)
    search_fields = ("driver__first_name", "driver__last_name", "driver__team__name", "number")
    date_hierarchy = "uploaded_at"
    fields = (
        "driver",
        "team",
        "kind",
        *DETAIL_FIELDS,
        "expired",
        "content_type",
        "uploaded_at",
        "uploaded_by",
        "seen_by",
        "seen_at",
        "file_link",
    )
    readonly_fields = fields
    actions = ("mark_seen",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the team deletes its documents, and the files with them

    def has_open_permission(self, request: HttpRequest) -> bool:
        return may_open(request)

    def get_list_display(self, request: HttpRequest) -> tuple[str, ...]:
        if may_open(request):
            return self.list_display
        return tuple(f for f in self.list_display if f != "file_link")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if may_open(request):
            return self.fields
        return tuple(f for f in self.fields if f != "file_link")

    @admin.display(description=_("team"), ordering="driver__team__name")
    def team(self, obj: DriverDocument) -> str:
        return obj.driver.team.name

    @admin.display(description=_("expired"), boolean=True)
    def expired(self, obj: DriverDocument) -> bool:
        return is_expired(obj)

    @admin.display(description=_("file"))
    def file_link(self, obj: DriverDocument) -> str:
        return open_link(obj)

    @admin.action(description=_("Mark the selected documents as checked"), permissions=["open"])
    def mark_seen(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = documents_mark_seen(documents=queryset, by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d document marked as checked.",
                "%(count)d documents marked as checked.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    # --- The file, streamed to the staff who may open documents only

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.open_view)
        route = path("<int:pk>/open/", view, name="paddock_driverdocument_open")
        return [route, *super().get_urls()]

    def open_view(self, request: HttpRequest, pk: int) -> FileResponse:
        if not may_open(request):
            raise PermissionDenied
        document = DriverDocument.objects.select_related("driver").filter(pk=pk).first()
        if document is None:
            raise Http404
        return document_response(document, inline_images=True)  # images show here
