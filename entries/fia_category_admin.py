"""Back office for drivers' FIA categories: the classification history and its revision import,
the eligibility flags a change raises, and FIA review requests.

The revision import is checked, then applied, through ``core.check_then_apply``: the dry run
lists who moves up or down and which entries that affects, or every problem, and "Apply the
revision" imports the very file previewed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from championships.models import FiaCategory
from core.check_then_apply import CheckThenApplyMixin
from core.models import CheckedUpload
from entries.fia_categories import RevisionSummary, fia_category_revision_import
from entries.forms import (
    ClassMoveDateForm,
    EligibilityFlagResolveForm,
    ReviewRequestForm,
    RevisionUploadForm,
)
from entries.models import (
    Driver,
    DriverClassification,
    EligibilityDecision,
    EligibilityFlag,
    ReviewOutcome,
    ReviewRequest,
)
from entries.services import (
    driver_classify,
    eligibility_flag_resolve,
    review_request_decide,
    review_request_file,
)

CLASSIFICATION_FIELDS = ("category", "effective_from", "source", "published_on", "note")


class DriverClassificationHistoryInline(admin.TabularInline):
    """The driver's dated categories on the driver's page, latest first: added to, never
    rewritten (only the note can be edited); the one source of a driver's category."""

    model = DriverClassification
    fields = (*CLASSIFICATION_FIELDS, "recorded_at")
    readonly_fields = ("category", "effective_from", "source", "published_on", "recorded_at")
    extra = 0
    can_delete = False
    verbose_name_plural = gettext_lazy("FIA categories recorded")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).latest_first()

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DriverClassificationInline(admin.TabularInline):
    """New dated categories, recorded through ``driver_classify`` (which flags the entries
    whose class no longer admits the driver). A new driver needs one."""

    model = DriverClassification
    fields = CLASSIFICATION_FIELDS
    extra = 0
    can_delete = False
    verbose_name = gettext_lazy("new FIA category")
    verbose_name_plural = gettext_lazy("record a new FIA category")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).none()

    def get_min_num(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        return 1 if obj is None else 0

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, validate_min=True, **kwargs)
        formset.records_new = True  # saved by ``save_fia_categories``
        return formset


def save_fia_categories(formset: Any, driver: Driver) -> int:
    """Save a driver page's category inline: notes of the history, or new records through
    ``driver_classify``; the number of entries flagged."""
    if not getattr(formset, "records_new", False):
        formset.save()  # the history: only notes change
        return 0
    flags = 0
    for classification in formset.save(commit=False):
        recorded = driver_classify(
            driver=driver, **{name: getattr(classification, name) for name in CLASSIFICATION_FIELDS}
        )
        flags += len(recorded.flags)
    return flags


def report_flags(request: HttpRequest, count: int) -> None:
    if count:
        messages.warning(
            request,
            ngettext(
                "%(count)d entry no longer fits its class and was flagged.",
                "%(count)d entries no longer fit their class and were flagged.",
                count,
            )
            % {"count": count},
        )


