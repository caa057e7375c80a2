"""The notice board as teams meet it: which documents concern a team, its managers'
acknowledgements of receipt, and the e-mail a team receives when a decision or a summons
about one of its cars is posted.

A document concerns a team when its ``concerns`` include one of the team's
``racing_entries()``, or when ``concerns`` is empty (it is for every competitor) and the team
has a racing entry in the meeting's championship. A superseded document still concerns the
team and still waits for its acknowledgement: it was posted, and the receipt of what was
posted is what is acknowledged (its successor is acknowledged on its own).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from championships.models import BoardDocument, BoardEdition, BoardKind, Meeting
from paddock.emails import team_send
from paddock.models import Acknowledgement, EntrantTeam, TeamMember, TeamRole

logger = logging.getLogger(__name__)

# The kinds whose publication is e-mailed to the teams of the cars they name.
MAILED_KINDS = frozenset({BoardKind.DECISION, BoardKind.SUMMONS})


class AcknowledgementError(ValidationError):
    """An acknowledgement that may not be recorded; the message says why."""


# --- Which documents concern a team ----------------------------------------------------------


def concerning(team: EntrantTeam) -> Q:
    """The condition on ``BoardDocument`` of the documents that concern ``team``."""
    entries = team.racing_entries()
    concerned = BoardDocument.concerns.through.objects.filter(boarddocument_id=OuterRef("pk"))
    named = Exists(concerned.filter(entry_id__in=entries.values("pk")))
    for_everyone = ~Exists(concerned) & Q(
        meeting__championship_id__in=entries.values("championship_id")
    )
    return Q(named) | for_everyone


def concerned_teams(
    named: set[int], teams: list[EntrantTeam], racing: dict[int, set[int]]
) -> list[EntrantTeam]:
    """``concerning`` read from rows, for one document: the teams racing one of the cars it
    names (``named``), or every team racing in its championship when it names none
    (``racing``: each team's entries in that championship)."""
    return [
        team
        for team in teams
        if (racing.get(team.pk, set()) & named if named else racing.get(team.pk))
    ]


def _in_meeting(team: EntrantTeam, meeting: Meeting | int) -> QuerySet[BoardDocument]:
    return BoardDocument.objects.filter(meeting=meeting).filter(concerning(team))


def documents_concerning(team: EntrantTeam, meeting: Meeting) -> QuerySet[BoardDocument]:
    """The documents of ``meeting``'s board that concern ``team``, in board order, each with
    its editions and ``team_acknowledgements`` (the team's acknowledgement, if any, in a
    list): three queries, however many documents."""
    own = Acknowledgement.objects.filter(team=team).select_related("acknowledged_by")
    return (
        _in_meeting(team, meeting)
        .on_board()
        .prefetch_related(
            Prefetch("acknowledgements", queryset=own, to_attr="team_acknowledgements"),
            "editions",
        )
    )


def _unacknowledged(team: EntrantTeam, documents: QuerySet[BoardDocument]) -> QuerySet:
    return documents.exclude(
        Exists(Acknowledgement.objects.filter(document=OuterRef("pk"), team=team))
    )


def meetings_on_board(team: EntrantTeam) -> QuerySet[Meeting]:
    """The meetings of the championships where ``team`` races that have documents concerning
    it, latest first, each with ``documents`` (how many concern the team) and
    ``unacknowledged`` (how many the team has not acknowledged). One query."""
    in_meeting = (
        BoardDocument.objects.filter(meeting=OuterRef("pk"))
        .filter(concerning(team))
        .order_by()
        .values("meeting")
    )

    def counted(documents: QuerySet) -> Coalesce:
        counts = documents.annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counts, output_field=IntegerField()), 0)

    championships = team.racing_entries().values("championship_id")
    return (
        Meeting.objects.with_circuit()
        .filter(championship_id__in=championships)
        .annotate(
            documents=counted(in_meeting), unacknowledged=counted(_unacknowledged(team, in_meeting))
        )
        .filter(documents__gt=0)
        .order_by("-start_date", "championship__name", "round")
    )


