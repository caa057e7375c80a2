"""The season's .ics feed: valid iCalendar that calendar apps (and the icalendar parser) read."""

import datetime as dt
import re

import icalendar
import pytest

from championships.bundle import season_import
from public.calendar_feed import FeedEvent, calendar_text
from tests.factories import EXAMPLE_SEASON, make_championship, make_circuit, make_meeting, make_race

START = dt.datetime(2024, 4, 20, 2, 35, tzinfo=dt.UTC)


def feed_of(
    summary: str = "Cup: round 1, race 1",
    *,
    name: str = "Cup",
    location: str = "Shanghai, CN",
    description: str = "",
) -> str:
    """The feed of a calendar ``name`` with one race named ``summary``."""
    event = FeedEvent("cup-r1-1@cupmanager", START, summary, location, description)
    return calendar_text(name, [event], stamp=START)


def test_text_values_escape_commas_semicolons_backslashes_and_newlines():
    text = feed_of("Bangsaen, TH; a\\b\nc")

    assert "\r\nSUMMARY:Bangsaen\\, TH\\; a\\\\b\\nc\r\n" in text
    (vevent,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Bangsaen, TH; a\\b\nc"


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    name = "上海国际赛车场" * 10

    lines = feed_of(name).encode().split(b"\r\n")

    assert all(len(line) <= 75 for line in lines)
    assert not [line for line in lines if "\ufffd" in line.decode(errors="replace")]
    (vevent,) = icalendar.Calendar.from_ical(feed_of(name)).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == name


def test_every_race_is_an_event_with_uid_stamp_start_in_utc_summary_and_location():
    event = FeedEvent("cup-r1-1@cupmanager", START, "Cup: round 1, race 1", "Shanghai, CN")

    text = calendar_text("Cup", [event], stamp=START)

    assert text.endswith("END:VCALENDAR\r\n")
    parsed = icalendar.Calendar.from_ical(text)
    (vevent,) = parsed.walk("VEVENT")
    assert str(vevent["UID"]) == "cup-r1-1@cupmanager"
    assert vevent["DTSTART"].dt == START
    assert "DTSTART:20240420T023500Z" in text
    assert str(vevent["LOCATION"]) == "Shanghai, CN"
    assert vevent["DTSTAMP"].dt == START


def test_the_feed_page_serves_the_whole_season(client, db):
    season_import(EXAMPLE_SEASON)

    response = client.get("/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    parsed = icalendar.Calendar.from_ical(response.content.decode())
    events = parsed.walk("VEVENT")
    assert len(events) == 16
    first = events[0]
    assert str(first["SUMMARY"]) == "Porsche Carrera Cup Asia 2024: round 1, race 1"
    assert first["DTSTART"].dt == dt.datetime(2024, 4, 20, 2, 35, tzinfo=dt.UTC)
    assert str(first["LOCATION"]) == "Shanghai International Circuit, CN"
    assert str(first["URL"]) == "http://testserver/championships/pcca-2024/rounds/1/"
    assert len({str(e["UID"]) for e in events}) == 16


def test_the_feed_is_the_same_until_the_season_changes(client, db):
    season_import(EXAMPLE_SEASON)

    assert client.get("/calendar.ics").content == client.get("/calendar.ics").content


def test_the_feed_speaks_chinese_under_its_prefix(client, db):
    season_import(EXAMPLE_SEASON)

    response = client.get("/zh-hans/championships/pcca-2024/calendar.ics")

    assert response.status_code == 200
    icalendar.Calendar.from_ical(response.content.decode())


def test_feed_query_count_holds_with_a_longer_calendar(client, db, django_assert_num_queries):
    championship = make_championship("cup")
    make_race(make_meeting(championship, 1))
    # 1 championship; 2 meetings with circuits; 3 their races.
    with django_assert_num_queries(3):
        client.get("/championships/cup/calendar.ics")
    for round_ in range(2, 10):
        meeting = make_meeting(championship, round_)
        make_race(meeting, 1)
        make_race(meeting, 2)
    with django_assert_num_queries(3):
        client.get("/championships/cup/calendar.ics")


BREAKS = ["\r", "\n", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


def test_every_kind_of_line_break_is_one_escaped_newline_and_other_controls_go():
    for brk in BREAKS:
        text = feed_of("Cup", location=f"Sepang{brk}X-INJECTED:1")
        assert "\r\nLOCATION:Sepang\\nX-INJECTED:1\r\n" in text, repr(brk)
    text = feed_of("Fuji\x00\x07\x1b\x7f\x9b Speedway\tGP")
    assert "\r\nSUMMARY:Fuji Speedway GP\r\n" in text


@pytest.mark.parametrize("field", ["name", "summary", "location", "description"])
def test_a_lone_cr_in_a_name_cannot_break_a_line(field):
    text = feed_of(**{"summary": "Cup", field: "Sepang\rX-INJECTED:1"})

    lines = text.split("\r\n")
    assert not [line for line in lines if "\r" in line or "\n" in line]
    assert not [line for line in lines if line.startswith("X-INJECTED")]
    assert "Sepang\\nX-INJECTED:1" in text


def test_a_lone_cr_in_a_name_cannot_add_a_property_to_the_feed(client, db):
    championship = make_championship("cr-cup", name="Cup\u2028X-WR-CALNAME:Spoofed")
    circuit = make_circuit("Sepang\rX-INJECTED:1\rATTENDEE:mailto:a@evil.example")
    meeting = make_meeting(championship, circuit=circuit, supporting_event="F4\r\nRRULE:FREQ=DAILY")
    make_race(meeting)

    response = client.get("/championships/cr-cup/calendar.ics")

    lines = response.content.split(b"\r\n")
    assert not [line for line in lines if re.search(rb"[\x00-\x08\x0a-\x1f\x7f]", line)]
    assert "\u2028".encode() not in response.content and "\x85".encode() not in response.content
    names = {line.split(b":")[0].split(b";")[0] for line in lines if line and line[:1] != b" "}
    assert not names & {b"X-INJECTED", b"ATTENDEE", b"RRULE"}
    (event,) = icalendar.Calendar.from_ical(response.content.decode()).walk("VEVENT")
    assert str(event["LOCATION"]) == "Sepang\nX-INJECTED:1\nATTENDEE:mailto:a@evil.example, CN"
    assert str(event["DESCRIPTION"]) == "F4\nRRULE:FREQ=DAILY"
    assert "ATTENDEE" not in event and "RRULE" not in event
