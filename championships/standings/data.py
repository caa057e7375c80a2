"""A season's data as plain frozen dataclasses: what the rules read, nothing the ORM owns."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

CLASSIFIED = "CLASSIFIED"
DSQ = "DSQ"

TIME = "TIME"
DISQUALIFICATION = "DSQ"
POINTS = "POINTS"

COUNTBACK = "countback"
DENSE = "dense"

DRIVERS = "drivers"
ROOKIES = "rookies"
TEAMS = "teams"
DEALERS = "dealers"
TABLES = (DRIVERS, ROOKIES, TEAMS, DEALERS)


@dataclass(frozen=True)
class Scheme:
    """The points of one table: by rank, for pole and for the fastest lap."""

    race: tuple[Decimal, ...]
    pole: Decimal = Decimal(0)
    fastest_lap: Decimal = Decimal(0)


@dataclass(frozen=True)
class Settings:
    """The championship-wide settings of ``[points]`` that are not a table's scheme."""

    dropped_results: int = 0
    drop_disqualified: bool = False
    tie_break: str = COUNTBACK
    positions: str = "standard"
    team_cars_per_race: int = 2
    dealer_cars_per_race: int = 1


@dataclass(frozen=True)
class Entry:
    id: int
    car_number: int
    driver: str
    team: str
    class_code: str
    rookie: bool = False
    guest: bool = False
    dealer_trophy: bool = False
    # Rule 7: the entry's later classes, each with the first day it holds it, in date order;
    # ``class_code`` is its class at its first race.
    class_moves: tuple[ClassMove, ...] = ()


class ClassMove(NamedTuple):
    """Rule 7: an entry holds ``class_code`` from ``from_day`` on (a race's local day)."""

    from_day: dt.date
    class_code: str


class Result(NamedTuple):
    """One line of a race's classification as recorded; ``position`` only when classified.

    A named tuple rather than a frozen dataclass: a season has thousands of them, and a tuple
    is built several times faster, which the loader's time shows.
    """

    entry_id: int
    position: int | None
    status: str = CLASSIFIED
    laps: int = 0
    total_time: dt.timedelta | None = None
    best_lap: dt.timedelta | None = None
    grid: int | None = None


# What a result records about its entry, all but whose it is: the fields an import compares
# and a classification version lists, in this order.
RESULT_VALUES = tuple(name for name in Result._fields if name != "entry_id")


@dataclass(frozen=True)
class Race:
    """A held race and its results, in the order of the recorded positions."""

    id: int
    round: int
    number: int
    factor: Decimal
    results: tuple[Result, ...]
    day: dt.date | None = None  # the local date of its start, which rule 7 reads

    @functools.cached_property  # asked for every line of every table
    def label(self) -> str:
        return f"R{self.round}-{self.number}"


@dataclass(frozen=True)
class Penalty:
    """A stewards' decision: ``race_id`` is None for a points deduction of the round."""

    entry_id: int
    kind: str
    round: int
    race_id: int | None
    value: Decimal | None
    reason: str


@dataclass(frozen=True)
class Season:
    """Everything the tables of one championship depend on."""

    slug: str
    races: tuple[Race, ...]
    entries: tuple[Entry, ...]
    penalties: tuple[Penalty, ...] = ()
    schemes: dict[str, Scheme] = field(default_factory=dict)
    settings: Settings = Settings()
    class_codes: tuple[str, ...] = ()
    # Rule 3.2's S: the calendar's races whose factor is not 0, held or not. The loaders
    # count them; None counts those among ``races`` (all a hand-built season knows of).
    scoring_races: int | None = None


def class_table_key(class_code: str) -> str:
    """The key of a class table's scheme in ``Season.schemes``, e.g. "class-PRO_AM"."""
    return f"class-{class_code}"
