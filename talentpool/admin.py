"""The Talent Pool back office: editions, applications, reviews and the selection.

Applications, reviews and documents are shown only to staff with the "Talent Pool reviewer"
permission; documents are streamed by a view here that checks it, never from a public URL.
Every write goes through ``talentpool.services``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.documents import CONTENT_TYPES, sniff
from entries.tyres import TyreRefused
from talentpool.admin_forms import (
    ApplicationStatusForm,
    BulkStatusForm,
    EditionForm,
    PlacementForm,
    PrizeTyresForm,
    ReviewForm,
)
from talentpool.assessment_admin import (
    AssessmentAdminBase,
    AssessmentCarInline,
    assessment_laps_html,
)
from talentpool.models import (
    DOCUMENT_FIELDS,
    REVIEWER_PERMISSION,
    SCORE_FIELDS,
    SHORTLIST_STATUSES,
    Application,
    ApplicationStatus,
    AssessmentSession,
    ErasureRecord,
    PrizeTyreDelivery,
    RacingRecord,
    Review,
    StatusChange,
    TalentPoolEdition,
    Winner,
)
from talentpool.services import (
    SelectionError,
    application_transition,
    applications_erase,
    applications_transition,
    placements_create,
    prize_tyres_deliver,
    prize_tyres_of,
)

PLACEMENT_PERMISSIONS = ("entries.add_driver", "entries.add_entry")


def is_reviewer(request: HttpRequest) -> bool:
    user = request.user
    return user.is_active and user.is_staff and user.has_perm(REVIEWER_PERMISSION)


def score(value: float | None) -> str:
    return "–" if value is None else number_format(value, decimal_pos=1)


def ranking_row(application: Application) -> dict[str, Any]:
    return {
        "application": application,
        "averages": [score(getattr(application, f"avg_{f}")) for f in SCORE_FIELDS],
        "overall": score(application.overall),
    }


class ReviewerOnlyAdmin(admin.ModelAdmin):
    """Seen and changed only by reviewers; nothing is added from the back office."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_reviewer(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_reviewer(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_reviewer(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- Editions --------------------------------------------------------------------------------


@admin.register(TalentPoolEdition)
class TalentPoolEditionAdmin(admin.ModelAdmin):
    form = EditionForm
    list_display = ("name", "year", "championship", "window", "ranking_link")
    list_select_related = ("championship",)
    readonly_fields = ("ranking_link",)

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: TalentPoolEdition | None = None,
    ) -> HttpResponse:
        """Rendered in the edition's time zone: a view-only page shows the window there too,
        beside the words that say so (the form's fields hold it as that zone's wall time)."""
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if obj is None:
            return response
        with timezone.override(obj.zone):
            return response.render()

    @admin.display(description=_("applications"))
    def window(self, obj: TalentPoolEdition) -> str:
        opens, closes = (d.astimezone(obj.zone) for d in (obj.opens_at, obj.closes_at))
        return f"{date_format(opens, 'Y-m-d H:i')} – {date_format(closes, 'Y-m-d H:i')} {obj.zone}"

    @admin.display(description=_("ranking"))
    def ranking_link(self, obj: TalentPoolEdition) -> str:
        if not obj.pk:
            return "–"
        url = reverse("admin:talentpool_talentpooledition_ranking", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Ranked shortlist"))

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.ranking_view)
        route = path("<int:pk>/ranking/", view, name="talentpool_talentpooledition_ranking")
        return [route, *super().get_urls()]

    def ranking_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not is_reviewer(request):
            raise PermissionDenied
        edition = TalentPoolEdition.objects.filter(pk=pk).first()
        if edition is None:
            raise Http404
        ranked = [
            ranking_row(a)
            for a in edition.applications.exclude(status=ApplicationStatus.WITHDRAWN).ranked()
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "edition": edition,
            "title": _("Ranking of %(edition)s") % {"edition": edition},
            "shortlist": [r for r in ranked if r["application"].status in SHORTLIST_STATUSES],
            "others": [r for r in ranked if r["application"].status not in SHORTLIST_STATUSES],
            "score_labels": [Review._meta.get_field(f).verbose_name for f in SCORE_FIELDS],
        }
        return TemplateResponse(request, "admin/talentpool/talentpooledition/ranking.html", context)


