"""Which of a driver's documents stop them racing on given days: the one rule read by the
application check, the meeting's flags, the reminders and the entrant's page.

Pure: it reads documents already loaded (each driver's current ones), never the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from paddock.models import DocumentKind, DriverDocument

# The documents a driver cannot race without.
REQUIRED_KINDS = (DocumentKind.LICENCE, DocumentKind.MEDICAL)


@dataclass(frozen=True)
class DocumentProblem:
    kind: str
    document: DriverDocument | None  # None: missing
    message: str


def document_problems(
    documents: Iterable[DriverDocument], first_day: dt.date, last_day: dt.date | None = None
) -> list[DocumentProblem]:
    """What is missing, or expires before ``last_day`` (a meeting's last day; the first day
    when not given), among one driver's current ``documents``: a document must be valid on
    every day the driver races, so one expiring before or during the meeting is flagged."""
    last_day = last_day or first_day
    by_kind = {document.kind: document for document in documents}
    problems = []
    for kind in REQUIRED_KINDS:
        if kind not in by_kind:
            problems.append(
                DocumentProblem(kind, None, _("%(kind)s missing.") % {"kind": kind.label})
            )
    for document in by_kind.values():
        if document.expires_on is None or document.expires_on >= last_day:
            continue
        if document.expires_on < first_day:
            message = _("%(kind)s expired on %(day)s.")
        else:
            message = _("%(kind)s expires on %(day)s, during the meeting.")
        label = DocumentKind(document.kind).label
        problems.append(
            DocumentProblem(
                document.kind, document, message % {"kind": label, "day": document.expires_on}
            )
        )
    return problems
