"""Back office for drivers, teams and the entries (cars) of each championship."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _

from championships.admin import (
    CarNumberSearchMixin,
    SeasonChoicesMixin,
    StandingsInvalidatingAdmin,
)
from entries.forms import EntryForm
from entries.models import Driver, Entry, Team


@admin.register(Driver)
class DriverAdmin(StandingsInvalidatingAdmin):
    # Drivers' names are printed in the tables of every championship they entered.
    championship_path = "entries__championship"
    list_display = ("name", "nationality", "category", "date_of_birth")
    list_filter = ("category", "nationality")
    search_fields = ("first_name", "last_name")
    prepopulated_fields = {"slug": ("first_name", "last_name")}

    @admin.display(description=_("name"), ordering="last_name")
    def name(self, obj: Driver) -> str:
        return obj.full_name


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


@admin.register(Entry)
class EntryAdmin(CarNumberSearchMixin, SeasonChoicesMixin, StandingsInvalidatingAdmin):
    form = EntryForm
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
    fields = (
        "championship",
        "car_number",
        "driver",
        "team",
        "entry_class",
        "category",
        "rookie",
        "guest",
        "arrive_and_drive",
        "dealer_trophy",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # For the changelist and for the autocomplete of results and penalties, which labels
        # each entry with its driver. (Django ignores list_select_related after this.)
        return super().get_queryset(request).with_people()

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
