"""The season as an iCalendar feed (RFC 5545) that calendar apps can subscribe to.

The caller passes plain events; the icalendar package writes them: it escapes TEXT values,
folds lines at 75 octets without splitting a character and ends each with CRLF. Times are
written in UTC ("Z"), so a calendar app shows each race in its user's own time zone without
any VTIMEZONE block.

Names come from people (a circuit, a championship, a supporting event). icalendar escapes
CR and LF but writes other line breaks (NEL, U+2028, VT, …) and control characters as they
are, and a parser that breaks lines on one of them would read what follows as a property of
its own; so every line break of any kind becomes one newline (escaped ``\\n`` in the feed)
and every other control character is dropped before icalendar sees the text.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import icalendar

PRODUCT = "-//CupManager//Season calendar//EN"
# A cup race runs 30 minutes and a lap; the feed blocks a little more so it shows as a slot.
RACE_LENGTH = dt.timedelta(minutes=40)


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    starts_at: dt.datetime
    summary: str
    location: str
    description: str = ""
    url: str = ""


def calendar_text(name: str, events: Iterable[FeedEvent], stamp: dt.datetime) -> str:
    """The whole VCALENDAR.

    ``stamp`` is the DTSTAMP of every event: when the season's data last changed, so that
    an unchanged season gives byte-identical feeds (and the same ETag).
    """
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODUCT)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # An X- property is not known to be TEXT: without vText it would go unescaped.
    calendar.add("x-wr-calname", icalendar.vText(plain_text(name)))
    for event in events:
        calendar.add_component(vevent(event, stamp))
    return calendar.to_ical().decode()


def vevent(event: FeedEvent, stamp: dt.datetime) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", stamp.astimezone(dt.UTC))
    vevent.add("dtstart", event.starts_at.astimezone(dt.UTC))
    vevent.add("dtend", (event.starts_at + RACE_LENGTH).astimezone(dt.UTC))
    vevent.add("summary", plain_text(event.summary))
    vevent.add("location", plain_text(event.location))
    if event.description:
        vevent.add("description", plain_text(event.description))
    if event.url:
        vevent.add("url", event.url)
    return vevent


def plain_text(text: str) -> str:
    """Each line break of any kind (``str.splitlines``: CR, LF, CRLF, VT, FF, NEL, U+2028,
    U+2029, …) as one newline; a tab as a space; no other control character."""
    lines = text.replace("\t", " ").splitlines()
    return "\n".join(without_controls(line) for line in lines)


def without_controls(text: str) -> str:
    """The text without control characters (Unicode category Cc: C0, DEL and C1)."""
    return "".join(char for char in text if unicodedata.category(char) != "Cc")
