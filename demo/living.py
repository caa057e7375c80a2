"""The living demo: seasons whose dates are relative to the day the demo is loaded.

Whatever the day, the Cup's current season is half run (four meetings held, two ahead, the
next one 12 days away), a Sprint series races beside it on shared weekends, last year's
seasons of both series are in the archive and next year's Cup waits as a draft for the Talent
Pool's winners. Every season is written as a season bundle and loaded through
``season_import``, like real data; seeded from its slug and first race day, so the same day
gives the same demo.

The season's year is the year of the Cup's first race, not today's: a season takes the name
of the year it starts in (on 1 January the running season is the one that began in August),
and its slug stays the same from its first race until the calendar moves on to next year's.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace
from pathlib import Path

from championships.bundle.export import CALENDAR_HEADER, RESULTS_HEADER
from demo.seasons import ARCHIVE_ENTRIES, DemoEntry, race_rows, write_csv, write_entries

CUP_SERIES = "Porsche Carrera Cup Asia"
SPRINT_SERIES = "Porsche Sprint Challenge China"
CUP_PREFIX = "pcca"
SPRINT_PREFIX = "pscc"

PENALTIES_HEADER = ["round", "race", "car_number", "kind", "value", "reason"]


@dataclass(frozen=True)
class Venue:
    circuit: str
    country: str
    zone: str


SEPANG = Venue("Sepang International Circuit", "MY", "Asia/Kuala_Lumpur")
ZHUHAI = Venue("Zhuhai International Circuit", "CN", "Asia/Shanghai")
SUZUKA = Venue("Suzuka International Racing Course", "JP", "Asia/Tokyo")
SHANGHAI = Venue("Shanghai International Circuit", "CN", "Asia/Shanghai")
NINGBO = Venue("Ningbo International Speedpark", "CN", "Asia/Shanghai")
CHANG = Venue("Chang International Circuit", "TH", "Asia/Bangkok")
CHENGDU = Venue("Chengdu Tianfu International Circuit", "CN", "Asia/Shanghai")
ZHUZHOU = Venue("Zhuzhou International Circuit", "CN", "Asia/Shanghai")

# Days from today to each meeting's first race day (race 2 the day after). The Cup's first
# meeting is the anchor: the Sprint's shared weekends (Zhuhai, Shanghai, Ningbo) fall on the
# Cup's days at the same circuit.
CUP_MEETINGS: tuple[tuple[int, Venue], ...] = (
    (-150, SEPANG),
    (-110, ZHUHAI),
    (-70, SUZUKA),
    (-35, SHANGHAI),
    (12, NINGBO),
    (50, CHANG),
)
SPRINT_MEETINGS: tuple[tuple[int, Venue], ...] = (
    (-130, CHENGDU),
    (-110, ZHUHAI),
    (-35, SHANGHAI),
    (12, NINGBO),
    (40, ZHUZHOU),
)
FIRST_OFFSET = CUP_MEETINGS[0][0]

POINTS = """\
[points]
race = [25, 20, 17, 14, 12, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
pole = 1
fastest_lap = 1
team_cars_per_race = 2
dealer_cars_per_race = 1
"""

CUP_RULES = (
    POINTS
    + """dropped_results = 2

[classes.PRO]
categories = ["PLATINUM", "GOLD", "SILVER"]

[classes.PRO_AM]
categories = ["SILVER", "BRONZE"]
pole = 2

[classes.AM]
categories = ["BRONZE"]
"""
)

SPRINT_RULES = (
    POINTS
    + """
[classes.PRO]
categories = ["PLATINUM", "GOLD", "SILVER"]

[classes.AM]
categories = ["SILVER", "BRONZE"]
"""
)

# A works driver invited for the shared Zhuhai weekend: fast on the road, skipped in the tables.
GUEST = DemoEntry(
    911,
    "Matteo",
    "Bianchi",
    "IT",
    "1995-09-09",
    "PLATINUM",
    "Porsche Motorsport Asia Pacific",
    "PRO",
    guest=True,
    rounds=frozenset({2}),
)

# Kai Lindqvist left the Cup after 2024 (the example season stays his latest one).
CUP_ENTRIES: tuple[DemoEntry, ...] = (
    *(e for e in ARCHIVE_ENTRIES if e.last_name != "Lindqvist"),
    DemoEntry(
        12, "Leon", "Tan", "SG", "2004-06-18", "SILVER", "Harbour Racing", "PRO", rookie=True
    ),
    GUEST,
)

# Drivers of both series are the Cup's drivers (same name and date of birth): one driver each.
_BOTH = {"Zhao", "Chen", "Wong"}
SPRINT_ENTRIES: tuple[DemoEntry, ...] = (
    *(
        replace(e, entry_class="AM" if e.category == "BRONZE" else "PRO")
        for e in ARCHIVE_ENTRIES
        if e.last_name in _BOTH
    ),
    DemoEntry(2, "Hao", "Lin", "CN", "1999-03-08", "GOLD", "Dragon Speed China", "PRO"),
    DemoEntry(6, "Yutong", "Liu", "CN", "2003-10-01", "SILVER", "Dragon Speed China", "PRO"),
    DemoEntry(
        10, "Jiahui", "Sun", "CN", "2005-01-25", "SILVER", "Pearl River Racing", "PRO", rookie=True
    ),
    DemoEntry(16, "Bo", "Xu", "CN", "1986-12-03", "BRONZE", "Pearl River Racing", "AM"),
    DemoEntry(21, "Lei", "Guo", "CN", "1980-07-14", "BRONZE", "Chengdu Motorsport", "AM"),
    DemoEntry(28, "Fang", "He", "CN", "1991-05-19", "SILVER", "Chengdu Motorsport", "AM"),
    DemoEntry(35, "Qiang", "Ma", "CN", "1977-02-27", "BRONZE", "Jade Motorsport", "AM"),
)

# (round, race or None, car, kind, value, reason): the stewards' decisions of a season.
Decision = tuple[int, int | None, int, str, str, str]

CUP_DECISIONS: tuple[Decision, ...] = (
    (1, 2, 14, "TIME", "5", "Causing a collision at turn 1"),
    (3, 1, 23, "DSQ", "", "Car below minimum weight"),
    (4, None, 41, "POINTS", "3", "Repeated track limits offences"),
)
SPRINT_DECISIONS: tuple[Decision, ...] = ((2, 1, 16, "TIME", "10", "Jump start"),)


@dataclass(frozen=True)
class SeasonPlan:
    """A series' season as the demo writes it, whatever the year."""

    series: str
    prefix: str
    rules: str
    meetings: tuple[tuple[int, Venue], ...]
    starts: tuple[str, str]  # race 1 on the first day, race 2 on the next
    entries: tuple[DemoEntry, ...]
    decisions: tuple[Decision, ...] = ()
    half_points: tuple[int, int] | None = None  # (round, race) shortened by rain

    def slug(self, year: int) -> str:
        return f"{self.prefix}-{year}"


CUP = SeasonPlan(
    CUP_SERIES,
    CUP_PREFIX,
    CUP_RULES,
    CUP_MEETINGS,
    ("11:05", "14:20"),
    CUP_ENTRIES,
    CUP_DECISIONS,
    half_points=(3, 2),
)
SPRINT = SeasonPlan(
    SPRINT_SERIES,
    SPRINT_PREFIX,
    SPRINT_RULES,
    SPRINT_MEETINGS,
    ("09:30", "12:10"),
    SPRINT_ENTRIES,
    SPRINT_DECISIONS,
)


def first_race_day(today: dt.date) -> dt.date:
    """The current Cup season's first race day: the anchor of every demo date."""
    return today + dt.timedelta(days=FIRST_OFFSET)


def season_year(today: dt.date) -> int:
    """The current seasons' year: the year of the Cup's first race (see the module's doc)."""
    return first_race_day(today).year


def shifted_year(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (28 February for a 29th that the year lacks)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def meeting_days(plan: SeasonPlan, first_day: dt.date) -> list[tuple[dt.date, Venue]]:
    """Each meeting's first race day in a season whose Cup starts on ``first_day``."""
    return [
        (first_day + dt.timedelta(days=offset - FIRST_OFFSET), v) for offset, v in plan.meetings
    ]


@dataclass(frozen=True)
class SeasonBundle:
    """What to write: the plan, its year, its first Cup race day, and the day results stop
    (races on or after ``held_before`` have none yet)."""

    plan: SeasonPlan
    year: int
    first_day: dt.date
    held_before: dt.date
    with_entries: bool = True

    @property
    def slug(self) -> str:
        return self.plan.slug(self.year)

    @property
    def name(self) -> str:
        return f"{self.plan.series} {self.year}"


def bundle_write(destination: Path, bundle: SeasonBundle) -> Path:
    """Write the season as a bundle folder and return its path."""
    plan = bundle.plan
    destination.mkdir(parents=True, exist_ok=True)
    (destination / "championship.toml").write_text(_toml(bundle), encoding="utf-8")
    races = _races(bundle)
    write_csv(destination / "calendar.csv", CALENDAR_HEADER, [row for row, _ in races])
    entries = plan.entries if bundle.with_entries else ()
    write_entries(destination / "entries.csv", entries)
    results = destination / "results"
    results.mkdir(exist_ok=True)
    rng = random.Random(f"{bundle.slug}:{bundle.first_day.isoformat()}")
    held: set[tuple[int, int]] = set()
    for (round_number, race_number), day in ((key, day) for _, (key, day) in races):
        if day >= bundle.held_before or not entries:
            continue
        racing = [e for e in entries if e.races_in(round_number)]
        write_csv(
            results / f"R{round_number}-{race_number}.csv", RESULTS_HEADER, race_rows(rng, racing)
        )
        held.add((round_number, race_number))
    decisions = [d for d in plan.decisions if _decided(d, held)]
    write_csv(
        destination / "penalties.csv", PENALTIES_HEADER, [_decision_row(d) for d in decisions]
    )
    return destination


def _toml(bundle: SeasonBundle) -> str:
    head = (
        f'slug = "{bundle.slug}"\nname = "{bundle.name}"\n'
        f'series = "{bundle.plan.series}"\nyear = {bundle.year}\n\n'
    )
    return head + bundle.plan.rules


def _races(bundle: SeasonBundle) -> list[tuple[list[str], tuple[tuple[int, int], dt.date]]]:
    """Each race's calendar row, with its (round, race) and local day."""
    plan = bundle.plan
    rows = []
    days = meeting_days(plan, bundle.first_day)
    for number, (first, venue) in enumerate(days, start=1):
        for race, start in enumerate(plan.starts, start=1):
            day = first + dt.timedelta(days=race - 1)
            factor = "0.5" if plan.half_points == (number, race) else ""
            row = [str(number), str(race), venue.circuit, venue.country, venue.zone]
            rows.append(([*row, f"{day:%Y-%m-%d} {start}", factor, ""], ((number, race), day)))
    return rows


def _decided(decision: Decision, held: set[tuple[int, int]]) -> bool:
    """A decision of a held race, or of a meeting with a held race (a points deduction)."""
    round_number, race = decision[0], decision[1]
    if race is not None:
        return (round_number, race) in held
    return any(key[0] == round_number for key in held)


def _decision_row(decision: Decision) -> list[str]:
    round_number, race, car, kind, value, reason = decision
    return [str(round_number), "" if race is None else str(race), str(car), kind, value, reason]


def current_bundles(today: dt.date) -> list[SeasonBundle]:
    """Last year's seasons (complete), this year's (half run) and next year's Cup (a calendar
    waiting for its entries), in the order they are loaded: oldest first, so that each
    driver's latest category comes last."""
    first = first_race_day(today)
    year = first.year
    last = shifted_year(first, -1)
    following = shifted_year(first, 1)
    return [
        SeasonBundle(_without_rookies(CUP), year - 1, last, held_before=today),
        SeasonBundle(_without_rookies(SPRINT), year - 1, last, held_before=today),
        SeasonBundle(CUP, year, first, held_before=today),
        SeasonBundle(SPRINT, year, first, held_before=today),
        SeasonBundle(CUP, year + 1, following, held_before=today, with_entries=False),
    ]


def _without_rookies(plan: SeasonPlan) -> SeasonPlan:
    """Last year's season: this year's rookies were not there yet."""
    return replace(plan, entries=tuple(e for e in plan.entries if not e.rookie))
