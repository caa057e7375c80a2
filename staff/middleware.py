"""Speaks each staff member's own language in the back office (``staff.language``).

Placed after ``LocaleMiddleware`` and ``AuthenticationMiddleware``. Only ``/admin/`` addresses
are touched: a public page never reads the session here, so it stays cacheable (reading the
session adds ``Vary: Cookie``) and keeps the language of its address.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation

from core.middleware import service_unavailable
from staff.language import (
    is_back_office,
    language_of_request,
    language_of_user,
    remember,
)


class StaffLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_back_office(request):
            return self.get_response(request)
        try:
            language = language_of_request(request)
        except Exception as error:
            if not service_unavailable(error):
                raise
            language = None  # the database is away: the view meets it too and answers 503
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if _just_logged_in(request, response):
            _take_up_profile_language(request, response)
        return response


def _just_logged_in(request: HttpRequest, response: HttpResponse) -> bool:
    """A successful back-office login: the POST to the login page that redirects onward."""
    return (
        request.method == "POST"
        and request.path_info == reverse("admin:login")
        and response.status_code == 302
        and request.user.is_authenticated
    )


def _take_up_profile_language(request: HttpRequest, response: HttpResponse) -> None:
    """Once per login: the staff member's chosen language, whatever this browser's cookie."""
    language = language_of_user(request.user)
    if language:
        remember(request, response, language)
