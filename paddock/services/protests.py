"""Filing protests, requests for review, notices of intention to appeal and appeals, on the
clock of the notice board document they are about (``paddock.deadlines``).

Every check is made before anything is written; a refusal names the field. The filing is
numbered in its meeting (the meeting's row locked), its deposit and currency come from the
championship's ``HearingRules`` and its deadline is stored. Attachments are checked by their
content and written to the private storage; a filing that fails deletes the files it wrote.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from championships.models import BoardDocument, Championship, Meeting, Race
from core.documents import CONTENT_TYPES, EXTENSIONS, sniff, validate_scan
from entries.models import Entry
from paddock.deadlines import (
    DOCUMENT_KINDS,
    FROM_DOCUMENT,
    filing_deadline,
    in_time,
    kinds_about,
    too_late_message,
)
from paddock.models import (
    EntrantTeam,
    FilingKind,
    FilingStatus,
    HearingRules,
    Protest,
    ProtestAttachment,
)
from paddock.services.documents import files_delete
from paddock.services.notices import concerning

MAX_ATTACHMENTS = 5


def rules_for(championship: Championship) -> HearingRules:
    """The championship's time limits and deposits, or the defaults (an unsaved instance)."""
    rules = HearingRules.objects.filter(championship=championship).first()
    return rules or HearingRules(championship=championship)


def notice_for_appeal(*, team: EntrantTeam, document: BoardDocument) -> Protest | None:
    """The team's notice of intention to appeal about ``document`` that no appeal follows yet
    (the latest, if several)."""
    return (
        Protest.objects.filter(
            team=team, document=document, kind=FilingKind.APPEAL_NOTICE, appeal__isnull=True
        )
        .exclude(status=FilingStatus.WITHDRAWN)
        .order_by("-filed_at")
        .first()
    )


def _kind_problem(kind: str, document: BoardDocument) -> str | None:
    if kind not in FilingKind.values:
        return _(
            "Choose what you are filing: a protest, a request for review, a notice of "
            "intention to appeal or an appeal."
        )
    if document.kind not in DOCUMENT_KINDS[kind]:
        return _(
            "You cannot file a “%(filing)s” about %(document)s, a document of the kind “%(kind)s”."
        ) % {
            "filing": FilingKind(kind).label,
            "document": document,
            "kind": document.get_kind_display(),
        }
    return None


def party_to(team: EntrantTeam) -> Q:
    """The condition on ``BoardDocument`` of the decisions ``team`` is a party to: those naming
    one of its cars, and those its own filings produced (a protest upheld or dismissed)."""
    return concerning(team) | Q(decision__protests__team=team) | Q(decided_protests__team=team)


def _party_problem(kind: str, document: BoardDocument, team: EntrantTeam) -> str | None:
    """A decision is reviewed or appealed only by a party to it (``party_to``); a protest may
    be about any document of the round."""
    if kind == FilingKind.PROTEST:
        return None
    if BoardDocument.objects.filter(pk=document.pk).filter(party_to(team)).exists():
        return None
    return _(
        "Document %(number)s does not concern your team's cars: only a party to a decision may "
        "ask for its review or appeal against it."
    ) % {"number": document.number}


def _notice_problem(
    kind: str, notice: Protest | None, team: EntrantTeam, document: BoardDocument
) -> str | None:
    if kind != FilingKind.APPEAL:
        if notice is not None:
            return _("Only an appeal follows a notice of intention to appeal.")
        return None
    if notice is None:
        return _(
            "An appeal follows a notice of intention to appeal: file the notice first, "
            "within its time limit."
        )
    if (
        notice.kind != FilingKind.APPEAL_NOTICE
        or notice.team_id != team.pk
        or notice.document_id != document.pk
    ):
        return _("The notice of intention to appeal must be your team's, about %(document)s.") % {
            "document": document
        }
    if notice.status == FilingStatus.WITHDRAWN:
        return _("That notice of intention to appeal was withdrawn.")
    if Protest.objects.filter(notice=notice).exists():
        return _("An appeal already follows that notice of intention to appeal.")
    return None


def _file_problems(files: Sequence[UploadedFile]) -> list[str]:
    if len(files) > MAX_ATTACHMENTS:
        return [
            _("Attach at most %(limit)s files; you gave %(count)s.")
            % {"limit": MAX_ATTACHMENTS, "count": len(files)}
        ]
    problems = []
    for upload in files:
        try:
            validate_scan(upload)
        except ValidationError as error:
            name = PurePath(upload.name or "").name or _("(no name)")
            problems.extend(f"{name}: {message}" for message in error.messages)
    return problems


