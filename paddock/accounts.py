"""How django-allauth treats entrants' accounts: signed in, they land on their paddock page;
an account made here is never staff."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse


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
