"""API tokens outside the owners' token pages.

- Staff who may write something manage their own token: issue (or rotate) and revoke it.
- A series manager (``staff.add_providertoken``, ``staff.delete_providertoken``) issues and
  revokes the token of a timing provider's account: an active staff account, not a superuser,
  whose permissions are all among the "Timing provider" role's. So a token never gives more
  than the race results its import writes: not a superuser's, not another manager's, not the
  manager's own (theirs is managed as anyone's, on their own page).

A token's key is shown once, when it is issued; it is never shown again.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from staff.roles import TIMING_PROVIDER_PERMISSIONS

WRITE_ACTIONS = ("add_", "change_", "delete_")
ISSUE_PROVIDER_TOKEN = "staff.add_providertoken"
REVOKE_PROVIDER_TOKEN = "staff.delete_providertoken"


class TokenRefused(Exception):
    """A token that this user may not issue or revoke; the message says why."""


def _codenames(user: AbstractBaseUser) -> set[str]:
    return {perm.partition(".")[2] for perm in user.get_all_permissions()}


def may_hold_own_token(user: AbstractBaseUser) -> bool:
    """Active staff who may write something through the API: a read-only token is useless."""
    if not (user.is_active and user.is_staff):
        return False
    return user.is_superuser or any(code.startswith(WRITE_ACTIONS) for code in _codenames(user))


def is_timing_provider(user: AbstractBaseUser) -> bool:
    """An active staff account, not a superuser, holding only timing-provider permissions."""
    if not (user.is_active and user.is_staff) or user.is_superuser:
        return False
    held = set(user.get_all_permissions())
    allowed = {f"{app}.{codename}" for app, codename in TIMING_PROVIDER_PERMISSIONS}
    return bool(held) and held <= allowed


@transaction.atomic
def token_issue(*, user: AbstractBaseUser) -> Token:
    """A new token for ``user``; the previous one, if any, stops working (a rotation)."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def token_revoke(*, user: AbstractBaseUser) -> bool:
    """Delete ``user``'s token; False if there was none."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)


def _provider_refusal(provider: AbstractBaseUser, by: AbstractBaseUser, perm: str) -> str | None:
    if not (by.is_active and by.is_staff and by.has_perm(perm)):
        return _("Only a series manager issues and revokes timing providers' tokens.")
    if provider.pk == by.pk:
        return _("Your own token is managed on your API token page.")
    if not is_timing_provider(provider):
        return _(
            "%(user)s is not a timing provider's account: an active staff account, not a "
            "superuser, with only the Timing provider role's permissions."
        ) % {"user": provider.get_username()}
    return None


def provider_token_issue(*, provider: AbstractBaseUser, by: AbstractBaseUser) -> Token:
    """A new token for a timing provider's account, issued by a series manager."""
    refusal = _provider_refusal(provider, by, ISSUE_PROVIDER_TOKEN)
    if refusal:
        raise TokenRefused(refusal)
    return token_issue(user=provider)


def provider_token_revoke(*, provider: AbstractBaseUser, by: AbstractBaseUser) -> bool:
    """Revoke a timing provider's token, by a series manager."""
    refusal = _provider_refusal(provider, by, REVOKE_PROVIDER_TOKEN)
    if refusal:
        raise TokenRefused(refusal)
    return token_revoke(user=provider)
