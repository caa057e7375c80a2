"""The clock of a filing: which notice board documents each kind of filing may be about, when
its time limit ends, and how a late one is told so. Pure: no queries, nothing written.

A protest, a request for review and a notice of intention to appeal count from the
publication of the document they are about; an appeal counts from the filing of its notice of
intention. Times are compared in UTC and shown in the circuit's time zone, named.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from championships.models import PROTESTABLE_KINDS, BoardKind
from core.times import circuit_clock, zone_name
from paddock.models import FilingKind

# The document kinds each filing may be about. An appeal is about its notice's document.
DOCUMENT_KINDS: dict[str, frozenset[str]] = {
    FilingKind.PROTEST: PROTESTABLE_KINDS - {BoardKind.DECISION},
    FilingKind.REVIEW: frozenset({BoardKind.DECISION}),
    FilingKind.APPEAL_NOTICE: frozenset({BoardKind.DECISION}),
    FilingKind.APPEAL: frozenset({BoardKind.DECISION}),
}
# The filings that start from a document (an appeal starts from a notice of intention).
FROM_DOCUMENT = (FilingKind.PROTEST, FilingKind.REVIEW, FilingKind.APPEAL_NOTICE)


def kinds_about(document_kind: str) -> list[str]:
    """The filings that may start from a document of ``document_kind``, in order."""
    return [kind for kind in FROM_DOCUMENT if document_kind in DOCUMENT_KINDS[kind]]


def filing_deadline(
    *,
    kind: str,
    published_at: dt.datetime,
    notice_filed_at: dt.datetime | None = None,
    minutes: int,
) -> dt.datetime:
    """The end of the time limit: ``minutes`` after the document's publication, or for an
    appeal after its notice of intention was filed."""
    if kind == FilingKind.APPEAL:
        if notice_filed_at is None:
            raise ValueError("An appeal counts from its notice of intention.")
        start = notice_filed_at
    else:
        start = published_at
    return start + dt.timedelta(minutes=minutes)


def in_time(*, now: dt.datetime, deadline: dt.datetime) -> bool:
    """Filed no later than the deadline (the last second counts), compared in UTC."""
    return now.astimezone(dt.UTC) <= deadline.astimezone(dt.UTC)


def document_label(number: int, title: str) -> str:
    """``Document 12 (Race 1 — Provisional classification)``."""
    return _("Document %(number)s (%(title)s)") % {"number": number, "title": title}


def too_late_message(
    *,
    kind: str,
    document_number: int,
    document_title: str,
    minutes: int,
    deadline: dt.datetime,
    arrived: dt.datetime,
    zone: str,
) -> str:
    """The refusal of a late filing: the document, the limit, the deadline in the circuit's
    time with the zone named, and when the filing arrived."""
    sentences = {
        FilingKind.PROTEST: _(
            "Too late: protests against %(document)s closed at %(deadline)s (%(zone)s), "
            "%(minutes)s minutes after its publication; this one arrived at %(arrived)s."
        ),
        FilingKind.REVIEW: _(
            "Too late: requests for review of %(document)s closed at %(deadline)s (%(zone)s), "
            "%(minutes)s minutes after its publication; this one arrived at %(arrived)s."
        ),
        FilingKind.APPEAL_NOTICE: _(
            "Too late: notices of intention to appeal against %(document)s closed at "
            "%(deadline)s (%(zone)s), %(minutes)s minutes after its publication; this one "
            "arrived at %(arrived)s."
        ),
        FilingKind.APPEAL: _(
            "Too late: appeals against %(document)s closed at %(deadline)s (%(zone)s), "
            "%(minutes)s minutes after the notice of intention to appeal; this one arrived at "
            "%(arrived)s."
        ),
    }
    return sentences[kind] % {
        "document": document_label(document_number, document_title),
        # To the second: a filing a few seconds late reads later than the deadline.
        "deadline": circuit_clock(deadline, zone, same_day_as=arrived, seconds=True),
        "zone": zone_name(deadline, zone),
        "minutes": minutes,
        "arrived": circuit_clock(arrived, zone, same_day_as=deadline, seconds=True),
    }
