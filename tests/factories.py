"""Plain ``make_*`` helpers: each creates one object with sensible defaults."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from championships.models import (
    Championship,
    ChampionshipClass,
    Circuit,
    Meeting,
    Penalty,
    PenaltyKind,
    Race,
    Result,
    ResultStatus,
    Series,
)
from entries.models import Driver, DriverClassification, Entry, Team, driver_slugs_free

_seq = itertools.count(1)


def make_series(name: str = "Porsche Carrera Cup Asia") -> Series:
    series, _ = Series.objects.get_or_create(
        name=name, defaults={"slug": name.lower().replace(" ", "-")}
    )
    return series


def make_championship(
    slug: str | None = None, *, year: int = 2024, classes: bool = True, **fields
) -> Championship:
    n = next(_seq)
    championship = Championship.objects.create(
        series=fields.pop("series", None) or make_series(),
        slug=slug or f"cup-{year}-{n}",
        name=fields.pop("name", f"Cup {year} #{n}"),
        year=year,
        **fields,
    )
    if classes:
        make_class(championship, "PRO", ["PLATINUM", "GOLD", "SILVER"])
        make_class(championship, "PRO_AM", ["SILVER", "BRONZE"])
        make_class(championship, "AM", ["BRONZE"])
    return championship


def make_class(
    championship: Championship, code: str, categories: list[str], **fields
) -> ChampionshipClass:
    return ChampionshipClass.objects.create(
        championship=championship, code=code, categories=categories, **fields
    )


def make_circuit(name: str = "Shanghai International Circuit", **fields) -> Circuit:
    circuit, _ = Circuit.objects.get_or_create(
        name=name,
        defaults={
            "country": fields.get("country", "CN"),
            "timezone": fields.get("timezone", "Asia/Shanghai"),
        },
    )
    return circuit


def make_meeting(championship: Championship, round: int = 1, **fields) -> Meeting:
    start = fields.pop("start_date", dt.date(championship.year, 4, 20))
    return Meeting.objects.create(
        championship=championship,
        round=round,
        circuit=fields.pop("circuit", None) or make_circuit(),
        start_date=start,
        end_date=fields.pop("end_date", start + dt.timedelta(days=1)),
        **fields,
    )


def make_race(meeting: Meeting, number: int = 1, **fields) -> Race:
    default_start = dt.datetime.combine(
        meeting.start_date, dt.time(10, 35), tzinfo=dt.UTC
    ) + dt.timedelta(days=number - 1)
    return Race.objects.create(
        meeting=meeting, number=number, starts_at=fields.pop("starts_at", default_start), **fields
    )


# The day a driver made with a ``category`` holds it from, before every season of the tests.
CATEGORY_SINCE = dt.date(2000, 1, 1)


def make_driver(first_name: str = "Kai", last_name: str | None = None, **fields) -> Driver:
    """A driver with their ``category`` (GOLD) recorded from ``CATEGORY_SINCE``; ``None``
    records none."""
    last_name = last_name or f"Driver{next(_seq)}"
    dob = fields.pop("date_of_birth", dt.date(2000, 1, 1))
    category = fields.pop("category", "GOLD")
    driver = Driver.objects.create(
        first_name=first_name,
        last_name=last_name,
        slug=fields.pop("slug", None) or driver_slugs_free([(first_name, last_name)])[0],
        nationality=fields.pop("nationality", "SE"),
        date_of_birth=dob,
        **fields,
    )
    if category is not None:
        DriverClassification.objects.create(
            driver=driver, category=category, effective_from=CATEGORY_SINCE, source="FIA_LIST"
        )
    return driver


def make_team(name: str | None = None) -> Team:
    name = name or f"Team {next(_seq)}"
    team, _ = Team.objects.get_or_create(
        name=name, defaults={"slug": name.lower().replace(" ", "-")}
    )
    return team


def make_entry(championship: Championship, car_number: int | None = None, **fields) -> Entry:
    entry_class = fields.pop("entry_class", None) or championship.classes.get(
        code=fields.pop("class_code", "PRO")
    )
    driver = fields.pop("driver", None) or make_driver()
    return Entry.objects.create(
        championship=championship,
        car_number=car_number or next(_seq) % 999 + 1,
        driver=driver,
        category=fields.pop("category", None)
        or driver.category_on(dt.date(championship.year, 1, 1)),
        team=fields.pop("team", None) or make_team(),
        entry_class=entry_class,
        **fields,
    )


def make_result(race: Race, entry: Entry, position: int | None = None, **fields) -> Result:
    status = fields.pop("status", ResultStatus.CLASSIFIED if position else ResultStatus.DNF)
    return Result.objects.create(
        race=race,
        entry=entry,
        position=position,
        status=status,
        laps=fields.pop("laps", 15),
        total_time=fields.pop("total_time", None),
        best_lap=fields.pop("best_lap", None),
        grid=fields.pop("grid", None),
        **fields,
    )


def make_penalty(
    entry: Entry, kind: str = PenaltyKind.TIME, *, race: Race | None = None, **fields
) -> Penalty:
    meeting = fields.pop("meeting", None) or race.meeting
    value = fields.pop("value", None if kind == PenaltyKind.DSQ else Decimal(5))
    return Penalty.objects.create(
        meeting=meeting,
        race=race,
        entry=entry,
        kind=kind,
        value=value,
        reason=fields.pop("reason", "Causing a collision"),
        **fields,
    )
