"""calendar.csv: one row per race; the rows of a round make one meeting at one circuit."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext

from championships.bundle import fields
from championships.bundle.spec import CircuitSpec, MeetingSpec, RaceKey, RaceSpec
from championships.models import PointsFactor, aware_from_local
from core.imports import Columns, IssueLog, RowCheck, read_csv

COLUMNS = Columns(
    required=("round", "race", "circuit", "country", "timezone", "start"),
    optional=("points_factor", "supporting_event"),
)


@dataclass
class Calendar:
    meetings: dict[int, MeetingSpec] = field(default_factory=dict)
    circuits: dict[str, CircuitSpec] = field(default_factory=dict)
    # Every (round, race) a row names, even a row with other problems: results and penalties
    # are checked against these, so that one bad calendar cell does not echo in other files.
    # None when calendar.csv could not be read: then nothing is checked against it.
    race_keys: set[RaceKey] | None = field(default_factory=set)

    def sorted_meetings(self) -> list[MeetingSpec]:
        for meeting in self.meetings.values():
            meeting.races.sort(key=lambda race: race.number)
        return [self.meetings[number] for number in sorted(self.meetings)]

    def first_day(self) -> dt.date | None:
        """The local date of the season's first race: the day class ages are taken on."""
        races = [race for meeting in self.meetings.values() for race in meeting.races]
        return min(races, key=lambda race: race.starts_at).local_date if races else None


def parse_calendar(text: str, log: IssueLog) -> Calendar | None:
    rows = read_csv(text, COLUMNS, log)
    if rows is None:
        return None
    calendar = Calendar()
    for row in rows:
        _add_race(RowCheck(row, log), calendar)
    return calendar


def _add_race(check: RowCheck, calendar: Calendar) -> None:
    round_number = check.get("round", lambda v: fields.whole_number(v, low=1, high=999))
    number = check.get("race", lambda v: fields.whole_number(v, low=1, high=99))
    if round_number and number:
        calendar.race_keys.add((round_number, number))
    circuit = _circuit(check, calendar.circuits)
    starts_at = _start(check, circuit.timezone if circuit else None)
    factor = check.get("points_factor", _points_factor)
    event = check.get("supporting_event", lambda v: fields.text(v, max_length=160), optional=True)
    if not check.ok:
        return
    race = RaceSpec(round_number, number, starts_at, starts_at.date(), factor, check.line)
    meeting = calendar.meetings.setdefault(round_number, MeetingSpec(round_number, circuit, ""))
    _add_to_meeting(check, meeting, race)
    meeting.supporting_event = meeting.supporting_event or event or ""


def _add_to_meeting(check: RowCheck, meeting: MeetingSpec, race: RaceSpec) -> None:
    if meeting.circuit.name != check.raw("circuit"):
        message = gettext(
            "round %(round)s is at %(circuit)s (line %(line)s); "
            "a round is one meeting at one circuit"
        )
        values = {"round": race.round, "circuit": meeting.circuit.name}
        check.fail("circuit", message % {**values, "line": meeting.circuit.line})
        return
    taken = next((r for r in meeting.races if r.number == race.number), None)
    if taken:
        message = gettext("race %(race)s of round %(round)s is already on line %(line)s")
        check.fail("race", message % {"race": race.number, "round": race.round, "line": taken.line})
        return
    meeting.races.append(race)


def _circuit(check: RowCheck, circuits: dict[str, CircuitSpec]) -> CircuitSpec | None:
    name = check.get("circuit", lambda v: fields.text(v, max_length=120))
    country = check.get("country", fields.country)
    zone = check.get("timezone", fields.time_zone)
    if not (name and country and zone):
        return None
    known = circuits.setdefault(name, CircuitSpec(name, country, zone, check.line))
    if (known.country, known.timezone) != (country, zone):
        column = "country" if known.country != country else "timezone"
        message = gettext(
            "%(circuit)s is in %(country)s, %(zone)s on line %(line)s; "
            "a circuit has one country and time zone"
        )
        values = {"circuit": name, "country": known.country, "zone": known.timezone}
        check.fail(column, message % {**values, "line": known.line})
    return known


def _start(check: RowCheck, zone_name: str | None) -> dt.datetime | None:
    """The start as an aware datetime in the circuit's zone (a local start with no zone if
    the zone is bad, which is reported already)."""
    local = check.get("start", fields.local_start)
    if local is None or zone_name is None:
        return local
    try:
        return aware_from_local(local, zone_name)
    except ValueError as exc:
        check.fail("start", str(exc))
        return local.replace(tzinfo=zoneinfo.ZoneInfo(zone_name))


def _points_factor(value: str) -> str:
    value = value or "1"
    if fields.DECIMAL.fullmatch(value):
        for choice in PointsFactor.values:
            if Decimal(value) == Decimal(choice):
                return choice
    raise ValueError(gettext("expected a points factor 1, 0.5 or 0 (empty means 1)"))
