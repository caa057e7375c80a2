"""Drawing a generated notice board document as a PDF, in one language (WeasyPrint).

A document's ``content`` holds what it shows, frozen at publication: names the models
translate as ``{"en": ..., "zh-hans": ...}`` (``resolve`` picks the language, English when the
other is missing), everything else as plain strings and numbers. ``render_pdf`` renders the
document's ``template`` (``templates/board/pdf/<kind>.html``, extending ``base.html``) with
that content in the language asked for, and turns it into a PDF with the site's fonts
(``static/fonts/CupSans-*.otf``, Chinese included, declared in ``static/css/board-pdf.css``).

The fonts and the stylesheet are loaded once per process (the first drawing takes the time,
each later one about 0.2 s). The PDF's metadata (title, author, language, creation date =
the publication time) come from the document, and WeasyPrint writes no time of its own and
no random identifier: the same content drawn again gives the same bytes.
"""

from __future__ import annotations

import atexit
import datetime as dt
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from core.times import circuit_time

STYLESHEET = "css/board-pdf.css"
ENGLISH = "en"
TRANSLATED_KEYS = frozenset(code for code, _name in settings.LANGUAGES)

_shared: dict[str, Any] = {}
_lock = threading.Lock()  # WeasyPrint's font configuration is not meant for two threads
atexit.register(_shared.clear)  # its fonts' files released while the interpreter still runs


def resolve(content: Any, language: str) -> Any:
    """``content`` with every translated text (a dict whose keys are exactly the site's
    languages) replaced by its text in ``language``, else in English. Pure."""
    if isinstance(content, dict):
        if content and set(content) == TRANSLATED_KEYS:
            return content.get(language) or content.get(ENGLISH) or ""
        return {key: resolve(value, language) for key, value in content.items()}
    if isinstance(content, list | tuple):
        return [resolve(value, language) for value in content]
    return content


def stylesheet_path() -> Path:
    """The board's stylesheet on disk: found by the static files' finders, else collected."""
    found = finders.find(STYLESHEET)
    if found:
        return Path(found)
    return Path(settings.STATIC_ROOT) / STYLESHEET


def _resources() -> tuple[Any, Any]:
    """The process's font configuration and parsed stylesheet, made on first use."""
    if not _shared:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        fonts = FontConfiguration()
        _shared["fonts"] = fonts
        _shared["css"] = CSS(filename=str(stylesheet_path()), font_config=fonts)
    return _shared["fonts"], _shared["css"]


def meeting_header(meeting: Any) -> dict[str, Any]:
    """The header every document of ``meeting`` shows, as content (both languages)."""
    championship, circuit = meeting.championship, meeting.circuit
    return {
        "championship": {
            "en": championship.name_en,
            "zh-hans": championship.name_zh_hans or "",
        },
        "round": meeting.round,
        "circuit": {"en": circuit.name_en, "zh-hans": circuit.name_zh_hans or ""},
        "start_date": meeting.start_date.isoformat(),
        "end_date": meeting.end_date.isoformat(),
        "timezone": circuit.timezone,
    }


def pdf_context(document: Any, language: str) -> dict[str, Any]:
    """What the templates read: the document, its content in ``language`` and the header."""
    meeting = document.meeting
    content = resolve(document.content or {}, language)
    header = content.get("meeting") or resolve(meeting_header(meeting), language)
    return {
        "document": document,
        "content": content,
        "header": header,
        "language": language,
        "published": circuit_time(document.published_at, meeting.circuit.timezone),
        "created": document.published_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
    }


def render_html(document: Any, language: str) -> str:
    with translation.override(language):
        return render_to_string(document.template, pdf_context(document, language))


def render_pdf(document: Any, language: str) -> bytes:
    """The PDF of a generated ``document`` in ``language``."""
    from weasyprint import HTML

    html = render_html(document, language)
    with _lock:
        fonts, css = _resources()
        return HTML(string=html, base_url=str(stylesheet_path().parent)).write_pdf(
            stylesheets=[css], font_config=fonts
        )
