"""Back office of the assessment day: its sessions, which applicant drives which car in each,
the lap upload (the one check-then-apply flow), and an applicant's laps as reviewers read them
beside the rubric (``assessment_laps_html``, shown on the application and review pages).

Reviewers only, as every page holding applicants' data (``ReviewerOnlyAdmin``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from championships.weekend import LAPS_MAX_BYTES
from core.check_then_apply import CheckThenApplyMixin
from core.models import CheckedUpload
from talentpool.assessment import applicant_laps, assessment_laps_import
from talentpool.models import Application, AssessmentCar, AssessmentSession


def assessment_laps_html(application: Application) -> str:
    """The applicant's laps of each assessment session, for a read-only field."""
    return render_to_string(
        "admin/talentpool/assessment_laps.html", {"sessions": applicant_laps(application)}
    )


class AssessmentLapsForm(forms.Form):
    laps = forms.FileField(
        label=gettext_lazy("Lap file (.csv)"),
        help_text=gettext_lazy(
            "The timing system's lap export of the session: NUMBER;LAP_NUMBER;LAP_TIME and, "
            "if given, CROSSING_FINISH_LINE_IN_PIT. NUMBER is the car each applicant drives "
            "(Cars, below). Checked first; applied, it replaces the session's laps."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )

    def clean_laps(self) -> Any:
        upload = self.cleaned_data["laps"]
        if upload.size > LAPS_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(max)s bytes.") % {"max": LAPS_MAX_BYTES}
            )
        return upload


class AssessmentCarInline(admin.TabularInline):
    model = AssessmentCar
    extra = 1
    fields = ("number", "application")
    autocomplete_fields = ("application",)


class AssessmentAdminBase(CheckThenApplyMixin, admin.ModelAdmin):
    """The sessions, with their cars and the lap upload."""

    list_display = ("name", "edition", "starts_at", "car_count")
    list_filter = ("edition",)
    fields = ("edition", "name", "starts_at")
    inlines = (AssessmentCarInline,)
    change_form_template = "admin/talentpool/assessmentsession/change_form.html"

    upload_kind = "assessment_laps"
    upload_form = AssessmentLapsForm
    upload_field = "laps"
    upload_expired = gettext_lazy("The checked upload has expired; upload the file again.")
    upload_of_another_forbidden = True

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).annotate(car_total=Count("cars"))

    @admin.display(description=gettext_lazy("cars"), ordering="car_total")
    def car_count(self, obj: AssessmentSession) -> int:
        return obj.car_total

    def get_urls(self) -> list[URLPattern]:
        name = f"{self.opts.app_label}_{self.opts.model_name}_import_laps"
        view = self.admin_site.admin_view(self.import_laps_view)
        return [path("<path:object_id>/import-laps/", view, name=name), *super().get_urls()]

    def import_laps_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        session = self.get_object(request, unquote(object_id))
        if session is None:
            raise Http404(_("No assessment session with this id."))
        if not self.has_change_permission(request, session):
            raise PermissionDenied
        return self.upload_view(request, session)

    def upload_dry_run(
        self, request: HttpRequest, session: Any, *, form: forms.Form, content: bytes, name: str
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        diff = assessment_laps_import(session=session, source=content, dry_run=True, file_name=name)
        return {"diff": diff}, {}

    def upload_apply(
        self, request: HttpRequest, session: Any, upload: CheckedUpload
    ) -> HttpResponse:
        diff = assessment_laps_import(
            session=session, source=upload.data, dry_run=False, file_name=upload.file_name
        )
        messages.success(
            request,
            _("Applied: %(laps)s laps of %(applicants)s applicants.")
            % {"laps": diff.laps, "applicants": len(diff.applicants)},
        )
        name = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change"
        return HttpResponseRedirect(reverse(name, args=[session.pk]))

    def upload_render(self, request: HttpRequest, session: Any, **context: Any) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": session,
            "title": _("Upload the laps of %(session)s") % {"session": session},
            "held": session.laps.count(),
            **context,
        }
        return TemplateResponse(request, "admin/talentpool/assessment_laps_upload.html", context)
