"""Before and at each meeting: the flags on its entries (documents expiring before or during
it, no documents on file, administrative checks missing once it has started), the checks
recorded by race control, the reminders e-mailed to the teams, and what a team reads of its
own upcoming meetings.

Every loader reads a whole meeting (or team) in a constant number of queries; the rule is
``paddock.expiry``'s, applied to what was loaded.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from championships.models import Meeting
from entries.models import Entry
from paddock.emails import team_send
from paddock.expiry import DocumentProblem, document_problems, entry_flags
from paddock.models import (
    ApplicationStatus,
    DocumentReminder,
    DriverDocument,
    EntrantDriver,
    EntrantTeam,
    EntryApplication,
    EntryWindow,
    MeetingCheck,
)

logger = logging.getLogger(__name__)

# Days before a meeting the teams are reminded, for a championship without an entry window.
DEFAULT_REMINDER_DAYS = 14
REMINDER_TEMPLATE = "paddock/reminder_email.txt"


# The meeting's flags --------------------------------------------------------------------------


@dataclass
class CheckRow:
    """One entry of a meeting: its driver's profile on the entrants' side (None: entered by
    staff or a bundle), that profile's current documents, its checks, and its flags."""

    entry: Entry
    profile: EntrantDriver | None
    documents: list[DriverDocument]
    check: MeetingCheck | None
    flags: list[str] = field(default_factory=list)


def _profiles_by_driver(driver_ids: Iterable[int]) -> dict[int, list[EntrantDriver]]:
    """Each driver's profiles, oldest first, with their current documents: two queries."""
    profiles = (
        EntrantDriver.objects.filter(driver_id__in=set(driver_ids))
        .select_related("team")
        .order_by("created_at", "pk")
    )
    by_driver: dict[int, list[EntrantDriver]] = defaultdict(list)
    for profile in profiles:
        by_driver[profile.driver_id].append(profile)
    documents: dict[int, list[DriverDocument]] = defaultdict(list)
    ids = [p.pk for found in by_driver.values() for p in found]
    if ids:
        for document in DriverDocument.objects.current().filter(driver_id__in=ids):
            documents[document.driver_id].append(document)
    for found in by_driver.values():
        for profile in found:
            profile.current_documents = documents.get(profile.pk, [])
    return by_driver


def _profile_of(entry: Entry, profiles: list[EntrantDriver]) -> EntrantDriver | None:
    """The profile of the team the entry races as, else the driver's oldest profile."""
    for profile in profiles:
        if profile.team.team_id == entry.team_id:
            return profile
    return profiles[0] if profiles else None


def races_at(meeting: Meeting, guest_meeting_id: int | None) -> bool:
    """Whether an entry races at ``meeting`` of its championship: a season entry at each, a
    guest entry (``guest_meeting_id``: the meeting of its approved single-meeting
    application) at that meeting only. An entry made by staff or a bundle, without such an
    application, is kept at each meeting: which meetings it races is not known here, and race
    control must not lose a car it may see. The one rule of the meeting's flags, the
    reminders and the team's own flags."""
    return guest_meeting_id is None or guest_meeting_id == meeting.pk


def meeting_check_rows(meeting: Meeting, *, today: dt.date | None = None) -> list[CheckRow]:
    """Every entry racing at the meeting (``races_at``), by car number, with its profile,
    documents, checks and flags, in four queries however many entries."""
    today = today or timezone.localdate()
    guest_meeting = EntryApplication.objects.filter(
        entry=OuterRef("pk"), status=ApplicationStatus.APPROVED, meeting__isnull=False
    ).values("meeting_id")[:1]
    entries = [
        entry
        for entry in Entry.objects.filter(championship_id=meeting.championship_id)
        .annotate(guest_meeting_id=Subquery(guest_meeting))
        .select_related("driver", "team", "entry_class")
        .order_by("car_number", "pk")
        if races_at(meeting, entry.guest_meeting_id)
    ]
    profiles = _profiles_by_driver(entry.driver_id for entry in entries) if entries else {}
    checks = {
        check.entry_id: check
        for check in MeetingCheck.objects.filter(meeting=meeting).select_related("checked_by")
    }
    rows = []
    for entry in entries:
        profile = _profile_of(entry, profiles.get(entry.driver_id, []))
        documents = profile.current_documents if profile else []
        check = checks.get(entry.pk)
        flags = entry_flags(
            documents if profile else None,
            check,
            first_day=meeting.start_date,
            last_day=meeting.end_date,
            today=today,
        )
        rows.append(CheckRow(entry, profile, documents, check, flags))
    return rows


