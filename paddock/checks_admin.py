"""Back office: the administrative checks at each meeting. Race control opens a meeting's page
(every entry of its championship with its flags: documents expiring before or during the
meeting, nothing on file, checks missing once it has started) and records, per entry,
documents seen and sign-on; ``meeting_check_record`` writes. Read-only staff see the page
without its forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from championships.models import Meeting
from entries.models import Entry
from paddock.models import EntrantDriver, MeetingCheck
from paddock.services.checks import CheckRow, meeting_check_record, meeting_check_rows


class MeetingCheckForm(forms.Form):
    documents_seen = forms.BooleanField(label=gettext_lazy("Documents seen"), required=False)
    signed_on = forms.BooleanField(label=gettext_lazy("Signed on"), required=False)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)


def form_prefix(entry_id: int) -> str:
    return f"entry-{entry_id}"


def documents_url(profile: EntrantDriver) -> str:
    """The back office's list of the driver's documents."""
    return f"{reverse('admin:paddock_driverdocument_changelist')}?driver__id__exact={profile.pk}"


@admin.register(MeetingCheck)
class MeetingCheckAdmin(admin.ModelAdmin):
    """The list page is the meetings' index; each meeting has its page of checks. Checks are
    written only there, through the service: no add or change form."""

    list_display = ("meeting", "entry", "documents_seen", "signed_on", "checked_by", "checked_at")
    index_template = "admin/paddock/meeting_index.html"
    meeting_template = "admin/paddock/meeting_checks.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def can_record(self, request: HttpRequest) -> bool:
        user = request.user
        return user.has_perm("paddock.add_meetingcheck") and user.has_perm(
            "paddock.change_meetingcheck"
        )

    def get_urls(self) -> list[URLPattern]:
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("meeting/<int:meeting_id>/", wrap(self.meeting_view), name=f"{info}_meeting"),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        meetings = Meeting.objects.with_circuit().order_by("-start_date", "championship__name")
        context = {"meetings": meetings, "title": _("Administrative checks: meetings")}
        return self._render(request, self.index_template, context)

    def meeting_view(self, request: HttpRequest, meeting_id: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        meeting = get_object_or_404(Meeting.objects.with_circuit(), pk=meeting_id)
        if request.method == "POST":
            if not self.can_record(request):
                raise PermissionDenied
            return self._record(request, meeting)
        return self._render_meeting(request, meeting)

    def _record(self, request: HttpRequest, meeting: Meeting) -> HttpResponse:
        """Redirects to the entry's row once recorded; else the page again, a 400, saying why."""
        entry_id = request.POST.get("entry", "")
        entry = Entry.objects.filter(pk=int(entry_id)).first() if entry_id.isdigit() else None
        if entry is None:
            messages.error(request, _("No entry with this id."))
            return self._render_meeting(request, meeting, status=400)
        form = MeetingCheckForm(request.POST, prefix=form_prefix(entry.pk))
        if not form.is_valid():
            return self._render_meeting(request, meeting, failed=(entry.pk, form), status=400)
        try:
            meeting_check_record(meeting=meeting, entry=entry, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return self._render_meeting(request, meeting, status=400)
        messages.success(
            request,
            _("Checks of car #%(number)s recorded.") % {"number": entry.car_number},
        )
        return HttpResponseRedirect(f"{request.path}#{form_prefix(entry.pk)}")

    def _render_meeting(
        self,
        request: HttpRequest,
        meeting: Meeting,
        *,
        failed: tuple[int, MeetingCheckForm] | None = None,
        status: int = 200,
    ) -> TemplateResponse:
        can_record = self.can_record(request)
        # The documents' list answers 403 to staff who may not read documents: no link then.
        can_read_documents = request.user.has_perm("paddock.view_driverdocument")
        rows = [
            self._row(
                row, can_record=can_record, can_read_documents=can_read_documents, failed=failed
            )
            for row in meeting_check_rows(meeting)
        ]
        context = {
            "meeting": meeting,
            "rows": rows,
            "can_record": can_record,
            "title": _("Administrative checks: %(meeting)s") % {"meeting": meeting},
        }
        response = self._render(request, self.meeting_template, context)
        response.status_code = status
        return response

    def _row(
        self,
        row: CheckRow,
        *,
        can_record: bool,
        can_read_documents: bool,
        failed: tuple[int, MeetingCheckForm] | None,
    ) -> dict[str, Any]:
        form = None
        if can_record:
            if failed and failed[0] == row.entry.pk:
                form = failed[1]
            else:
                check = row.check
                initial = {
                    "documents_seen": bool(check and check.documents_seen),
                    "signed_on": bool(check and check.signed_on),
                    "note": check.note if check else "",
                }
                form = MeetingCheckForm(initial=initial, prefix=form_prefix(row.entry.pk))
        return {
            "entry": row.entry,
            "profile": row.profile,
            "check": row.check,
            "flags": row.flags,
            "form": form,
            "anchor": form_prefix(row.entry.pk),
            "documents_url": (
                documents_url(row.profile) if row.profile and can_read_documents else None
            ),
        }

    def _render(self, request: HttpRequest, template: str, context: dict) -> TemplateResponse:
        context = {**self.admin_site.each_context(request), "opts": self.opts, **context}
        return TemplateResponse(request, template, context)
