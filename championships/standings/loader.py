"""The only part of the standings that touches the ORM: a championship into plain data.

``season_load`` runs exactly four queries whatever the size of the season (classes,
entries, the calendar's races with their results, penalties), reading ``values_list`` rows
so that no model instance is built for the thousands of results of an archive season. The
races come with their results (a race not yet held on one line of its own) so that rule
3.2's S, the calendar's scoring races, costs no query of its own.

``season_load_as_of`` is the season as it was published at a moment: each race's latest
classification version by then (a race never versioned keeps its results as recorded) and
the decisions in force then, in ``QUERIES_AS_OF`` queries, for the same pure rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery

from championships.models import (
    Championship,
    ChampionshipClass,
    ClassificationVersion,
    Penalty,
    Race,
    Result,
)
from championships.standings import data
from cupmanager.prepared import PreparedQuery, rows_together
from entries.models import Entry

QUERIES = 4
QUERIES_AS_OF = 5

_RESULT_FIELDS = ("entry_id", "position", "status", "laps", "total_time", "best_lap", "grid")
# Each race of the calendar, joined to its results if it has any; a race's start and its
# circuit's zone give its local day, on which rule 7 reads classes.
_CALENDAR_FIELDS = (
    "id",
    "meeting__round",
    "number",
    "points_factor",
    "starts_at",
    "meeting__circuit__timezone",
)
_RACE_WIDTH = len(_CALENDAR_FIELDS)  # a line's race columns, before its result's
# The same race columns read from a result line.
_RACE_FIELDS = ("race_id", *(f"race__{name}" for name in _CALENDAR_FIELDS[1:]))
_CALENDAR_RESULT_FIELDS = tuple(f"results__{name}" for name in _RESULT_FIELDS)
_CLASS_FIELDS = ("code", "race_points", "pole_points", "fastest_lap_points")
_ENTRY_FIELDS = (
    "id",
    "car_number",
    "driver__first_name",
    "driver__last_name",
    "team__name",
    "entry_class__code",
    "rookie",
    "guest",
    "dealer_trophy",
    # Rule 7: one row per class change of the entry (or one of None without any).
    "class_changes__from_date",
    "class_changes__entry_class__code",
)
_PENALTY_FIELDS = ("entry_id", "kind", "meeting__round", "race_id", "value", "reason")

# The queries of every uncached table: their SQL is compiled once per connection, since for
# a season the ORM took longer to compile them than the database takes to answer them.
_CLASSES = PreparedQuery(
    lambda pk: (
        ChampionshipClass.objects.filter(championship_id=pk)
        .order_by("sort_order", "code")
        .values_list(*_CLASS_FIELDS)
    )
)
_ENTRIES = PreparedQuery(
    lambda pk: (
        Entry.objects.filter(championship_id=pk)
        .order_by("car_number", "class_changes__from_date")
        .values_list(*_ENTRY_FIELDS)
    )
)
_RESULTS = PreparedQuery(
    lambda pk: _calendar_lines(Race.objects.filter(meeting__championship_id=pk))
)
# Reprimands, warnings, grid penalties and withdrawn decisions change no table.
_PENALTIES = PreparedQuery(lambda pk: _penalty_lines(Penalty.objects.counted(), pk))


def season_load(championship: Championship) -> data.Season:
    """The championship's standings data, in ``QUERIES`` queries sent together."""
    pk = championship.pk
    calls = [(_CLASSES, pk), (_ENTRIES, pk), (_RESULTS, pk), (_PENALTIES, pk)]
    classes, entries, lines, penalties = rows_together(calls)
    races, scoring = calendar_races(lines)
    return _season(championship, classes, entries, races, penalties, scoring)


def season_load_as_of(
    championship: Championship,
    at: dt.datetime,
    *,
    results_of: Callable[[dict[str, Any]], tuple[data.Result, ...]],
) -> data.Season:
    """The standings data as published at ``at``, in ``QUERIES_AS_OF`` queries.

    ``results_of`` reads a version's snapshot back into results (``versions`` owns that
    format). Entries, classes and the points scheme are today's.
    """
    classes, entries = rows_together([(_CLASSES, championship.pk), (_ENTRIES, championship.pk)])
    known = {entry_id for entry_id, *_ in entries}
    versioned, scoring = _versioned_races(championship, at, results_of, known)
    races = versioned + _unversioned_races(championship)
    in_order = tuple(sorted(races, key=lambda race: (race.round, race.number)))
    penalties = _penalty_lines(Penalty.objects.counted_at(at), championship.pk)
    return _season(championship, classes, entries, in_order, penalties, scoring)


def _season(
    championship: Championship,
    classes: Sequence[Sequence[Any]],
    entries: Iterable[Sequence[Any]],
    races: tuple[data.Race, ...],
    penalties: Iterable[Sequence[Any]],
    scoring: int,
) -> data.Season:
    """The season from its rows: both loaders read the same fields."""
    return data.Season(
        slug=championship.slug,
        races=races,
        entries=entries_of(entries),
        penalties=tuple(data.Penalty(*row) for row in penalties),
        schemes=_schemes(championship, classes),
        settings=_settings(championship),
        class_codes=tuple(code for code, *_ in classes),
        scoring_races=scoring,
    )