class CategoryTodayFilter(admin.SimpleListFilter):
    """Drivers by the category in force today (the changelist annotates it)."""

    title = gettext_lazy("FIA category today")
    parameter_name = "category__exact"  # the address the field's filter had

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return list(FiaCategory.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(category_in_force=self.value()) if self.value() else queryset


@admin.register(DriverClassification)
class DriverClassificationAdmin(CheckThenApplyMixin, admin.ModelAdmin):
    """History is added to, never rewritten: a wrong category is corrected by a review or
    series decision, which the later record makes the one in force."""

    list_display = ("driver", "category", "effective_from", "source", "published_on", "note")
    list_select_related = ("driver",)
    list_filter = ("category", "source", "effective_from")
    search_fields = ("driver__first_name", "driver__last_name", "driver__slug")
    autocomplete_fields = ("driver",)
    date_hierarchy = "effective_from"
    import_template = "admin/entries/driverclassification/import_revision.html"
    upload_kind = "fia_category_revision"
    upload_form = RevisionUploadForm
    upload_field = "revision"
    upload_expired = gettext_lazy("The checked upload has expired; upload the file again.")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is None:
            return ()
        return ("driver", "category", "effective_from", "source", "published_on", "recorded_at")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: DriverClassification, form: forms.Form, change: bool
    ) -> None:
        if change:  # only the note is editable
            obj.save(update_fields=["note"])
            return
        recorded = driver_classify(
            driver=obj.driver,
            category=obj.category,
            effective_from=obj.effective_from,
            source=obj.source,
            note=obj.note,
            published_on=obj.published_on,
        )
        obj.pk = recorded.classifications[0].pk
        report_flags(request, len(recorded.flags))

    def get_urls(self) -> list[URLPattern]:
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name=name), *super().get_urls()]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        return self.upload_view(request)

    def upload_dry_run(
        self, request: HttpRequest, subject: None, *, form: forms.Form, content: bytes, name: str
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        summary = fia_category_revision_import(content, file_name=name, dry_run=True)
        return {"summary": summary}, {}

    def upload_apply(
        self, request: HttpRequest, subject: None, upload: CheckedUpload
    ) -> HttpResponse:
        summary = fia_category_revision_import(upload.data, file_name=upload.file_name)
        return self._imported(request, summary)

    def _imported(self, request: HttpRequest, summary: RevisionSummary) -> HttpResponse:
        messages.success(request, _("Imported %(summary)s.") % {"summary": summary})
        report_flags(request, summary.flagged_count)
        return HttpResponseRedirect(reverse("admin:entries_driverclassification_changelist"))

    def upload_render(self, request: HttpRequest, subject: None, **context: Any) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import a category revision"),
            **context,
        }
        return TemplateResponse(request, self.import_template, context)


