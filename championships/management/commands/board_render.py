"""Draw the notice board PDFs still missing: ``manage.py board_render`` draws every generated
document that lacks an edition (its drawing after the commit failed, or never ran);
``--document ID`` draws only that one. A second run draws nothing.

The drawing is ``championships.board.board_render``, which logs a failure and goes on: the
command reads those failures back from its log, tries every document, then exits non-zero
naming each document not drawn and its error.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from championships import board
from championships.models import BoardDocument


class _Failures(logging.Handler):
    """The errors ``board_render`` logs while it draws one document."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        error = record.exc_info[1] if record.exc_info else None
        self.errors.append(f"{type(error).__name__}: {error}" if error else record.getMessage())


class Command(BaseCommand):
    @property
    def help(self) -> str:  # in the language active when asked
        return _(
            "Draw the PDF editions missing from the notice board's generated documents; "
            "with --document ID, only that document's."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--document",
            type=int,
            metavar="ID",
            help=gettext_lazy("the id of one generated document to draw"),
        )

    def handle(self, *args: object, document: int | None = None, **options: Any) -> None:
        ids = [self.generated(document)] if document is not None else board.board_pending()
        drawn, failures = 0, []
        for document_id in ids:
            found = self.draw(document_id)
            if found is None:
                continue
            line, failed = found
            if failed:
                failures.append(line)
                self.stderr.write(line)
            else:
                drawn += 1
                self.stdout.write(line)
        if failures:
            raise CommandError(
                ngettext(
                    "%(drawn)d document drawn, %(failed)d not drawn: %(failures)s",
                    "%(drawn)d documents drawn, %(failed)d not drawn: %(failures)s",
                    drawn,
                )
                % {"drawn": drawn, "failed": len(failures), "failures": " | ".join(failures)}
            )
        if drawn:
            summary = ngettext("%(count)d document drawn.", "%(count)d documents drawn.", drawn)
            self.stdout.write(self.style.SUCCESS(summary % {"count": drawn}))
        else:
            self.stdout.write(_("Nothing to draw: every generated document has its PDFs."))

    def generated(self, document_id: int) -> int:
        """The id of a generated document, else a ``CommandError`` naming the id."""
        template = BoardDocument.objects.filter(pk=document_id).values_list("template", flat=True)
        if not template:
            raise CommandError(
                _("No notice board document has the id %(id)s.") % {"id": document_id}
            )
        if not template[0]:
            raise CommandError(
                _("Document id %(id)s is an uploaded PDF: there is nothing to draw.")
                % {"id": document_id}
            )
        return document_id

    def draw(self, document_id: int) -> tuple[str, bool] | None:
        """Draw the editions ``document_id`` lacks: the line that says what was drawn, or what
        was not and why (True); None when it lacked none."""
        document = BoardDocument.objects.select_related(
            "meeting__championship", "meeting__circuit"
        ).get(pk=document_id)
        have = set(document.editions.values_list("language", flat=True))
        missing = [code for code in board.LANGUAGE_CODES if code not in have]
        if not missing:
            return None
        failures = _Failures()
        logger = logging.getLogger(board.__name__)
        logger.addHandler(failures)
        try:
            written = {edition.language for edition in board.board_render(document_id=document_id)}
        finally:
            logger.removeHandler(failures)
        names = {
            "number": document.number,
            "championship": document.meeting.championship,
            "meeting": document.meeting,
            "id": document.pk,
            "drawn": ", ".join(code for code in missing if code in written) or "-",
        }
        not_drawn = [code for code in missing if code not in written]
        if not not_drawn:
            return (
                _(
                    "Document %(number)s of %(championship)s, %(meeting)s (id %(id)s): "
                    "drew %(drawn)s."
                )
                % names,
                False,
            )
        errors = "; ".join(failures.errors) or _("no error logged")
        return (
            _(
                "Document %(number)s of %(championship)s, %(meeting)s (id %(id)s): "
                "not drawn in %(languages)s (%(error)s)."
            )
            % {**names, "languages": ", ".join(not_drawn), "error": errors},
            True,
        )
