"""A round's official notice board as the public reads it: the page, its Atom feed and the
PDF editions, gathered in a fixed number of queries however many documents it holds.

Times are shown in the circuit's zone (``meeting.circuit.timezone``), named. The
person who published a document is shown by their name only, never by the username that
signs in to the back office: without a name, the issuer alone says who it is from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from championships.models import BoardDocument, BoardEdition, BoardKind, Championship, Meeting

Context = dict[str, Any]

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
LANGUAGE_NAMES = dict(settings.LANGUAGES)


class BoardFilterForm(forms.Form):
    """The board's one filter: ``?kind=``, every kind when empty."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Every kind")), *BoardKind.choices],
    )


@dataclass(frozen=True)
class EditionLink:
    edition: BoardEdition
    language_name: str
    url: str


@dataclass(frozen=True)
class BoardLine:
    """One document as the board shows it."""

    document: BoardDocument
    publisher: str  # the publisher's name; "" when the issuer alone is shown
    editions: tuple[EditionLink, ...]
    successor: BoardDocument | None
    pending: bool  # a generated document whose PDFs are still being drawn

    @property
    def number(self) -> int:
        return self.document.number


def board_meeting(championship: Championship, round_: int) -> Meeting:
    """The meeting of ``round_`` with its circuit and championship; 404 if there is none."""
    return get_object_or_404(
        Meeting.objects.with_circuit(), championship=championship, round=round_
    )


def board_documents(meeting: Meeting, kind: str = "") -> list[BoardDocument]:
    """The meeting's documents in number order with their editions (two queries)."""
    editions = Prefetch("editions", BoardEdition.objects.order_by("language"))
    documents = BoardDocument.objects.filter(meeting=meeting).on_board().prefetch_related(editions)
    if kind:
        documents = documents.filter(kind=kind)
    found = list(documents)
    for document in found:
        document.meeting = meeting  # the loaded one, with its championship
    return found


def successor_of(document: BoardDocument) -> BoardDocument | None:
    """The document that supersedes ``document`` (read with it by ``on_board``), or None."""
    try:
        return document.superseded_by
    except ObjectDoesNotExist:
        return None


def publisher_name(document: BoardDocument) -> str:
    user = document.published_by
    return user.get_full_name() if user is not None else ""


def is_pending(document: BoardDocument) -> bool:
    """A generated document that lacks one of its editions (drawn after the commit)."""
    return document.is_generated and len(document.editions.all()) < len(LANGUAGE_CODES)


def pdf_url(document: BoardDocument, language: str) -> str:
    return document.pdf_url(language)


def board_line(document: BoardDocument) -> BoardLine:
    links = tuple(
        EditionLink(
            edition,
            LANGUAGE_NAMES.get(edition.language, edition.language),
            pdf_url(document, edition.language),
        )
        for edition in sorted(document.editions.all(), key=edition_order)
    )
    return BoardLine(
        document=document,
        publisher=publisher_name(document),
        editions=links,
        successor=successor_of(document),
        pending=is_pending(document),
    )


def edition_order(edition: BoardEdition) -> int:
    """English first, then the other languages in the order of ``settings.LANGUAGES``."""
    code = edition.language
    return LANGUAGE_CODES.index(code) if code in LANGUAGE_CODES else len(LANGUAGE_CODES)


def board_page(championship: Championship, round_: int, query: Any) -> Context:
    """The board of the round, filtered by ``query`` (the GET parameters); a bad kind shows
    the whole board with the form's error."""
    meeting = board_meeting(championship, round_)
    form = BoardFilterForm(query)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    lines = [board_line(document) for document in board_documents(meeting, kind)]
    return {
        "championship": championship,
        "meeting": meeting,
        "form": form,
        "kind": kind,
        "lines": lines,
        "zone": meeting.circuit.timezone,
    }


def board_edition(championship: Championship, round_: int, number: int, language: str) -> Any:
    """The edition in ``language`` of document ``number`` of the round (one query), with its
    document and meeting; 404 for an unknown language, number or an edition not drawn yet."""
    if language not in LANGUAGE_CODES:
        raise Http404("No such language.")
    editions = BoardEdition.objects.select_related("document__meeting")
    return get_object_or_404(
        editions,
        document__meeting__championship=championship,
        document__meeting__round=round_,
        document__number=number,
        language=language,
    )


def edition_filename(championship: Championship, edition: BoardEdition) -> str:
    """e.g. ``pcca-2026-r3-doc012-en.pdf``: a name the site makes (ASCII, no quotes)."""
    document = edition.document
    return (
        f"{championship.slug}-r{document.meeting.round}-doc{document.number:03d}-"
        f"{edition.language}.pdf"
    )