def meeting_document_flags(meeting: Meeting) -> dict[int, list[str]]:
    """The provider registered in ``core.flags``: entry id → its flags at ``meeting``, for the
    entries that have any. Only for a championship whose entries are taken online (it has an
    entry window): in a season entered by staff or a bundle every entry would read "No
    documents on file" and "checks not recorded", and race control would learn nothing."""
    if not EntryWindow.objects.filter(championship_id=meeting.championship_id).exists():
        return {}
    return {row.entry.pk: row.flags for row in meeting_check_rows(meeting) if row.flags}


# The administrative checks --------------------------------------------------------------------


@transaction.atomic
def meeting_check_record(
    *,
    meeting: Meeting,
    entry: Entry,
    documents_seen: bool,
    signed_on: bool,
    note: str,
    by: AbstractBaseUser | None,
) -> MeetingCheck:
    """Record (or correct) ``entry``'s administrative checks at ``meeting``: one row per entry
    and meeting, its time and author the latest change's."""
    if entry.championship_id != meeting.championship_id:
        raise ValidationError(
            {
                "entry": _(
                    "Car #%(number)s is not entered in %(championship)s, the championship of "
                    "this meeting."
                )
                % {"number": entry.car_number, "championship": meeting.championship}
            }
        )
    note = (note or "").strip()
    if len(note) > 300:
        raise ValidationError({"note": _("The note is longer than 300 characters.")})
    check, _created = MeetingCheck.objects.update_or_create(
        meeting=meeting,
        entry=entry,
        defaults={
            "documents_seen": documents_seen,
            "signed_on": signed_on,
            "note": note,
            "checked_by": by,
            "checked_at": timezone.now(),
        },
    )
    return check


# The reminders --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    """One document expiring before or during one meeting, and whether its e-mail went."""

    team: EntrantTeam
    driver: EntrantDriver
    document: DriverDocument
    meeting: Meeting
    problem: DocumentProblem
    sent: bool


def _approved_applications(championship_ids: Iterable[int]) -> list[EntryApplication]:
    return list(
        EntryApplication.objects.filter(
            championship_id__in=set(championship_ids),
            status=ApplicationStatus.APPROVED,
            entry__isnull=False,
        )
        .select_related("team", "driver", "entry")
        .order_by("championship_id", "entry__car_number", "pk")
    )


def _current_documents(driver_ids: Iterable[int]) -> dict[int, list[DriverDocument]]:
    documents: dict[int, list[DriverDocument]] = defaultdict(list)
    ids = set(driver_ids)
    if ids:
        for document in DriverDocument.objects.current().filter(driver_id__in=ids):
            documents[document.driver_id].append(document)
    return documents


def _meetings_to_remind(today: dt.date) -> list[Meeting]:
    """The meetings starting from ``today`` to their championship's reminder day."""
    days = dict(EntryWindow.objects.values_list("championship_id", "reminder_days"))
    horizon = today + dt.timedelta(days=max([DEFAULT_REMINDER_DAYS, *days.values()]))
    meetings = Meeting.objects.with_circuit().filter(start_date__gte=today, start_date__lte=horizon)
    return [
        meeting
        for meeting in meetings.order_by("start_date", "pk")
        if meeting.start_date
        <= today + dt.timedelta(days=days.get(meeting.championship_id, DEFAULT_REMINDER_DAYS))
    ]


def _due(today: dt.date) -> list[tuple[EntryApplication, DriverDocument, Meeting, DocumentProblem]]:
    """Each approved entry's document expiring before or during a meeting to remind of, once
    per document and meeting, not reminded yet."""
    meetings = _meetings_to_remind(today)
    if not meetings:
        return []
    applications = _approved_applications(m.championship_id for m in meetings)
    documents = _current_documents(a.driver_id for a in applications)
    sent = set(
        DocumentReminder.objects.filter(meeting__in=meetings).values_list(
            "document_id", "meeting_id"
        )
    )
    due, seen = [], set()
    for meeting in meetings:
        for application in applications:
            if application.championship_id != meeting.championship_id:
                continue
            if not races_at(meeting, application.meeting_id):
                continue  # a guest entry of another meeting
            found = documents.get(application.driver_id, [])
            for problem in document_problems(found, meeting.start_date, meeting.end_date):
                key = (problem.document and problem.document.pk, meeting.pk)
                if problem.document is None or key in sent or key in seen:
                    continue  # a missing document has nothing to expire; a reminder went
                seen.add(key)
                due.append((application, problem.document, meeting, problem))
    return due


