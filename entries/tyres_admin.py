"""Back office for tyres: each championship's quota, the sets (received by pasting their
barcodes: the add page of a tyre set), the scan page (the add page of a tyre scan, sized for a
phone in the paddock) and the stock of each round. Sets and scans are read only here: a scan is
written by the scan page alone, through ``entries.tyres.tyre_scan``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from championships.models import Meeting
from core.admin import CarNumberSearchMixin
from entries.models import (
    TyreDirection,
    TyreQuota,
    TyreScan,
    TyreSet,
    new_sets_quota,
)
from entries.tyres import (
    TyreRefused,
    current_meeting,
    latest_scans,
    new_sets_fitted,
    tyre_scan,
    tyre_scan_cancel,
    tyre_sets_receive,
    tyre_stock,
)
from entries.tyres_forms import RoundForm, TyreReceiptForm, TyreScanForm

ROUND_KEY = "tyres_meeting"  # the round a staff member scans at, kept in their session


def chosen_round(request: HttpRequest) -> Meeting | None:
    """The round of ``?meeting=``, else the one kept in the session, else today's."""
    for value in (request.GET.get("meeting"), request.session.get(ROUND_KEY)):
        if value and str(value).isdecimal():
            meeting = Meeting.objects.with_circuit().filter(pk=int(value)).first()
            if meeting is not None:
                request.session[ROUND_KEY] = meeting.pk
                return meeting
    return current_meeting()


class TyresPageMixin:
    """Renders a page of its own with the back office's context."""

    def _render(self, request: HttpRequest, template: str, context: dict) -> TemplateResponse:
        context = {**self.admin_site.each_context(request), "opts": self.opts, **context}
        return TemplateResponse(request, template, context)


@admin.register(TyreQuota)
class TyreQuotaAdmin(admin.ModelAdmin):
    list_display = ("championship", "new_sets_per_meeting")
    list_select_related = ("championship",)


def _state(obj: TyreSet) -> str:
    if obj.last_direction == TyreDirection.OUT:
        return _("on car #%(car)s") % {"car": obj.owner_car}
    if obj.last_direction == TyreDirection.IN:
        return _("returned by car #%(car)s") % {"car": obj.owner_car}
    return _("new")


@admin.register(TyreSet)
class TyreSetAdmin(TyresPageMixin, admin.ModelAdmin):
    list_display = (
        "barcode",
        "compound",
        "operator",
        "meeting",
        "state",
        "kept_for_car",
        "received_at",
    )
    list_select_related = ("operator", "meeting__circuit", "meeting__championship", "kept_for")
    list_filter = ("meeting__championship", "compound", "operator")
    search_fields = ("barcode",)
    fields = (
        "barcode",
        "compound",
        "operator",
        "meeting",
        "kept_for",
        "received_at",
        "received_by",
    )
    readonly_fields = ("barcode", "kept_for", "received_at", "received_by")
    receipt_template = "admin/entries/tyreset/receive.html"
    stock_template = "admin/entries/tyreset/stock.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[TyreSet]:
        scans = TyreScan.objects.filter(tyre_set=OuterRef("pk"))
        first = scans.filter(first_fitting=True)
        return (
            super()
            .get_queryset(request)
            .annotate(
                last_direction=Subquery(scans.order_by("-pk").values("direction")[:1]),
                owner_car=Subquery(first.values("entry__car_number")[:1]),
            )
        )

    def get_readonly_fields(self, request: HttpRequest, obj: TyreSet | None = None) -> Any:
        """A set once scanned or kept for a car is history: nothing of it changes."""
        if obj is not None and (obj.kept_for_id or obj.scans.exists()):
            return self.fields
        return self.readonly_fields

    @admin.display(description=gettext_lazy("state"))
    def state(self, obj: TyreSet) -> str:
        return _state(obj)

    @admin.display(description=gettext_lazy("kept for"), ordering="kept_for__car_number")
    def kept_for_car(self, obj: TyreSet) -> str:
        return f"#{obj.kept_for.car_number}" if obj.kept_for_id else "–"

    def get_urls(self) -> list[URLPattern]:
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view(self.stock_view)
        return [path("stock/", view, name=f"{info}_stock"), *super().get_urls()]

    # The receipt: the add page takes many sets at once.

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        meeting = chosen_round(request)
        form = TyreReceiptForm(
            request.POST or None, initial={"meeting": meeting.pk if meeting else None}
        )
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                received = tyre_sets_receive(
                    operator=data["operator"],
                    meeting=data["meeting"],
                    compound=data["compound"],
                    barcodes=data["barcodes"],
                    user=request.user,
                )
            except TyreRefused as refusal:
                problems = refusal.messages
            else:
                message = ngettext(
                    "%(count)d set received into %(operator)s's stock for %(meeting)s.",
                    "%(count)d sets received into %(operator)s's stock for %(meeting)s.",
                    len(received),
                )
                values = {"count": len(received), **data}
                messages.success(request, message % values)
                stock = reverse("admin:entries_tyreset_stock")
                return HttpResponseRedirect(f"{stock}?meeting={data['meeting'].pk}")
        context = {"form": form, "problems": problems, "title": _("Receive tyre sets")}
        return self._render(request, self.receipt_template, context)

    # The stock of a round.

    def stock_view(self, request: HttpRequest) -> TemplateResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        meeting = chosen_round(request)
        context = {
            "title": _("Tyre stock"),
            "round_form": RoundForm(initial={"meeting": meeting.pk if meeting else None}),
            "stock": tyre_stock(meeting) if meeting else None,
            "may_scan": request.user.has_perm("entries.add_tyrescan"),
            "may_receive": self.has_add_permission(request),
        }
        return self._render(request, self.stock_template, context)


