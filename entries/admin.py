"""Back office for drivers, teams and the entries (cars) of each championship."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from championships.admin_mixins import SeasonChoicesMixin, StandingsInvalidatingAdmin
from championships.models import FiaCategory, Meeting
from core.admin import CarNumberSearchMixin, HistoryAdmin
from entries import fia_category_admin, fleet_admin, tyres_admin  # noqa: F401  (they register admins)
from entries.exports import FORMATS, entry_list_download
from entries.fia_category_admin import (
    CategoryTodayFilter,
    DriverClassificationHistoryInline,
    DriverClassificationInline,
)
from entries.forms import EntryClassChangeForm, EntryForm
from entries.models import (
    Driver,
    DriverClassification,
    DriverSlugAlias,
    Entry,
    EntryClassChange,
    Team,
)
from entries.services import entry_class_move


@admin.register(Driver)
class DriverAdmin(StandingsInvalidatingAdmin):
    # Drivers' names are printed in the tables of every championship they entered.
    championship_path = "entries__championship"
    list_display = ("name", "nationality", "category_today", "date_of_birth")
    list_filter = (CategoryTodayFilter, "nationality")
    search_fields = ("first_name", "last_name")
    prepopulated_fields = {"slug": ("first_name", "last_name")}
    inlines = (DriverClassificationHistoryInline, DriverClassificationInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_category_on(timezone.localdate())

    @admin.display(description=_("name"), ordering="last_name")
    def name(self, obj: Driver) -> str:
        return obj.full_name

    def save_model(self, request: HttpRequest, obj: Driver, form: Any, change: bool) -> None:
        # A slug changed by hand keeps its old address: it answers 301 with the new one.
        if change and "slug" in form.changed_data:
            DriverSlugAlias.objects.keep(slug=form.initial["slug"], driver=obj)
        super().save_model(request, obj, form, change)

    @admin.display(description=_("FIA category today"), ordering="category_in_force")
    def category_today(self, obj: Driver) -> str:
        return FiaCategory(obj.category_in_force).label if obj.category_in_force else "–"

    def save_formset(
        self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool
    ) -> None:
        if formset.model is not DriverClassification:
            super().save_formset(request, form, formset, change)
            return
        flags = fia_category_admin.save_fia_categories(formset, form.instance)
        fia_category_admin.report_flags(request, flags)


@admin.register(Team)
class TeamAdmin(StandingsInvalidatingAdmin):
    championship_path = "entries__championship"
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


class ClassCodeFilter(admin.AllValuesFieldListFilter):
    """Classes by code, so that PRO of every season is one choice."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title = _("class")


def championship_hint(request: HttpRequest) -> int | None:
    """The championship an add form is for: ``?championship=`` or the changelist's filter."""
    filters = QueryDict(request.GET.get("_changelist_filters", ""))
    value = request.GET.get("championship") or filters.get("championship__id__exact", "")
    return int(value) if value.isdecimal() else None


class EntryListExportMixin:
    """Staff downloads of each meeting's entry list for broadcasters and timing."""

    entry_lists_template = "admin/entries/entry/entry_lists.html"

    def get_urls(self) -> list[URLPattern]:
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("entry-lists/", wrap(self.entry_lists_view), name=f"{info}_entry_lists"),
            path(
                "entry-lists/<int:meeting_id>/<str:file_format>/",
                wrap(self.entry_list_view),
                name=f"{info}_entry_list",
            ),
            *super().get_urls(),
        ]

    def entry_lists_view(self, request: HttpRequest) -> TemplateResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Entry lists"),
            "meetings": Meeting.objects.with_circuit().order_by("-start_date", "round"),
            "formats": list(FORMATS),
        }
        return TemplateResponse(request, self.entry_lists_template, context)

    def entry_list_view(
        self, request: HttpRequest, meeting_id: int, file_format: str
    ) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        if file_format not in FORMATS:
            raise Http404(gettext("Entry lists are CSV or JSON."))
        meeting = get_object_or_404(Meeting.objects.with_circuit(), pk=meeting_id)
        return entry_list_download(meeting, file_format)


class EntryClassChangeInline(admin.TabularInline):
    """Rule 7: the entry's moves to other classes, each from a date, recorded through
    ``entry_class_move`` (a move from the first race on changes the entry's class itself).
    Part of the entry: whoever may change the entry may add a move, or delete a wrong one;
    a move is never rewritten."""

    model = EntryClassChange
    form = EntryClassChangeForm
    fields = ("entry_class", "from_date", "note")
    extra = 0
    verbose_name = _("move to another class")
    verbose_name_plural = _("moves to another class (the class above: at its first race)")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("entries.view_entry")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("entries.change_entry")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("entries.change_entry")

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            field = formset.form.base_fields["entry_class"]
            field.queryset = field.queryset.filter(championship_id=obj.championship_id)
        return formset


def class_moves_save(formset: Any, entry: Entry) -> None:
    """The inline's new moves through ``entry_class_move``; deleted ones deleted."""
    moves = formset.save(commit=False)
    for move in formset.deleted_objects:
        move.delete()
    for move in moves:
        entry_class_move(
            entry=entry, entry_class=move.entry_class, from_date=move.from_date, note=move.note
        )


@admin.register(Entry)
class EntryAdmin(
    EntryListExportMixin,
    CarNumberSearchMixin,
    SeasonChoicesMixin,
    StandingsInvalidatingAdmin,
    HistoryAdmin,
):
    form = EntryForm
    inlines = (EntryClassChangeInline,)
    list_display = (
        "car_number",
        "driver",
        "team",
        "entry_class",
        "category",
        "rookie",
        "guest",
        "arrive_and_drive",
        "dealer_trophy",
        "championship",
    )
    list_filter = (
        "championship",
        ("entry_class__code", ClassCodeFilter),
        "category",
        "rookie",
        "guest",
        "arrive_and_drive",
        "dealer_trophy",
    )
    search_fields = ("driver__first_name", "driver__last_name")
    autocomplete_fields = ("driver", "team")
    fields = EntryForm.Meta.fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # For the changelist and for the autocomplete of results and penalties, which labels
        # each entry with its driver. (Django ignores list_select_related after this.)
        return super().get_queryset(request).with_people()

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> list:
        # A new entry has no race behind it to move from: its class is the one at its first.
        return super().get_inline_instances(request, obj) if obj is not None else []

    def save_formset(
        self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool
    ) -> None:
        if formset.model is EntryClassChange:
            class_moves_save(formset, form.instance)
        else:
            super().save_formset(request, form, formset, change)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        championship_id = championship_hint(request)
        if championship_id:
            initial.setdefault("championship", championship_id)
        return initial

    def get_form(
        self, request: HttpRequest, obj: Entry | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "championship" in form.base_fields:
            # Moving a car would strand its results in the old season. Disabled rather than
            # read-only, so that its number is still checked against that season's cars.
            form.base_fields["championship"].disabled = True
        championship_id = obj.championship_id if obj else championship_hint(request)
        if championship_id and "entry_class" in form.base_fields:
            field = form.base_fields["entry_class"]
            field.queryset = field.queryset.filter(championship_id=championship_id)
        return form
