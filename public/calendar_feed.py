"""The season as an iCalendar feed (RFC 5545) that calendar apps can subscribe to.

Pure text building: the caller passes plain events. Times are written in UTC ("Z"), so a
calendar app shows each race in its user's own time zone without any VTIMEZONE block.

Names come from people (a circuit, a championship, a supporting event): every line break in
them (CR, LF, CRLF, U+2028, …) is written as the escaped ``\\n`` of RFC 5545 and every other
control character is dropped, so no value can end its line and start a property of its own
in a parser that breaks lines on a lone CR. Every content line is checked once more before
it is written.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

PRODUCT = "-//CupManager//Season calendar//EN"
# A cup race runs 30 minutes and a lap; the feed blocks a little more so it shows as a slot.
RACE_LENGTH = dt.timedelta(minutes=40)
LINE_OCTETS = 75


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    starts_at: dt.datetime
    summary: str
    location: str
    description: str = ""
    url: str = ""


def calendar_text(name: str, events: Iterable[FeedEvent], stamp: dt.datetime) -> str:
    """The whole VCALENDAR, lines folded and ended with CRLF as RFC 5545 section 3.1 asks.

    ``stamp`` is the DTSTAMP of every event: when the season's data last changed, so that
    an unchanged season gives byte-identical feeds (and the same ETag).
    """
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for event in events:
        lines.extend(event_lines(event, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(without_controls(line)) + "\r\n" for line in lines)


def event_lines(event: FeedEvent, stamp: dt.datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART:{utc(event.starts_at)}",
        f"DTEND:{utc(event.starts_at + RACE_LENGTH)}",
        f"SUMMARY:{escape(event.summary)}",
        f"LOCATION:{escape(event.location)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape(event.description)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    lines.append("END:VEVENT")
    return lines


def utc(moment: dt.datetime) -> str:
    """An aware datetime as an RFC 5545 UTC date-time, e.g. 20240420T023500Z."""
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def escape(text: str) -> str:
    """RFC 5545 section 3.3.11: backslash, semicolon, comma and newline in TEXT values.

    Each line break of any kind (``str.splitlines``: CR, LF, CRLF, VT, FF, NEL, U+2028,
    U+2029, …) is one escaped newline; a tab is a space; other control characters go.
    """
    text = "\n".join(without_controls(line) for line in text.replace("\t", " ").splitlines())
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\n", "\\n")


def without_controls(text: str) -> str:
    """The text without control characters (Unicode category Cc: C0, DEL and C1)."""
    return "".join(char for char in text if unicodedata.category(char) != "Cc")


def fold(line: str) -> str:
    """RFC 5545 section 3.1: at most 75 octets a line, never splitting a UTF-8 character."""
    parts: list[str] = []
    current, size, limit = "", 0, LINE_OCTETS
    for char in line:
        octets = len(char.encode())
        if size + octets > limit:
            parts.append(current)
            # A continuation line starts with a space, which counts against its 75 octets.
            current, size, limit = "", 0, LINE_OCTETS - 1
        current += char
        size += octets
    parts.append(current)
    return "\r\n ".join(parts)
