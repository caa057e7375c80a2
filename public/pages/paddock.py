"""The entrants' pages, their context: what the signed-in entrant's teams applied for, race,
owe and must show at the next meetings. Every list is read through the querysets'
``visible_to`` (a manager or team staff sees the team's applications, a driver their own;
documents are the driver's own or, for a manager, every driver's of the team), each list in
one query whatever the number of entries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from championships.models import Meeting, Penalty, Result
from entries.models import CarAllocation, PaymentStatus, SeatPackage
from paddock.expiry import DocumentProblem
from paddock.models import (
    ApplicationStatus,
    DocumentKind,
    DriverDocument,
    EntrantDriver,
    EntrantTeam,
    EntryApplication,
    Fee,
    Invitation,
    TeamMember,
    TeamRole,
)
from paddock.services.checks import TeamMeetingFlags, teams_document_flags

# What a fee still owes, and what it paid; a refunded fee is neither.
OWED_STATUSES = (PaymentStatus.UNPAID, PaymentStatus.INVOICED)


def money(amount: Decimal, currency: str) -> str:
    """An amount with its currency, grouped and with two decimals in the page's language:
    "50,000.00 USD"."""
    shown = formats.number_format(amount, 2, use_l10n=True, force_grouping=True)
    return f"{shown} {currency}"


@dataclass
class Totals:
    """What a team's fees owe and paid, per currency."""

    owed: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    paid: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    def add(self, fee: Fee) -> None:
        if fee.status in OWED_STATUSES:
            self.owed[fee.currency] += fee.amount
        elif fee.status == PaymentStatus.PAID:
            self.paid[fee.currency] += fee.amount

    def rows(self) -> list[dict[str, str]]:
        """One row per currency, in alphabetical order: owed and paid, formatted."""
        currencies = sorted(set(self.owed) | set(self.paid))
        return [
            {
                "currency": currency,
                "owed": money(self.owed.get(currency, Decimal(0)), currency),
                "paid": money(self.paid.get(currency, Decimal(0)), currency),
            }
            for currency in currencies
        ]


@dataclass
class MeetingProblems:
    meeting: Meeting
    problems: list[DocumentProblem]

    @property
    def messages(self) -> list[str]:
        return [problem_text(problem, self.meeting) for problem in self.problems]


def problem_text(problem: DocumentProblem, meeting: Meeting) -> str:
    """``paddock.expiry``'s problem in the same words, its day written in the page's
    language (the rule's message gives the day as 2027-04-20)."""
    document = problem.document
    if document is None or document.expires_on is None:
        return problem.message
    if document.expires_on < meeting.start_date:
        message = _("%(kind)s expired on %(day)s.")
    else:
        message = _("%(kind)s expires on %(day)s, during the meeting.")
    day = formats.date_format(document.expires_on, "DATE_FORMAT")
    return message % {"kind": DocumentKind(document.kind).label, "day": day}


@dataclass
class DriverDocuments:
    """One driver's current documents and what stops them racing at each upcoming meeting
    of their approved entries."""

    driver: EntrantDriver
    documents: list[DriverDocument]
    meetings: list[MeetingProblems]


@dataclass
class TeamSection:
    team: EntrantTeam
    role: str
    role_label: str
    url: str
    applications: list[EntryApplication]
    entries: list[EntryApplication]  # the approved ones with their entry
    fees: list[Fee]
    totals: list[dict[str, str]]
    drivers: list[DriverDocuments]

    @property
    def is_manager(self) -> bool:
        return self.role == TeamRole.MANAGER


def _applications(user: AbstractBaseUser, teams: list[EntrantTeam]) -> list:
    """Every application ``user`` may see in ``teams``, with what its entry raced and owes:
    one query per list (fees, seat packages, allocations, results, decisions, meetings)."""
    return list(
        EntryApplication.objects.visible_to(user)
        .filter(team__in=teams)
        .select_related(
            "championship",
            "meeting__circuit",
            "entry_class",
            "driver",
            "entry__championship",
            "entry__entry_class",
        )
        .prefetch_related(
            Prefetch("fees", queryset=Fee.objects.order_by("pk")),
            Prefetch(
                "entry__seat_packages",
                queryset=SeatPackage.objects.select_related("meeting__circuit").order_by(
                    "meeting__start_date", "pk"
                ),
            ),
            Prefetch(
                "entry__car_allocations",
                queryset=CarAllocation.objects.select_related("meeting__circuit", "car").order_by(
                    "meeting__start_date", "pk"
                ),
            ),
            Prefetch(
                "entry__results",
                queryset=Result.objects.select_related("race__meeting__circuit").order_by(
                    "race__starts_at", "race__number", "pk"
                ),
            ),
            Prefetch(
                "entry__penalties",
                queryset=Penalty.objects.select_related(
                    "meeting__circuit", "race", "grid_race__meeting__circuit"
                ).order_by("meeting__start_date", "race__number", "pk"),
            ),
        )
        .order_by("team__name", "-submitted_at", "-pk")
    )


