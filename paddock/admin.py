"""Back office of the entrants' side: entry windows, the review of applications, fees, team
accounts and drivers' documents, and the administrative checks at each meeting."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from championships.models import ChampionshipClass
from entries.eligibility import admission_day
from paddock import (
    checks_admin,  # noqa: F401
    documents_admin,  # noqa: F401
    notices_admin,  # noqa: F401
    protests_admin,  # noqa: F401
)
from paddock.expiry import document_problems
from paddock.models import (
    ApplicationEvent,
    ApplicationStatus,
    DriverDocument,
    EntrantTeam,
    EntryApplication,
    EntryWindow,
    Fee,
)
from paddock.services.review import (
    admission_problem,
    application_approve,
    application_refuse,
    application_release,
    application_reserve,
    approval_problem,
    fee_problems,
    fee_record,
    reserve_promote,
)

REVIEW_PERMISSION = "paddock.review_entryapplication"


def can_review(request: HttpRequest) -> bool:
    return request.user.has_perm(REVIEW_PERMISSION)


# --- Entry windows ---------------------------------------------------------------------------


class EntryWindowForm(forms.ModelForm):
    """The classes offered are the championship's own."""

    regulations_url = forms.URLField(
        label=EntryWindow._meta.get_field("regulations_url").verbose_name,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = EntryWindow
        fields = (
            "championship",
            "opens_at",
            "closes_at",
            "places",
            "classes",
            "season_fee",
            "meeting_fee",
            "deposit",
            "currency",
            "seat_season_price",
            "seat_meeting_price",
            "regulations_title",
            "regulations_url",
            "regulations_version",
            "numbers_held_until",
            "reminder_days",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        classes = ChampionshipClass.objects.select_related("championship")
        if self.instance.pk:
            classes = classes.filter(championship_id=self.instance.championship_id)
        self.fields["classes"].queryset = classes.order_by("championship", "code")
        self.fields["classes"].label_from_instance = lambda c: f"{c.championship} · {c.code}"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        championship, classes = data.get("championship"), data.get("classes")
        if championship and classes:
            foreign = [c.code for c in classes if c.championship_id != championship.pk]
            if foreign:
                self.add_error(
                    "classes",
                    gettext("Not classes of %(championship)s: %(codes)s.")
                    % {"championship": championship, "codes": ", ".join(foreign)},
                )
        return data


@admin.register(EntryWindow)
class EntryWindowAdmin(admin.ModelAdmin):
    form = EntryWindowForm
    list_display = ("championship", "opens_at", "closes_at", "places", "taken", "reserve", "state")
    list_select_related = ("championship",)
    search_fields = ("championship__name",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_places_taken()

    @admin.display(description=_("places taken"), ordering="places_taken")
    def taken(self, obj: EntryWindow) -> int:
        return obj.places_taken

    @admin.display(description=_("on the reserve list"), ordering="reserve_count")
    def reserve(self, obj: EntryWindow) -> int:
        return obj.reserve_count

    @admin.display(description=_("entries"))
    def state(self, obj: EntryWindow) -> str:
        return gettext("Open") if obj.is_open(timezone.now()) else gettext("Closed")

    def save_model(self, request: HttpRequest, obj: EntryWindow, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "places" in form.changed_data:
            # More places: the reserve list moves up into them.
            promoted = reserve_promote(window=obj, by=request.user)
            if promoted:
                self.message_user(
                    request,
                    gettext("Moved up from the reserve list: %(references)s.")
                    % {"references": ", ".join(a.reference for a in promoted)},
                    messages.SUCCESS,
                )


# --- Applications ----------------------------------------------------------------------------


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    fields = ("at", "status", "note", "by", "emailed")
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("review steps")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("by", "application")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("paddock.view_entryapplication")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class FeeForm(forms.ModelForm):
    """What was invoiced and paid; the rules' messages name the field."""

    class Meta:
        model = Fee
        fields = ("status", "invoice_number", "invoiced_on", "paid_on")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        problems = fee_problems(
            status=data.get("status", ""),
            invoice_number=data.get("invoice_number") or "",
            paid_on=data.get("paid_on"),
        )
        for field, message in problems.items():
            self.add_error(field, message)
        return data

    def validate_constraints(self, exclude: Any = None) -> None:
        pass  # the checks above name the field; fee_record checks again


class FeeInline(admin.TabularInline):
    """The fees owed are made on approval; staff record what is invoiced and paid (saved
    through ``fee_record``)."""

    model = Fee
    form = FeeForm
    extra = 0
    fields = ("kind", "description", "amount", "currency", "status", "invoice_number")
    fields += ("invoiced_on", "paid_on")
    readonly_fields = ("kind", "description", "amount", "currency")
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("application")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ApplicationReviewForm(forms.Form):
    action = forms.ChoiceField(
        label=_("decision"),
        choices=(
            ("approve", _("Approve")),
            ("reserve", _("Put on the reserve list")),
            ("refuse", _("Refuse")),
            ("release", _("Release (withdraw the approved entry)")),
        ),
    )
    note = forms.CharField(
        label=_("note or reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the team. A refusal or a release needs the reason."),
    )


REVIEW_STEPS = {
    "approve": lambda a, by, note: application_approve(application=a, by=by, note=note),
    "reserve": lambda a, by, note: application_reserve(application=a, by=by, note=note),
    "refuse": lambda a, by, note: application_refuse(application=a, by=by, reason=note),
    "release": lambda a, by, note: application_release(application=a, by=by, reason=note),
}
DONE = {
    "approve": _("%(reference)s approved: the entry is on the entry list."),
    "reserve": _("%(reference)s is on the reserve list."),
    "refuse": _("%(reference)s refused."),
    "release": _("%(reference)s released: its entry is withdrawn."),
}


@admin.register(EntryApplication)
class EntryApplicationAdmin(admin.ModelAdmin):
    """The team's application, read only (its data is theirs), with the review panel."""

    change_form_template = "admin/paddock/entryapplication/change_form.html"
    list_display = (
        "reference",
        "championship",
        "team",
        "car_number",
        "driver",
        "entry_class",
        "category",
        "seat",
        "status",
        "submitted_at",
    )
    list_filter = ("championship", "status", "team")
    list_select_related = ("championship", "team", "driver", "entry_class")
    search_fields = ("reference", "team__name", "driver__first_name", "driver__last_name")
    search_help_text = _("Reference, team or driver.")
    inlines = (FeeInline, ApplicationEventInline)
    actions = ("approve_selected", "reserve_selected")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields if field.name != "id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_review_permission(self, request: HttpRequest) -> bool:
        return can_review(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        pass  # every field is the team's; steps go through the review panel

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # What construct_change_message reads of a saved formset.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is not Fee:
            return
        for fee_form in formset.forms:
            if not fee_form.has_changed():
                continue
            data = fee_form.cleaned_data
            formset.changed_objects.append((fee_form.instance, fee_form.changed_data))
            fee_record(
                fee=fee_form.instance,
                status=data["status"],
                invoice_number=data.get("invoice_number") or "",
                invoiced_on=data.get("invoiced_on"),
                paid_on=data.get("paid_on"),
                by=request.user,
            )

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(require_POST(self.review_view))
        route = path("<int:pk>/review/", view, name="paddock_entryapplication_review")
        return [route, *super().get_urls()]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        application = (
            self.get_queryset(request)
            .select_related("championship", "meeting", "driver", "entry_class", "team")
            .filter(pk=object_id)
            .first()
        )
        context = {**(extra_context or {})}
        if application is not None:
            context["review"] = self.review_panel(request, application)
        return super().change_view(request, object_id, form_url, extra_context=context)

    def review_panel(self, request: HttpRequest, application: EntryApplication) -> dict:
        """What staff read before deciding: the driver's documents on the admission day (the
        meeting's days for a guest entry), the class admission, and whether approving is
        possible now."""
        if application.meeting_id:
            first_day = application.meeting.start_date
            last_day = application.meeting.end_date
        else:
            first_day, last_day = admission_day(application.championship), None
        documents = DriverDocument.objects.filter(driver=application.driver).current()
        problems = document_problems(documents, first_day, last_day)
        reviewable = application.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.RESERVE)
        return {
            "can_review": can_review(request),
            "form": ApplicationReviewForm(),
            "url": reverse("admin:paddock_entryapplication_review", args=[application.pk]),
            "first_day": first_day,
            "document_problems": problems,
            "admission_problem": admission_problem(application),
            "approval_problem": approval_problem(application) if reviewable else None,
        }

    def review_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not can_review(request):
            raise PermissionDenied
        application = EntryApplication.objects.filter(pk=pk).first()
        if application is None:
            raise Http404
        form = ApplicationReviewForm(request.POST)
        change_url = reverse("admin:paddock_entryapplication_change", args=[pk])
        if not form.is_valid():
            self.message_user(request, gettext("Choose a decision."), messages.ERROR)
            return HttpResponseRedirect(change_url)
        action = form.cleaned_data["action"]
        try:
            REVIEW_STEPS[action](application, request.user, form.cleaned_data["note"])
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(
                request, DONE[action] % {"reference": application.reference}, messages.SUCCESS
            )
        return HttpResponseRedirect(change_url)

    def _each(self, request: HttpRequest, queryset: QuerySet, action: str) -> None:
        done, refused = [], []
        for application in queryset.order_by("submitted_at", "pk"):
            try:
                REVIEW_STEPS[action](application, request.user, "")
            except ValidationError as error:
                refused.append(f"{application.reference}: {' '.join(error.messages)}")
            else:
                done.append(application.reference)
        if done:
            self.message_user(
                request,
                gettext("Done: %(references)s.") % {"references": ", ".join(done)},
                messages.SUCCESS,
            )
        for message in refused:
            self.message_user(request, message, messages.ERROR)

    @admin.action(description=_("Approve the selected applications"), permissions=("review",))
    def approve_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset, "approve")

    @admin.action(
        description=_("Put the selected applications on the reserve list"),
        permissions=("review",),
    )
    def reserve_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset, "reserve")


# --- Team accounts ---------------------------------------------------------------------------


@admin.register(EntrantTeam)
class EntrantTeamAdmin(admin.ModelAdmin):
    """A team account: its name and members are the team's; staff link it to the team of
    the entry lists (approval does, the first time)."""

    list_display = ("name", "team", "language", "created_at")
    list_select_related = ("team",)
    search_fields = ("name",)
    fields = ("name", "team", "language", "members", "created_at")
    readonly_fields = ("name", "language", "members", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("members"))
    def members(self, obj: EntrantTeam) -> str:
        rows = obj.members.select_related("user").order_by("role", "pk")
        return "; ".join(f"{m.user.email} ({m.get_role_display()})" for m in rows) or "-"
