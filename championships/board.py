"""Publishing on the meeting's notice board: one write for every document, generated or
uploaded, and the drawing of the generated ones' PDFs.

``board_publish`` numbers the document in its meeting (the meeting's row locked, so two
publications never take one number), records who, when and what it supersedes, and either
stores the uploaded PDF with its SHA-256 or freezes the ``content`` its template draws. The
PDFs of a generated document are drawn once the transaction has committed
(``board_render``, one edition per language): publishing never waits for them, and a failed
drawing leaves the document on the board, numbered and timed, with its PDF drawn again by
``manage.py board_render``. Once its editions exist, ``document_published`` is sent: the
entrants' side e-mails the teams whose cars it concerns.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from championships.models import (
    BoardDocument,
    BoardEdition,
    BoardKind,
    ClassificationVersion,
    Issuer,
    Meeting,
    Penalty,
    Race,
)
from core.documents import files_discard
from core.queue import db_task, enqueue

logger = logging.getLogger(__name__)

# Sent with ``document`` once a published document's PDFs are written (after the commit).
document_published = Signal()

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class BoardError(ValidationError):
    """A document that may not be published; the message says why."""


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def board_publish(
    *,
    meeting: Meeting,
    kind: str,
    title_en: str,
    title_zh_hans: str = "",
    issued_by: str,
    user: Any = None,
    supersedes: BoardDocument | None = None,
    race: Race | None = None,
    session: Any = None,
    version: ClassificationVersion | None = None,
    decision: Penalty | None = None,
    concerns: Iterable[Any] = (),
    template: str = "",
    content: dict[str, Any] | None = None,
    pdf: bytes | None = None,
    pdf_language: str = "en",
    at: Any = None,
) -> BoardDocument:
    """Publish a document on ``meeting``'s board: generated (``template`` and ``content``) or
    uploaded (``pdf``, already checked to be a PDF, in ``pdf_language``). Atomic."""
    if kind not in BoardKind.values or issued_by not in Issuer.values:
        raise BoardError(_("Choose the document's kind and who issued it."))
    if bool(template) == (pdf is not None):
        raise BoardError(_("A document is either drawn from a template or an uploaded PDF."))
    if not title_en.strip():
        raise BoardError(_("Give the document's title in English."))
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if supersedes is not None:
            _check_supersedes(locked, supersedes)
        number = (locked.board.aggregate(last=Max("number"))["last"] or 0) + 1
        try:
            with transaction.atomic():
                document = BoardDocument.objects.create(
                    meeting=locked,
                    number=number,
                    kind=kind,
                    title_en=title_en.strip(),
                    title_zh_hans=title_zh_hans.strip() or None,
                    issued_by=issued_by,
                    published_at=at or timezone.now(),
                    published_by=user if getattr(user, "pk", None) else None,
                    supersedes=supersedes,
                    race=race,
                    session=session,
                    classification_version=version,
                    decision=decision,
                    template=template,
                    content=content or {},
                )
        except IntegrityError:
            if supersedes is None:
                raise
            raise BoardError(  # superseded meanwhile (the meeting's lock does not hold on SQLite)
                _("Document %(number)s was already superseded; supersede its successor.")
                % {"number": supersedes.number}
            ) from None
        document.concerns.set(list(concerns))
        if pdf is not None:
            _edition(document, pdf_language, pdf)
        transaction.on_commit(lambda: board_render_soon(document_id=document.pk))
    return document


class BoardNotDrawn(Exception):
    """A generated document still lacks an edition after its drawing (the log says why)."""


def board_render_soon(*, document_id: int) -> None:
    """``board_render`` by the task queue's worker (``BOARD_DRAW_IN_BACKGROUND``, the default),
    so the request that published the document answers at once; else now."""
    if not settings.BOARD_DRAW_IN_BACKGROUND:
        board_render(document_id=document_id)
        return
    enqueue(board_draw, document_id=document_id)


@db_task(retries=3, retry_delay=60, retry_backoff=2)
def board_draw(*, document_id: int) -> None:
    """The queue's task: a drawing that fails is tried again 1, 2 and 4 minutes later, then
    kept as a failed task (and ``board_pending`` still lists the document)."""
    board_render(document_id=document_id)
    if board_pending(ids=[document_id]):
        raise BoardNotDrawn(f"Notice board document id {document_id}: an edition not drawn")


def _check_supersedes(meeting: Meeting, old: BoardDocument) -> None:
    if old.meeting_id != meeting.pk:
        raise BoardError(
            _("Document %(number)s is on another round's board.") % {"number": old.number}
        )
    if BoardDocument.objects.filter(supersedes=old).exists():
        raise BoardError(
            _("Document %(number)s was already superseded; supersede its successor.")
            % {"number": old.number}
        )


def _edition(document: BoardDocument, language: str, pdf: bytes) -> BoardEdition:
    edition = BoardEdition(
        document=document, language=language, sha256=sha256_of(pdf), size=len(pdf)
    )
    edition.file.save(f"{document.number}.pdf", ContentFile(pdf), save=False)
    try:
        edition.save()
    except IntegrityError:  # the document deleted meanwhile, or drawn twice at once
        files_discard(edition.file.storage, [edition.file.name])
        raise
    return edition


def board_render(*, document_id: int) -> list[BoardEdition]:
    """Draw the editions a generated document lacks (one per language), then announce it.

    Called after the publication commits, and by ``manage.py board_render`` for documents
    whose drawing failed. A failure is logged and leaves the document without that edition.
    """
    document = (
        BoardDocument.objects.select_related("meeting__championship", "meeting__circuit")
        .prefetch_related("editions")
        .filter(pk=document_id)
        .first()
    )
    if document is None:  # its round deleted before it was drawn
        return []
    written = []
    have = {edition.language for edition in document.editions.all()}
    if document.template:
        from championships.board_pdf import render_pdf  # WeasyPrint, loaded when first drawn

        for language in LANGUAGE_CODES:
            if language in have:
                continue
            try:
                pdf = render_pdf(document, language)
                with transaction.atomic():
                    written.append(_edition(document, language, pdf))
            except Exception:
                logger.exception(
                    "Notice board document %s (%s) not drawn in %s",
                    document.number,
                    document.meeting,
                    language,
                )
    # Announced once: an uploaded document at its publication, a generated one when its first
    # edition is written (an edition drawn again later by ``board_render`` e-mails nobody).
    if not document.template or (written and not have):
        document_published.send(sender=BoardDocument, document=document)
    return written


def edition_file_delete(sender: type, instance: BoardEdition, **kwargs: Any) -> None:
    """An edition's PDF leaves the storage once its row is gone for good (its round deleted
    with its season): after the commit, so a rolled-back deletion keeps it."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: files_discard(storage, [name]))


def board_pending(*, ids: Iterable[int] | None = None) -> list[int]:
    """The generated documents (of ``ids``, else all) missing an edition: what
    ``board_render`` draws again."""
    complete = len(LANGUAGE_CODES)
    documents = (
        BoardDocument.objects.all()
        if ids is None
        else BoardDocument.objects.filter(pk__in=list(ids))
    )
    rows = (
        documents.exclude(template="").prefetch_related("editions").order_by("meeting_id", "number")
    )
    return [document.pk for document in rows if len(document.editions.all()) < complete]