def waiting_count(teams: list[EntrantTeam]) -> int:
    """How many (document, team) pairs of ``teams`` wait for acknowledgement, on every board:
    one query for any number of teams."""
    if not teams:
        return 0
    waiting = [
        _unacknowledged(team, BoardDocument.objects.filter(concerning(team)))
        .order_by()
        .values("pk")
        for team in teams
    ]
    if len(waiting) == 1:
        return waiting[0].count()
    return waiting[0].union(*waiting[1:], all=True).count()


def acknowledgement_of(document: BoardDocument) -> Acknowledgement | None:
    """The team's acknowledgement of a document read through ``documents_concerning``."""
    found = getattr(document, "team_acknowledgements", None) or []
    return found[0] if found else None


@dataclass(frozen=True)
class StaffRow:
    """A document of the round with each team it concerns and that team's acknowledgement."""

    document: BoardDocument
    teams: list[tuple[EntrantTeam, Acknowledgement | None]]


def meeting_acknowledgements(
    meeting: Meeting,
) -> tuple[list[StaffRow], list[tuple[EntrantTeam, list[BoardDocument]]]]:
    """For staff: each document of ``meeting`` with the teams it concerns and their
    acknowledgements, and each team with the documents it has not acknowledged (teams with
    none left out). Six queries, however many teams and documents: which documents concern
    which team is ``concerned_teams``, the rule of ``concerning`` read from rows."""
    championship = meeting.championship_id
    candidates = list(
        EntrantTeam.objects.filter(
            Q(applications__championship_id=championship)
            | Q(team__entries__championship_id=championship)
        )
        .distinct()
        .order_by("name")
    )
    documents = list(BoardDocument.objects.filter(meeting=meeting).on_board())
    acknowledged = {
        (ack.document_id, ack.team_id): ack
        for ack in Acknowledgement.objects.filter(document__meeting=meeting).select_related(
            "acknowledged_by"
        )
    }
    racing: dict[int, set[int]] = {}
    pairs = EntrantTeam.objects.filter(pk__in=[team.pk for team in candidates]).racing_pairs(
        championship
    )
    for team_id, entry_id in pairs:
        racing.setdefault(team_id, set()).add(entry_id)
    named: dict[int, set[int]] = {}
    through = BoardDocument.concerns.through.objects.filter(boarddocument__meeting=meeting)
    for document_id, entry_id in through.values_list("boarddocument_id", "entry_id"):
        named.setdefault(document_id, set()).add(entry_id)
    concerned = {
        document.pk: concerned_teams(named.get(document.pk, set()), candidates, racing)
        for document in documents
    }
    rows, missing = [], {}
    for document in documents:
        teams = [
            (team, acknowledged.get((document.pk, team.pk))) for team in concerned[document.pk]
        ]
        rows.append(StaffRow(document, teams))
        for team, ack in teams:
            if ack is None:
                missing.setdefault(team.pk, (team, []))[1].append(document)
    summary = sorted(missing.values(), key=lambda pair: pair[0].name)
    return rows, summary


# --- Acknowledging ---------------------------------------------------------------------------


def _check_manager(team: EntrantTeam, user: Any) -> None:
    managing = TeamMember.objects.filter(team=team, user_id=getattr(user, "pk", None))
    if not managing.filter(role=TeamRole.MANAGER).exists():
        raise AcknowledgementError(
            _("Only a manager of %(team)s acknowledges its notice board documents.")
            % {"team": team.name},
            code="not_manager",
        )


def document_acknowledge(
    *, team: EntrantTeam, document: BoardDocument, user: Any
) -> Acknowledgement:
    """Record that ``team`` received ``document``, acknowledged by ``user``, one of its
    managers. Acknowledging it again keeps the first acknowledgement (its time and who)."""
    _check_manager(team, user)
    if not _in_meeting(team, document.meeting_id).filter(pk=document.pk).exists():
        raise AcknowledgementError(
            {
                "document": _("Document %(number)s does not concern %(team)s.")
                % {"number": document.number, "team": team.name}
            },
            code="not_concerned",
        )
    try:
        with transaction.atomic():
            acknowledgement, _created = Acknowledgement.objects.get_or_create(
                document=document, team=team, defaults={"acknowledged_by": user}
            )
    except IntegrityError:  # acknowledged at the same moment by another manager
        acknowledgement = Acknowledgement.objects.get(document=document, team=team)
    return acknowledgement