@admin.register(TyreScan)
class TyreScanAdmin(CarNumberSearchMixin, TyresPageMixin, admin.ModelAdmin):
    car_number_field = "entry__car_number"
    list_display = (
        "scanned_at",
        "barcode",
        "car",
        "direction",
        "first_fitting",
        "meeting",
        "scanned_by",
    )
    list_select_related = ("tyre_set", "entry", "meeting__circuit", "scanned_by")
    list_filter = ("meeting__championship", "direction", "first_fitting")
    search_fields = ("tyre_set__barcode",)
    fields = ("tyre_set", "entry", "meeting", "direction", "first_fitting", "scanned_at")
    readonly_fields = fields
    scan_template = "admin/entries/tyrescan/scan.html"

    @admin.display(description=gettext_lazy("barcode"), ordering="tyre_set__barcode")
    def barcode(self, obj: TyreScan) -> str:
        return obj.tyre_set.barcode

    @admin.display(description=gettext_lazy("car"), ordering="entry__car_number")
    def car(self, obj: TyreScan) -> str:
        return f"#{obj.entry.car_number}"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a scan is history: a mistaken one is cancelled, the latest of its set

    def has_delete_permission(self, request: HttpRequest, obj: TyreScan | None = None) -> bool:
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None:
            return True
        latest = TyreScan.objects.filter(tyre_set_id=obj.tyre_set_id).order_by("-pk")
        return latest.values_list("pk", flat=True).first() == obj.pk

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, the latest of its set
        return actions

    def delete_model(self, request: HttpRequest, obj: TyreScan) -> None:
        tyre_scan_cancel(scan=obj)

    # The scan page: the add page of a scan.

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        meeting = chosen_round(request)
        initial = {
            "meeting": meeting.pk if meeting else None,
            "direction": request.GET.get("direction") or TyreDirection.OUT,
            "car_number": request.GET.get("car") or None,
        }
        form = TyreScanForm(request.POST or None, initial=initial)
        result = None
        if request.method == "POST" and form.is_valid():
            meeting = form.cleaned_data["meeting"]
            result, form = self._scan(request, form)
        elif form.is_bound:
            meeting = form.cleaned_data.get("meeting") or meeting
        context = {
            "form": form,
            "result": result,
            "meeting": meeting,
            "latest": latest_scans(meeting) if meeting else [],
            "title": _("Scan tyre sets"),
        }
        return self._render(request, self.scan_template, context)

    def _scan(self, request: HttpRequest, form: TyreScanForm) -> tuple[dict, TyreScanForm]:
        """The scan's outcome, and an empty form for the next barcode at the same round, in
        the same direction, for the same car."""
        data = form.cleaned_data
        meeting = data["meeting"]
        request.session[ROUND_KEY] = meeting.pk
        try:
            scan = tyre_scan(
                barcode=data["barcode"],
                car_number=data["car_number"],
                meeting=meeting,
                direction=data["direction"],
                user=request.user,
            )
        except TyreRefused as refusal:
            result = {"ok": False, "message": " ".join(refusal.messages)}
        else:
            result = {"ok": True, "message": scanned_message(scan)}
        next_form = TyreScanForm(
            initial={
                "meeting": meeting,
                "direction": data["direction"],
                "car_number": data["car_number"],
            }
        )
        return result, next_form


def scanned_message(scan: TyreScan) -> str:
    values = {"barcode": scan.tyre_set.barcode, "car": scan.entry.car_number}
    if scan.direction == TyreDirection.IN:
        return _("Set %(barcode)s returned by car #%(car)s.") % values
    if not scan.first_fitting:
        return _("Set %(barcode)s fitted to car #%(car)s again (a used set).") % values
    used = new_sets_fitted(entry=scan.entry, meeting=scan.meeting)
    quota = new_sets_quota(scan.meeting.championship_id)
    return _("Set %(barcode)s fitted to car #%(car)s: new set %(used)s of %(quota)s.") % {
        **values,
        "used": used,
        "quota": quota,
    }
