"""The entrants' side: team accounts and their members, the drivers they enter with their
documents, the entries each championship opens, the applications, their fees and the
administrative checks at each meeting, the acknowledgements of the notice board's documents
and the protests and appeals.

A package of modules (teams, windows, applications, documents, checks, protests); every name is
importable from ``paddock.models``.
"""

from paddock.models.applications import (
    ACTIVE_STATUSES,
    ApplicationEvent,
    ApplicationQuerySet,
    ApplicationStatus,
    EntryApplication,
    Fee,
    FeeKind,
    SeatRequest,
    new_application_reference,
)
from paddock.models.checks import DocumentReminder, MeetingCheck
from paddock.models.documents import (
    EXPIRING_KINDS,
    DocumentKind,
    DocumentQuerySet,
    DriverDocument,
)
from paddock.models.protests import (
    DECIDED_STATUSES,
    OPEN_STATUSES,
    Acknowledgement,
    FilingKind,
    FilingStatus,
    HearingRules,
    Protest,
    ProtestAttachment,
    ProtestQuerySet,
)
from paddock.models.teams import (
    EntrantDriver,
    EntrantDriverQuerySet,
    EntrantTeam,
    EntrantTeamQuerySet,
    Invitation,
    InvitationQuerySet,
    TeamMember,
    TeamRole,
)
from paddock.models.windows import EntryWindow, EntryWindowQuerySet

__all__ = [
    "DECIDED_STATUSES",
    "OPEN_STATUSES",
    "Acknowledgement",
    "FilingKind",
    "FilingStatus",
    "HearingRules",
    "Protest",
    "ProtestAttachment",
    "ProtestQuerySet",
    "ACTIVE_STATUSES",
    "ApplicationEvent",
    "ApplicationQuerySet",
    "ApplicationStatus",
    "DocumentKind",
    "DocumentQuerySet",
    "DocumentReminder",
    "DriverDocument",
    "EXPIRING_KINDS",
    "EntrantDriver",
    "EntrantDriverQuerySet",
    "EntrantTeam",
    "EntrantTeamQuerySet",
    "EntryApplication",
    "EntryWindow",
    "EntryWindowQuerySet",
    "Fee",
    "FeeKind",
    "Invitation",
    "InvitationQuerySet",
    "MeetingCheck",
    "SeatRequest",
    "TeamMember",
    "TeamRole",
    "new_application_reference",
]
