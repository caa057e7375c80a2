"""Back office of the stewards: the protests, requests for review, notices of intention and
appeals the teams filed, and their hearing.

What a team filed never changes here: every field of the filing is read only, and its
attachments are streamed by ``attachment_view`` to staff who may view protests, never from a
public URL. The stewards' steps are forms on the change page (call the hearing, uphold with
the decision it produces, dismiss, decide an appeal, record the deposit), each posted to
``hearing_view``, which calls ``paddock.services.hearings``; a refused step shows its form
again with the messages beside the fields. Race control and the series manager take the
steps (``paddock.change_protest``); read-only staff read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from championships.models import PenaltyKind, Race, aware_from_local
from core.times import circuit_time
from paddock.downloads import attachment_response
from paddock.models import (
    OPEN_STATUSES,
    FilingKind,
    HearingRules,
    Protest,
    ProtestAttachment,
)
from paddock.services.hearings import (
    appeal_decide,
    appealed_decision,
    deposit_record,
    protest_dismiss,
    protest_summon,
    protest_uphold,
)

FILING_FIELDS = (
    "meeting",
    "number",
    "kind",
    "document",
    "notice",
    "team",
    "entry",
    "against",
    "race",
    "incident",
    "rule",
    "grounds",
    "filed_at",
    "filed_by",
    "deadline",
    "deposit",
    "currency",
)
HEARING_FIELDS = (
    "status",
    "deposit_paid_on",
    "hearing_at",
    "hearing_place",
    "summons_link",
    "decided_at",
    "outcome",
    "decision_link",
    "outcome_document_link",
)


# The stewards' forms ---------------------------------------------------------------------------


class SummonForm(forms.Form):
    hearing_at = forms.DateTimeField(
        label=_("hearing at"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Local time at the circuit."),
    )
    hearing_place = forms.CharField(label=_("hearing place"), max_length=120)

    def __init__(self, *args: Any, zone_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone_name = zone_name

    def clean_hearing_at(self) -> dt.datetime:
        # The field read the typed time in the site's zone; take that wall-clock time at the
        # circuit instead.
        typed = timezone.make_naive(self.cleaned_data["hearing_at"])
        try:
            return aware_from_local(typed, self.zone_name)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class UpholdForm(forms.Form):
    """The decision the hearing produces; the decision's own rules check it on saving."""

    kind = forms.ChoiceField(label=_("kind"), choices=PenaltyKind.choices)
    value = forms.DecimalField(
        label=_("value"),
        required=False,
        max_digits=8,
        decimal_places=3,
        help_text=_(
            "Seconds for a time penalty, points for a deduction, places for a grid penalty; "
            "empty for a disqualification, a reprimand or a warning."
        ),
    )
    race = forms.ModelChoiceField(label=_("race"), queryset=Race.objects.none(), required=False)
    number = forms.IntegerField(label=_("decision number"), min_value=1, required=False)
    reason_en = forms.CharField(label=_("reason (English)"), max_length=300)
    reason_zh_hans = forms.CharField(
        label=_("reason (Simplified Chinese)"), max_length=300, required=False
    )
    findings = forms.CharField(
        label=_("the stewards' findings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the protest; the decision's reason when empty."),
    )

    def __init__(self, *args: Any, protest: Protest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["race"]
        field.queryset = Race.objects.filter(meeting_id=protest.meeting_id).order_by("number")
        field.initial = protest.race_id


class FindingsForm(forms.Form):
    findings = forms.CharField(
        label=_("the stewards' findings"), widget=forms.Textarea(attrs={"rows": 4})
    )


class DepositForm(forms.Form):
    deposit_paid_on = forms.DateField(
        label=_("deposit paid on"), widget=forms.DateInput(attrs={"type": "date"})
    )


def _uphold(protest: Protest, data: dict, user: Any) -> Protest:
    return protest_uphold(
        protest=protest,
        kind=data["kind"],
        value=data["value"],
        race=data["race"],
        reason_en=data["reason_en"],
        reason_zh_hans=data["reason_zh_hans"],
        number=data["number"],
        findings=data["findings"],
        user=user,
    )


# Each step: its form, its service, and the message once done.
STEPS: dict[str, dict[str, Any]] = {
    "summon": {
        "form": SummonForm,
        "title": _("Call the hearing"),
        "do": lambda p, d, u: protest_summon(
            protest=p, hearing_at=d["hearing_at"], place=d["hearing_place"], user=u
        ),
        "done": _("The hearing of %(filing)s is called; the summons is document %(number)s."),
    },
    "uphold": {
        "form": UpholdForm,
        "title": _("Uphold: record the decision"),
        "do": _uphold,
        "done": _("%(filing)s is upheld; %(decision)s is recorded."),
    },
    "dismiss": {
        "form": FindingsForm,
        "title": _("Dismiss"),
        "do": lambda p, d, u: protest_dismiss(protest=p, findings=d["findings"], user=u),
        "done": _("%(filing)s is dismissed; the decision is document %(number)s."),
    },
    "appeal-uphold": {
        "form": FindingsForm,
        "title": _("Uphold the appeal"),
        "do": lambda p, d, u: appeal_decide(appeal=p, upheld=True, findings=d["findings"], user=u),
        "done": _("%(filing)s is upheld; %(decision)s is withdrawn."),
    },
    "appeal-dismiss": {
        "form": FindingsForm,
        "title": _("Dismiss the appeal"),
        "do": lambda p, d, u: appeal_decide(appeal=p, upheld=False, findings=d["findings"], user=u),
        "done": _("%(filing)s is dismissed; the decision is document %(number)s."),
    },
    "deposit": {
        "form": DepositForm,
        "title": _("Deposit paid on"),
        "do": lambda p, d, u: deposit_record(protest=p, paid_on=d["deposit_paid_on"], user=u),
        "done": _("The deposit of %(filing)s is recorded as paid."),
    },
}


def steps_of(protest: Protest) -> list[str]:
    """The steps the filing can take now, in the order the change page shows them."""
    steps = []
    if protest.status in OPEN_STATUSES and protest.kind != FilingKind.APPEAL_NOTICE:
        steps.append("summon")
        if protest.kind == FilingKind.APPEAL:
            steps += ["appeal-uphold", "appeal-dismiss"]
        else:
            steps += ["uphold", "dismiss"]
    if protest.deposit:
        steps.append("deposit")
    return steps


def make_form(step: str, protest: Protest, data: Any = None) -> forms.Form:
    form_class = STEPS[step]["form"]
    prefix = step.replace("-", "_")
    if form_class is SummonForm:
        initial = {"hearing_place": protest.hearing_place}
        if protest.hearing_at:
            zone = protest.meeting.circuit.zone
            initial["hearing_at"] = protest.hearing_at.astimezone(zone).replace(tzinfo=None)
        return SummonForm(
            data, prefix=prefix, zone_name=protest.meeting.circuit.timezone, initial=initial
        )
    if form_class is UpholdForm:
        return UpholdForm(data, prefix=prefix, protest=protest)
    if form_class is DepositForm:
        return DepositForm(
            data, prefix=prefix, initial={"deposit_paid_on": protest.deposit_paid_on}
        )
    return form_class(data, prefix=prefix)


def refusal_to_form(form: forms.Form, error: ValidationError) -> None:
    """The service's refusal beside the form's field it names (the decision's ``reason`` is
    the English reason), else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, field_messages in error.message_dict.items():
        field = "reason_en" if field == "reason" else field
        form.add_error(field if field in form.fields else None, field_messages)


# Links -----------------------------------------------------------------------------------------


def board_document_link(document: Any) -> str:
    """The notice board document in the back office, and a link to each of its PDFs."""
    if document is None:
        return "-"
    pdfs = format_html_join(
        "",
        ' (<a href="{}" hreflang="{}">{} {}</a>)',
        (
            (edition.get_absolute_url(), edition.language, _("PDF"), edition.language)
            for edition in document.editions.order_by("language")
        ),
    )
    return format_html(
        '<a href="{}">{}</a>{}',
        reverse("admin:championships_boarddocument_change", args=[document.pk]),
        document,
        pdfs,
    )


# The admin -------------------------------------------------------------------------------------


@admin.register(Protest)
class ProtestAdmin(admin.ModelAdmin):
    change_form_template = "admin/paddock/protest/change_form.html"
    list_display = (
        "number",
        "kind",
        "meeting",
        "team",
        "car",
        "against_car",
        "filed_local",
        "deadline_local",
        "deposit_due",
        "deposit_paid_on",
        "status",
    )
    list_display_links = ("number", "kind")
    list_filter = (
        "meeting__championship",
        "kind",
        "status",
        ("deposit_paid_on", admin.EmptyFieldListFilter),
    )
    list_select_related = (
        "meeting__circuit",
        "meeting__championship",
        "team",
        "entry__driver",
        "against__driver",
    )
    search_fields = ("team__name", "incident", "entry__driver__last_name")
    search_help_text = _("Team, incident or driver's last name.")
    ordering = ("-filed_at",)
    fieldsets = (
        (_("As filed"), {"fields": FILING_FIELDS + ("attachments_list",)}),
        (_("Hearing"), {"fields": HEARING_FIELDS}),
    )
    readonly_fields = FILING_FIELDS + ("attachments_list",) + HEARING_FIELDS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the teams file them

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # filings stay on record

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        pass  # nothing here is edited; the steps go through the hearing's forms

    # Columns ---------------------------------------------------------------------------------

    @admin.display(description=_("car"), ordering="entry__car_number")
    def car(self, obj: Protest) -> str:
        return str(obj.entry)

    @admin.display(description=_("against car"), ordering="against__car_number")
    def against_car(self, obj: Protest) -> str:
        return str(obj.against) if obj.against_id else "-"

    @admin.display(description=_("filed at (circuit time)"), ordering="filed_at")
    def filed_local(self, obj: Protest) -> str:
        return circuit_time(obj.filed_at, obj.meeting.circuit.timezone)

    @admin.display(description=_("time limit (circuit time)"), ordering="deadline")
    def deadline_local(self, obj: Protest) -> str:
        return circuit_time(obj.deadline, obj.meeting.circuit.timezone)

    @admin.display(description=_("deposit due"), ordering="deposit")
    def deposit_due(self, obj: Protest) -> str:
        return f"{obj.deposit:,.2f} {obj.currency}" if obj.deposit else "-"

    @admin.display(description=_("attachments"))
    def attachments_list(self, obj: Protest) -> str:
        rows = [
            (
                reverse("admin:paddock_protest_attachment", args=[obj.pk, a.pk]),
                a.name,
                a.content_type,
                a.size,
            )
            for a in obj.attachments.all()
        ]
        if not rows:
            return "-"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", '<li><a href="{}">{}</a> ({}, {} B)</li>', rows),
        )

    @admin.display(description=_("summons"))
    def summons_link(self, obj: Protest) -> str:
        return board_document_link(obj.summons)

    @admin.display(description=_("decision"))
    def decision_link(self, obj: Protest) -> str:
        if not obj.decision_id:
            return "-"
        url = reverse("admin:championships_penalty_change", args=[obj.decision_id])
        return format_html('<a href="{}">{}</a>', url, obj.decision.reference)

    @admin.display(description=_("decision document"))
    def outcome_document_link(self, obj: Protest) -> str:
        return board_document_link(obj.outcome_document)

    # The change page and the steps -----------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/hearing/<slug:step>/",
                wrap(self.hearing_view),
                name="paddock_protest_hearing",
            ),
            path(
                "<int:pk>/attachments/<int:attachment_pk>/",
                wrap(self.attachment_view),
                name="paddock_protest_attachment",
            ),
            *super().get_urls(),
        ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .select_related(
                "meeting__circuit",
                "meeting__championship",
                "team",
                "entry__driver",
                "against__driver",
                "summons__meeting__championship",
                "outcome_document__meeting__championship",
                "decision",
            )
        )

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
        }
        protest = self._filing(object_id)
        if protest is not None:
            context["hearing"] = self.hearing_panel(request, protest)
        return super().change_view(request, object_id, form_url, extra_context=context)

    def _filing(self, pk: Any) -> Protest | None:
        if not str(pk).isdecimal():
            return None
        return (
            Protest.objects.select_related(
                "meeting__circuit",
                "meeting__championship",
                "document__decision",
                "notice__document__decision",
                "decision",
            )
            .filter(pk=pk)
            .first()
        )

    def hearing_panel(
        self, request: HttpRequest, protest: Protest, bound: dict | None = None
    ) -> dict:
        may_act = self.has_change_permission(request, protest)
        decision = appealed_decision(protest) if protest.kind == FilingKind.APPEAL else None
        forms_shown = []
        for step in steps_of(protest) if may_act else []:
            title = STEPS[step]["title"]
            if step == "appeal-uphold" and decision is not None:
                title = gettext("Uphold the appeal: withdraw %(decision)s") % {
                    "decision": decision.reference
                }
            forms_shown.append(
                {
                    "step": step,
                    "title": title,
                    "form": (bound or {}).get(step) or make_form(step, protest),
                    "url": reverse("admin:paddock_protest_hearing", args=[protest.pk, step]),
                }
            )
        return {
            "may_act": may_act,
            "forms": forms_shown,
            "appealed_decision": decision,
            "deposit_unpaid": bool(protest.deposit) and protest.deposit_paid_on is None,
        }

    def hearing_view(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        protest = self._filing(pk)
        if protest is None or step not in STEPS:
            raise Http404
        if not self.has_change_permission(request, protest):
            raise PermissionDenied
        change_url = reverse("admin:paddock_protest_change", args=[protest.pk])
        if request.method != "POST":
            return HttpResponseRedirect(change_url)
        form = make_form(step, protest, request.POST)
        if form.is_valid():
            try:
                done = STEPS[step]["do"](protest, form.cleaned_data, request.user)
            except ValidationError as error:
                refusal_to_form(form, error)
            else:
                self.message_user(request, self._done(step, done), messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": protest,
            "title": STEPS[step]["title"],
            "form": form,
            "step": step,
        }
        return TemplateResponse(
            request, "admin/paddock/protest/hearing_form.html", context, status=400
        )

    def _done(self, step: str, protest: Protest) -> str:
        document = protest.summons if step == "summon" else protest.outcome_document
        return STEPS[step]["done"] % {
            "filing": protest.reference,
            "number": document.number if document else "-",
            "decision": protest.decision.reference if protest.decision_id else "-",
        }

    def attachment_view(self, request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
        """An attachment, to staff who may view protests; private, never cached nor sniffed,
        always a download."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        attachment = (
            ProtestAttachment.objects.filter(protest_id=pk, pk=attachment_pk)
            .select_related("protest__meeting")
            .first()
        )
        if attachment is None:
            raise Http404
        return attachment_response(attachment)


# Each championship's time limits and deposits ---------------------------------------------------


@admin.register(HearingRules)
class HearingRulesAdmin(admin.ModelAdmin):
    """A championship's time limits and deposits, set by the series manager before the season
    (a championship without its own rules uses the defaults shown on the add page). A limit
    changed applies to the filings made from then on; a filing keeps the deadline it had."""

    list_display = (
        "championship",
        "protest_minutes",
        "review_minutes",
        "appeal_notice_minutes",
        "appeal_minutes",
        "protest_deposit",
        "review_deposit",
        "appeal_deposit",
        "currency",
    )
    list_select_related = ("championship",)
    search_fields = ("championship__name", "championship__slug")
    fieldsets = (
        (None, {"fields": ("championship",)}),
        (
            _("Time limits"),
            {
                "fields": (
                    "protest_minutes",
                    "review_minutes",
                    "appeal_notice_minutes",
                    "appeal_minutes",
                )
            },
        ),
        (
            _("Deposits"),
            {"fields": ("protest_deposit", "review_deposit", "appeal_deposit", "currency")},
        ),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("championship",) if obj is not None else ()
