"""The entrants' side of the living demo: a team account applying for guest entries to the
Cup's current season, written through the paddock's services so every page shows real states.

The Cup's entry window is open (it closes when the last meeting starts): mid-season, what a
team can still apply for is a single meeting as guests. Lion City Motorsport's manager
(demo-team@example.com) entered two drivers with their documents; Rachel Koh's guest entry for
the next meeting, with an arrive-and-drive seat, is approved (one fee invoiced, one paid, the
seat still owed), and the medical certificate uploaded since (cleared after an injury until a
re-examination) expires on the meeting's first day, so she is flagged on the allocation board,
the meeting's administrative checks and the team's page. Ethan Goh was refused a seat at the
next meeting and waits for review with his own car at the one after. The team's staff member
and Rachel Koh's own account joined through invitations.

Loaded once per season, like the rest of the demo: a Cup season with its entry window is left
as it is. The accounts' password is the demo staff's, so they are made only with DJANGO_DEBUG
on (as ``create_demo_staff``). The services check the real clock (a window open now, a meeting
not started yet), so a demo built around a past day (``--today``) gets no applications.
Administrative checks are not recorded: the approved entry has not raced yet. The e-mails the
services send (invitations, receipts, decisions) go to memory, not to the console.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from championships.models import Championship, Meeting, Race, aware_from_local
from core.documents import validate_photo, validate_scan
from demo.management.commands.create_demo_staff import DEMO_PASSWORD
from demo.talentpool import DEMO_ZONE
from entries.models import PaymentStatus
from paddock.models import (
    DocumentKind,
    EntrantDriver,
    EntrantTeam,
    EntryApplication,
    EntryWindow,
    Fee,
    FeeKind,
    SeatRequest,
    TeamRole,
)
from paddock.services.applications import (
    ApplicationRefused,
    CarRequest,
    Declaration,
    applications_submit,
)
from paddock.services.documents import document_add
from paddock.services.drivers import entrant_driver_create
from paddock.services.review import application_approve, application_refuse, fee_record
from paddock.services.teams import invitation_accept, invitation_send, team_create

TEAM = "Lion City Motorsport"
MANAGER_EMAIL = "demo-team@example.com"
STAFF_EMAIL = "demo-team-staff@example.com"
DRIVER_EMAIL = "demo-driver@example.com"
DECLARED_FROM = "203.0.113.24"  # an address of the documentation range (RFC 5737)
WINDOW_OPENED_DAYS_AGO = 42


class PaddockDemoError(Exception):
    """A step of the paddock demo the services refused: a bug of the demo."""


@dataclass(frozen=True)
class Account:
    email: str
    first_name: str
    last_name: str
    role: str


@dataclass(frozen=True)
class DemoDriver:
    first_name: str
    last_name: str
    date_of_birth: dt.date
    car_number: int
    entry_class: str
    category: str
    licence_number: str
    email: str = ""
    nationality: str = "SG"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


# All her documents valid when she applied; the medical certificate since expires mid-meeting.
RACHEL = DemoDriver(
    "Rachel", "Koh", dt.date(1990, 8, 21), 71, "AM", "BRONZE", "SG-24-0233", DRIVER_EMAIL
)
ETHAN = DemoDriver("Ethan", "Goh", dt.date(2001, 3, 14), 19, "PRO", "SILVER", "SG-24-0419")

ACCOUNTS = (
    Account(MANAGER_EMAIL, "Marcus", "Lee", TeamRole.MANAGER),
    Account(STAFF_EMAIL, "Nurul", "Aziz", TeamRole.STAFF),
    Account(DRIVER_EMAIL, RACHEL.first_name, RACHEL.last_name, TeamRole.DRIVER),
)


def paddock_demo_ensure(*, championship: Championship, today: dt.date) -> list[str]:
    """The entrants' side of ``championship`` (the Cup's current season) for ``today``, unless
    it is there; what was done, a line each, then the entrant accounts."""
    if not settings.DEBUG:
        return ["Paddock: no demo entrant accounts with DJANGO_DEBUG off (nor their team)."]
    users, lines = _accounts_ensure()
    if EntryWindow.objects.filter(championship=championship).exists():
        said = [f"Paddock: {championship.slug} has its entry window already, left as it is."]
    elif today < timezone.localdate():
        said = [
            f"Paddock: no applications for a demo built around {today:%Y-%m-%d}, a past day "
            "(the entry services check today's date)."
        ]
    else:
        said = _season_build(championship, today, users)
    return [*said, "Demo entrant accounts (e-mail / password / role), at /accounts/login/:", *lines]


# --- Accounts and the team ---------------------------------------------------------------------


def _accounts_ensure() -> tuple[dict[str, AbstractBaseUser], list[str]]:
    """The entrant accounts, verified and never staff, made if missing; their printed lines."""
    users, lines = {}, []
    for account in ACCOUNTS:
        user = get_user_model().objects.filter(email__iexact=account.email).first()
        state = "exists (unless changed)"
        if user is None:
            user = get_user_model().objects.create_user(
                account.email,
                account.email,
                DEMO_PASSWORD,
                first_name=account.first_name,
                last_name=account.last_name,
            )
            EmailAddress.objects.create(user=user, email=account.email, verified=True, primary=True)
            state = "created"
        users[account.email] = user
        role = f"{TeamRole(account.role).label}, {TEAM}"
        lines.append(f"  {account.email} / {DEMO_PASSWORD} / {role}: {state}")
    return users, lines


def _team_ensure(manager: AbstractBaseUser) -> EntrantTeam:
    team = EntrantTeam.objects.filter(name__iexact=TEAM).first()
    return team or team_create(name=TEAM, user=manager, language="en")


def _member_ensure(
    team: EntrantTeam,
    user: AbstractBaseUser,
    role: str,
    *,
    by: AbstractBaseUser,
    driver: EntrantDriver | None = None,
) -> None:
    """``user`` joins the team as a member would: invited by its manager, then accepting."""
    if team.members.filter(user=user).exists():
        return
    invitation = invitation_send(
        team=team,
        email=user.email,
        role=role,
        driver=driver,
        by=by,
        accept_url_builder=lambda i: reverse("paddock:invitation", kwargs={"token": i.token}),
    )
    invitation_accept(invitation=invitation, user=user)


def _driver_ensure(team: EntrantTeam, person: DemoDriver, by: AbstractBaseUser) -> EntrantDriver:
    found = team.drivers.filter(
        first_name__iexact=person.first_name,
        last_name__iexact=person.last_name,
        date_of_birth=person.date_of_birth,
    ).first()
    if found is not None:
        return found
    fields = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "date_of_birth": person.date_of_birth,
        "nationality": person.nationality,
        "email": person.email,
    }
    return entrant_driver_create(team=team, fields=fields, by=by)


# --- The season ----------------------------------------------------------------------------------


def _season_build(
    championship: Championship, today: dt.date, users: dict[str, AbstractBaseUser]
) -> list[str]:
    manager = users[MANAGER_EMAIL]
    window = _window_open(championship, today)
    team = _team_ensure(manager)
    rachel, ethan = (_driver_ensure(team, person, manager) for person in (RACHEL, ETHAN))
    _member_ensure(team, users[STAFF_EMAIL], TeamRole.STAFF, by=manager)
    if rachel.user_id is None:
        _member_ensure(team, users[DRIVER_EMAIL], TeamRole.DRIVER, by=manager, driver=rachel)
    following, after = _meetings_ahead(championship, today)
    for person, driver in ((RACHEL, rachel), (ETHAN, ethan)):
        _documents_add(person, driver, today, manager)
    approved = _approved_guest(window, team, rachel, following, manager, today)
    # Cleared again after a wrist injury, until a re-examination on the meeting's first day.
    _medical_add(rachel, manager, expires_on=following.start_date)
    refused = _apply(window, team, ETHAN, ethan, following, manager, SeatRequest.SINGLE_MEETING)
    application_refuse(
        application=refused,
        by=None,
        reason=(
            f"No arrive-and-drive car is left at {following}: the last one went to an earlier "
            "application. You may apply with your own car, or for the next meeting."
        ),
    )
    _apply(window, team, ETHAN, ethan, after, manager, SeatRequest.NONE)
    return [
        f"Paddock: entries to {championship.slug} open until {window.closes_at:%Y-%m-%d} "
        f"({window.places} places; guest entries for the meetings ahead).",
        f"Paddock: {TEAM}: #{approved.car_number} {rachel} approved at {following} (her medical "
        f"certificate expires on its first day, flagged); #{ETHAN.car_number} {ethan} refused "
        f"a seat there, waiting for review at {after}.",
    ]


def _window_open(championship: Championship, today: dt.date) -> EntryWindow:
    """Open some weeks before today (and before the real clock's now, which the services
    read), until the season's last meeting starts; every class, fees in US dollars."""
    noon = aware_from_local(dt.datetime.combine(today, dt.time(12)), DEMO_ZONE)
    last = championship.meetings.order_by("-start_date").first()
    window = EntryWindow(
        championship=championship,
        opens_at=min(noon, timezone.now()) - dt.timedelta(days=WINDOW_OPENED_DAYS_AGO),
        closes_at=Race.objects.filter(meeting=last).order_by("starts_at").first().starts_at,
        places=championship.entries.count() + 2,
        season_fee=Decimal("185000"),
        meeting_fee=Decimal("24000"),
        deposit=Decimal("15000"),
        currency="USD",
        seat_season_price=Decimal("240000"),
        seat_meeting_price=Decimal("30000"),
        regulations_title="Sporting Regulations",
        regulations_version=f"{championship.year}-2",
        reminder_days=14,
    )
    window.full_clean()  # as the back office's form saves it: no service writes a window
    window.save()
    window.classes.set(championship.classes.all())
    return window


