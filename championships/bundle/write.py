"""The one write of an import: a checked season into the database, in bulk.

Called by ``season_import`` inside its transaction, after every check has passed.
"""

from __future__ import annotations

import datetime as dt

from django.utils.text import slugify

from championships.bundle.resolve import Existing
from championships.bundle.spec import ChampionshipSpec, RaceKey, SeasonSpec
from championships.models import (
    Championship,
    ChampionshipClass,
    Circuit,
    Meeting,
    Penalty,
    Race,
    Result,
    Series,
)
from championships.services import standings_invalidate, weekend_rows_delete
from entries.models import (
    ClassificationSource,
    Driver,
    DriverClassification,
    Entry,
    EntryClassChange,
    Team,
    driver_slugs_free,
    person_key,
)

CHAMPIONSHIP_FIELDS = (
    "slug",
    "name",
    "year",
    "race_points",
    "pole_points",
    "fastest_lap_points",
    "dropped_results",
    "drop_disqualified",
    "tie_break",
    "positions",
    "team_cars_per_race",
    "dealer_cars_per_race",
    "rookies_race_points",
    "rookies_pole_points",
    "rookies_fastest_lap_points",
)


def write_season(season: SeasonSpec, existing: Existing) -> Championship:
    if existing.championship is not None:
        championship_delete(existing.championship)
    championship, classes = _championship(season.championship, existing.series)
    races = _calendar(championship, season, existing.circuits)
    entries = _entries(championship, classes, season, existing)
    _class_changes(season, classes, entries)
    _results(season, races, entries)
    _penalties(season, races, entries)
    standings_invalidate(championship_id=championship.pk)
    return championship


def championship_delete(championship: Championship) -> None:
    """Results, penalties and the weekend's rows (laps, session results, grids) first: they
    PROTECT the entries that the championship cascades to."""
    weekend_rows_delete(meetings=championship.meetings.all())
    Result.objects.filter(race__meeting__championship=championship).delete()
    Penalty.objects.filter(meeting__championship=championship).delete()
    Entry.objects.filter(championship=championship).delete()
    championship.delete()


def _championship(
    spec: ChampionshipSpec, series: Series | None
) -> tuple[Championship, dict[str, ChampionshipClass]]:
    if series is None:
        series = Series.objects.create(name=spec.series, slug=slugify(spec.series))
    championship = Championship.objects.create(
        series=series, **{name: getattr(spec, name) for name in CHAMPIONSHIP_FIELDS}
    )
    classes = ChampionshipClass.objects.bulk_create(
        ChampionshipClass(
            championship=championship,
            code=c.code,
            categories=c.categories,
            min_age=c.min_age,
            race_points=c.race_points,
            pole_points=c.pole_points,
            fastest_lap_points=c.fastest_lap_points,
            sort_order=order,
        )
        for order, c in enumerate(spec.classes)
    )
    return championship, {c.code: c for c in classes}


def _calendar(
    championship: Championship, season: SeasonSpec, circuits: dict[str, Circuit]
) -> dict[RaceKey, Race]:
    new = {m.circuit.name: m.circuit for m in season.meetings if m.circuit.name not in circuits}
    created = Circuit.objects.bulk_create(
        Circuit(name=c.name, country=c.country, timezone=c.timezone) for c in new.values()
    )
    circuits = circuits | {circuit.name: circuit for circuit in created}
    meetings = Meeting.objects.bulk_create(
        Meeting(
            championship=championship,
            round=m.round,
            circuit=circuits[m.circuit.name],
            start_date=m.start_date,
            end_date=m.end_date,
            supporting_event=m.supporting_event,
        )
        for m in season.meetings
    )
    by_round = {meeting.round: meeting for meeting in meetings}
    races = Race.objects.bulk_create(
        Race(
            meeting=by_round[r.round],
            number=r.number,
            starts_at=r.starts_at,
            points_factor=r.points_factor,
        )
        for r in season.races
    )
    return {(race.meeting.round, race.number): race for race in races}


