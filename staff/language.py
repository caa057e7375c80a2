"""The language of the back office: each staff member's own choice (English or Simplified
Chinese), kept in their ``StaffProfile``.

The public pages take their language from their address (``/zh-hans/…``) and are not touched
here. In the back office the language comes, in this order, from the staff member's session
(put there when they log in or pick a language), then from the language cookie (so the login
page speaks the language last chosen on this browser), then the site's default.

The profile is read once per login, never on each page: every back-office page keeps the
number of queries it had.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse

from staff.models import StaffProfile

# The session key that holds the language of the logged-in staff member.
SESSION_KEY = "staff_language"
ADMIN_PREFIX = "/admin/"


def is_language(code: str | None) -> bool:
    return code in dict(settings.LANGUAGES)


def is_back_office(request: HttpRequest) -> bool:
    return request.path_info.startswith(ADMIN_PREFIX)


def language_of_request(request: HttpRequest) -> str | None:
    """The back-office language for this request, or None for the site's default."""
    chosen = request.session.get(SESSION_KEY)
    if is_language(chosen):
        return chosen
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return cookie if is_language(cookie) else None


def language_of_user(user: AbstractBaseUser) -> str | None:
    """The language the staff member chose, None if they never chose one."""
    return StaffProfile.objects.filter(user=user).values_list("language", flat=True).first()


def staff_language_set(*, user: AbstractBaseUser, language: str) -> StaffProfile:
    """Remembers ``language`` as the staff member's back-office language."""
    if not is_language(language):
        raise ValueError(f"Not a language of the site: {language!r}")
    profile, _created = StaffProfile.objects.update_or_create(
        user=user, defaults={"language": language}
    )
    return profile


def remember(request: HttpRequest, response: HttpResponse, language: str) -> None:
    """Keeps ``language`` for the rest of the session and, in the cookie, for the login page."""
    request.session[SESSION_KEY] = language
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
