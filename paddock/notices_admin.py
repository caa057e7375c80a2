"""Back office: the teams' acknowledgements of the notice board's documents. The list is read
only (filtered by round and team); each round has its page, listing every document with the
teams it concerns, who acknowledged it and when, or "not yet", and which teams still owe an
acknowledgement. Staff read it with ``paddock.view_acknowledgement``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from championships.models import Meeting
from paddock.models import Acknowledgement
from paddock.services.notices import meeting_acknowledgements


@admin.register(Acknowledgement)
class AcknowledgementAdmin(admin.ModelAdmin):
    """Written by the teams' managers only, from their paddock: no add, change or delete."""

    list_display = ("document", "meeting", "team", "acknowledged_by", "acknowledged_at")
    list_filter = ("document__meeting", "team")
    list_select_related = ("document__meeting__circuit", "team", "acknowledged_by")
    search_fields = ("team__name",)
    search_help_text = gettext_lazy("Team.")
    change_list_template = "admin/paddock/acknowledgement_change_list.html"
    meeting_template = "admin/paddock/board_acknowledgements.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("round"), ordering="document__meeting")
    def meeting(self, obj: Acknowledgement) -> str:
        meeting = obj.document.meeting
        return format_html('<a href="{}">{}</a>', meeting_url(meeting), meeting)

    def get_urls(self) -> list[URLPattern]:
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view(self.meeting_view)
        return [
            path("meeting/<int:meeting_id>/", view, name=f"{info}_meeting"),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """The list, with the rounds that have documents, each linking to its page."""
        meetings = (
            Meeting.objects.with_circuit()
            .annotate(documents=Count("board"))
            .filter(documents__gt=0)
            .order_by("-start_date", "championship__name")
        )
        rounds = [(meeting, meeting_url(meeting)) for meeting in meetings]
        return super().changelist_view(request, {**(extra_context or {}), "rounds": rounds})

    def meeting_view(self, request: HttpRequest, meeting_id: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        meeting = get_object_or_404(Meeting.objects.with_circuit(), pk=meeting_id)
        rows, missing = meeting_acknowledgements(meeting)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "meeting": meeting,
            "rows": rows,
            "missing": missing,
            "zone": meeting.circuit.timezone,
            "title": _("Acknowledgements: %(meeting)s") % {"meeting": meeting},
        }
        return TemplateResponse(request, self.meeting_template, context)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("document__meeting__circuit")


def meeting_url(meeting: Meeting) -> str:
    return reverse("admin:paddock_acknowledgement_meeting", args=[meeting.pk])