def _car_problems(
    team: EntrantTeam, championship_id: int, entry: Entry | None, against: Entry | None
) -> list[tuple[str, str]]:
    """The car filed for is one the team races in the championship; the car against is
    another team's car of that championship."""
    problems = []
    cars = team.racing_entries().filter(championship_id=championship_id)
    if entry is None:
        problems.append(("entry", _("Choose the car you file for.")))
    elif not cars.filter(pk=entry.pk).exists():
        problems.append(
            (
                "entry",
                _("Car %(car)s is not one of your team's cars in this championship.")
                % {"car": entry},
            )
        )
    if against is None:
        return problems
    if against.championship_id != championship_id:
        problems.append(
            ("against", _("Car %(car)s is not in this championship.") % {"car": against})
        )
    elif (entry is not None and against.pk == entry.pk) or cars.filter(pk=against.pk).exists():
        problems.append(
            (
                "against",
                _("You cannot file against your own team's car %(car)s.") % {"car": against},
            )
        )
    return problems


def _late_problem(
    kind: str,
    document: BoardDocument,
    notice: Protest | None,
    now: dt.datetime,
    rules: HearingRules,
) -> str | None:
    """The too-late message, or None when ``now`` is within the time limit."""
    minutes = rules.minutes_for(kind)
    deadline = filing_deadline(
        kind=kind,
        published_at=document.published_at,
        notice_filed_at=notice.filed_at if notice is not None else None,
        minutes=minutes,
    )
    if in_time(now=now, deadline=deadline):
        return None
    return too_late_message(
        kind=kind,
        document_number=document.number,
        document_title=document.title,
        minutes=minutes,
        deadline=deadline,
        arrived=now,
        zone=document.meeting.circuit.timezone,
    )


def protest_problems(
    *,
    team: EntrantTeam,
    user: Any,
    kind: str,
    document: BoardDocument,
    entry: Entry | None,
    against: Entry | None,
    race: Race | None,
    incident: str,
    grounds: str,
    files: Sequence[UploadedFile],
    notice: Protest | None,
    now: dt.datetime,
    rules: HearingRules,
) -> dict[str, list[str]]:
    """What is wrong with a filing, by field (NON_FIELD_ERRORS for the filing as a whole)."""
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str | None) -> None:
        if message:
            problems.setdefault(field, []).append(message)

    if not EntrantTeam.objects.run_by(user).filter(pk=team.pk).exists():
        add(NON_FIELD_ERRORS, _("Only the team's managers and team staff file for it."))
        return problems
    meeting = document.meeting
    kind_problem = _kind_problem(kind, document) or _party_problem(kind, document, team)
    add("kind", kind_problem)
    add("notice", _notice_problem(kind, notice, team, document))
    for field, message in _car_problems(team, meeting.championship_id, entry, against):
        add(field, message)
    if race is not None and race.meeting_id != meeting.pk:
        add("race", _("Race %(race)s is not of this round.") % {"race": race})
    if not incident.strip():
        add("incident", _("Say where and when the incident happened."))
    if not grounds.strip():
        add("grounds", _("Give the grounds of your filing."))
    for message in _file_problems(files):
        add("files", message)
    if kind_problem is None and "notice" not in problems:
        add(NON_FIELD_ERRORS, _late_problem(kind, document, notice, now, rules))
    return problems


def protest_file(
    *,
    team: EntrantTeam,
    user: Any,
    kind: str,
    document: BoardDocument,
    entry: Entry | None,
    against: Entry | None = None,
    race: Race | None = None,
    incident: str,
    rule: str = "",
    grounds: str,
    files: Sequence[UploadedFile] = (),
    notice: Protest | None = None,
    now: dt.datetime | None = None,
) -> Protest:
    """File ``team``'s protest, request for review, notice of intention to appeal or appeal
    about ``document`` for its car ``entry``. Atomic: a refusal (``ValidationError`` by field)
    writes nothing, and a failure deletes the files written."""
    now = now or timezone.now()
    files = list(files)
    rules = rules_for(document.meeting.championship)
    problems = protest_problems(
        team=team,
        user=user,
        kind=kind,
        document=document,
        entry=entry,
        against=against,
        race=race,
        incident=incident,
        grounds=grounds,
        files=files,
        notice=notice,
        now=now,
        rules=rules,
    )
    if problems:
        raise ValidationError(problems)
    deadline = filing_deadline(
        kind=kind,
        published_at=document.published_at,
        notice_filed_at=notice.filed_at if notice is not None else None,
        minutes=rules.minutes_for(kind),
    )
    written: list[str] = []
    try:
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update().get(pk=document.meeting_id)
            number = (meeting.protests.aggregate(last=Max("number"))["last"] or 0) + 1
            protest = Protest(
                meeting=meeting,
                number=number,
                kind=kind,
                document=document,
                notice=notice,
                team=team,
                entry=entry,
                against=against,
                race=race,
                incident=incident.strip(),
                rule=rule.strip(),
                grounds=grounds.strip(),
                filed_at=now,
                filed_by=user,
                deadline=deadline,
                deposit=rules.deposit_for(kind),
                currency=rules.currency,
            )
            protest.full_clean()
            protest.save()
            for upload in files:
                _attach(protest, upload, written)
    except BaseException:
        files_delete(written)
        raise
    return protest


