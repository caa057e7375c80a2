"""Race control in the back office: a race's classification upload (dry run, then apply), its
versions compared one with the next, its declared state, and stewards' decisions withdrawn
on appeal.

Views here only read forms and call ``results_import`` and the services; every rule lives
there. An edit of a race (or of one result) carries the classification version the editor
opened; a save after someone else changed the classification is refused, naming them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from championships.board_admin import LANGUAGE_NAMES, document_admin_url, pdf_url
from championships.models import ClassificationState, ClassificationVersion, Penalty, Race
from championships.results_import import (
    RESULTS_MAX_BYTES,
    ResultsDiff,
    result_field_label,
    results_import,
)
from championships.services import (
    PenaltyConflict,
    PenaltyError,
    classification_declare,
    classification_lock,
    penalty_change,
    penalty_lock,
    penalty_withdraw,
)
from championships.sheets import change_text, snapshot_lines
from championships.versions import ClassificationConflict, version_diff
from core.check_then_apply import CheckThenApplyMixin
from core.flags import meeting_flags
from core.models import CheckedUpload

STALE_FORM = gettext_lazy(
    "This form does not say which version you opened; reload the page and make your change again."
)


# Forms ----------------------------------------------------------------------------------------


class ClassificationUploadForm(forms.Form):
    classification = forms.FileField(
        label=gettext_lazy("Classification file (.csv)"),
        help_text=gettext_lazy(
            "The season bundle's results CSV (POS, NO, LAPS, TIME, BEST_LAP, GRID) or the "
            "timing system's export (POSITION;NUMBER;STATUS;LAPS;TOTAL_TIME;…;FL_TIME). It is "
            "checked first; nothing is written until you apply it."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Why"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Kept with the new version, e.g. 'Provisional classification'."),
    )

    def clean_classification(self) -> Any:
        upload = self.cleaned_data["classification"]
        if upload.size > RESULTS_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(max)s bytes.") % {"max": RESULTS_MAX_BYTES}
            )
        return upload


class DeclareForm(forms.Form):
    state = forms.ChoiceField(label=gettext_lazy("State"), choices=ClassificationState.choices)
    reason = forms.CharField(label=gettext_lazy("Why"), max_length=300, required=False)
    seen_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the withdrawal"),
        max_length=300,
        help_text=gettext_lazy("e.g. the court of appeal's ruling and its reference."),
    )


class RaceVersionFormMixin(forms.ModelForm):
    """Carries the classification version the editor opened; refuses the save if it moved.

    The check locks the race for the rest of the admin's transaction, so a save racing this
    one waits and then sees the new version.
    """

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def race_of_instance(self) -> Race | None:
        return self.instance if self.instance.pk else None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        race = self.race_of_instance()
        self.fields["seen_version"].initial = race.classification_version if race else None
        # Not optional when editing: a post without it would skip the check.
        self.fields["seen_version"].required = race is not None
        self.fields["seen_version"].error_messages["required"] = STALE_FORM

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        race, seen = self.race_of_instance(), cleaned.get("seen_version")
        if race is not None and seen is not None:
            try:
                classification_lock(race_id=race.pk, expected_version=seen)
            except ClassificationConflict as conflict:
                raise forms.ValidationError(str(conflict), code="conflict") from None
        return cleaned


class ResultVersionForm(RaceVersionFormMixin):
    def race_of_instance(self) -> Race | None:
        return self.instance.race if self.instance.pk else None


class PenaltyVersionForm(forms.ModelForm):
    """Carries the change of the decision its editor opened, as results carry the race's
    version: a save after someone else changed the decision is refused, naming them."""

    seen_change = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["seen_change"]
        if self.instance.pk:
            field.initial = penalty_change(penalty_id=self.instance.pk)
            field.required = True
            field.error_messages["required"] = STALE_FORM

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        seen = cleaned.get("seen_change")
        if self.instance.pk and seen is not None:
            try:  # locks the decision for the rest of the admin's transaction
                penalty_lock(penalty_id=self.instance.pk, expected_change=seen)
            except PenaltyConflict as conflict:
                raise forms.ValidationError(conflict.messages, code="conflict") from None
        return cleaned


# The race's views -----------------------------------------------------------------------------


class RaceControlAdminMixin(CheckThenApplyMixin):
    """The classification upload, the versions and the declared state of a race."""

    change_form_template = "admin/championships/race/change_form.html"
    upload_kind = "race_classification"
    upload_form = ClassificationUploadForm
    upload_field = "classification"
    upload_expired = gettext_lazy("The checked upload has expired; upload the file again.")
    upload_of_another_forbidden = True

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

    def race_or_404(self, request: HttpRequest, object_id: str) -> Race:
        race = self.get_object(request, unquote(object_id))
        if race is None:
            raise Http404(_("No race with this id."))
        return race

    def import_classification_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        race = self.race_or_404(request, object_id)
        if not self.has_change_permission(request, race):
            raise PermissionDenied
        return self.upload_view(request, race)

    def upload_dry_run(
        self, request: HttpRequest, race: Race, *, form: forms.Form, content: bytes, name: str
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        diff = results_import(race=race, source=content, dry_run=True, file_name=name)
        options = {"reason": form.cleaned_data["reason"], "version": diff.base_version}
        return {"diff": diff}, options

    def upload_apply(self, request: HttpRequest, race: Race, upload: CheckedUpload) -> HttpResponse:
        try:
            diff = results_import(
                race=race,
                source=upload.data,
                dry_run=False,
                user=request.user,
                reason=upload.options["reason"],
                expected_version=upload.options["version"],
                file_name=upload.file_name,
            )
        except ClassificationConflict as conflict:
            messages.error(request, str(conflict))
            return HttpResponseRedirect(request.path)
        messages.success(
            request,
            _("Applied: %(diff)s. The classification is now version %(version)s.")
            % {"diff": diff_summary(diff), "version": diff.version},
        )
        return HttpResponseRedirect(self._url("versions", race))

    def upload_render(self, request: HttpRequest, race: Race, **context: Any) -> HttpResponse:
        return self._render(request, race, "import_classification", **context)

    def versions_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        race = self.race_or_404(request, object_id)
        if not self.has_view_permission(request, race):
            raise PermissionDenied
        form = DeclareForm(
            request.POST or None,
            initial={
                "state": race.classification_state,
                "seen_version": race.classification_version,
            },
        )
        if request.method == "POST":
            if not self.has_change_permission(request, race):
                raise PermissionDenied
            if form.is_valid():
                return self._declare(request, race, form)
        return self._render(
            request,
            race,
            "versions",
            form=form,
            versions=version_pages(race),
            archives=archived_version_pages(race),
        )

    def _declare(self, request: HttpRequest, race: Race, form: DeclareForm) -> HttpResponse:
        try:
            version = classification_declare(
                race=race,
                state=form.cleaned_data["state"],
                user=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["seen_version"],
            )
        except ClassificationConflict as conflict:
            messages.error(request, str(conflict))
        else:
            messages.success(
                request,
                _("%(race)s is now %(state)s (version %(number)s).")
                % {"race": race, "state": version.get_state_display(), "number": version.number},
            )
        return HttpResponseRedirect(request.path)

    def _url(self, view: str, race: Race) -> str:
        name = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{view}"
        return reverse(name, args=[race.pk])

    def _render(self, request: HttpRequest, race: Race, page: str, **context: Any) -> HttpResponse:
        titles = {
            "import_classification": _("Upload the classification of %(race)s"),
            "versions": _("Classification versions of %(race)s"),
        }
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": race,
            "title": titles[page] % {"race": race},
            "max_bytes": RESULTS_MAX_BYTES,
            # Read-only staff see the versions without the upload link or the declare form.
            "has_change_permission": self.has_change_permission(request, race),
            "flagged_entries": flagged_entries(race.meeting),
            **context,
        }
        return TemplateResponse(request, f"admin/championships/race/{page}.html", context)


def flagged_entries(meeting: Any) -> list[tuple[Any, list[str]]]:
    """The meeting's entries flagged by another app (the entrants' documents and
    administrative checks, through ``core.flags``), by car number, each with its flags."""
    flags = meeting_flags(meeting)
    if not flags:
        return []
    entries = meeting.championship.entries.filter(pk__in=flags).select_related("driver")
    return [(entry, flags[entry.pk]) for entry in entries.order_by("car_number")]


# The notice board document that published a version, with what its links read.
BOARD_DOCUMENT = ("board_document__meeting__championship",)


def board_links(version: ClassificationVersion) -> dict[str, Any] | None:
    """The board document that published ``version`` (None for a version never posted,
    such as the baseline of results held before versions were kept), its admin page and PDFs."""
    document = getattr(version, "board_document", None)
    if document is None:
        return None
    return {
        "document": document,
        "url": document_admin_url(document),
        "pdfs": [
            (LANGUAGE_NAMES.get(edition.language, edition.language), pdf_url(edition))
            for edition in document.editions.all()
        ],
    }


def version_pages(race: Race) -> list[dict[str, Any]]:
    """Every version of the race, newest first, each with its lines and what it changed."""
    names = {
        entry.pk: str(entry.driver)
        for entry in race.meeting.championship.entries.select_related("driver")
    }
    versions = (
        ClassificationVersion.objects.filter(race=race)
        .select_related("created_by", "decision", *BOARD_DOCUMENT)
        .prefetch_related("board_document__editions")
        .order_by("number")
    )
    return _pages(list(versions), names)


def archived_version_pages(race: Race) -> list[dict[str, Any]]:
    """The versions of the race in the same place (championship, round, number) of a season
    since replaced, per replacement, newest first; drivers named as they were then."""
    archived = (
        ClassificationVersion.objects.filter(
            race=None,
            archived_championship=race.meeting.championship.slug,
            archived_round=race.meeting.round,
            archived_race_number=race.number,
        )
        .select_related("created_by", *BOARD_DOCUMENT)
        .prefetch_related("board_document__editions")
    )
    by_archive: dict[Any, list[ClassificationVersion]] = {}
    for version in archived.order_by("-archived_at", "number"):
        by_archive.setdefault(version.archived_at, []).append(version)
    return [
        {
            "archived_at": when,
            "anchor": f"archive-{index}-version",
            "versions": _pages(versions, _archived_names(versions[0])),
        }
        for index, (when, versions) in enumerate(by_archive.items(), start=1)
    ]


def diff_summary(diff: ResultsDiff) -> str:
    """What an import changed, in the staff member's language (``str(diff)`` is the log's)."""
    return _(
        "%(added)s added, %(changed)s changed, %(removed)s removed, %(unchanged)s unchanged"
    ) % {
        "added": len(diff.added),
        "changed": len(diff.changed),
        "removed": len(diff.removed),
        "unchanged": diff.unchanged,
    }


def _archived_names(version: ClassificationVersion) -> dict[int, str]:
    return {int(pk): name for pk, name in version.archived_names.items()}


def _pages(versions: list[ClassificationVersion], names: dict[int, str]) -> list[dict[str, Any]]:
    pages, before = [], None
    for version in versions:
        diff = version_diff(before, version.snapshot)
        changes = [
            (
                c.car,
                result_field_label(c.field),
                change_text(c.field, c.before),
                change_text(c.field, c.after),
            )
            for c in diff.changed
        ]
        pages.append(
            {
                "version": version,
                "lines": snapshot_lines(version.snapshot, names),
                "diff": diff,
                "changes": changes,
                "board": board_links(version),
            }
        )
        before = version.snapshot
    return pages[::-1]


# Stewards' decisions --------------------------------------------------------------------------


class PenaltyAdminMixin:
    """Withdrawing a decision on appeal: a form with the reason, then ``penalty_withdraw``."""

    change_form_template = "admin/championships/penalty/change_form.html"

    def get_urls(self) -> list[URLPattern]:
        name = f"{self.opts.app_label}_{self.opts.model_name}_withdraw"
        view = self.admin_site.admin_view(self.withdraw_view)
        return [path("<path:object_id>/withdraw/", view, name=name), *super().get_urls()]

    def withdraw_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        penalty = self.get_object(request, unquote(object_id))
        if penalty is None:
            raise Http404(_("No decision with this id."))
        if not self.has_change_permission(request, penalty):
            raise PermissionDenied
        form = WithdrawForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            return self._withdraw(request, penalty, form)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": penalty,
            "title": _("Withdraw %(decision)s on appeal") % {"decision": penalty.reference},
            "form": form,
        }
        return TemplateResponse(request, "admin/championships/penalty/withdraw.html", context)

    def _withdraw(self, request: HttpRequest, penalty: Penalty, form: WithdrawForm) -> HttpResponse:
        try:
            penalty_withdraw(penalty=penalty, reason=form.cleaned_data["reason"], user=request.user)
        except PenaltyError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(decision)s is withdrawn; the classification and the tables follow.")
                % {"decision": penalty.reference},
            )
        name = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change"
        return HttpResponseRedirect(reverse(name, args=[penalty.pk]))
