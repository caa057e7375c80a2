"""Team accounts on the public site, the people in them, and the drivers they enter."""

from __future__ import annotations

import datetime as dt
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from championships.models import country_validator
from entries.models import Driver, Entry, Team

INVITATION_DAYS = 14
OLDEST_DRIVER_YEARS = 100


def validate_birth_date(day: dt.date) -> None:
    """A date of birth in the past and within a lifetime: a typo in the year (2205, 1925 for
    2005) is caught where the driver is entered, by any form."""
    today = timezone.localdate()
    if day >= today:
        raise ValidationError(_("The date of birth must be in the past."))
    if day.year < today.year - OLDEST_DRIVER_YEARS:
        raise ValidationError(_("Check the date of birth: the year looks wrong."))


class TeamRole(models.TextChoices):
    MANAGER = "MANAGER", _("Team manager")
    DRIVER = "DRIVER", _("Driver")
    STAFF = "STAFF", _("Team staff")


# The status of an application whose entry the team races (``racing_entries``, ``racing_pairs``).
RACING_APPLICATION = "APPROVED"


class EntrantTeamQuerySet(models.QuerySet):
    def run_by(self, user: object) -> EntrantTeamQuerySet:
        """The teams ``user`` runs as a manager or team staff: they read all its applications."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        roles = (TeamRole.MANAGER, TeamRole.STAFF)
        return self.filter(members__user=user, members__role__in=roles).distinct()

    def racing_pairs(self, championship_id: int) -> set[tuple[int, int]]:
        """``(team id, entry id)`` for every entry these teams race in the championship, by the
        rule of ``EntrantTeam.racing_entries`` (approved applications' entries, and the entries
        of the team on the entry lists): two queries, however many teams."""
        approved = self.filter(
            applications__status=RACING_APPLICATION,
            applications__entry__championship_id=championship_id,
        ).values_list("pk", "applications__entry_id")
        listed = self.filter(team__entries__championship_id=championship_id).values_list(
            "pk", "team__entries__id"
        )
        return set(approved) | set(listed)

    def managed_by(self, user: object) -> EntrantTeamQuerySet:
        """The teams ``user`` manages (applies, invites, uploads for every driver)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(members__user=user, members__role=TeamRole.MANAGER).distinct()


class EntrantTeam(models.Model):
    """A team as its manager registers it on the public site. ``team`` is the team of the
    entry lists it races as, set by staff when they approve its first entry (or known
    already)."""

    name = models.CharField(_("name"), max_length=120)
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entrant_accounts",
        verbose_name=_("team on the entry lists"),
    )
    language = models.CharField(
        _("language"), max_length=10, default="en", help_text=_("The language of its e-mails.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = EntrantTeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("team account")
        verbose_name_plural = _("team accounts")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="paddock_team_name_unique"),
            models.CheckConstraint(condition=~Q(name=""), name="paddock_team_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def racing_entries(self) -> models.QuerySet[Entry]:
        """The entries the team races: those its approved applications made, and those of its
        team on the entry lists (entered by staff)."""
        racing = Q(applications__team=self, applications__status=RACING_APPLICATION)
        if self.team_id:
            racing |= Q(team_id=self.team_id)
        return Entry.objects.filter(racing).distinct()

    def manager_emails(self) -> list[str]:
        """Where the team's e-mails go: its managers' addresses."""
        return list(
            self.members.filter(role=TeamRole.MANAGER)
            .order_by("pk")
            .values_list("user__email", flat=True)
        )


class TeamMember(models.Model):
    team = models.ForeignKey(
        EntrantTeam, on_delete=models.CASCADE, related_name="members", verbose_name=_("team")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="team_memberships",
        verbose_name=_("account"),
    )
    role = models.CharField(_("role"), max_length=10, choices=TeamRole.choices)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["team", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="paddock_member_once_per_team"),
            models.CheckConstraint(
                condition=Q(role__in=TeamRole.values), name="paddock_member_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.team} · {self.get_role_display()}"


class InvitationQuerySet(models.QuerySet):
    def open_at(self, moment: dt.datetime) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=True, expires_at__gt=moment)

    def addressed_to(self, user: object) -> InvitationQuerySet:
        """The invitations sent to one of ``user``'s verified e-mail addresses: an invitation
        is read and accepted by the person it was sent to, never by whoever holds its link."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        verified = EmailAddress.objects.filter(user=user, verified=True)
        addresses = [address.lower() for address in verified.values_list("email", flat=True)]
        return self.alias(email_lower=Lower("email")).filter(email_lower__in=addresses)


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


def invitation_expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=INVITATION_DAYS)


class Invitation(models.Model):
    """A manager's invitation to join the team, sent to an e-mail address; the link carries
    ``token``. An invited driver is linked to ``driver``, the driver the team enters."""

    team = models.ForeignKey(
        EntrantTeam, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("team")
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=TeamRole.choices)
    driver = models.ForeignKey(
        "paddock.EntrantDriver",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("driver"),
    )
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("invited by"),
    )
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), default=invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-invited_at"]
        constraints = [
            models.UniqueConstraint(
                "team",
                Lower("email"),
                condition=Q(accepted_at__isnull=True),
                name="paddock_invitation_one_open_per_address",
                violation_error_message=_("This address has an open invitation already."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=TeamRole.values), name="paddock_invitation_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(driver__isnull=True) | Q(role=TeamRole.DRIVER),
                name="paddock_invitation_driver_only_for_drivers",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(accepted_at__gte=models.F("invited_at")),
                name="paddock_invitation_accepted_after_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} · {self.team}"

    def is_open(self, moment: dt.datetime) -> bool:
        return self.accepted_at is None and self.expires_at > moment


class EntrantDriverQuerySet(models.QuerySet):
    def visible_to(self, user: object) -> EntrantDriverQuerySet:
        """The drivers ``user`` may see: their own profile, and every driver of a team they
        manage. Staff read them in the back office, not here."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        managed = EntrantTeam.objects.managed_by(user).values("pk")
        return self.filter(Q(user=user) | Q(team__in=managed))


class EntrantDriver(models.Model):
    """A driver as their team enters them: who they are, and their documents. ``user`` is
    their own account once they accept the team's invitation; ``driver`` the driver of the
    entry lists, found by the duplicate rule (name and birth year) or made on approval."""

    team = models.ForeignKey(
        EntrantTeam, on_delete=models.PROTECT, related_name="drivers", verbose_name=_("team")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="driver_profiles",
        verbose_name=_("the driver's account"),
    )
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    date_of_birth = models.DateField(_("date of birth"), validators=[validate_birth_date])
    nationality = models.CharField(_("nationality"), max_length=2, validators=[country_validator])
    email = models.EmailField(_("e-mail address"), blank=True)
    driver = models.ForeignKey(
        Driver,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entrant_profiles",
        verbose_name=_("driver on the entry lists"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = EntrantDriverQuerySet.as_manager()

    class Meta:
        verbose_name = _("entered driver")
        verbose_name_plural = _("entered drivers")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                "team",
                Lower("first_name"),
                Lower("last_name"),
                "date_of_birth",
                name="paddock_driver_once_per_team",
                violation_error_message=_("This team has entered this driver already."),
            ),
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=Q(user__isnull=False),
                name="paddock_driver_one_profile_per_account_and_team",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
