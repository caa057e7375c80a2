"""The notice board in the paddock (see public/urls/paddock.py): the rounds whose documents
concern the account's teams, a round's documents with the team's acknowledgements, and the
managers' acknowledgement (one document, or all of the round's). A round where none of the
account's teams races answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from championships.models import BoardDocument
from paddock.access import entrant_required
from paddock.services.notices import (
    AcknowledgementError,
    document_acknowledge,
    meeting_acknowledge,
)
from public.pages import paddock_board as pages


@entrant_required
def board(request: HttpRequest) -> HttpResponse:
    return render(request, "paddock/board.html", pages.board_list_page(request.user))


@entrant_required
def board_meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    context = pages.board_meeting_page(request.user, meeting_id)
    return render(request, "paddock/board_meeting.html", context)


@require_POST
@entrant_required
def board_acknowledge(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """``document``: a document's id, or ``all``; ``team``: which of the account's teams (all
    of them racing in the round when not given)."""
    meeting = pages.board_meeting(meeting_id)
    found = pages.teams_on_meeting(request.user, meeting)
    team_id = request.POST.get("team", "")
    if team_id:
        found = [membership for membership in found if str(membership.team_id) == team_id]
        if not found:
            raise Http404("Not one of your teams.")
    back = redirect("paddock:board-meeting", meeting_id=meeting.pk)
    choice = request.POST.get("document", "").strip()
    document = None
    if choice != "all":
        document = (
            BoardDocument.objects.filter(meeting=meeting, pk=int(choice)).first()
            if choice.isdecimal()
            else None
        )
        if document is None:
            messages.error(
                request, _("Document: choose a document of this round's board, or all of them.")
            )
            return back
    for membership in found:
        team = membership.team
        try:
            if document is None:
                count = meeting_acknowledge(team=team, meeting=meeting, user=request.user)
                done = ngettext(
                    "%(team)s acknowledged %(count)d document.",
                    "%(team)s acknowledged %(count)d documents.",
                    count,
                ) % {"team": team.name, "count": count}
            else:
                document_acknowledge(team=team, document=document, user=request.user)
                done = _("%(team)s acknowledged document %(number)s.") % {
                    "team": team.name,
                    "number": document.number,
                }
        except AcknowledgementError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
    return back