def _versioned_races(
    championship: Championship,
    at: dt.datetime,
    results_of: Callable[[dict[str, Any]], tuple[data.Result, ...]],
    known: set[int],
) -> tuple[tuple[data.Race, ...], int]:
    """The latest version by ``at`` of each race, one query; a race emptied by then is not held.

    The query reads every race of the calendar (without a version then: no snapshot), so it
    also counts rule 3.2's S."""
    latest = (
        ClassificationVersion.objects.filter(race=OuterRef("pk"), created_at__lte=at)
        .order_by("-number")
        .values("snapshot")[:1]
    )
    rows = (
        Race.objects.filter(meeting__championship=championship)
        .annotate(snapshot=Subquery(latest))
        .values_list(*_CALENDAR_FIELDS, "snapshot")
    )
    races, scoring = [], 0
    for *race, snapshot in rows:
        scoring += Decimal(race[3]) != 0
        results = () if snapshot is None else results_of(snapshot)
        results = tuple(r for r in results if r.entry_id in known)
        if results:
            races.append(_race(race, results))
    return tuple(races), scoring


def _unversioned_races(championship: Championship) -> tuple[data.Race, ...]:
    """Races never versioned (imported with a season bundle): their results as recorded."""
    versioned = ClassificationVersion.objects.filter(race=OuterRef("race_id"))
    results = Result.objects.filter(race__meeting__championship=championship)
    return _held_races(_result_lines(results.exclude(Exists(versioned))))


def entries_of(rows: Iterable[Sequence[Any]]) -> tuple[data.Entry, ...]:
    """Entries from their rows, one row per class change (rule 7), in car and date order."""
    entries = []
    for _, group in groupby(rows, key=lambda row: row[0]):
        lines = list(group)
        moves = tuple(data.ClassMove(day, code) for *_, day, code in lines if day is not None)
        entries.append(_entry(*lines[0][:-2], class_moves=moves))
    return tuple(entries)


def _entry(
    id_: int,
    number: int,
    first: str,
    last: str,
    team: str,
    *flags: Any,
    class_moves: tuple[data.ClassMove, ...] = (),
) -> data.Entry:
    return data.Entry(id_, number, f"{first} {last}", team, *flags, class_moves=class_moves)


def _result_lines(results: QuerySet[Result]) -> QuerySet[Result]:
    """Results with their race, in race order and then as classified."""
    rows = results.order_by(
        "race__meeting__round",
        "race__number",
        F("position").asc(nulls_last=True),
        "entry__car_number",
    )
    return rows.values_list(*_RACE_FIELDS, *_RESULT_FIELDS)


def _calendar_lines(races: QuerySet[Race]) -> QuerySet[Race]:
    """Races in order, each with its results as classified (one line of None if none)."""
    rows = races.order_by(
        "meeting__round",
        "number",
        F("results__position").asc(nulls_last=True),
        "results__entry__car_number",
    )
    return rows.values_list(*_CALENDAR_FIELDS, *_CALENDAR_RESULT_FIELDS)


def calendar_races(lines: Iterable[Sequence[Any]]) -> tuple[tuple[data.Race, ...], int]:
    """The held races of calendar lines, and rule 3.2's S: how many races score at all."""
    held, scoring = [], 0
    for race, race_lines in groupby(lines, key=lambda v: v[:_RACE_WIDTH]):
        scoring += Decimal(race[3]) != 0
        built = _race(race, _results(line for line in race_lines if line[_RACE_WIDTH] is not None))
        if built.results:
            held.append(built)
    return tuple(held), scoring


def _held_races(lines: Iterable[Sequence[Any]]) -> tuple[data.Race, ...]:
    return tuple(
        _race(race, _results(lines))
        for race, lines in groupby(lines, key=lambda v: v[:_RACE_WIDTH])
    )


def _results(lines: Iterable[Sequence[Any]]) -> tuple[data.Result, ...]:
    return tuple(data.Result(*line[_RACE_WIDTH:]) for line in lines)


def _race(race: Sequence[Any], results: tuple[data.Result, ...]) -> data.Race:
    race_id, round_, number, factor, starts_at, zone = race
    day = starts_at.astimezone(ZoneInfo(zone)).date()  # rule 7: the circuit's local day
    return data.Race(race_id, round_, number, Decimal(factor), results, day)


def _penalty_lines(penalties: QuerySet[Penalty], championship_id: int) -> QuerySet[Penalty]:
    rows = penalties.filter(meeting__championship_id=championship_id)
    return rows.order_by("meeting__round", "id").values_list(*_PENALTY_FIELDS)


def _schemes(
    championship: Championship, classes: Iterable[Sequence[Any]]
) -> dict[str, data.Scheme]:
    """The drivers scheme, and rookies and class schemes taking its ``race`` where unset."""
    race = _by_rank(championship.race_points, default=())
    rookies_race = _by_rank(championship.rookies_race_points, default=race)
    schemes = {
        data.DRIVERS: data.Scheme(race, championship.pole_points, championship.fastest_lap_points),
        data.ROOKIES: data.Scheme(
            rookies_race, championship.rookies_pole_points, championship.rookies_fastest_lap_points
        ),
    }
    for code, points, pole, fastest_lap in classes:
        scheme = data.Scheme(_by_rank(points, default=race), pole, fastest_lap)
        schemes[data.class_table_key(code)] = scheme
    return schemes


def _by_rank(points: list[int | float] | None, default: tuple[Decimal, ...]) -> tuple[Decimal, ...]:
    if points is None:
        return default
    # str() first: a JSON 12.5 is a float, and Decimal(12.5) would carry its binary noise.
    return tuple(Decimal(str(p)) for p in points)


def _settings(championship: Championship) -> data.Settings:
    return data.Settings(
        dropped_results=championship.dropped_results,
        drop_disqualified=championship.drop_disqualified,
        tie_break=championship.tie_break,
        positions=championship.positions,
        team_cars_per_race=championship.team_cars_per_race,
        dealer_cars_per_race=championship.dealer_cars_per_race,
    )
