"""Entrants' side: accounts, team accounts, entered drivers with documents, entry windows and
applications, made directly in the database (the services are tested through them)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.test import Client
from django.utils import timezone

from championships.models import Championship
from core.documents import paddock_storage
from paddock.models import (
    DocumentKind,
    DriverDocument,
    EntrantDriver,
    EntrantTeam,
    EntryApplication,
    EntryWindow,
    TeamMember,
    TeamRole,
    new_application_reference,
)
from tests.factories import PDF, make_championship, make_meeting, make_race

_seq = itertools.count(1)
PASSWORD = "a-long-paddock-password-1"


def make_account(email: str | None = None, *, verified: bool = True) -> AbstractUser:
    """An entrant's account (never staff), its address verified unless told otherwise."""
    email = email or f"entrant{next(_seq)}@example.com"
    user = get_user_model().objects.create_user(
        username=email.split("@")[0] + str(next(_seq)), email=email, password=PASSWORD
    )
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def entrant_client(user: AbstractUser) -> Client:
    client = Client()
    client.force_login(user)
    return client


def make_entrant_team(
    name: str | None = None, *, manager: AbstractUser | None = None
) -> EntrantTeam:
    team = EntrantTeam.objects.create(name=name or f"Paddock Team {next(_seq)}")
    TeamMember.objects.create(team=team, user=manager or make_account(), role=TeamRole.MANAGER)
    return team


def manager_of(team: EntrantTeam) -> AbstractUser:
    return team.members.filter(role=TeamRole.MANAGER).first().user


def make_entrant_driver(team: EntrantTeam, first_name: str = "Mia", **fields) -> EntrantDriver:
    return EntrantDriver.objects.create(
        team=team,
        first_name=first_name,
        last_name=fields.pop("last_name", f"Racer{next(_seq)}"),
        date_of_birth=fields.pop("date_of_birth", dt.date(2000, 5, 5)),
        nationality=fields.pop("nationality", "MY"),
        **fields,
    )


def make_document(
    driver: EntrantDriver,
    kind: str = DocumentKind.LICENCE,
    *,
    expires_on: dt.date | None = None,
    **fields,
) -> DriverDocument:
    """A stored PDF document; a licence gets its grade, authority and number."""
    name = paddock_storage.save(
        f"{driver.team_id}/{driver.pk}/{kind.lower()}-{next(_seq)}.pdf", _pdf()
    )
    details = {}
    if kind == DocumentKind.LICENCE:
        details = {"grade": "International C", "issued_by": "AAM", "number": f"L{next(_seq)}"}
    if kind != DocumentKind.PHOTO:
        details["expires_on"] = expires_on or dt.date(2099, 12, 31)
    return DriverDocument.objects.create(
        driver=driver,
        kind=kind,
        file=name,
        content_type="application/pdf",
        **{**details, **fields},
    )


def _pdf():
    from django.core.files.base import ContentFile

    return ContentFile(PDF)


def make_window(championship: Championship | None = None, **fields) -> EntryWindow:
    """Entries open now for a season with one meeting and race (so a first race day), every
    class offered."""
    championship = championship or make_championship(year=timezone.localdate().year + 1)
    if not championship.meetings.exists():
        make_race(make_meeting(championship, start_date=dt.date(championship.year, 4, 20)))
    now = timezone.now()
    window = EntryWindow.objects.create(
        championship=championship,
        opens_at=fields.pop("opens_at", now - dt.timedelta(days=1)),
        closes_at=fields.pop("closes_at", now + dt.timedelta(days=30)),
        places=fields.pop("places", 20),
        season_fee=fields.pop("season_fee", Decimal("50000")),
        meeting_fee=fields.pop("meeting_fee", Decimal("9000")),
        deposit=fields.pop("deposit", Decimal("10000")),
        currency=fields.pop("currency", "USD"),
        regulations_title=fields.pop("regulations_title", "Sporting Regulations"),
        regulations_version=fields.pop("regulations_version", "2027-1"),
        **fields,
    )
    window.classes.set(championship.classes.all())
    return window


def make_application(
    window: EntryWindow, team: EntrantTeam, driver: EntrantDriver | None = None, **fields
) -> EntryApplication:
    championship = window.championship
    return EntryApplication.objects.create(
        reference=new_application_reference(championship.year),
        championship=championship,
        team=team,
        driver=driver or make_entrant_driver(team),
        car_number=fields.pop("car_number", next(_seq) % 900 + 10),
        entry_class=fields.pop("entry_class", None) or championship.classes.get(code="PRO"),
        category=fields.pop("category", "GOLD"),
        regulations_version=window.regulations_version,
        declared_name=fields.pop("declared_name", "Team Manager"),
        declared_at=timezone.now(),
        declared_from="203.0.113.5",
        submitted_by=fields.pop("submitted_by", None) or manager_of(team),
        **fields,
    )


# --- Notice board filings (issue 19) ---------------------------------------------------------


def make_racing_team(
    championship: Championship, name: str | None = None, *, cars: int = 1, **fields
) -> EntrantTeam:
    """A team account whose team on the entry lists races ``cars`` entries in
    ``championship`` (so ``racing_entries`` has them), with a manager."""
    from tests.factories import make_entry, make_team

    team = make_entrant_team(name, **fields)
    team.team = make_team(f"{team.name} Racing")
    team.save(update_fields=["team"])
    for _car in range(cars):
        make_entry(championship, team=team.team)
    return team


def make_protest(document, team: EntrantTeam | None = None, **fields):
    """A filing written straight to the database (no checks): ``team``'s first car (a new
    racing team by default) files about ``document``, at its publication, within
    ``HearingRules``' default limit; numbered next in the document's meeting."""
    from django.db.models import Max

    from paddock.models import FilingKind, HearingRules, Protest

    meeting = document.meeting
    team = team or make_racing_team(meeting.championship)
    kind = fields.pop("kind", FilingKind.PROTEST)
    filed_at = fields.pop("filed_at", document.published_at)
    minutes = HearingRules().minutes_for(kind)
    number = (meeting.protests.aggregate(last=Max("number"))["last"] or 0) + 1
    return Protest.objects.create(
        meeting=meeting,
        number=fields.pop("number", number),
        kind=kind,
        document=document,
        team=team,
        entry=fields.pop("entry", None)
        or team.racing_entries().filter(championship=meeting.championship).first(),
        incident=fields.pop("incident", "Lap 3, turn 1"),
        grounds=fields.pop("grounds", "Pushed off the track."),
        filed_at=filed_at,
        filed_by=fields.pop("filed_by", None) or manager_of(team),
        deadline=fields.pop("deadline", filed_at + dt.timedelta(minutes=minutes)),
        **fields,
    )
