"""The notice board as a team reads it in its paddock: the rounds with documents that concern
the team, and a round's documents with the team's acknowledgements.

A page shows a section per team of the signed-in account that races in the round's
championship (any member: managers acknowledge, team staff and drivers read); a round where
none of their teams races is a 404. Times are the circuit's, the zone named.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404
from django.urls import reverse

from championships.models import BoardDocument, Meeting
from paddock.models import Acknowledgement, EntrantTeam, TeamMember, TeamRole
from paddock.services.notices import acknowledgement_of, documents_concerning, meetings_on_board
from public.pages.board import BoardLine, board_line

Context = dict[str, Any]


@dataclass(frozen=True)
class BoardRow:
    """A document as the public board shows it (its PDF links, its successor), with its
    publication in the circuit's time and the team's acknowledgement."""

    line: BoardLine
    published_local: dt.datetime
    acknowledgement: Acknowledgement | None

    @property
    def document(self) -> BoardDocument:
        return self.line.document


@dataclass(frozen=True)
class TeamBoard:
    """One team's part of a page: its meetings (the list) or its documents (a round)."""

    team: EntrantTeam
    role_label: str
    is_manager: bool
    meetings: list[Meeting]
    rows: list[BoardRow]

    @property
    def waiting(self) -> int:
        return sum(1 for row in self.rows if row.acknowledgement is None)


def memberships(user: AbstractBaseUser) -> list[TeamMember]:
    """The signed-in account's memberships, with their teams, by team name."""
    found = TeamMember.objects.filter(user=user).select_related("team")
    return list(found.order_by("team__name", "pk"))


def board_list_page(user: AbstractBaseUser) -> Context:
    """Each of the account's teams with the rounds whose documents concern it (one query a
    team), each with how many documents and how many wait for acknowledgement."""
    sections = []
    for membership in memberships(user):
        meetings = list(meetings_on_board(membership.team))
        for meeting in meetings:
            meeting.board_url = reverse("paddock:board-meeting", kwargs={"meeting_id": meeting.pk})
        sections.append(_section(membership, meetings=meetings))
    return {"sections": sections}


def _section(membership: TeamMember, **parts: Any) -> TeamBoard:
    return TeamBoard(
        team=membership.team,
        role_label=membership.get_role_display(),
        is_manager=membership.role == TeamRole.MANAGER,
        meetings=parts.get("meetings", []),
        rows=parts.get("rows", []),
    )


def board_meeting(meeting_id: int) -> Meeting:
    meeting = Meeting.objects.with_circuit().filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404("No such round.")
    return meeting


def teams_on_meeting(user: AbstractBaseUser, meeting: Meeting) -> list[TeamMember]:
    """The account's memberships of teams racing in ``meeting``'s championship (one query a
    team); none: 404, the round is another team's business."""
    found = [
        membership
        for membership in memberships(user)
        if membership.team.racing_entries().filter(championship_id=meeting.championship_id).exists()
    ]
    if not found:
        raise Http404("None of your teams races in this round.")
    return found


def board_meeting_page(user: AbstractBaseUser, meeting_id: int) -> Context:
    """The round's documents concerning each of the account's teams racing there, with who
    acknowledged each and when (four queries a team, however many documents)."""
    meeting = board_meeting(meeting_id)
    sections = []
    for membership in teams_on_meeting(user, meeting):
        rows = []
        for document in documents_concerning(membership.team, meeting):
            document.meeting = meeting  # the loaded one, with its championship and circuit
            local = document.published_at.astimezone(meeting.circuit.zone)
            rows.append(BoardRow(board_line(document), local, acknowledgement_of(document)))
        sections.append(_section(membership, rows=rows))
    return {
        "meeting": meeting,
        "sections": sections,
        "zone": meeting.circuit.timezone,
        "public_board_url": reverse(
            "championships:board",
            kwargs={"slug": meeting.championship.slug, "round": meeting.round},
        ),
    }