def _send(application: EntryApplication, document: DriverDocument, meeting: Meeting) -> bool:
    """Claim the reminder's row, then send. Sending hands the e-mail to the task queue (the
    site's e-mail backend), which retries a refusing mail server and lists the e-mail as a
    failed task in the back office if it never goes: the row is kept once the e-mail is queued.
    Under a backend that sends at once, a refused e-mail gives the row back, so the next day's
    run tries again. A run beside this one waits for the claim and skips it."""
    with transaction.atomic():
        _reminder, created = DocumentReminder.objects.get_or_create(
            document=document, meeting=meeting, defaults={"sent_at": timezone.now()}
        )
        if not created:
            return False
        sent = team_send(
            application.team,
            subject=lambda: (
                _("%(driver)s: %(document)s expires before %(meeting)s")
                % {
                    "driver": application.driver.full_name,
                    "document": document.get_kind_display(),
                    "meeting": meeting,
                }
            ),
            template=REMINDER_TEMPLATE,
            context={
                "driver": application.driver,
                "document": document,
                "meeting": meeting,
                "entry": application.entry,
                "during": document.expires_on >= meeting.start_date,
            },
        )
        if not sent:
            logger.warning(
                "Reminder of document %s before meeting %s not sent; it is tried again "
                "on the next run",
                document.pk,
                meeting.pk,
            )
            transaction.set_rollback(True)
        return sent


def document_reminders_send(*, today: dt.date, dry_run: bool = False) -> list[Reminder]:
    """E-mail each team, once per document and meeting, about its approved entries' drivers'
    documents that expire before or during a meeting starting within the championship's
    reminder days (``EntryWindow.reminder_days``, else 14). ``dry_run``: what would be sent,
    sending and recording nothing. The daily command and the task queue call this."""
    reminders = []
    for application, document, meeting, problem in _due(today):
        sent = False if dry_run else _send(application, document, meeting)
        reminders.append(
            Reminder(application.team, application.driver, document, meeting, problem, sent)
        )
    return reminders


# The team's own view --------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamMeetingFlags:
    """One of the team's approved entries at one upcoming meeting, and its driver's document
    problems there (empty: all in order)."""

    meeting: Meeting
    entry: Entry
    driver: EntrantDriver
    problems: list[DocumentProblem]


def teams_document_flags(
    teams: Iterable[EntrantTeam], today: dt.date
) -> dict[int, list[TeamMeetingFlags]]:
    """Team id → its approved entries at each meeting not yet over on ``today`` (a season
    entry: every such meeting of its championship; a guest entry: its own meeting,
    ``races_at``), by meeting then car number, each with its driver's document problems; a
    team without any has no key. Three queries however many teams. For the entrant's page:
    only ``teams``' own applications are read."""
    team_ids = {team.pk for team in teams}
    if not team_ids:
        return {}
    applications = list(
        EntryApplication.objects.filter(
            team_id__in=team_ids, status=ApplicationStatus.APPROVED, entry__isnull=False
        )
        .select_related("driver", "entry")
        .order_by("entry__car_number", "pk")
    )
    if not applications:
        return {}
    meetings = list(
        Meeting.objects.with_circuit()
        .filter(championship_id__in={a.championship_id for a in applications}, end_date__gte=today)
        .order_by("start_date", "round", "pk")
    )
    documents = _current_documents(a.driver_id for a in applications)
    rows: dict[int, list[TeamMeetingFlags]] = defaultdict(list)
    for meeting in meetings:
        for application in applications:
            if application.championship_id != meeting.championship_id:
                continue
            if not races_at(meeting, application.meeting_id):
                continue
            problems = document_problems(
                documents.get(application.driver_id, []), meeting.start_date, meeting.end_date
            )
            rows[application.team_id].append(
                TeamMeetingFlags(meeting, application.entry, application.driver, problems)
            )
    return dict(rows)


def team_document_flags(team: EntrantTeam, today: dt.date) -> list[TeamMeetingFlags]:
    """``teams_document_flags`` of one team: its rows, in three queries."""
    return teams_document_flags([team], today).get(team.pk, [])