def _drivers(user: AbstractBaseUser, teams: list[EntrantTeam]) -> list[EntrantDriver]:
    """The drivers whose documents ``user`` may read in ``teams``, each with their current
    documents (``current_documents``)."""
    current = DriverDocument.objects.current().order_by("kind", "-uploaded_at")
    return list(
        EntrantDriver.objects.visible_to(user)
        .filter(team__in=teams)
        .prefetch_related(Prefetch("documents", queryset=current, to_attr="current_documents"))
        .order_by("team__name", "last_name", "first_name", "pk")
    )


def _documents_ahead(
    drivers: list[EntrantDriver], flags: list[TeamMeetingFlags]
) -> list[DriverDocuments]:
    """Each of ``drivers`` (one team's, those the user may read) with their current documents
    and, for each meeting ahead of their approved entries, what stops them racing there:
    ``flags``, the team's rows of ``paddock.services.checks.teams_document_flags``, the one
    reading of it (the meetings' flags and the reminders apply the same rule)."""
    ahead: dict[int, list[MeetingProblems]] = defaultdict(list)
    for row in flags:
        ahead[row.driver.pk].append(MeetingProblems(row.meeting, row.problems))
    return [
        DriverDocuments(driver, driver.current_documents, ahead.get(driver.pk, []))
        for driver in drivers
    ]


def home_page(user: AbstractBaseUser, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """The entrant's page: a section per team they belong to; with no team, the invitations
    addressed to their e-mail."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    memberships = list(
        TeamMember.objects.filter(user=user).select_related("team").order_by("team__name", "pk")
    )
    teams = [membership.team for membership in memberships]
    applications = _applications(user, teams) if teams else []
    drivers = _drivers(user, teams) if teams else []
    # Three queries for every team at once; none when the user may read no driver.
    with_drivers = {driver.team_id for driver in drivers}
    flags = teams_document_flags([t for t in teams if t.pk in with_drivers], today)
    sections = []
    for membership in memberships:
        team = membership.team
        own = [application for application in applications if application.team_id == team.pk]
        approved = [
            application
            for application in own
            if application.status == ApplicationStatus.APPROVED and application.entry_id
        ]
        fees = [fee for application in own for fee in application.fees.all()]
        totals = Totals()
        for fee in fees:
            totals.add(fee)
        sections.append(
            TeamSection(
                team=team,
                role=membership.role,
                role_label=membership.get_role_display(),
                url=reverse("paddock:team", args=[team.pk]),
                applications=own,
                entries=approved,
                fees=fees,
                totals=totals.rows(),
                drivers=_documents_ahead(
                    [driver for driver in drivers if driver.team_id == team.pk],
                    flags.get(team.pk, []),
                ),
            )
        )
    for application in applications:
        application.url = reverse("paddock:application", args=[application.pk])
    for section in sections:
        for fee in section.fees:
            fee.shown_amount = money(fee.amount, fee.currency)
        for application in section.entries:
            for package in application.entry.seat_packages.all():
                package.shown_price = money(package.price, package.currency)
    return {
        "sections": sections,
        "invitations": _invitations(user, now),
        "apply_url": reverse("paddock:entries-open"),
        "new_team_url": reverse("paddock:team-create"),
    }


def _invitations(user: AbstractBaseUser, now: dt.datetime) -> list[Invitation]:
    """The open invitations addressed to one of ``user``'s verified e-mail addresses, each
    with its accept link."""
    invitations = list(
        Invitation.objects.open_at(now)
        .addressed_to(user)
        .exclude(team__members__user=user)
        .select_related("team")
        .order_by("-invited_at", "pk")
    )
    for invitation in invitations:
        invitation.url = reverse("paddock:invitation", args=[invitation.token])
    return invitations