class FlagStatusFilter(admin.SimpleListFilter):
    """Open flags unless asked otherwise: they are the series manager's to-do list."""

    title = gettext_lazy("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return [("open", _("Open")), ("resolved", _("Resolved")), ("all", _("All"))]

    def choices(self, changelist: Any) -> Any:
        # No "All" that drops the parameter: without it the filter shows the open flags.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def value(self) -> str:
        return super().value() or "open"

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "open":
            return queryset.open()
        if self.value() == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


@admin.register(EligibilityFlag)
class EligibilityFlagAdmin(admin.ModelAdmin):
    form = EligibilityFlagResolveForm
    list_display = (
        "entry",
        "championship",
        "entry_class",
        "change",
        "reason",
        "raised_at",
        "decision",
        "resolved_by",
    )
    list_select_related = (
        "entry__driver",
        "entry__championship",
        "entry__entry_class",
        "classification__driver",
        "resolved_by",
    )
    list_filter = (FlagStatusFilter, "decision", "entry__championship")
    search_fields = ("entry__driver__first_name", "entry__driver__last_name")
    readonly_fields = (
        "entry",
        "classification",
        "reason",
        "raised_at",
        "resolved_at",
        "resolved_by",
    )
    fields = (*readonly_fields, "decision", "move_to", "move_from", "decision_note")
    move_template = "admin/entries/eligibilityflag/action_move.html"
    actions = ("keep_in_class", "move_to_admitting_class")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # flags are raised by recording a category change

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        may = super().has_change_permission(request, obj)
        return may and (obj is None or obj.is_open)

    @admin.display(description=gettext_lazy("championship"), ordering="entry__championship")
    def championship(self, obj: EligibilityFlag) -> object:
        return obj.entry.championship

    @admin.display(description=gettext_lazy("class"), ordering="entry__entry_class__code")
    def entry_class(self, obj: EligibilityFlag) -> object:
        return obj.entry.entry_class

    @admin.display(description=gettext_lazy("new category"))
    def change(self, obj: EligibilityFlag) -> str:
        classification = obj.classification
        return _("%(category)s from %(day)s") % {
            "category": classification.get_category_display(),
            "day": classification.effective_from,
        }

    def save_model(
        self, request: HttpRequest, obj: EligibilityFlag, form: forms.Form, change: bool
    ) -> None:
        eligibility_flag_resolve(
            flag=obj,
            decision=form.cleaned_data["decision"],
            user=request.user,
            entry_class=form.cleaned_data.get("move_to"),
            from_date=form.cleaned_data.get("move_from"),
            note=form.cleaned_data.get("decision_note", ""),
        )

    @admin.action(description=gettext_lazy("Keep the selected entries in their class"))
    def keep_in_class(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._resolve_each(request, queryset, EligibilityDecision.KEPT)

    @admin.action(
        description=gettext_lazy("Move the selected entries to the class that admits them")
    )
    def move_to_admitting_class(
        self, request: HttpRequest, queryset: QuerySet
    ) -> TemplateResponse | None:
        """Asks from which day the move counts (rule 7): earlier races keep the old class."""
        form = ClassMoveDateForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._ask_move_date(request, queryset, form)
        day = form.cleaned_data["move_from"]
        self._resolve_each(request, queryset, EligibilityDecision.MOVED, from_date=day)
        return None

    def _ask_move_date(
        self, request: HttpRequest, queryset: QuerySet, form: ClassMoveDateForm
    ) -> TemplateResponse:
        flags = queryset.select_related("entry__driver", "entry__entry_class", "classification")
        days = {flag.classification.effective_from for flag in flags}
        if not form.is_bound and len(days) == 1:
            form.initial["move_from"] = next(iter(days))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Move the selected entries from a date"),
            "flags": flags,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": request.POST.get("action"),
        }
        return TemplateResponse(request, self.move_template, context)

    def _resolve_each(
        self,
        request: HttpRequest,
        queryset: QuerySet,
        decision: str,
        from_date: dt.date | None = None,
    ) -> None:
        done = 0
        for flag in queryset.open().select_related("entry__driver", "classification"):
            try:
                eligibility_flag_resolve(
                    flag=flag, decision=decision, user=request.user, from_date=from_date
                )
                done += 1
            except ValidationError as error:
                messages.error(request, f"{flag.entry}: {' '.join(error.messages)}")
        if done:
            message = ngettext("%(count)d flag resolved.", "%(count)d flags resolved.", done)
            messages.success(request, message % {"count": done})


@admin.register(ReviewRequest)
class ReviewRequestAdmin(admin.ModelAdmin):
    form = ReviewRequestForm
    list_display = (
        "driver",
        "reviewed",
        "asked_on",
        "within_window",
        "requested_category",
        "outcome",
        "decided_on",
    )
    list_select_related = ("classification__driver",)
    list_filter = ("outcome",)
    search_fields = ("classification__driver__first_name", "classification__driver__last_name")
    autocomplete_fields = ("classification",)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        filed = ("classification", "asked_on", "requested_category", "note")
        if obj is None:
            return filed
        if obj.outcome != ReviewOutcome.PENDING:
            return (*filed, "outcome", "decided_on", "decision")
        return (*filed, "outcome", "decided_on", "new_category", "decision")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is None:
            return ()
        return ("classification", "asked_on", "requested_category", "decision")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        may = super().has_change_permission(request, obj)
        return may and (obj is None or obj.outcome == ReviewOutcome.PENDING)

    @admin.display(description=gettext_lazy("driver"))
    def driver(self, obj: ReviewRequest) -> object:
        return obj.classification.driver

    @admin.display(description=gettext_lazy("reviewed"))
    def reviewed(self, obj: ReviewRequest) -> str:
        classification = obj.classification
        return f"{classification.category} ({classification.effective_from})"

    @admin.display(description=gettext_lazy("within 15 days"), boolean=True)
    def within_window(self, obj: ReviewRequest) -> bool:
        return obj.is_within_window()

    def save_model(
        self, request: HttpRequest, obj: ReviewRequest, form: forms.Form, change: bool
    ) -> None:
        data = form.cleaned_data
        if not change:
            obj.pk = self._file(obj).pk
        elif data.get("outcome", ReviewOutcome.PENDING) != ReviewOutcome.PENDING:
            review_request_decide(
                review=obj,
                outcome=data["outcome"],
                decided_on=data["decided_on"],
                category=data.get("new_category", ""),
                note=data.get("note", ""),
            )
        else:
            obj.save(update_fields=["note"])

    def _file(self, obj: ReviewRequest) -> ReviewRequest:
        return review_request_file(
            classification=obj.classification,
            asked_on=obj.asked_on,
            requested_category=obj.requested_category,
            note=obj.note,
        )
