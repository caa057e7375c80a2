"""How django-allauth treats entrants' accounts: signed in, they land on their paddock page;
an account made here is never staff."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse

from core.security import client_ip


class EntrantAccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return reverse("paddock:home")

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return reverse("paddock:home")

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        # The public sign-up never makes a staff account, whatever the form carried.
        user.is_staff = False
        user.is_superuser = False
        return super().save_user(request, user, form, commit)

    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth's rate limits count per address as the API throttle, the Talent Pool's
        # limits and the back office's lockout do (API_NUM_PROXIES hops behind proxies).
        return client_ip(request) or super().get_client_ip(request)


def axes_username(request: HttpRequest | None, credentials: dict | None = None) -> str | None:
    """The name django-axes counts failed sign-ins under: the back office's user name, or
    the e-mail address an entrant signs in with (allauth passes it as ``email``). Without it
    axes would count every entrant's failure under no name, and lock out all entrants behind
    one network address together."""
    credentials = credentials or {}
    name = credentials.get("username") or credentials.get("email")
    if not name and request is not None:
        data = getattr(request, "POST", {})
        name = data.get("username") or data.get("login")
    return name.strip().lower() if isinstance(name, str) and "@" in name else name
