"""Back office of the task queue's dead letters: the tasks that failed for good (an e-mail the
mail server kept refusing, a PDF that could not be drawn) or that the queue could not take,
read only, with their error; "Run again" queues one afresh. Registered by ``CoreConfig.ready``.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.models import FailedTask
from core.queue import RerunRefused, failed_task_rerun


@admin.register(FailedTask)
class FailedTaskAdmin(admin.ModelAdmin):
    list_display = ("failed_at", "task", "summary", "attempts", "error_line")
    list_filter = ("task",)
    search_fields = ("summary", "error")
    date_hierarchy = "failed_at"
    actions = ("run_again",)
    fields = ("task", "summary", "attempts", "failed_at", "error", "traceback_shown")
    readonly_fields = fields

    @admin.display(description=gettext_lazy("error message"))
    def error_line(self, obj: FailedTask) -> str:
        return obj.error.splitlines()[0][:120] if obj.error else ""

    @admin.display(description=gettext_lazy("error traceback"))
    def traceback_shown(self, obj: FailedTask) -> str:
        return format_html("<pre>{}</pre>", obj.traceback)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_rerun_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("core.rerun_failedtask")

    @admin.action(description=gettext_lazy("Run again"), permissions=["rerun"])
    def run_again(self, request: HttpRequest, queryset: QuerySet[FailedTask]) -> None:
        count = 0
        for failed in queryset:
            try:
                failed_task_rerun(failed)
            except RerunRefused as refusal:
                self.message_user(request, str(refusal), messages.WARNING)
                continue
            except Exception as error:  # the queue away: the record stays
                self.message_user(
                    request,
                    _("%(task)s was not queued again: %(error)s")
                    % {"task": failed.summary, "error": error},
                    messages.ERROR,
                )
                continue
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d task is queued again; if it fails again, it comes back here.",
                "%(count)d tasks are queued again; those that fail again come back here.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
