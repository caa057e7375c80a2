"""Live timing in the back office: what each race and session has live, read only; deleting
one clears it (``live_clear``: a rehearsal over, the next push may start again from 1)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from championships.live import live_clear, live_name
from championships.models import LiveTiming


@admin.register(LiveTiming)
class LiveTimingAdmin(admin.ModelAdmin):
    list_display = ("__str__", "flag", "sequence", "car_count", "updated_at", "updated_by", "page")
    list_select_related = (
        "race__meeting__championship",
        "race__meeting__circuit",
        "session__meeting__championship",
        "session__meeting__circuit",
        "updated_by",
    )
    fields = ("race", "session", "flag", "sequence", "updated_at", "updated_by", "cars")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # pushed by the timing provider through the API only

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("cars"))
    def car_count(self, timing: LiveTiming) -> int:
        return len(timing.cars)

    @admin.display(description=_("live page"))
    def page(self, timing: LiveTiming) -> str:
        subject = timing.subject
        meeting = subject.meeting
        url = reverse(
            "championships:live",
            kwargs={
                "slug": meeting.championship.slug,
                "round": meeting.round,
                "name": live_name(subject),
            },
        )
        return format_html('<a href="{}">{}</a>', url, _("Open"))

    def delete_model(self, request: HttpRequest, obj: LiveTiming) -> None:
        live_clear(subject=obj.subject)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[LiveTiming]) -> None:
        for timing in queryset:
            live_clear(subject=timing.subject)
