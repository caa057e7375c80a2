"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation


def language_links(request: HttpRequest) -> dict[str, list[dict[str, object]]]:
    """This page's address in each language, for the language switch."""
    path = request.get_full_path()
    current = translation.get_language()
    return {
        "language_links": [
            {
                "code": code,
                "name": name,
                "url": translate_url(path, code),
                "current": code == current,
            }
            for code, name in settings.LANGUAGES
        ]
    }
