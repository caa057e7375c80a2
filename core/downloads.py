"""A file the browser saves rather than shows: what every download of the site answers."""

from __future__ import annotations

from django.http import HttpResponse


def attachment(content: str | bytes, filename: str, content_type: str) -> HttpResponse:
    """``content`` as a download named ``filename`` (a name the site made: ASCII, no quotes)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
