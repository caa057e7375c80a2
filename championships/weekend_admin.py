"""Back office of the weekend's practice and qualifying sessions and of the races' grids.

A session's page has its classification upload (the one check-then-apply flow: dry run, then
apply) and its versions; a race's Grid page shows the grid the rules give now (from
qualifying or the previous race, grid penalties applied) beside the grid published, with the
button that publishes it. Views only read forms and call ``championships.weekend``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from championships.admin_mixins import SeasonChoicesMixin, StandingsInvalidatingAdmin
from championships.board import BoardError
from championships.board_admin import document_admin_url
from championships.forms import CircuitStartForm
from championships.models import Race, Session, SessionResult
from championships.weekend import (
    LAPS_MAX_BYTES,
    SESSION_MAX_BYTES,
    GridError,
    SessionConflict,
    SessionDiff,
    grid_plan,
    grid_publish,
    laps_import,
    session_import,
)
from core.check_then_apply import CheckThenApplyMixin
from core.models import CheckedUpload
from core.numbers import timing


class SessionUploadForm(forms.Form):
    classification = forms.FileField(
        label=gettext_lazy("Classification file (.csv)"),
        help_text=gettext_lazy(
            "The season bundle's columns (POS, NO, LAPS, BEST_LAP) or the timing system's "
            "export (POSITION;NUMBER;STATUS;LAPS;FL_TIME); either may add SECOND_BEST, each "
            "car's second-best lap. It is checked first; nothing is written until you apply it."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Why"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Kept with the new version, e.g. 'Qualifying classification'."),
    )

    def clean_classification(self) -> Any:
        upload = self.cleaned_data["classification"]
        if upload.size > SESSION_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(max)s bytes.") % {"max": SESSION_MAX_BYTES}
            )
        return upload


class SessionResultInline(admin.TabularInline):
    """The classification as uploaded: read here, changed only by a new upload."""

    model = SessionResult
    extra = 0
    can_delete = False
    fields = ("position", "status", "entry", "laps", "best_lap_display", "second_best_display")
    readonly_fields = fields
    ordering = ("position", "id")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("entry__driver")

    @admin.display(description=gettext_lazy("best lap"))
    def best_lap_display(self, obj: SessionResult) -> str:
        return timing(obj.best_lap)

    @admin.display(description=gettext_lazy("second-best lap"))
    def second_best_display(self, obj: SessionResult) -> str:
        return timing(obj.second_best_lap)


class SessionStartForm(CircuitStartForm):
    """A session's start typed as the circuit's wall-clock time, as a race's."""

    class Meta:
        model = Session
        fields = ("meeting", "kind", "number", "group", "starts_at")


class SessionInline(admin.TabularInline):
    """A round's practice and qualifying sessions, on the round's page."""

    model = Session
    form = SessionStartForm
    extra = 0
    fields = ("kind", "number", "group", "starts_at")
    show_change_link = True


# Laps ----------------------------------------------------------------------------------------


