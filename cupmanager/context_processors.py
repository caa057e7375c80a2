"""Template context shared by every page."""

import re

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation

# A browser drops tabs and line breaks anywhere in an address, and controls and spaces at its
# start; then it reads two or more slashes or backslashes, in any mix, as another host's
# address: //evil.example/, /\\evil.example/, /\t/evil.example/.
DROPPED = re.compile(r"[\t\n\r]")
LEADING = re.compile(r"^[\x00-\x20/\\]+")


def same_site_path(address: str) -> str:
    """The address as a path on this site: one slash at the start, never another host."""
    return "/" + LEADING.sub("", DROPPED.sub("", address))


def language_links(request: HttpRequest) -> dict[str, list[dict[str, object]]]:
    """This page's address in each language, for the language switch.

    Built from the path alone: the path of a page not found is whatever the visitor asked
    for (``//evil.example/standings/``), which must not become a link to another host.
    """
    path = same_site_path(request.get_full_path())
    current = translation.get_language()
    return {
        "language_links": [
            {
                "code": code,
                "name": name,
                "url": same_site_path(translate_url(path, code)),
                "current": code == current,
            }
            for code, name in settings.LANGUAGES
        ]
    }
