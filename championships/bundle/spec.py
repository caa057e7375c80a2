"""A parsed season bundle as plain dataclasses: what the files say, before any database work."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from championships.models import ChampionshipClass
from entries.models import person_key

Points = list[int | float]
RaceKey = tuple[int, int]  # (round, race number)


@dataclass
class ClassSpec:
    code: str
    categories: list[str]
    min_age: int | None = None
    race_points: Points | None = None
    pole_points: Decimal = Decimal(0)
    fastest_lap_points: Decimal = Decimal(0)

    def admission(self) -> ChampionshipClass:
        """An unsaved class with what ``class_admission_problem`` reads."""
        return ChampionshipClass(code=self.code, categories=self.categories, min_age=self.min_age)


@dataclass
class ChampionshipSpec:
    """championship.toml. ``line_of`` finds the line of a key for the database checks."""

    slug: str
    name: str
    series: str
    year: int
    race_points: Points
    pole_points: Decimal
    fastest_lap_points: Decimal
    dropped_results: int
    drop_disqualified: bool
    tie_break: str
    positions: str
    team_cars_per_race: int
    dealer_cars_per_race: int
    rookies_race_points: Points | None
    rookies_pole_points: Decimal
    rookies_fastest_lap_points: Decimal
    classes: list[ClassSpec]
    key_lines: dict[str, int] = field(default_factory=dict)


@dataclass
class CircuitSpec:
    name: str
    country: str
    timezone: str
    line: int


@dataclass
class RaceSpec:
    round: int
    number: int
    starts_at: dt.datetime  # aware
    local_date: dt.date
    points_factor: str
    line: int


@dataclass
class MeetingSpec:
    round: int
    circuit: CircuitSpec
    supporting_event: str
    races: list[RaceSpec] = field(default_factory=list)

    @property
    def start_date(self) -> dt.date:
        return min(race.local_date for race in self.races)

    @property
    def end_date(self) -> dt.date:
        return max(race.local_date for race in self.races)


@dataclass
class EntrySpec:
    line: int
    car_number: int
    first_name: str
    last_name: str
    nationality: str
    date_of_birth: dt.date
    category: str
    team: str
    class_code: str
    rookie: bool
    guest: bool
    arrive_and_drive: bool
    dealer_trophy: bool

    @property
    def driver_key(self) -> str:
        """Who the driver is, to find them among the known ones (never their public slug)."""
        return person_key(self.first_name, self.last_name, self.date_of_birth)


@dataclass
class ResultSpec:
    line: int
    car_number: int
    position: int | None
    status: str
    laps: int
    total_time: dt.timedelta | None
    best_lap: dt.timedelta | None
    grid: int | None


@dataclass
class PenaltySpec:
    line: int
    round: int
    race: int | None
    car_number: int
    kind: str
    value: Decimal | None
    reason: str


@dataclass
class ClassChangeSpec:
    """A row of class-changes.csv: the car is in ``class_code`` from ``from_date`` on."""

    line: int
    car_number: int
    class_code: str
    from_date: dt.date


@dataclass
class SeasonSpec:
    """The whole bundle as far as it could be read (None for an unreadable championship.toml)."""

    championship: ChampionshipSpec | None
    meetings: list[MeetingSpec]
    entries: list[EntrySpec]
    results: dict[RaceKey, list[ResultSpec]]
    penalties: list[PenaltySpec]
    first_day: dt.date | None  # the local date of the first race: class ages are taken on it
    class_changes: list[ClassChangeSpec] = field(default_factory=list)  # rule 7, by car and date

    @property
    def races(self) -> list[RaceSpec]:
        return [race for meeting in self.meetings for race in meeting.races]
