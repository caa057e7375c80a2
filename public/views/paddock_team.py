"""Team accounts (see public/urls/paddock.py): a new team, its page for its members, the
manager's invitations and removals, and the page where an invitee accepts. Another team's
page, and a manager's action asked by a member who does not manage, answer 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from paddock.access import entrant_required
from paddock.models import EntrantDriver, EntrantTeam, Invitation, TeamMember, TeamRole
from paddock.models.teams import INVITATION_DAYS
from paddock.services import teams
from paddock.team_forms import InvitationForm, TeamForm


def _membership(request: HttpRequest, pk: int, *, manager: bool = False) -> TeamMember:
    """The signed-in account's membership of team ``pk`` (of a manager, if asked): 404 else."""
    found = TeamMember.objects.select_related("team").filter(team_id=pk, user=request.user)
    if manager:
        found = found.filter(role=TeamRole.MANAGER)
    return get_object_or_404(found)


def _form_errors(form: object, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)  # type: ignore[attr-defined]


@entrant_required
def team_create(request: HttpRequest) -> HttpResponse:
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = teams.team_create(
                name=form.cleaned_data["name"], user=request.user, language=request.LANGUAGE_CODE
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return redirect("paddock:team", pk=team.pk)
    status = 400 if form.errors else 200
    return render(request, "paddock/team_form.html", {"form": form}, status=status)


def _team_page(
    request: HttpRequest, member: TeamMember, form: InvitationForm | None, status: int = 200
) -> HttpResponse:
    """A manager reads the members (with their addresses), the open invitations and every
    driver; any other member their role and their own driver profile only."""
    team = member.team
    is_manager = member.role == TeamRole.MANAGER
    context = {
        "team": team,
        "is_manager": is_manager,
        "role_label": member.get_role_display(),
        "members": (
            team.members.select_related("user").order_by("role", "joined_at", "pk")
            if is_manager
            else []
        ),
        "invitations": (
            team.invitations.open_at(timezone.now()).select_related("driver") if is_manager else []
        ),
        "drivers": EntrantDriver.objects.visible_to(request.user).filter(team=team),
        "form": (form or InvitationForm(team=team)) if is_manager else None,
        "invitation_days": INVITATION_DAYS,
    }
    return render(request, "paddock/team_detail.html", context, status=status)


@entrant_required
def team(request: HttpRequest, pk: int) -> HttpResponse:
    return _team_page(request, _membership(request, pk), None)


def _accept_url(team: EntrantTeam, request: HttpRequest) -> object:
    def build(invitation: Invitation) -> str:
        # The link opens the page in the language the e-mail is written in.
        with translation.override(team.language):
            path = reverse("paddock:invitation", args=[invitation.token])
        return request.build_absolute_uri(path)

    return build


@require_POST
@entrant_required
def invitation_create(request: HttpRequest, pk: int) -> HttpResponse:
    member = _membership(request, pk, manager=True)
    form = InvitationForm(request.POST, team=member.team)
    if form.is_valid():
        try:
            invitation = teams.invitation_send(
                team=member.team,
                by=request.user,
                accept_url_builder=_accept_url(member.team, request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("paddock:team", pk=pk)
    return _team_page(request, member, form, status=400)


@require_POST
@entrant_required
def invitation_revoke(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    member = _membership(request, pk, manager=True)
    invitation = get_object_or_404(member.team.invitations, pk=invitation_pk)
    try:
        teams.invitation_revoke(invitation=invitation)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("Invitation to %(email)s revoked.") % {"email": invitation.email}
        )
    return redirect("paddock:team", pk=pk)


@require_POST
@entrant_required
def member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    manager = _membership(request, pk, manager=True)
    member = get_object_or_404(manager.team.members.select_related("user"), pk=member_pk)
    try:
        teams.member_remove(member=member)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("%(email)s left the team.") % {"email": member.user.email})
        if member.user_id == request.user.pk:  # a manager who left sees the team no more
            return redirect("paddock:home")
    return redirect("paddock:team", pk=pk)


@entrant_required
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    # Read only by the account of the address it was sent to: anyone else holding the link
    # gets the 404 of an unknown invitation.
    addressed = Invitation.objects.addressed_to(request.user)
    found = get_object_or_404(addressed.select_related("team", "driver"), token=token)
    if not found.is_open(timezone.now()):
        return render(request, "paddock/invitation_gone.html", {"invitation": found}, status=410)
    problem = None
    if request.method == "POST":
        try:
            teams.invitation_accept(invitation=found, user=request.user)
        except teams.InvitationUnusable:
            return render(
                request, "paddock/invitation_gone.html", {"invitation": found}, status=410
            )
        except ValidationError as error:
            problem = error.messages[0]
        else:
            messages.success(request, _("You joined %(team)s.") % {"team": found.team.name})
            return HttpResponseRedirect(reverse("paddock:team", args=[found.team_id]))
    context = {"invitation": found, "problem": problem}
    return render(
        request, "paddock/invitation_detail.html", context, status=400 if problem else 200
    )