def _attach(protest: Protest, upload: UploadedFile, written: list[str]) -> ProtestAttachment:
    """Store one checked file under a random name; its stored name goes to ``written`` first."""
    found = sniff(upload)
    attachment = ProtestAttachment(
        protest=protest,
        name=(PurePath(upload.name or "").name or "file")[:200],
        content_type=CONTENT_TYPES[found],
        size=upload.size,
        uploaded_at=protest.filed_at,
    )
    # The stored name is random with the content's extension (``attachment_path``).
    attachment.file.save(f"file.{EXTENSIONS[found]}", upload, save=False)
    written.append(attachment.file.name)
    attachment.save()
    return attachment


def protest_withdraw(*, protest: Protest, user: Any) -> Protest:
    """The team withdraws its filing while it waits for the stewards (status Filed)."""
    with transaction.atomic():
        locked = Protest.objects.select_for_update().get(pk=protest.pk)
        if not EntrantTeam.objects.run_by(user).filter(pk=locked.team_id).exists():
            raise ValidationError(
                _("Only the team's managers and team staff withdraw its filings.")
            )
        if locked.status != FilingStatus.FILED:
            raise ValidationError(
                _("%(filing)s is %(status)s: only a filing waiting for the stewards is withdrawn.")
                % {"filing": locked, "status": locked.get_status_display().lower()}
            )
        locked.status = FilingStatus.WITHDRAWN
        locked.save(update_fields=["status"])
    protest.status = locked.status
    return protest


@dataclass(frozen=True)
class Window:
    """A filing a team may still make: its kind, the document it is about, its deadline."""

    kind: str
    document: BoardDocument
    deadline: dt.datetime


def open_windows(*, teams: Sequence[EntrantTeam], now: dt.datetime) -> list[Window]:
    """The filings ``teams`` may still make, by deadline: each document of their championships
    whose time limit for a kind of filing runs (a decision's review and appeal only for the
    teams it concerns), and each notice of intention of theirs whose appeal's limit runs."""
    championships = {
        pk
        for team in teams
        for pk in team.racing_entries().values_list("championship_id", flat=True)
    }
    if not championships:
        return []
    rules = {
        r.championship_id: r for r in HearingRules.objects.filter(championship_id__in=championships)
    }
    default = HearingRules()
    longest = max(r.minutes_for(kind) for r in (*rules.values(), default) for kind in FROM_DOCUMENT)
    documents = BoardDocument.objects.filter(
        meeting__championship_id__in=championships,
        published_at__gte=now - dt.timedelta(minutes=longest),
        published_at__lte=now,
    ).select_related("meeting__circuit")
    concerned = Q(pk__in=[])
    for team in teams:
        concerned |= party_to(team)
    theirs = set(documents.filter(concerned).values_list("pk", flat=True))
    windows = []
    for document in documents:
        own = rules.get(document.meeting.championship_id, default)
        for kind in kinds_about(document.kind):
            if kind != FilingKind.PROTEST and document.pk not in theirs:
                continue  # only a party to a decision asks for its review or appeals
            deadline = filing_deadline(
                kind=kind, published_at=document.published_at, minutes=own.minutes_for(kind)
            )
            if in_time(now=now, deadline=deadline):
                windows.append(Window(kind, document, deadline))
    notices = (
        Protest.objects.filter(team__in=teams, kind=FilingKind.APPEAL_NOTICE, appeal__isnull=True)
        .exclude(status=FilingStatus.WITHDRAWN)
        .select_related("document__meeting__circuit")
    )
    for notice in notices:
        document = notice.document
        own = rules.get(document.meeting.championship_id, default)
        deadline = filing_deadline(
            kind=FilingKind.APPEAL,
            published_at=document.published_at,
            notice_filed_at=notice.filed_at,
            minutes=own.appeal_minutes,
        )
        if in_time(now=now, deadline=deadline):
            windows.append(Window(FilingKind.APPEAL, document, deadline))
    return sorted(windows, key=lambda window: (window.deadline, window.document.pk))
