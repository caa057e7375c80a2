"""Team accounts and the people in them: a team made by its first manager, invitations sent
by e-mail in the team's language and accepted by any signed-in account, members removed.
Each write is keyword-only and atomic; the rules they rely on are the database's constraints
(paddock/models/teams.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from paddock import emails
from paddock.models import EntrantDriver, EntrantTeam, Invitation, TeamMember, TeamRole


def team_create(*, name: str, user: AbstractBaseUser, language: str) -> EntrantTeam:
    """A team account named ``name``, managed by ``user``; its e-mails in ``language``."""
    name = name.strip()
    if EntrantTeam.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("A team account of this name exists already.")})
    try:
        with transaction.atomic():
            team = EntrantTeam.objects.create(name=name, language=language)
            TeamMember.objects.create(team=team, user=user, role=TeamRole.MANAGER)
    except IntegrityError as error:  # the same name registered at the same moment
        raise ValidationError({"name": _("A team account of this name exists already.")}) from error
    return team


def invitation_send(
    *,
    team: EntrantTeam,
    email: str,
    role: str,
    driver: EntrantDriver | None = None,
    by: AbstractBaseUser,
    accept_url_builder: Callable[[Invitation], str],
) -> Invitation:
    """Invite ``email`` to ``team`` as ``role`` (a driver invitation may name the team's
    entered driver it is for), and e-mail the link ``accept_url_builder`` makes. An address
    with an open invitation to the team is refused, as is a member's own address."""
    email = email.strip()
    _check_invitation(team=team, email=email, role=role, driver=driver)
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                team=team, email=email, role=role, driver=driver, invited_by=by
            )
    except IntegrityError as error:
        raise ValidationError(
            {"email": _("This address has an open invitation already.")}
        ) from error
    emails.send(
        [invitation.email],
        language=team.language,
        subject=lambda: gettext("Invitation to join %(team)s") % {"team": team.name},
        template="paddock/invitation_email.txt",
        context={
            "invitation": invitation,
            "team": team,
            "url": accept_url_builder(invitation),
        },
    )
    return invitation


def _check_invitation(
    *, team: EntrantTeam, email: str, role: str, driver: EntrantDriver | None
) -> None:
    if role not in TeamRole.values:
        raise ValidationError({"role": _("Choose a role.")})
    if driver is not None and (driver.team_id != team.pk or role != TeamRole.DRIVER):
        raise ValidationError({"driver": _("Only a driver invitation names one of your drivers.")})
    # An expired invitation that was never accepted still counts as open for the database's
    # one-open-invitation rule: it is cleared here, as it can no longer be used.
    team.invitations.filter(
        accepted_at__isnull=True, expires_at__lte=timezone.now(), email__iexact=email
    ).delete()
    if team.invitations.filter(accepted_at__isnull=True, email__iexact=email).exists():
        raise ValidationError({"email": _("This address has an open invitation already.")})
    if team.members.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("This address is a member of the team already.")})


class InvitationUnusable(Exception):
    """The invitation was used already or has expired."""


def invitation_accept(*, invitation: Invitation, user: AbstractBaseUser) -> TeamMember:
    """``user`` joins the team in the invitation's role; a driver invitation makes them that
    entered driver's account. Only the account of the address it was sent to (verified) may:
    ``Invitation.DoesNotExist`` for anyone else, as for an unknown invitation."""
    with transaction.atomic():
        invitation = Invitation.objects.addressed_to(user).select_for_update().get(pk=invitation.pk)
        if not invitation.is_open(timezone.now()):
            raise InvitationUnusable
        team = invitation.team
        if team.members.filter(user=user).exists():
            raise ValidationError(_("You are a member of this team already."))
        member = TeamMember.objects.create(team=team, user=user, role=invitation.role)
        if invitation.driver_id is not None:
            _link_driver(invitation.driver, user)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return member


def _link_driver(driver: EntrantDriver, user: AbstractBaseUser) -> None:
    if driver.user_id not in (None, user.pk):
        raise ValidationError(_("This driver has an account linked already."))
    if driver.team.drivers.filter(user=user).exclude(pk=driver.pk).exists():
        raise ValidationError(_("Your account is another driver of this team already."))
    driver.user = user
    driver.save(update_fields=["user"])


def invitation_revoke(*, invitation: Invitation) -> None:
    """An open invitation withdrawn: its link stops working. A used one stays, as a record."""
    with transaction.atomic():
        deleted, _rows = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True
        ).delete()
    if not deleted:
        raise ValidationError(_("This invitation has been accepted: it cannot be revoked."))


def member_remove(*, member: TeamMember) -> None:
    """``member`` leaves the team; a team always keeps one manager. An entered driver whose
    account it was keeps their documents but no longer their account's link."""
    with transaction.atomic():
        team = EntrantTeam.objects.select_for_update().get(pk=member.team_id)
        managers = team.members.filter(role=TeamRole.MANAGER)
        if member.role == TeamRole.MANAGER and not managers.exclude(pk=member.pk).exists():
            raise ValidationError(_("A team keeps at least one manager: name another first."))
        team.drivers.filter(user_id=member.user_id).update(user=None)
        member.delete()
