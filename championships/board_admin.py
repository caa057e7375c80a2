"""Back office of the meetings' notice boards: the documents published, read only (a published
document never changes: a correction is a new document that supersedes it), the publication
of an uploaded PDF, and a meeting's board with the buttons that publish the documents
CupManager draws itself (the entry list, each race's grid, the standings after the round).

Every publication goes through ``championships.board.board_publish`` (an upload) or the
``championships.board_documents`` functions that call it; nothing here writes a row.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from championships import board_documents
from championships.admin_mixins import entry_label
from championships.board import LANGUAGE_CODES, BoardError, board_publish
from championships.models import (
    BoardDocument,
    BoardEdition,
    BoardKind,
    Issuer,
    Meeting,
    Race,
)
from championships.weekend import grid_post
from core.documents import validate_board_pdf
from core.times import circuit_clock, zone_name
from entries.models import Entry

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def local_time(document: BoardDocument) -> str:
    """The publication time at the circuit to the second, its zone named: "2026-03-14
    16:05:09 (Asia/Shanghai, UTC+08:00)"."""
    zone = document.meeting.circuit.timezone
    moment = document.published_at
    return f"{circuit_clock(moment, zone, seconds=True)} ({zone_name(moment, zone)})"


def meeting_label(meeting: Meeting) -> str:
    return f"{meeting.championship} · {meeting}"


def pdf_url(edition: BoardEdition) -> str:
    """The public address of an edition's PDF."""
    return edition.get_absolute_url()


def document_admin_url(document: BoardDocument) -> str:
    return reverse("admin:championships_boarddocument_change", args=[document.pk])


def board_url(meeting_id: int) -> str:
    return reverse("admin:championships_boarddocument_meeting", args=[meeting_id])


def missing_languages(document: BoardDocument) -> list[str]:
    """The languages a generated document's PDF is still to be drawn in (editions prefetched)."""
    if not document.is_generated:
        return []
    have = {edition.language for edition in document.editions.all()}
    return [code for code in LANGUAGE_CODES if code not in have]


# The publication form ---------------------------------------------------------------------


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        return meeting_label(obj)


class DocumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: BoardDocument) -> str:
        return f"{meeting_label(obj.meeting)} · {obj}"


class EntriesChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Entry) -> str:
        return entry_label(obj)


class ConcernsAutocomplete(AutocompleteSelectMultiple):
    """The entries' search of the results' form (its view checks the permission to read
    entries), limited to the round's championship once it is known."""

    championship_id: int | None = None

    def get_url(self) -> str:
        url = reverse(f"{self.admin_site.name}:championships_result_entry_autocomplete")
        return f"{url}?championship={self.championship_id}" if self.championship_id else url