def _meetings_ahead(championship: Championship, today: dt.date) -> tuple[Meeting, Meeting]:
    following, after, *_rest = championship.meetings.filter(start_date__gt=today).order_by(
        "start_date"
    )
    return following, after


def _apply(
    window: EntryWindow,
    team: EntrantTeam,
    person: DemoDriver,
    driver: EntrantDriver,
    meeting: Meeting,
    by: AbstractBaseUser,
    seat: str,
) -> EntryApplication:
    """One car, applied for as the form does: the team's driver, the category declared."""
    car = CarRequest(
        car_number=person.car_number,
        entry_class=window.championship.classes.get(code=person.entry_class),
        driver=driver,
        declared_category=person.category,
        seat=seat,
    )
    declaration = Declaration(
        name=by.get_full_name(),
        address=DECLARED_FROM,
        regulations_version=window.regulations_version,
    )
    try:
        (application,) = applications_submit(
            window=window,
            team=team,
            cars=[car],
            declaration=declaration,
            meeting=meeting,
            by=by,
            language=team.language,
        )
    except ApplicationRefused as error:
        raise PaddockDemoError(f"The demo's application was refused: {error}") from error
    return application


def _approved_guest(
    window: EntryWindow,
    team: EntrantTeam,
    driver: EntrantDriver,
    meeting: Meeting,
    by: AbstractBaseUser,
    today: dt.date,
) -> EntryApplication:
    """Approved by staff with its seat: the meeting's fee invoiced, the deposit paid, the
    seat still owed."""
    application = _apply(window, team, RACHEL, driver, meeting, by, SeatRequest.SINGLE_MEETING)
    try:
        application = application_approve(application=application, by=None)
    except ValidationError as error:
        raise PaddockDemoError(f"The demo's approval was refused: {error}") from error
    fees = {fee.kind: fee for fee in Fee.objects.filter(application=application)}
    fee_record(
        fee=fees[FeeKind.MEETING],
        status=PaymentStatus.INVOICED,
        invoice_number=f"PCCA-{window.championship.year}-0417",
        invoiced_on=today - dt.timedelta(days=5),
        by=None,
    )
    fee_record(
        fee=fees[FeeKind.DEPOSIT],
        status=PaymentStatus.PAID,
        invoice_number=f"PCCA-{window.championship.year}-0416",
        invoiced_on=today - dt.timedelta(days=5),
        paid_on=today - dt.timedelta(days=2),
        by=None,
    )
    return application