# --- Applications ----------------------------------------------------------------------------


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_reviewer(request)


class RacingRecordInline(ReadOnlyInline):
    model = RacingRecord
    fields = ("year", "series", "position", "wins")


class ReviewInline(ReadOnlyInline):
    model = Review
    fields = ("reviewer", *SCORE_FIELDS, "notes")


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fields = ("changed_at", "from_status", "to_status", "changed_by", "note", "email_sent")


APPLICANT_FIELDS = (
    "reference",
    "edition",
    "status",
    "submitted_at",
    "first_name",
    "last_name",
    "date_of_birth",
    "age",
    "nationality",
    "email",
    "phone",
    "language",
)


@admin.register(Application)
class ApplicationAdmin(ReviewerOnlyAdmin):
    form = ApplicationStatusForm
    list_display = (
        "reference",
        "full_name",
        "age",
        "nationality",
        "status",
        "review_count",
        "overall_score",
        "submitted_at",
    )
    list_filter = ("edition", "status", "minor")
    search_fields = ("reference", "first_name", "last_name", "email")
    inlines = (RacingRecordInline, ReviewInline, StatusChangeInline)
    actions = ("change_status", "place_on_grid", "erase")
    fieldsets = (
        (_("Applicant"), {"fields": APPLICANT_FIELDS}),
        (
            _("Licence and motivation"),
            {"fields": ("licence_type", "licence_number", "fia_category", "motivation")},
        ),
        (_("Documents"), {"fields": ("documents", "photo_preview")}),
        (
            _("Guardian"),
            {"fields": ("minor", "guardian_name", "guardian_email", "guardian_consent")},
        ),
        (_("Scores"), {"fields": ("average_scores", "placement_summary")}),
        (_("Assessment"), {"fields": ("assessment_laps",)}),
        (_("Change the status"), {"fields": ("new_status", "note", "notify")}),
    )
    readonly_fields = (
        *APPLICANT_FIELDS,
        "licence_type",
        "licence_number",
        "fia_category",
        "motivation",
        "documents",
        "photo_preview",
        "minor",
        "guardian_name",
        "guardian_email",
        "guardian_consent",
        "average_scores",
        "placement_summary",
        "assessment_laps",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Application]:
        return super().get_queryset(request).select_related("edition").with_scores()

    @admin.display(description=_("assessment laps"))
    def assessment_laps(self, obj: Application) -> str:
        return assessment_laps_html(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_reviewer(request) and request.user.has_perm("talentpool.delete_application")

    def has_place_permission(self, request: HttpRequest) -> bool:
        return is_reviewer(request) and request.user.has_perms(PLACEMENT_PERMISSIONS)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # "erase" deletes the documents too
        return actions

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, obj: Application) -> str:
        return obj.full_name

    @admin.display(description=_("age on the reference date"))
    def age(self, obj: Application) -> int:
        return obj.age

    @admin.display(description=_("reviews"), ordering="review_count")
    def review_count(self, obj: Application) -> int:
        return obj.review_count

    @admin.display(description=_("average score"), ordering="overall")
    def overall_score(self, obj: Application) -> str:
        return score(obj.overall)

    @admin.display(description=_("averages"))
    def average_scores(self, obj: Application) -> str:
        rows = [
            (Review._meta.get_field(f).verbose_name, score(getattr(obj, f"avg_{f}")))
            for f in SCORE_FIELDS
        ]
        rows.append((_("overall"), score(obj.overall)))
        return format_html_join(mark_safe("<br>"), "{}: {}", rows)  # noqa: S308 - a constant

    @admin.display(description=_("entry"))
    def placement_summary(self, obj: Application) -> str:
        placement = getattr(obj, "placement", None)
        if placement is None:
            return "–"
        return _("%(entry)s in %(championship)s, scholarship, entry fee waived") % {
            "entry": placement.entry,
            "championship": placement.entry.championship,
        }

    def document_url(self, obj: Application, field: str) -> str:
        return reverse("admin:talentpool_application_document", args=[obj.pk, field])

    @admin.display(description=_("documents"))
    def documents(self, obj: Application) -> str:
        links = [
            (self.document_url(obj, f), Application._meta.get_field(f).verbose_name)
            for f in DOCUMENT_FIELDS
            if getattr(obj, f).name
        ]
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    @admin.display(description=_("photo"))
    def photo_preview(self, obj: Application) -> str:
        if not obj.photo.name:
            return "–"
        return format_html(
            '<img src="{}" alt="{}" width="160">', self.document_url(obj, "photo"), obj.full_name
        )

    # --- Documents, streamed to reviewers only

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.document_view)
        route = path("<int:pk>/document/<str:field>/", view, name="talentpool_application_document")
        return [route, *super().get_urls()]

    def document_view(self, request: HttpRequest, pk: int, field: str) -> FileResponse:
        if not is_reviewer(request):
            raise PermissionDenied
        application = Application.objects.filter(pk=pk).first()
        if field not in DOCUMENT_FIELDS or application is None or not getattr(application, field):
            raise Http404
        try:
            document = getattr(application, field).open("rb")
        except FileNotFoundError:
            raise Http404 from None
        kind = sniff(document)
        response = FileResponse(
            document,
            content_type=CONTENT_TYPES[kind],
            as_attachment=kind == "pdf",  # images show in the page; PDFs open outside it
            filename=f"{application.reference}-{field}.{document.name.rsplit('.', 1)[-1]}",
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response

    # --- Status changes

    def save_model(self, request: HttpRequest, obj: Application, form: Any, change: bool) -> None:
        new_status = form.cleaned_data.get("new_status")
        if not new_status:
            return
        try:
            application_transition(
                application=obj,
                to_status=new_status,
                by=request.user,
                note=form.cleaned_data["note"],
                notify=form.cleaned_data["notify"],
            )
        except SelectionError as exc:
            self.message_user(request, str(exc), messages.ERROR)

    def _intermediate(
        self, request: HttpRequest, queryset: QuerySet, template: str, **context: Any
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "applications": queryset,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "action": request.POST.get("action"),
            **context,
        }
        return TemplateResponse(request, f"admin/talentpool/application/{template}", context)

    @admin.action(description=_("Change the status of the selected applications"))
    def change_status(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        form = BulkStatusForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._intermediate(
                request, queryset, "action_status.html", form=form, title=_("Change the status")
            )
        try:
            changes = applications_transition(
                applications=queryset, by=request.user, **form.cleaned_data
            )
        except SelectionError as exc:
            for problem in exc.problems:
                self.message_user(request, problem, messages.ERROR)
            return None
        self.message_user(
            request,
            ngettext("%(count)d application moved.", "%(count)d applications moved.", len(changes))
            % {"count": len(changes)},
            messages.SUCCESS,
        )
        return None

    @admin.action(
        description=_("Enter the selected applicants in the championship (scholarship)"),
        permissions=["place"],
    )
    def place_on_grid(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        championships = set(queryset.values_list("edition__championship", flat=True))
        form = PlacementForm(
            request.POST if "apply" in request.POST else None, championship_ids=championships
        )
        if not form.is_valid():
            return self._intermediate(
                request, queryset, "action_place.html", form=form, title=_("Enter the winners")
            )
        try:
            entries = placements_create(applications=queryset, plan=form.plan(), by=request.user)
        except SelectionError as exc:
            for problem in exc.problems:
                self.message_user(request, problem, messages.ERROR)
            return None
        numbers = ", ".join(f"#{e.car_number} {e.driver}" for e in entries)
        self.message_user(
            request, _("Entered: %(entries)s.") % {"entries": numbers}, messages.SUCCESS
        )
        return None

    @admin.action(
        description=_("Erase the selected applications and their documents"),
        permissions=["delete"],
    )
    def erase(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        if "apply" not in request.POST:
            return self._intermediate(
                request, queryset, "action_erase.html", title=_("Erase applications")
            )
        count = applications_erase(applications=queryset, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d application erased.", "%(count)d applications erased.", count)
            % {"count": count},
            messages.SUCCESS,
        )
        return None

    def delete_model(self, request: HttpRequest, obj: Application) -> None:
        applications_erase(applications=[obj], by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        applications_erase(applications=queryset, by=request.user)


# --- Reviews ---------------------------------------------------------------------------------


@admin.register(Review)
class ReviewAdmin(ReviewerOnlyAdmin):
    form = ReviewForm
    list_display = ("application", "reviewer", *SCORE_FIELDS, "average", "updated_at")
    list_filter = ("application__edition",)
    list_select_related = ("application", "reviewer")
    autocomplete_fields = ("application",)
    search_fields = ("application__reference", "application__last_name")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_reviewer(request)

    def has_change_permission(self, request: HttpRequest, obj: Review | None = None) -> bool:
        """Each reviewer changes only their own scores."""
        return is_reviewer(request) and (obj is None or obj.reviewer_id == request.user.pk)

    def has_delete_permission(self, request: HttpRequest, obj: Review | None = None) -> bool:
        return self.has_change_permission(request, obj)

    @admin.display(description=_("average"))
    def average(self, obj: Review) -> str:
        return score(obj.average)

    # The applicant's laps beside the rubric (its "assessment lap times" score).
    readonly_fields = ("assessment_laps",)

    @admin.display(description=_("assessment laps"))
    def assessment_laps(self, obj: Review | None) -> str:
        return assessment_laps_html(obj.application) if obj and obj.application_id else ""

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[ReviewForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"reviewer": request.user})

    def save_model(self, request: HttpRequest, obj: Review, form: Any, change: bool) -> None:
        if not change:
            obj.reviewer = request.user
        super().save_model(request, obj, form, change)


# --- The assessment day ---------------------------------------------------------------------


class ReviewerAssessmentCarInline(AssessmentCarInline):
    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_reviewer(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_reviewer(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_reviewer(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_reviewer(request)


@admin.register(AssessmentSession)
class AssessmentSessionAdmin(ReviewerOnlyAdmin, AssessmentAdminBase):
    """Reviewers keep the assessment's sessions, who drives which car, and upload the laps."""

    inlines = (ReviewerAssessmentCarInline,)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_reviewer(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_reviewer(request)


# --- Winners, for the series manager ---------------------------------------------------------


class PrizeTyreDeliveryInline(admin.TabularInline):
    """The prize tyre sets a winner received: read only (delivered on the Prize tyre sets
    page), seen with ``talentpool.view_prizetyredelivery``."""

    model = PrizeTyreDelivery
    fk_name = "winner"
    extra = 0
    fields = ("tyre_set", "compound", "allocated_round", "delivered_at", "delivered_by")
    readonly_fields = fields
    verbose_name_plural = _("prize tyre sets delivered")

    def get_queryset(self, request: HttpRequest) -> QuerySet[PrizeTyreDelivery]:
        return (
            super()
            .get_queryset(request)
            .select_related("tyre_set__meeting__circuit", "delivered_by")
            .order_by("delivered_at", "pk")
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("compound"))
    def compound(self, obj: PrizeTyreDelivery) -> str:
        return obj.tyre_set.get_compound_display()

    @admin.display(description=_("round"))
    def allocated_round(self, obj: PrizeTyreDelivery) -> str:
        return str(obj.tyre_set.meeting)


@admin.register(Winner)
class WinnerAdmin(admin.ModelAdmin):
    """The selected applicants, entered in the championship by the series manager, who
    may view winners and add drivers and entries. Only what an entry needs is
    shown: no contact details, documents, reviews or scores."""

    list_display = (
        "reference",
        "full_name",
        "nationality",
        "fia_category",
        "edition",
        "entry",
        "prize_tyres",
    )
    list_filter = ("edition",)
    list_select_related = ("edition", "placement__entry__championship")
    search_fields = ("reference", "first_name", "last_name")
    fields = (
        "reference",
        "edition",
        "first_name",
        "last_name",
        "nationality",
        "fia_category",
        "prize_tyres",
    )
    readonly_fields = fields
    inlines = (PrizeTyreDeliveryInline,)
    actions = ("place_on_grid",)
    prize_tyres_template = "admin/talentpool/winner/prize_tyres.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Winner]:
        queryset = super().get_queryset(request).filter(status=ApplicationStatus.SELECTED)
        return queryset.annotate(prize_sets=Count("prize_tyre_deliveries"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_place_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perms(PLACEMENT_PERMISSIONS)

    def has_deliver_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("talentpool.add_prizetyredelivery")

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, obj: Winner) -> str:
        return obj.full_name

    @admin.display(description=_("entry"))
    def entry(self, obj: Winner) -> str:
        placement = getattr(obj, "placement", None)
        return str(placement.entry) if placement else "–"

    @admin.display(description=_("prize tyre sets"))
    def prize_tyres(self, obj: Winner) -> str:
        summary = _("%(delivered)s of %(allowance)s delivered") % {
            "delivered": obj.prize_sets,
            "allowance": obj.edition.prize_tyre_sets,
        }
        url = reverse("admin:talentpool_winner_prize_tyres", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, summary)

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.prize_tyres_view)
        route = path("<int:pk>/prize-tyres/", view, name="talentpool_winner_prize_tyres")
        return [route, *super().get_urls()]

    def prize_tyres_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The winner's prize sets against the edition's allowance, and the form that
        delivers more (``talentpool.add_prizetyredelivery``)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        winner = self.get_queryset(request).select_related("edition", "placement__entry")
        winner = winner.filter(pk=pk).first()
        if winner is None:
            raise Http404
        may_deliver = self.has_deliver_permission(request)
        if request.method == "POST" and not may_deliver:
            raise PermissionDenied
        form = PrizeTyresForm(request.POST or None)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            try:
                delivered = prize_tyres_deliver(
                    winner=winner, barcodes=form.cleaned_data["barcodes"], user=request.user
                )
            except TyreRefused as refusal:
                problems = refusal.messages
            else:
                message = ngettext(
                    "%(count)d prize set delivered to %(name)s.",
                    "%(count)d prize sets delivered to %(name)s.",
                    len(delivered),
                )
                self.message_user(
                    request, message % {"count": len(delivered), "name": winner.full_name}
                )
                return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Prize tyre sets of %(name)s") % {"name": winner.full_name},
            "winner": winner,
            "prize": prize_tyres_of(winner),
            "form": form if may_deliver else None,
            "problems": problems,
        }
        return TemplateResponse(request, self.prize_tyres_template, context)

    _intermediate = ApplicationAdmin._intermediate
    place_on_grid = ApplicationAdmin.place_on_grid


# --- Erasure records -------------------------------------------------------------------------


@admin.register(ErasureRecord)
class ErasureRecordAdmin(admin.ModelAdmin):
    """Who erased which application and when: read by staff with its view permission (the
    Talent Pool reviewers), never added, changed or deleted by anyone, superusers included."""

    list_display = ("reference", "edition_year", "cause", "actor", "erased_at")
    list_filter = ("cause", "edition_year")
    search_fields = ("reference",)
    fields = ("reference", "edition_year", "cause", "erased_by", "command", "erased_at")
    readonly_fields = fields
    list_select_related = ("erased_by",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("by"))
    def actor(self, obj: ErasureRecord) -> str:
        return obj.actor