def _entries(
    championship: Championship,
    classes: dict[str, ChampionshipClass],
    season: SeasonSpec,
    existing: Existing,
) -> dict[int, Entry]:
    drivers = _drivers(season, existing)
    teams = _teams(season, existing.teams)
    entries = Entry.objects.bulk_create(
        Entry(
            championship=championship,
            car_number=e.car_number,
            driver=drivers[e.driver_key],
            team=teams[e.team],
            entry_class=classes[e.class_code],
            category=e.category,
            rookie=e.rookie,
            guest=e.guest,
            arrive_and_drive=e.arrive_and_drive,
            dealer_trophy=e.dealer_trophy,
        )
        for e in season.entries
    )
    return {entry.car_number: entry for entry in entries}


def _drivers(season: SeasonSpec, existing: Existing) -> dict[str, Driver]:
    drivers = dict(existing.drivers)
    new, changed = [], []
    for e in season.entries:
        driver = drivers.get(e.driver_key)
        if driver is None:
            driver = Driver(
                first_name=e.first_name,
                last_name=e.last_name,
                nationality=e.nationality,
                date_of_birth=e.date_of_birth,
            )
            new.append(driver)
        elif e.driver_key in existing.drivers_to_update:
            driver.nationality = e.nationality
            changed.append(driver)
        drivers[e.driver_key] = driver
    # Public slugs from the names only, never the birth year.
    slugs = driver_slugs_free([(driver.first_name, driver.last_name) for driver in new])
    for driver, slug in zip(new, slugs, strict=True):
        driver.slug = slug
    Driver.objects.bulk_create(new)
    Driver.objects.bulk_update(changed, ["nationality"])
    _categories(season, [*new, *changed])
    return drivers


def _key(driver: Driver) -> str:
    return person_key(driver.first_name, driver.last_name, driver.date_of_birth)


def _categories(season: SeasonSpec, drivers: list[Driver]) -> None:
    """Each new driver's category, and each updated one's if it differs, recorded as a series
    decision from the season's first race day (the dated records are the one source of a
    driver's category)."""
    day = season.first_day or dt.date(season.championship.year, 1, 1)
    in_force = dict(
        Driver.objects.filter(pk__in=[d.pk for d in drivers])
        .with_category_on(day)
        .values_list("pk", "category_in_force")
    )
    by_key = {e.driver_key: e.category for e in season.entries}
    DriverClassification.objects.bulk_create(
        (
            DriverClassification(
                driver=driver,
                category=by_key[_key(driver)],
                effective_from=day,
                source=ClassificationSource.SERIES,
                note=f"Season bundle {season.championship.slug}",
            )
            for driver in drivers
            if in_force.get(driver.pk) != by_key[_key(driver)]
        ),
        ignore_conflicts=True,  # a series decision of that day is recorded already
    )


def _class_changes(
    season: SeasonSpec, classes: dict[str, ChampionshipClass], entries: dict[int, Entry]
) -> None:
    """Rule 7: class-changes.csv's moves, each from its date on."""
    EntryClassChange.objects.bulk_create(
        EntryClassChange(
            entry=entries[c.car_number], entry_class=classes[c.class_code], from_date=c.from_date
        )
        for c in season.class_changes
    )


def _teams(season: SeasonSpec, teams: dict[str, Team]) -> dict[str, Team]:
    names = dict.fromkeys(e.team for e in season.entries if e.team not in teams)
    created = Team.objects.bulk_create(Team(name=name, slug=slugify(name)) for name in names)
    return teams | {team.name: team for team in created}


def _results(season: SeasonSpec, races: dict[RaceKey, Race], entries: dict[int, Entry]) -> None:
    Result.objects.bulk_create(
        Result(
            race=races[key],
            entry=entries[r.car_number],
            position=r.position,
            status=r.status,
            laps=r.laps,
            total_time=r.total_time,
            best_lap=r.best_lap,
            grid=r.grid,
        )
        for key, rows in season.results.items()
        for r in rows
    )


def _penalties(season: SeasonSpec, races: dict[RaceKey, Race], entries: dict[int, Entry]) -> None:
    meetings = {race.meeting.round: race.meeting for race in races.values()}
    Penalty.objects.bulk_create(
        Penalty(
            meeting=meetings[p.round],
            race=races[(p.round, p.race)] if p.race else None,
            entry=entries[p.car_number],
            kind=p.kind,
            value=p.value,
            reason=p.reason,
        )
        for p in season.penalties
    )
