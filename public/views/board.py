"""A round's official notice board: the page, its Atom feed and each PDF edition.

Not kept pages (``public.views.kept``): a document published moves no championship version,
so the board is read each time (four queries, whatever its size). A draft season's board
is for staff only, as every page of the season (``championship_or_404``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from championships.models import Championship, Meeting, SeasonStatus
from core.kept import only_parameters
from public.pages import board as pages
from public.pages.championships import championship_or_404
from public.views.kept import BadQueryStatus

# A PDF edition never changes (a correction is a new document): kept a year by anyone.
IMMUTABLE = "public, max-age=31536000, immutable"
# A draft season's: for the staff member who asked, never kept by a shared cache.
DRAFT = "private, no-store"


class BoardView(BadQueryStatus, TemplateView):
    """Every document of the round in number order; ``?kind=`` shows one kind."""

    template_name = "championships/meeting_board.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        only_parameters(request, ("kind",))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        championship = championship_or_404(self.kwargs["slug"], self.request.user)
        return pages.board_page(championship, self.kwargs["round"], self.request.GET)


@require_safe
def board_pdf(
    request: HttpRequest, slug: str, round: int, number: int, language: str
) -> HttpResponseBase:
    """One PDF edition, shown in the browser; its SHA-256 is its ETag (304 when unchanged)."""
    championship = championship_or_404(slug, request.user)
    edition = pages.board_edition(championship, round, number, language)
    headers = {
        "ETag": f'"{edition.sha256}"',
        "Cache-Control": DRAFT if championship.status == SeasonStatus.DRAFT else IMMUTABLE,
        "X-Content-Type-Options": "nosniff",
    }
    not_modified = get_conditional_response(request, etag=headers["ETag"])
    if not_modified is not None:
        response: HttpResponseBase = not_modified
    else:
        try:
            stored = edition.file.open("rb")
        except FileNotFoundError:
            raise Http404("This PDF is missing from the storage.") from None
        response = FileResponse(
            stored,
            content_type="application/pdf",
            as_attachment=False,
            filename=pages.edition_filename(championship, edition),
        )
    for name, value in headers.items():
        response[name] = value
    return response


@dataclass(frozen=True)
class FeedBoard:
    championship: Championship
    meeting: Meeting
    entries: list[FeedEntry]


@dataclass(frozen=True)
class FeedEntry:
    line: pages.BoardLine
    guid: str
    link: str
    enclosures: list[Enclosure]


class BoardFeed(Feed):
    """The board as an Atom feed, in number order (the board's own), in the page's language.

    Each entry is a document: its title, the PDF in the page's language (else English, else
    the board's line), published and updated at its publication, a tag URI that never
    changes as its id, and its kind, issuer, successor and SHA-256 in the summary."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str, round: int) -> FeedBoard:  # type: ignore[override]
        championship = championship_or_404(slug, request.user)
        meeting = pages.board_meeting(championship, round)
        host = request.get_host().split(":")[0]
        board = self.board_url(championship, meeting)
        entries = [
            FeedEntry(
                line,
                tag_uri(host, championship, meeting, line),
                entry_link(line, board),
                [
                    Enclosure(
                        request.build_absolute_uri(link.url),
                        str(link.edition.size),
                        "application/pdf",
                    )
                    for link in line.editions
                ],
            )
            for line in map(pages.board_line, pages.board_documents(meeting))
        ]
        return FeedBoard(championship, meeting, entries)

    @staticmethod
    def board_url(championship: Championship, meeting: Meeting) -> str:
        return reverse(
            "championships:board", kwargs={"slug": championship.slug, "round": meeting.round}
        )

    def title(self, obj: FeedBoard) -> str:
        return _("Notice board: %(championship)s, round %(round)s, %(circuit)s") % {
            "championship": obj.championship.name,
            "round": obj.meeting.round,
            "circuit": obj.meeting.circuit.name,
        }

    def link(self, obj: FeedBoard) -> str:
        return self.board_url(obj.championship, obj.meeting)

    def feed_url(self, obj: FeedBoard) -> str:
        return reverse(
            "championships:board-feed",
            kwargs={"slug": obj.championship.slug, "round": obj.meeting.round},
        )

    def subtitle(self, obj: FeedBoard) -> str:
        return _("The official documents of the round, numbered in order of publication.")

    def items(self, obj: FeedBoard) -> list[FeedEntry]:
        return obj.entries

    def item_title(self, item: FeedEntry) -> str:
        return str(item.line.document)  # "Document N: title"

    def item_link(self, item: FeedEntry) -> str:
        return item.link

    def item_guid(self, item: FeedEntry) -> str:
        return item.guid

    item_guid_is_permalink = False

    def item_pubdate(self, item: FeedEntry) -> Any:
        return item.line.document.published_at

    def item_updateddate(self, item: FeedEntry) -> Any:
        return item.line.document.published_at

    def item_author_name(self, item: FeedEntry) -> str:
        return item.line.publisher or item.line.document.get_issued_by_display()

    def item_categories(self, item: FeedEntry) -> list[str]:
        return [item.line.document.get_kind_display()]

    def item_description(self, item: FeedEntry) -> str:
        return entry_summary(item.line)

    def item_enclosures(self, item: FeedEntry) -> list[Enclosure]:
        return item.enclosures


def tag_uri(host: str, championship: Championship, meeting: Meeting, line: pages.BoardLine) -> str:
    """An id that never changes (RFC 4151), the same in both languages' feeds."""
    day = line.document.published_at.date().isoformat()
    return f"tag:{host},{day}:board/{championship.slug}/r{meeting.round}/{line.number}"


def entry_link(line: pages.BoardLine, board: str) -> str:
    """The PDF in the active language, else in English, else any; the board's line when the
    document has no PDF yet."""
    by_language = {link.edition.language: link.url for link in line.editions}
    for language in (get_language(), "en"):
        if language in by_language:
            return by_language[language]
    if line.editions:
        return line.editions[0].url
    return f"{board}#doc-{line.number}"


def entry_summary(line: pages.BoardLine) -> str:
    """Kind, issuer, supersession and SHA-256s, as HTML (Atom's summary type="html")."""
    document = line.document
    parts = [
        document.get_kind_display(),
        _("From: %(issuer)s") % {"issuer": document.get_issued_by_display()},
    ]
    if line.successor is not None:
        parts.append(_("Superseded by document %(number)s") % {"number": line.successor.number})
    if document.supersedes is not None:
        parts.append(_("Supersedes document %(number)s") % {"number": document.supersedes.number})
    for link in line.editions:
        parts.append(f"SHA-256 ({link.language_name}): {link.edition.sha256}")
    if line.pending:
        parts.append(_("PDF being prepared"))
    return "<br>".join(escape(part) for part in parts)
