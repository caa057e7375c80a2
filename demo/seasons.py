"""Demo data: the example 2024 season, and a complete 2023 season generated here as a bundle.

The 2023 season is written as an ordinary season bundle and loaded through the same import as
any other, so the demo also exercises the import. It is deterministic: the same files every
time, from a seeded random generator.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from championships.bundle.entries_file import COLUMNS as ENTRY_COLUMNS
from championships.bundle.export import CALENDAR_HEADER, RESULTS_HEADER
from championships.models import Championship, Prize
from core.numbers import timing

EXAMPLE_SEASON_DIR = Path(__file__).resolve().parent / "data" / "pcca-2024"
ARCHIVE_SLUG = "pcca-2023"
ARCHIVE_YEAR = 2023

ARCHIVE_TOML = """\
slug = "pcca-2023"
name = "Porsche Carrera Cup Asia 2023"
series = "Porsche Carrera Cup Asia"
year = 2023

[points]
race = [25, 20, 17, 14, 12, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
pole = 1
fastest_lap = 1
team_cars_per_race = 2
dealer_cars_per_race = 1

[classes.PRO]
categories = ["PLATINUM", "GOLD", "SILVER"]

[classes.PRO_AM]
categories = ["SILVER", "BRONZE"]
pole = 2

[classes.AM]
categories = ["BRONZE"]
"""

# round: (circuit, country, time zone, first race day, supporting event)
ARCHIVE_CALENDAR = [
    ("Shanghai International Circuit", "CN", "Asia/Shanghai", dt.date(2023, 4, 15), ""),
    ("Sepang International Circuit", "MY", "Asia/Kuala_Lumpur", dt.date(2023, 5, 20), ""),
    ("Suzuka International Racing Course", "JP", "Asia/Tokyo", dt.date(2023, 6, 17), ""),
    ("Chang International Circuit", "TH", "Asia/Bangkok", dt.date(2023, 8, 5), ""),
    (
        "Marina Bay Street Circuit",
        "SG",
        "Asia/Singapore",
        dt.date(2023, 9, 16),
        "Formula 1 Singapore Grand Prix",
    ),
    ("Shanghai International Circuit", "CN", "Asia/Shanghai", dt.date(2023, 10, 21), ""),
]


@dataclass(frozen=True)
class DemoEntry:
    car_number: int
    first_name: str
    last_name: str
    nationality: str
    date_of_birth: str
    category: str
    team: str
    entry_class: str
    rookie: bool = False
    dealer_trophy: bool = False
    arrive_and_drive: bool = False
    guest: bool = False
    # The rounds the entry races; None for every round (a guest comes for a weekend or two).
    rounds: frozenset[int] | None = None

    def races_in(self, round_number: int) -> bool:
        return self.rounds is None or round_number in self.rounds

    @property
    def pace(self) -> float:
        """Seconds a lap slower than the best: categories set the order, with overlap."""
        return {"PLATINUM": 0.0, "GOLD": 0.25, "SILVER": 0.5, "BRONZE": 1.1}[self.category]


# Several drivers raced in 2024 too (same name and date of birth), so the archive links to them.
ARCHIVE_ENTRIES = [
    DemoEntry(
        55,
        "Kai",
        "Lindqvist",
        "SE",
        "2002-03-14",
        "SILVER",
        "Harbour Racing",
        "PRO",
        rookie=True,
        dealer_trophy=True,
    ),
    DemoEntry(
        99, "Ming", "Zhao", "CN", "2001-11-21", "GOLD", "Jade Motorsport", "PRO", dealer_trophy=True
    ),
    DemoEntry(86, "Rafael", "Moreau", "FR", "2000-05-30", "PLATINUM", "Jade Motorsport", "PRO"),
    DemoEntry(
        18,
        "Hiro",
        "Nakamura",
        "JP",
        "1999-09-17",
        "GOLD",
        "Sakura Works",
        "PRO",
        dealer_trophy=True,
    ),
    DemoEntry(1, "Lucas", "Brandt", "DE", "1997-08-02", "PLATINUM", "Harbour Racing", "PRO"),
    DemoEntry(14, "Arjun", "Mehta", "IN", "2001-02-17", "SILVER", "Lion City Motorsport", "PRO"),
    DemoEntry(
        8,
        "Wei",
        "Chen",
        "CN",
        "1983-02-11",
        "BRONZE",
        "Red Lotus Team",
        "PRO_AM",
        dealer_trophy=True,
    ),
    DemoEntry(
        88,
        "Omar",
        "Haddad",
        "MY",
        "1979-06-23",
        "SILVER",
        "Tiger Cup Racing",
        "PRO_AM",
        dealer_trophy=True,
    ),
    DemoEntry(
        33,
        "Elena",
        "Rossi",
        "IT",
        "1990-04-04",
        "SILVER",
        "Arrive & Drive Asia",
        "PRO_AM",
        arrive_and_drive=True,
    ),
    DemoEntry(23, "Kenji", "Mori", "JP", "1985-05-05", "BRONZE", "Sakura Works", "PRO_AM"),
    DemoEntry(
        66,
        "Ivan",
        "Petrov",
        "HK",
        "1975-10-30",
        "BRONZE",
        "Arrive & Drive Asia",
        "AM",
        arrive_and_drive=True,
    ),
    DemoEntry(
        77, "Tian", "Wong", "HK", "1981-01-19", "BRONZE", "Kowloon Speed", "AM", dealer_trophy=True
    ),
    DemoEntry(3, "Sora", "Ito", "JP", "1978-12-12", "BRONZE", "Kowloon Speed", "AM"),
    DemoEntry(50, "Farid", "Yeo", "SG", "1969-03-03", "BRONZE", "Lion City Motorsport", "AM"),
    DemoEntry(27, "Priya", "Nair", "SG", "1988-11-30", "BRONZE", "Red Lotus Team", "AM"),
    DemoEntry(41, "Daniel", "Ong", "MY", "1992-07-21", "BRONZE", "Tiger Cup Racing", "AM"),
]

BASE_LAP_SECONDS = 118.4
LAPS = 15


def archive_bundle_write(destination: Path, *, seed: int = ARCHIVE_YEAR) -> Path:
    """Write the complete 2023 demo season as a bundle folder and return its path."""
    destination.mkdir(parents=True, exist_ok=True)
    (destination / "championship.toml").write_text(ARCHIVE_TOML, encoding="utf-8")
    _write_calendar(destination / "calendar.csv")
    write_entries(destination / "entries.csv")
    results = destination / "results"
    results.mkdir(exist_ok=True)
    rng = random.Random(seed)
    for round_number in range(1, len(ARCHIVE_CALENDAR) + 1):
        for race_number in (1, 2):
            rows = race_rows(rng)
            write_csv(results / f"R{round_number}-{race_number}.csv", RESULTS_HEADER, rows)
    return destination


def write_csv(path: Path, header: Sequence[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _write_calendar(path: Path) -> None:
    rows = []
    for number, (circuit, country, zone, day, event) in enumerate(ARCHIVE_CALENDAR, start=1):
        for race, (offset, start) in enumerate([(0, "10:35"), (1, "14:05")], start=1):
            when = f"{day + dt.timedelta(days=offset):%Y-%m-%d} {start}"
            rows.append([str(number), str(race), circuit, country, zone, when, "", event])
    write_csv(path, CALENDAR_HEADER, rows)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def write_entries(path: Path, entries: Sequence[DemoEntry] = ARCHIVE_ENTRIES) -> None:
    rows = [
        [
            str(e.car_number),
            e.first_name,
            e.last_name,
            e.nationality,
            e.date_of_birth,
            e.category,
            e.team,
            e.entry_class,
            _yes(e.rookie),
            _yes(e.guest),
            _yes(e.arrive_and_drive),
            _yes(e.dealer_trophy),
        ]
        for e in entries
    ]
    write_csv(path, ENTRY_COLUMNS.required + ENTRY_COLUMNS.optional, rows)


def race_rows(
    rng: random.Random, entries: Sequence[DemoEntry] = ARCHIVE_ENTRIES
) -> list[list[str]]:
    """One race: grid from a qualifying lap, finish from a noisy race pace, a retirement or two."""
    grid = sorted(entries, key=lambda e: e.pace + rng.gauss(0, 0.3))
    grid_of = {e.car_number: slot for slot, e in enumerate(grid, start=1)}
    laps_of = {e.car_number: _race_laps(e, rng) for e in entries}
    finishers = [e for e in entries if laps_of[e.car_number] == LAPS]
    retired = [e for e in entries if laps_of[e.car_number] < LAPS]
    timed = sorted(((_race_time(e, rng), e) for e in finishers), key=lambda pair: pair[0])
    rows = [
        _result_row(str(pos), e, LAPS, time, rng, grid_of[e.car_number])
        for pos, (time, e) in enumerate(timed, start=1)
    ]
    for e in sorted(retired, key=lambda e: -laps_of[e.car_number]):
        rows.append(_result_row("DNF", e, laps_of[e.car_number], None, rng, grid_of[e.car_number]))
    return rows


def _race_laps(entry: DemoEntry, rng: random.Random) -> int:
    return rng.randint(1, LAPS - 1) if rng.random() < 0.06 else LAPS


def _race_time(entry: DemoEntry, rng: random.Random) -> float:
    return LAPS * (BASE_LAP_SECONDS + entry.pace) + 20 + rng.gauss(0, 4.0)


def _result_row(
    pos: str, entry: DemoEntry, laps: int, time: float | None, rng: random.Random, grid: int
) -> list[str]:
    best = BASE_LAP_SECONDS + entry.pace + abs(rng.gauss(0, 0.25))
    return [
        pos,
        str(entry.car_number),
        f"{entry.first_name} {entry.last_name.upper()}",
        str(laps),
        _clock(time) if time is not None else "",
        _clock(best),
        str(grid),
    ]


def _clock(seconds: float) -> str:
    """As timing sheets write it (``core.numbers.timing``): 29:58.123 for a race, 1:58.056 for
    a lap; rounded to the millisecond before, so that no microsecond rounding moves it."""
    return timing(dt.timedelta(milliseconds=round(seconds * 1000)))


# What the series gives away in the demo season: bundles carry no prizes.
DEMO_PRIZES = [
    {
        "table": "drivers",
        "after_round": 4,
        "position": 1,
        "award": "Le Mans 24 Hours",
        "description": "The drivers' leader after round 4 races at Le Mans in June.",
    },
    {
        "table": "rookies",
        "after_round": None,
        "position": 1,
        "award": "Porsche junior programme assessment",
        "description": "The best rookie of the season is invited to the junior assessment.",
    },
]


def demo_prizes_ensure(*, championship_slug: str) -> str:
    """Add the demo prizes to the championship if it has none yet."""
    championship = Championship.objects.filter(slug=championship_slug).first()
    if championship is None or championship.prizes.exists():
        return f"{championship_slug}: prizes left as they are."
    Prize.objects.bulk_create(Prize(championship=championship, **p) for p in DEMO_PRIZES)
    return f"{championship_slug}: {len(DEMO_PRIZES)} prizes added."
