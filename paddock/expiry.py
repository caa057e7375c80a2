"""Which of a driver's documents stop them racing on given days: the one rule read by the
application check, the meeting's flags, the reminders and the entrant's page.

Pure: it reads documents already loaded (each driver's current ones), never the database.
``entry_flags`` adds a meeting's other flags to it: no documents on file (an entry made by
staff or a bundle), administrative checks missing once the meeting has started.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from paddock.models import DocumentKind, DriverDocument, MeetingCheck

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


def no_documents_problem() -> str:
    """The flag of an entry whose driver has no profile on the entrants' side (an entry made
    by staff or a season bundle): nothing is on file to check."""
    return _("No documents on file: this entry was not made through a team account.")


def check_problems(check: MeetingCheck | None, *, started: bool) -> list[str]:
    """What is missing of an entry's administrative checks at a meeting: nothing before the
    meeting starts; from its first day, checks not recorded, documents not seen, not signed
    on."""
    if not started:
        return []
    if check is None:
        return [_("Administrative checks not recorded.")]
    problems = []
    if not check.documents_seen:
        problems.append(_("Documents not seen at the administrative checks."))
    if not check.signed_on:
        problems.append(_("Not signed on."))
    return problems


def entry_flags(
    documents: Iterable[DriverDocument] | None,
    check: MeetingCheck | None,
    *,
    first_day: dt.date,
    last_day: dt.date,
    today: dt.date,
) -> list[str]:
    """Every flag of one entry at a meeting held ``first_day`` to ``last_day``: its driver's
    document problems (``documents`` None: the driver has no profile, so nothing on file),
    then its missing administrative checks once the meeting has started."""
    if documents is None:
        flags = [no_documents_problem()]
    else:
        flags = [problem.message for problem in document_problems(documents, first_day, last_day)]
    return flags + check_problems(check, started=today >= first_day)