# --- Documents -----------------------------------------------------------------------------------


def _documents_add(
    person: DemoDriver, driver: EntrantDriver, today: dt.date, by: AbstractBaseUser
) -> None:
    """A licence valid to the end of next year, a medical certificate for most of a year, a
    photo: all in order for the rest of the season."""
    licence = {
        "grade": "International C",
        "issued_by": "Motor Sports Singapore",
        "number": person.licence_number,
        "expires_on": dt.date(today.year + 1, 12, 31),
    }
    _add(driver, DocumentKind.LICENCE, _pdf_upload(f"Racing licence {driver}"), licence, by)
    _medical_add(driver, by, expires_on=today + dt.timedelta(days=300))
    _add(driver, DocumentKind.PHOTO, _photo_upload(), {}, by)


def _medical_add(driver: EntrantDriver, by: AbstractBaseUser, *, expires_on: dt.date) -> None:
    upload = _pdf_upload(f"Medical certificate {driver}, valid until {expires_on:%Y-%m-%d}")
    _add(driver, DocumentKind.MEDICAL, upload, {"expires_on": expires_on}, by)


def _add(
    driver: EntrantDriver,
    kind: str,
    upload: SimpleUploadedFile,
    details: dict[str, object],
    by: AbstractBaseUser,
) -> None:
    # The form's check by content first, as an upload on the site has.
    (validate_photo if kind == DocumentKind.PHOTO else validate_scan)(upload)
    document_add(driver=driver, kind=kind, upload=upload, details=details, by=by)


def _pdf_upload(line: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("document.pdf", pdf_bytes(line), content_type="application/pdf")


def _photo_upload() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 400), (200, 16, 46)).save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def pdf_bytes(line: str) -> bytes:
    """A one-page PDF reading ``line`` (ASCII), with its cross-reference table: a valid file
    any reader opens."""
    text = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("ascii")
    stream = b"BT /F1 14 Tf 72 770 Td (DEMO - " + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
