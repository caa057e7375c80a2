"""Back office for the arrive-and-drive operation: the operator's fleet, seat packages, car
allocations with the allocation board of each meeting, damage reports and the fleet report."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from championships.admin_mixins import SeasonChoicesMixin
from championships.models import Meeting
from core.flags import meeting_flags
from entries.fleet import AllocationBoard, allocation_board, fleet_report
from entries.forms import BoardAllocationForm, DamageReportForm, ReleaseForm
from entries.models import Car, CarAllocation, DamageReport, Operator, SeatPackage
from entries.services import (
    car_allocate,
    car_allocation_release,
    damage_report,
    results_chassis_record,
)


class EntryLabelMixin:
    """Changelist columns for models that point at an entry."""

    @admin.display(description=gettext_lazy("championship"), ordering="entry__championship")
    def championship(self, obj: SeatPackage | CarAllocation) -> object:
        return obj.entry.championship


@admin.register(Operator)
class OperatorAdmin(admin.ModelAdmin):
    list_display = ("name", "series", "car_count")
    list_select_related = ("series",)
    search_fields = ("name",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(car_count=Count("cars"))

    @admin.display(description=gettext_lazy("cars"), ordering="car_count")
    def car_count(self, obj: Operator) -> int:
        return obj.car_count


@admin.register(Car)
class CarAdmin(admin.ModelAdmin):
    list_display = ("chassis_number", "model", "operator", "status", "notes")
    list_select_related = ("operator",)
    list_filter = ("status", "operator")
    search_fields = ("chassis_number", "model")
    report_template = "admin/entries/car/fleet_report.html"

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.fleet_report_view)
        name = f"{self.opts.app_label}_{self.opts.model_name}_fleet_report"
        return [path("fleet-report/", view, name=name), *super().get_urls()]

    def fleet_report_view(self, request: HttpRequest) -> TemplateResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        operator = request.GET.get("operator", "")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Fleet report"),
            "cars": fleet_report(int(operator) if operator.isdecimal() else None),
        }
        return TemplateResponse(request, self.report_template, context)


@admin.register(SeatPackage)
class SeatPackageAdmin(EntryLabelMixin, SeasonChoicesMixin, admin.ModelAdmin):
    list_display = (
        "entry",
        "championship",
        "kind",
        "meeting",
        "price",
        "currency",
        "payment_status",
    )
    list_select_related = ("entry__driver", "entry__championship", "meeting__circuit")
    list_filter = ("payment_status", "kind", "entry__championship")
    search_fields = ("entry__driver__first_name", "entry__driver__last_name")
    autocomplete_fields = ("entry",)


@admin.register(DamageReport)
class DamageReportAdmin(SeasonChoicesMixin, admin.ModelAdmin):
    form = DamageReportForm
    list_display = (
        "car",
        "meeting",
        "race",
        "repair_cost",
        "currency",
        "billed_to",
        "reported_at",
    )
    list_select_related = (
        "car",
        "meeting__circuit",
        "race__meeting__circuit",
        "billed_to__driver",
    )
    list_filter = ("meeting__championship", "car")
    search_fields = ("car__chassis_number", "description")
    autocomplete_fields = ("billed_to",)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fields = DamageReportForm._meta.fields
        return fields if obj else (*fields, "mark_damaged")

    def save_model(
        self, request: HttpRequest, obj: DamageReport, form: forms.Form, change: bool
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        data = {name: getattr(obj, name) for name in DamageReportForm._meta.fields}
        saved = damage_report(**data, mark_damaged=form.cleaned_data.get("mark_damaged", False))
        obj.pk = saved.pk


@admin.register(CarAllocation)
class CarAllocationAdmin(EntryLabelMixin, SeasonChoicesMixin, admin.ModelAdmin):
    list_display = ("meeting", "championship", "car", "entry")
    list_select_related = (
        "meeting__circuit",
        "entry__championship",
        "entry__driver",
        "car",
    )
    list_filter = ("meeting__championship",)
    search_fields = ("car__chassis_number", "entry__driver__last_name")
    autocomplete_fields = ("entry",)
    board_template = "admin/entries/carallocation/board.html"
    board_index_template = "admin/entries/carallocation/board_index.html"

    def save_model(
        self, request: HttpRequest, obj: CarAllocation, form: forms.Form, change: bool
    ) -> None:
        if change:  # the form checked the new car, the model's rules and constraints
            super().save_model(request, obj, form, change)
            return
        obj.pk = car_allocate(meeting=obj.meeting, car=obj.car, entry=obj.entry).pk

    def get_urls(self) -> list[URLPattern]:
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("board/", wrap(self.board_index_view), name=f"{info}_board_index"),
            path("board/<int:meeting_id>/", wrap(self.board_view), name=f"{info}_board"),
            *super().get_urls(),
        ]

    def board_index_view(self, request: HttpRequest) -> TemplateResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        meetings = Meeting.objects.with_circuit().order_by("-start_date", "championship__name")
        context = {"meetings": meetings, "title": _("Allocation boards")}
        return self._render(request, self.board_index_template, context)

    def board_view(self, request: HttpRequest, meeting_id: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        meeting = get_object_or_404(Meeting.objects.with_circuit(), pk=meeting_id)
        if request.method == "POST":
            return self._board_post(request, meeting)
        return self._render_board(request, meeting)

    def _render_board(
        self,
        request: HttpRequest,
        meeting: Meeting,
        form: BoardAllocationForm | None = None,
        board: AllocationBoard | None = None,
    ) -> TemplateResponse:
        board = board or allocation_board(meeting)
        form = form or BoardAllocationForm(meeting=meeting, spare_cars=board.spare_cars)
        title = _("Allocation board: %(meeting)s") % {"meeting": meeting}
        flags = meeting_flags(meeting)  # the entrants' documents and checks (core.flags)
        rows = [(row, flags.get(row.entry.pk, [])) for row in board.rows]
        context = {"board": board, "rows": rows, "form": form, "meeting": meeting, "title": title}
        return self._render(request, self.board_template, context)

    def _board_post(self, request: HttpRequest, meeting: Meeting) -> HttpResponse:
        """Redirects after a change, or shows the board again with the form's errors."""
        if "release" in request.POST:
            return self._release(request, meeting)
        if "record_chassis" in request.POST:
            return self._record_chassis(request, meeting)
        return self._allocate(request, meeting)

    def _allocate(self, request: HttpRequest, meeting: Meeting) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        board = allocation_board(meeting)
        form = BoardAllocationForm(request.POST, meeting=meeting, spare_cars=board.spare_cars)
        if form.is_valid():
            try:
                allocation = car_allocate(meeting=meeting, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Allocated %(a)s.") % {"a": allocation})
                return HttpResponseRedirect(request.path)
        return self._render_board(request, meeting, form, board)

    def _release(self, request: HttpRequest, meeting: Meeting) -> HttpResponse:
        if not self.has_delete_permission(request):
            raise PermissionDenied
        form = ReleaseForm(request.POST, meeting=meeting)
        if not form.is_valid():  # not an id, or not an allocation of this meeting: a 400
            for error in form.errors["release"]:
                messages.error(request, error)
            response = self._render_board(request, meeting)
            response.status_code = 400
            return response
        allocation = form.cleaned_data["release"]
        car_allocation_release(allocation=allocation)
        messages.success(request, _("Released %(a)s.") % {"a": allocation})
        return HttpResponseRedirect(request.path)

    def _record_chassis(self, request: HttpRequest, meeting: Meeting) -> HttpResponse:
        if not request.user.has_perm("championships.change_result"):
            raise PermissionDenied
        count = results_chassis_record(meeting=meeting)
        message = ngettext(
            "Chassis recorded on %(count)d result.", "Chassis recorded on %(count)d results.", count
        )
        messages.success(request, message % {"count": count})
        return HttpResponseRedirect(request.path)

    def _render(self, request: HttpRequest, template: str, context: dict) -> TemplateResponse:
        context = {**self.admin_site.each_context(request), "opts": self.opts, **context}
        return TemplateResponse(request, template, context)
