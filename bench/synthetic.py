"""Synthetic seasons for the benchmarks, written straight to the database with bulk_create."""

from __future__ import annotations

import datetime as dt
import random

from championships.models import (
    Championship,
    ChampionshipClass,
    Circuit,
    Meeting,
    Race,
    Result,
    ResultStatus,
    Series,
)
from entries.models import Driver, DriverClassification, Entry, Team

CLASSES = {"PRO": ["PLATINUM", "GOLD", "SILVER"], "PRO_AM": ["SILVER", "BRONZE"], "AM": ["BRONZE"]}
CATEGORY_OF_CLASS = {"PRO": "GOLD", "PRO_AM": "SILVER", "AM": "BRONZE"}


def season_build(
    *, year: int, meetings: int = 12, races: int = 3, entries: int = 40
) -> Championship:
    """A complete season: every race held, every car classified or retired, ties and all."""
    rng = random.Random(year * 1000 + entries)
    series, _ = Series.objects.get_or_create(name="Bench Cup", defaults={"slug": "bench-cup"})
    championship = Championship.objects.create(
        series=series,
        slug=f"bench-{year}-{entries}",
        name=f"Bench {year}",
        year=year,
        pole_points=1,
        fastest_lap_points=1,
        dropped_results=2,
    )
    classes = ChampionshipClass.objects.bulk_create(
        ChampionshipClass(championship=championship, code=code, categories=cats, sort_order=i)
        for i, (code, cats) in enumerate(CLASSES.items())
    )
    cars = _entries(championship, classes, entries, rng)
    all_races = _calendar(championship, meetings, races)
    Result.objects.bulk_create(r for race in all_races for r in _results(race, cars, rng))
    return championship


def _entries(championship, classes, count: int, rng: random.Random) -> list[Entry]:
    teams = [
        Team.objects.get_or_create(name=f"Team {i}", defaults={"slug": f"team-{i}"})[0]
        for i in range(count // 2)
    ]
    drivers = Driver.objects.bulk_create(
        Driver(
            first_name="Driver",
            last_name=f"{championship.year}-{i}",
            slug=f"driver-{championship.year}-{count}-{i}",
            nationality="SG",
            date_of_birth=dt.date(1990, 1, 1),
        )
        for i in range(count)
    )
    categories = [CATEGORY_OF_CLASS[classes[i % 3].code] for i in range(count)]
    DriverClassification.objects.bulk_create(
        DriverClassification(
            driver=driver, category=category, effective_from=dt.date(1990, 1, 1), source="SERIES"
        )
        for driver, category in zip(drivers, categories, strict=True)
    )
    return Entry.objects.bulk_create(
        Entry(
            championship=championship,
            car_number=i + 1,
            driver=driver,
            team=teams[i // 2],
            entry_class=classes[i % 3],
            category=categories[i],
            rookie=i % 5 == 0,
            guest=i == count - 1,
            dealer_trophy=i % 4 == 0,
        )
        for i, driver in enumerate(drivers)
    )


def _calendar(championship, meetings: int, races: int) -> list[Race]:
    circuit, _ = Circuit.objects.get_or_create(
        name="Bench Circuit", defaults={"country": "MY", "timezone": "Asia/Kuala_Lumpur"}
    )
    start = dt.date(championship.year, 3, 1)
    rounds = Meeting.objects.bulk_create(
        Meeting(
            championship=championship,
            round=r + 1,
            circuit=circuit,
            start_date=start + dt.timedelta(weeks=2 * r),
            end_date=start + dt.timedelta(weeks=2 * r, days=1),
        )
        for r in range(meetings)
    )
    return Race.objects.bulk_create(
        Race(
            meeting=m,
            number=n + 1,
            starts_at=dt.datetime.combine(m.start_date, dt.time(2 + n), tzinfo=dt.UTC),
            points_factor="0.5" if (m.round, n) == (2, 1) else "1",
        )
        for m in rounds
        for n in range(races)
    )


def _results(race: Race, cars: list[Entry], rng: random.Random) -> list[Result]:
    order = rng.sample(cars, len(cars))
    grids = rng.sample(range(1, len(cars) + 1), len(cars))
    rows = []
    for position, entry in enumerate(order, start=1):
        retired = rng.random() < 0.05
        rows.append(
            Result(
                race=race,
                entry=entry,
                position=None if retired else position,
                status=ResultStatus.DNF if retired else ResultStatus.CLASSIFIED,
                laps=rng.randint(1, 14) if retired else 15,
                total_time=None if retired else dt.timedelta(seconds=1800 + position * 1.5),
                best_lap=dt.timedelta(seconds=118 + rng.random()),
                grid=grids[position - 1],
            )
        )
    # Positions stay 1, 2, … among the classified cars, as a timing sheet has them.
    classified = [r for r in rows if r.position is not None]
    for position, row in enumerate(classified, start=1):
        row.position = position
    return rows