class PublishForm(forms.Form):
    meeting = MeetingChoiceField(
        label=gettext_lazy("Round"),
        queryset=Meeting.objects.with_circuit().order_by("-start_date", "championship__name"),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=BoardKind.choices)
    title_en = forms.CharField(label=gettext_lazy("Title in English"), max_length=200)
    title_zh_hans = forms.CharField(
        label=gettext_lazy("Title in Chinese"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Empty: the Chinese board shows the English title."),
    )
    issued_by = forms.ChoiceField(
        label=gettext_lazy("From"), choices=Issuer.choices, initial=Issuer.RACE_DIRECTOR
    )
    pdf = forms.FileField(
        label=gettext_lazy("PDF"),
        validators=[validate_board_pdf],
        help_text=gettext_lazy("The document as published: a PDF of at most 20 MB."),
    )
    pdf_language = forms.ChoiceField(
        label=gettext_lazy("Language of the PDF"), choices=settings.LANGUAGES, initial="en"
    )
    supersedes = DocumentChoiceField(
        label=gettext_lazy("Supersedes"),
        queryset=BoardDocument.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "The document of this round that this one corrects; it stays on the board, marked."
        ),
    )
    concerns = EntriesChoiceField(
        label=gettext_lazy("Cars concerned"),
        queryset=Entry.objects.select_related("driver", "championship"),
        required=False,
        help_text=gettext_lazy("Empty: the document concerns every competitor of the round."),
    )

    def __init__(self, *args: Any, admin_site: admin.AdminSite, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widget = ConcernsAutocomplete(BoardDocument._meta.get_field("concerns"), admin_site)
        widget.choices = self.fields["concerns"].choices
        self.fields["concerns"].widget = widget
        meeting = self.chosen_meeting()
        current = (
            BoardDocument.objects.current()
            .select_related("meeting__circuit", "meeting__championship")
            .order_by("meeting", "number")
        )
        if meeting is not None:
            current = current.filter(meeting=meeting)
            widget.championship_id = meeting.championship_id
        self.fields["supersedes"].queryset = current

    def chosen_meeting(self) -> Meeting | None:
        """The round given (posted, else the page's initial one), to limit the choices."""
        value = self.data.get("meeting") if self.is_bound else self.initial.get("meeting")
        value = getattr(value, "pk", value)
        if not str(value or "").isdecimal():
            return None
        return Meeting.objects.filter(pk=int(value)).first()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        meeting = cleaned.get("meeting")
        if meeting is None:
            return cleaned
        old = cleaned.get("supersedes")
        if old is not None and old.meeting_id != meeting.pk:
            self.add_error("supersedes", _("Choose a document of the same round's board."))
        others = [
            entry
            for entry in cleaned.get("concerns") or ()
            if entry.championship_id != meeting.championship_id
        ]
        if others:
            self.add_error(
                "concerns",
                _("Car #%(number)s is not entered in this round's championship.")
                % {"number": others[0].car_number},
            )
        return cleaned


# The admin --------------------------------------------------------------------------------


class RoundFilter(admin.SimpleListFilter):
    """The rounds, named with their championship (the chosen championship's only)."""

    title = gettext_lazy("round")
    parameter_name = "meeting"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        meetings = Meeting.objects.with_circuit().order_by("championship__name", "round")
        championship = request.GET.get("meeting__championship__id__exact", "")
        if championship.isdecimal():
            meetings = meetings.filter(championship_id=int(championship))
        return [(str(meeting.pk), meeting_label(meeting)) for meeting in meetings]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value and value.isdecimal():
            return queryset.filter(meeting_id=int(value))
        return queryset


@admin.register(BoardDocument)
class BoardDocumentAdmin(admin.ModelAdmin):
    """Published documents, read only. "Add" is the publication of an uploaded PDF."""

    list_display = (
        "number",
        "kind",
        "title",
        "round",
        "published_at_local",
        "published_by",
        "superseded",
        "editions_display",
    )
    list_display_links = ("number", "title")
    list_filter = ("meeting__championship", RoundFilter, "kind")
    search_fields = ("title_en", "title_zh_hans")
    ordering = ("-published_at", "-number")
    fields = (
        "number",
        "kind",
        "title_en",
        "title_zh_hans",
        "round",
        "race",
        "issued_by",
        "published_at_local",
        "published_by",
        "supersedes_link",
        "superseded_by_link",
        "editions_detail",
        "concerns_display",
        "classification_version",
        "decision",
        "template",
        "content_summary",
    )
    readonly_fields = fields
    change_list_template = "admin/championships/board_change_list.html"
    change_form_template = "admin/championships/board_change_form.html"
    add_template = "admin/championships/board_publish.html"
    meeting_template = "admin/championships/board_meeting.html"

    # Written once: no one changes or deletes a published document.
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .select_related(
                "meeting__circuit",
                "meeting__championship",
                "published_by",
                "supersedes",
                "superseded_by",
                "race",
            )
            .prefetch_related("editions")
        )

    def get_urls(self) -> list[URLPattern]:
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("meeting/<int:meeting_id>/", wrap(self.meeting_view), name=f"{info}_meeting"),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> Any:
        meeting = request.GET.get(RoundFilter.parameter_name, "")
        extra_context = {
            **(extra_context or {}),
            "board_meeting_id": int(meeting) if meeting.isdecimal() else None,
        }
        return super().changelist_view(request, extra_context)

    # Columns and read-only fields.

    @admin.display(description=gettext_lazy("round"), ordering="meeting")
    def round(self, obj: BoardDocument) -> str:
        return meeting_label(obj.meeting)

    @admin.display(description=gettext_lazy("published at"), ordering="published_at")
    def published_at_local(self, obj: BoardDocument) -> str:
        return local_time(obj)

    @admin.display(description=gettext_lazy("superseded"), boolean=True)
    def superseded(self, obj: BoardDocument) -> bool:
        return hasattr(obj, "superseded_by")

    @admin.display(description=gettext_lazy("editions"))
    def editions_display(self, obj: BoardDocument) -> str:
        have = [edition.language for edition in obj.editions.all()]
        missing = missing_languages(obj)
        parts = [LANGUAGE_NAMES.get(code, code) for code in have]
        if missing:
            parts.append(_("pending"))
        return ", ".join(parts) or _("pending")

    @admin.display(description=gettext_lazy("supersedes"))
    def supersedes_link(self, obj: BoardDocument) -> str | None:
        old = obj.supersedes
        return format_html('<a href="{}">{}</a>', document_admin_url(old), old) if old else None

    @admin.display(description=gettext_lazy("superseded by"))
    def superseded_by_link(self, obj: BoardDocument) -> str | None:
        new = getattr(obj, "superseded_by", None)
        return format_html('<a href="{}">{}</a>', document_admin_url(new), new) if new else None

    @admin.display(description=gettext_lazy("editions"))
    def editions_detail(self, obj: BoardDocument) -> str:
        rows = format_html_join(
            "",
            '<li>{} · <a href="{}">{}</a> · {} · SHA-256 <code>{}</code></li>',
            (
                (
                    LANGUAGE_NAMES.get(edition.language, edition.language),
                    pdf_url(edition),
                    _("Download the PDF"),
                    _("%(size)s bytes") % {"size": edition.size},
                    edition.sha256,
                )
                for edition in obj.editions.all()
            ),
        )
        pending = format_html_join(
            "",
            "<li>{}</li>",
            (
                (_("%(language)s: pending") % {"language": LANGUAGE_NAMES.get(code, code)},)
                for code in missing_languages(obj)
            ),
        )
        return format_html('<ul class="board-editions">{}{}</ul>', rows, pending)

    @admin.display(description=gettext_lazy("cars concerned"))
    def concerns_display(self, obj: BoardDocument) -> str:
        entries = obj.concerns.select_related("driver").order_by("car_number")
        return ", ".join(str(entry) for entry in entries) or _("Every competitor of the round")

    @admin.display(description=gettext_lazy("content"))
    def content_summary(self, obj: BoardDocument) -> str | None:
        """What a generated document shows, frozen at publication: each part named with its
        size, and the whole as written."""
        if not obj.content:
            return None
        parts = format_html_join(
            "",
            "<li><code>{}</code>: {}</li>",
            ((key, _summary(value)) for key, value in obj.content.items()),
        )
        whole = json.dumps(obj.content, ensure_ascii=False, indent=2, sort_keys=True)
        return format_html(
            '<ul class="board-content">{}</ul>'
            "<details><summary>{}</summary><pre>{}</pre></details>",
            parts,
            _("The frozen content as written"),
            whole,
        )

    # Publishing an upload.

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        meeting = request.GET.get("meeting", "")
        initial = {"meeting": int(meeting)} if meeting.isdecimal() else {}
        if request.method == "POST":
            form = PublishForm(request.POST, request.FILES, admin_site=self.admin_site)
            if form.is_valid():
                document = self._publish_upload(request, form)
                if document is not None:
                    return HttpResponseRedirect(board_url(document.meeting_id))
        else:
            form = PublishForm(initial=initial, admin_site=self.admin_site)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Publish a document"),
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, self.add_template, context)

    def _publish_upload(self, request: HttpRequest, form: PublishForm) -> BoardDocument | None:
        data = form.cleaned_data
        upload = data["pdf"]
        upload.seek(0)
        try:
            document = board_publish(
                meeting=data["meeting"],
                kind=data["kind"],
                title_en=data["title_en"],
                title_zh_hans=data["title_zh_hans"],
                issued_by=data["issued_by"],
                user=request.user,
                supersedes=data["supersedes"],
                concerns=data["concerns"],
                pdf=upload.read(),
                pdf_language=data["pdf_language"],
            )
        except BoardError as error:
            form.add_error(None, error)
            return None
        self._published(request, document)
        return document

    def _published(self, request: HttpRequest, document: BoardDocument) -> None:
        messages.success(
            request,
            _("Published on the board of %(meeting)s as document %(number)s.")
            % {"meeting": meeting_label(document.meeting), "number": document.number},
        )

    # A meeting's board.

    def meeting_view(self, request: HttpRequest, meeting_id: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        meeting = get_object_or_404(Meeting.objects.with_circuit(), pk=meeting_id)
        if request.method == "POST":
            if not self.has_add_permission(request):
                raise PermissionDenied
            return self._publish_generated(request, meeting)
        documents = BoardDocument.objects.filter(meeting=meeting).on_board()
        documents = documents.select_related("meeting__championship").prefetch_related("editions")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Notice board: %(meeting)s") % {"meeting": meeting_label(meeting)},
            "meeting": meeting,
            "rows": [
                {
                    "document": document,
                    "published_at": local_time(document),
                    "editions": [
                        {"url": pdf_url(edition), "name": LANGUAGE_NAMES.get(edition.language)}
                        for edition in document.editions.all()
                    ],
                    "pending": [LANGUAGE_NAMES.get(c, c) for c in missing_languages(document)],
                }
                for document in documents
            ],
            "races": list(meeting.races.order_by("number")),
            "can_publish": self.has_add_permission(request),
        }
        return TemplateResponse(request, self.meeting_template, context)

    def _publish_generated(self, request: HttpRequest, meeting: Meeting) -> HttpResponse:
        """The entry list, a race's grid or the standings after the round, drawn by CupManager."""
        wanted = request.POST.get("document", "")
        user = request.user
        try:
            if wanted == "entry-list":
                document = board_documents.board_publish_entry_list(meeting=meeting, user=user)
            elif wanted == "standings":
                document = board_documents.board_publish_standings(meeting=meeting, user=user)
            elif wanted == "grid":
                race_id = request.POST.get("race", "")
                race = (
                    Race.objects.filter(meeting=meeting, pk=int(race_id)).first()
                    if race_id.isdecimal()
                    else None
                )
                if race is None:
                    raise Http404(_("No race of this round with this id."))
                document = grid_post(race=race, user=user)
            else:
                messages.error(request, _("Choose a document to publish."))
                return HttpResponseRedirect(request.path)
        except BoardError as error:
            for message in error.messages:
                messages.error(request, message)
            return HttpResponseRedirect(request.path)
        self._published(request, document)
        return HttpResponseRedirect(request.path)


def _summary(value: Any) -> str:
    if isinstance(value, list):
        return ngettext("%(count)s item", "%(count)s items", len(value)) % {"count": len(value)}
    if isinstance(value, dict):
        return ngettext("%(count)s field", "%(count)s fields", len(value)) % {"count": len(value)}
    text = str(value)
    return text if len(text) <= 80 else f"{text[:79]}…"