def meeting_acknowledge(*, team: EntrantTeam, meeting: Meeting, user: Any) -> int:
    """Acknowledge, for ``team``, every document of ``meeting`` that concerns it and is not
    acknowledged yet, by ``user``, one of its managers, all at one time. Returns how many."""
    _check_manager(team, user)
    with transaction.atomic():
        pending = list(
            _unacknowledged(team, _in_meeting(team, meeting))
            .order_by("number")
            .values_list("pk", flat=True)
        )
        rows = [Acknowledgement(document_id=pk, team=team, acknowledged_by=user) for pk in pending]
        Acknowledgement.objects.bulk_create(rows, ignore_conflicts=True)
    return len(pending)


# --- E-mail to the teams concerned -----------------------------------------------------------


def teams_concerned_by_cars(document: BoardDocument) -> list[EntrantTeam]:
    """The teams whose racing entries include one of the cars ``document`` names (none for a
    document for every competitor)."""
    cars = list(document.concerns.values_list("pk", "team_id"))
    if not cars:
        return []
    car_ids = [pk for pk, _team in cars]
    candidates = EntrantTeam.objects.filter(
        Q(applications__entry_id__in=car_ids) | Q(team_id__in={team for _pk, team in cars})
    ).distinct()
    return [
        team
        for team in candidates.order_by("name")
        if team.racing_entries().filter(pk__in=car_ids).exists()
    ]


def _absolute(path: str) -> str:
    """``path`` as a full address, from the request being answered (the publication in race
    control, the back office), else from ``SITE_URL`` (the task queue's worker, a command);
    a path alone without either."""
    from allauth.core import context

    request = context.request
    if request is not None:
        return request.build_absolute_uri(path)
    return f"{settings.SITE_URL}{path}" if settings.SITE_URL else path


def _links(team: EntrantTeam, document: BoardDocument) -> dict[str, str]:
    meeting = document.meeting
    # Read again: the document announced may carry the editions it had before drawing them.
    editions = set(
        BoardEdition.objects.filter(document_id=document.pk).values_list("language", flat=True)
    )
    language = team.language if team.language in editions else min(editions, default="")
    with translation.override(team.language):
        board = reverse("paddock:board-meeting", kwargs={"meeting_id": meeting.pk})
        pdf = document.pdf_url(language) if language else ""
    return {"board_url": _absolute(board), "pdf_url": _absolute(pdf) if pdf else ""}


def document_published_mail(sender: Any, document: BoardDocument, **kwargs: Any) -> list[str]:
    """Receiver of ``championships.board.document_published``: a decision or a summons about
    specific cars is e-mailed to each team racing one of them, in the team's language. Never
    raises: the publication stands whatever the mail does. Returns the teams e-mailed."""
    if document.kind not in MAILED_KINDS:
        return []
    sent = []
    try:
        teams = teams_concerned_by_cars(document)
        if not teams:
            return []
        meeting = document.meeting
        local = document.published_at.astimezone(meeting.circuit.zone)
    except Exception:
        logger.exception("Teams concerned by notice board document %s not found", document.pk)
        return []
    for team in teams:
        try:
            context = {
                "document": document,
                "meeting": meeting,
                "published": local,
                "zone": meeting.circuit.timezone,
                **_links(team, document),
            }
            if team_send(
                team,
                subject=lambda: (
                    _("Notice board document %(number)s: %(title)s")
                    % {"number": document.number, "title": document.title}
                ),
                template="paddock/board_document_email.txt",
                context=context,
            ):
                sent.append(team.name)
        except Exception:
            logger.exception(
                "Notice board document %s not e-mailed to team %s", document.pk, team.pk
            )
    return sent
