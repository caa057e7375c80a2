"""What an import created (or, in a dry run, would create): counts and a preview."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from championships.bundle.resolve import Existing
from championships.bundle.spec import EntrySpec, MeetingSpec, SeasonSpec
from entries.models import Driver


@dataclass(frozen=True)
class RacePreview:
    number: int
    local_start: dt.datetime
    points_factor: str
    results: int


@dataclass(frozen=True)
class MeetingPreview:
    round: int
    circuit: str
    country: str
    start_date: dt.date
    end_date: dt.date
    supporting_event: str
    races: list[RacePreview]


@dataclass(frozen=True)
class EntryPreview:
    car_number: int
    driver: str
    category: str
    team: str
    class_code: str
    flags: list[str]  # rookie, guest, arrive_and_drive, dealer_trophy: those that are set
    new_driver: bool


@dataclass(frozen=True)
class ImportSummary:
    slug: str
    name: str
    year: int
    replaced: bool
    dry_run: bool
    championship_id: int | None
    classes: list[str]
    meetings: int
    races: int
    races_with_results: int
    entries: int
    results: int
    penalties: int
    drivers_created: int
    drivers_reused: int
    teams_created: int
    teams_reused: int
    circuits_created: int
    circuits_reused: int
    meeting_previews: list[MeetingPreview]
    entry_previews: list[EntryPreview]

    def __str__(self) -> str:
        verb = "would replace" if self.dry_run else "replaced"
        replaced = f", {verb} the championship before" if self.replaced else ""
        return (
            f"{self.slug}: {self.meetings} meetings, {self.races} races "
            f"({self.races_with_results} with results), {self.entries} entries, "
            f"{self.results} results, {self.penalties} penalties; drivers "
            f"{self.drivers_created} new, {self.drivers_reused} known; teams "
            f"{self.teams_created} new, {self.teams_reused} known; circuits "
            f"{self.circuits_created} new, {self.circuits_reused} known{replaced}"
        )

    def saved(self, championship_id: int) -> ImportSummary:
        return dataclasses.replace(self, championship_id=championship_id, dry_run=False)


def summarize(season: SeasonSpec, existing: Existing, *, dry_run: bool) -> ImportSummary:
    spec = season.championship
    drivers = {entry.driver_key for entry in season.entries}
    teams = {entry.team for entry in season.entries}
    circuits = {meeting.circuit.name for meeting in season.meetings}
    return ImportSummary(
        slug=spec.slug,
        name=spec.name,
        year=spec.year,
        replaced=existing.championship is not None,
        dry_run=dry_run,
        championship_id=None,
        classes=[c.code for c in spec.classes],
        meetings=len(season.meetings),
        races=len(season.races),
        races_with_results=len(season.results),
        entries=len(season.entries),
        results=sum(len(rows) for rows in season.results.values()),
        penalties=len(season.penalties),
        drivers_created=len(drivers - set(existing.drivers)),
        drivers_reused=len(drivers & set(existing.drivers)),
        teams_created=len(teams - set(existing.teams)),
        teams_reused=len(teams & set(existing.teams)),
        circuits_created=len(circuits - set(existing.circuits)),
        circuits_reused=len(circuits & set(existing.circuits)),
        meeting_previews=[_meeting(meeting, season) for meeting in season.meetings],
        entry_previews=[_entry(entry, existing.drivers) for entry in season.entries],
    )


def _meeting(meeting: MeetingSpec, season: SeasonSpec) -> MeetingPreview:
    races = [
        RacePreview(
            race.number,
            race.starts_at,
            race.points_factor,
            len(season.results.get((race.round, race.number), [])),
        )
        for race in meeting.races
    ]
    circuit = meeting.circuit
    return MeetingPreview(
        meeting.round,
        circuit.name,
        circuit.country,
        meeting.start_date,
        meeting.end_date,
        meeting.supporting_event,
        races,
    )


def _entry(entry: EntrySpec, known_drivers: dict[str, Driver]) -> EntryPreview:
    flags = ["rookie", "guest", "arrive_and_drive", "dealer_trophy"]
    return EntryPreview(
        entry.car_number,
        f"{entry.first_name} {entry.last_name}",
        entry.category,
        entry.team,
        entry.class_code,
        [flag for flag in flags if getattr(entry, flag)],
        entry.driver_key not in known_drivers,
    )