class LapsUploadForm(forms.Form):
    laps = forms.FileField(
        label=gettext_lazy("Lap file (.csv)"),
        help_text=gettext_lazy(
            "The timing system's lap export: NUMBER;LAP_NUMBER;LAP_TIME and, if given, "
            "CROSSING_FINISH_LINE_IN_PIT. It is checked first; nothing is written until you "
            "apply it, and then it replaces every lap held."
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


class LapsUpload(CheckThenApplyMixin):
    """The lap upload of a race or a session, for the admin of either (``LapsAdminMixin``)."""

    upload_form = LapsUploadForm
    upload_field = "laps"
    upload_expired = gettext_lazy("The checked upload has expired; upload the file again.")
    upload_of_another_forbidden = True

    def __init__(self, model_admin: admin.ModelAdmin) -> None:
        self.model_admin = model_admin
        self.upload_kind = f"laps_{model_admin.opts.model_name}"

    def upload_dry_run(
        self, request: HttpRequest, subject: Any, *, form: forms.Form, content: bytes, name: str
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        diff = laps_import(subject=subject, source=content, dry_run=True, file_name=name)
        return {"diff": diff}, {}

    def upload_apply(
        self, request: HttpRequest, subject: Any, upload: CheckedUpload
    ) -> HttpResponse:
        diff = laps_import(
            subject=subject, source=upload.data, dry_run=False, file_name=upload.file_name
        )
        messages.success(
            request,
            _("Applied: %(laps)s laps of %(cars)s cars.")
            % {"laps": diff.laps, "cars": len(diff.cars)},
        )
        opts = self.model_admin.opts
        name = f"{self.model_admin.admin_site.name}:{opts.app_label}_{opts.model_name}_change"
        return HttpResponseRedirect(reverse(name, args=[subject.pk]))

    def upload_render(self, request: HttpRequest, subject: Any, **context: Any) -> HttpResponse:
        model_admin = self.model_admin
        context = {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "original": subject,
            "title": _("Upload the laps of %(subject)s") % {"subject": subject},
            "held": subject.laps.count(),
            **context,
        }
        return TemplateResponse(request, "admin/championships/laps_upload.html", context)


class LapsAdminMixin:
    """``<id>/import-laps/`` on a race's or a session's admin: the lap export, checked then
    applied."""

    def get_urls(self) -> list[URLPattern]:
        name = f"{self.opts.app_label}_{self.opts.model_name}_import_laps"
        view = self.admin_site.admin_view(self.import_laps_view)
        return [path("<path:object_id>/import-laps/", view, name=name), *super().get_urls()]

    def import_laps_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        subject = self.get_object(request, unquote(object_id))
        if subject is None:
            raise Http404(_("No race or session with this id."))
        if not self.has_change_permission(request, subject):
            raise PermissionDenied
        return LapsUpload(self).upload_view(request, subject)


@admin.register(Session)
class SessionAdmin(
    LapsAdminMixin, CheckThenApplyMixin, SeasonChoicesMixin, StandingsInvalidatingAdmin
):
    # The meeting page shows the sessions and is kept until the tables change.
    championship_path = "meeting__championship"
    list_display = (
        "__str__",
        "championship",
        "kind",
        "local_start",
        "result_count",
        "classification_version",
    )
    list_select_related = ("meeting__circuit", "meeting__championship")
    list_filter = ("meeting__championship", "kind")
    form = SessionStartForm
    fields = ("meeting", "kind", "number", "group", "starts_at", "classification_version")
    readonly_fields = ("classification_version",)
    inlines = (SessionResultInline,)
    change_form_template = "admin/championships/session/change_form.html"

    upload_kind = "session_classification"
    upload_form = SessionUploadForm
    upload_field = "classification"
    upload_expired = gettext_lazy("The checked upload has expired; upload the file again.")
    upload_of_another_forbidden = True

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(result_count=Count("results"))

    def get_readonly_fields(self, request: HttpRequest, obj: Session | None = None) -> Any:
        """A session with a classification or laps stays where it is: its results, laps and
        board documents are of that round, kind and number."""
        fixed = ("meeting", "kind", "number", "group")
        if obj is not None and (obj.classification_version or obj.laps.exists()):
            return (*fixed, *self.readonly_fields)
        return self.readonly_fields

    @admin.display(description=gettext_lazy("championship"), ordering="meeting__championship")
    def championship(self, obj: Session) -> Any:
        return obj.meeting.championship

    @admin.display(description=gettext_lazy("local start"), ordering="starts_at")
    def local_start(self, obj: Session) -> str:
        start = formats.date_format(obj.local_start, "Y-m-d H:i")
        return f"{start} ({obj.meeting.circuit.timezone})"

    @admin.display(description=gettext_lazy("results"), ordering="result_count")
    def result_count(self, obj: Session) -> int:
        return obj.result_count

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/import-classification/",
                wrap(self.import_classification_view),
                name=f"{name}_import_classification",
            ),
            path("<path:object_id>/versions/", wrap(self.versions_view), name=f"{name}_versions"),
            *super().get_urls(),
        ]

    def _session(self, request: HttpRequest, object_id: str) -> Session:
        session = self.get_object(request, unquote(object_id))
        if session is None:
            raise Http404(_("No session with this id."))
        return session

    def import_classification_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        session = self._session(request, object_id)
        if not self.has_change_permission(request, session):
            raise PermissionDenied
        return self.upload_view(request, session)

    def upload_dry_run(
        self, request: HttpRequest, session: Session, *, form: forms.Form, content: bytes, name: str
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        diff = session_import(session=session, source=content, dry_run=True, file_name=name)
        options = {"reason": form.cleaned_data["reason"], "version": diff.base_version}
        return {"diff": diff}, options

    def upload_apply(
        self, request: HttpRequest, session: Session, upload: CheckedUpload
    ) -> HttpResponse:
        try:
            diff = session_import(
                session=session,
                source=upload.data,
                dry_run=False,
                user=request.user,
                reason=upload.options["reason"],
                expected_version=upload.options["version"],
                file_name=upload.file_name,
            )
        except SessionConflict as conflict:
            messages.error(request, " ".join(conflict.messages))
            return HttpResponseRedirect(request.path)
        messages.success(
            request,
            _("Applied: %(diff)s. The classification is now version %(version)s.")
            % {"diff": session_diff_summary(diff), "version": diff.version},
        )
        return HttpResponseRedirect(self._url("versions", session))

    def upload_render(self, request: HttpRequest, session: Session, **context: Any) -> HttpResponse:
        title = _("Upload the classification of %(session)s") % {"session": session}
        return self._render(request, session, "import_classification", title, **context)

    def versions_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        session = self._session(request, object_id)
        if not self.has_view_permission(request, session):
            raise PermissionDenied
        versions = session.versions.select_related("created_by").order_by("-number")
        documents = {
            document.content.get("version"): document for document in session.board_documents.all()
        }
        pages = [
            {"version": v, "document": documents.get(v.number), "url": _doc_url(documents, v)}
            for v in versions
        ]
        title = _("Classification versions of %(session)s") % {"session": session}
        return self._render(request, session, "versions", title, versions=pages)

    def _url(self, view: str, session: Session) -> str:
        name = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{view}"
        return reverse(name, args=[session.pk])

    def _render(
        self, request: HttpRequest, session: Session, page: str, title: str, **context: Any
    ) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": session,
            "title": title,
            "max_bytes": SESSION_MAX_BYTES,
            "has_change_permission": self.has_change_permission(request, session),
            **context,
        }
        return TemplateResponse(request, f"admin/championships/session/{page}.html", context)


def _doc_url(documents: dict[Any, Any], version: Any) -> str | None:
    document = documents.get(version.number)
    return document_admin_url(document) if document else None


def session_diff_summary(diff: SessionDiff) -> str:
    return _(
        "%(added)s added, %(changed)s changed, %(removed)s removed, %(unchanged)s unchanged"
    ) % {
        "added": diff.added,
        "changed": diff.changed,
        "removed": diff.removed,
        "unchanged": diff.unchanged,
    }


# A race's grid ------------------------------------------------------------------------------


class RaceGridAdminMixin:
    """A race's Grid page: the grid the rules give now, the grid published, and publishing."""

    def get_urls(self) -> list[URLPattern]:
        name = f"{self.opts.app_label}_{self.opts.model_name}_grid"
        view = self.admin_site.admin_view(self.grid_view)
        return [path("<path:object_id>/grid/", view, name=name), *super().get_urls()]

    def may_publish_grid(self, request: HttpRequest, race: Race) -> bool:
        return self.has_change_permission(request, race) and request.user.has_perm(
            "championships.add_boarddocument"
        )

    def grid_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        race = self.get_object(request, unquote(object_id))
        if race is None:
            raise Http404(_("No race with this id."))
        if not self.has_view_permission(request, race):
            raise PermissionDenied
        if request.method == "POST":
            if not self.may_publish_grid(request, race):
                raise PermissionDenied
            return self._publish_grid(request, race)
        try:
            plan, problem = grid_plan(race), None
        except GridError as error:
            plan, problem = None, " ".join(error.messages)
        cars = {
            entry.pk: entry
            for entry in race.meeting.championship.entries.select_related("driver", "team")
        }
        planned = [
            {"slot": slot, "entry": cars.get(slot.entry_id), "time": timing(slot.time)}
            for slot in (plan.slots if plan else ())
        ]
        published = race.grid_slots.select_related("entry__driver", "entry__team").order_by(
            "position"
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": race,
            "title": _("Starting grid of %(race)s") % {"race": race},
            "plan": plan,
            "planned": planned,
            "problem": problem,
            "published": [{"slot": s, "time": timing(s.time)} for s in published],
            "may_publish": self.may_publish_grid(request, race),
        }
        return TemplateResponse(request, "admin/championships/race/grid.html", context)

    def _publish_grid(self, request: HttpRequest, race: Race) -> HttpResponse:
        try:
            document = grid_publish(race=race, user=request.user)
        except (GridError, BoardError) as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The grid of %(race)s is published: document %(number)s on the notice board.")
                % {"race": race, "number": document.number},
            )
        return HttpResponseRedirect(request.path)
