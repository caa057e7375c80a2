"""The only part of the standings that touches the ORM: championships into plain data.

``seasons_load`` runs exactly four queries whatever the number and size of the seasons
(classes, entries, the calendars' races with their results, penalties), reading
``values_list`` rows so that no model instance is built for the thousands of results of an
archive season; ``season_load`` is one season of it. The races come with their results (a
race not yet held on one line of its own) so that rule 3.2's S, the calendar's scoring
races, costs no query of its own.

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
from championships.standings import data, rules
from entries.models import Entry

QUERIES = 4
QUERIES_AS_OF = 5

_RESULT_FIELDS = data.Result._fields
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
# The English reason: a loaded season is cached once for pages of both languages and the API.
_PENALTY_FIELDS = ("entry_id", "kind", "meeting__round", "race_id", "value", "reason_en")

Rows = list[tuple[Any, ...]]


def season_load(championship: Championship) -> data.Season:
    """The championship's standings data, in ``QUERIES`` queries."""
    return seasons_load([championship])[championship.pk]


def seasons_load(championships: Sequence[Championship]) -> dict[int, data.Season]:
    """The standings data of each championship, by id, in ``QUERIES`` queries: the archive
    and a driver's past seasons cost no more than one season."""
    ids = [c.pk for c in championships]
    classes, entries = _class_rows(ids), _entry_rows(ids)
    calendars = {pk: _calendar_races(lines) for pk, lines in _calendar_rows(ids).items()}
    # Reprimands, warnings, grid penalties and withdrawn decisions change no table.
    penalties = _penalty_rows(Penalty.objects.counted(), ids)
    return {
        c.pk: _season(
            c,
            classes.get(c.pk, []),
            entries.get(c.pk, []),
            penalties.get(c.pk, []),
            calendars.get(c.pk, ((), 0)),
        )
        for c in championships
    }


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
    pk = championship.pk
    classes, entries = _class_rows([pk]).get(pk, []), _entry_rows([pk]).get(pk, [])
    known = {entry_id for entry_id, *_ in entries}
    versioned, scoring = _versioned_races(championship, at, results_of, known)
    races = versioned + _unversioned_races(championship)
    in_order = tuple(sorted(races, key=lambda race: (race.round, race.number)))
    penalties = _penalty_rows(Penalty.objects.counted_at(at), [pk]).get(pk, [])
    return _season(championship, classes, entries, penalties, (in_order, scoring))


def _season(
    championship: Championship,
    classes: Sequence[Sequence[Any]],
    entries: Iterable[Sequence[Any]],
    penalties: Iterable[Sequence[Any]],
    calendar: tuple[tuple[data.Race, ...], int],
) -> data.Season:
    """The season from its rows and its calendar's held races and rule 3.2's S: both
    loaders read the same fields."""
    races, scoring = calendar
    return data.Season(
        slug=championship.slug,
        races=races,
        entries=_entries(entries),
        penalties=tuple(data.Penalty(*row) for row in penalties),
        schemes=_schemes(championship, classes),
        settings=_settings(championship),
        class_codes=tuple(code for code, *_ in classes),
        scoring_races=scoring,
    )


def _by_championship(rows: Iterable[Sequence[Any]]) -> dict[int, Rows]:
    """Rows ordered by their first column (the championship id), grouped by it, without it."""
    return {key: [tuple(row[1:]) for row in group] for key, group in groupby(rows, lambda r: r[0])}


def _class_rows(ids: list[int]) -> dict[int, Rows]:
    classes = ChampionshipClass.objects.filter(championship__in=ids)
    ordered = classes.order_by("championship_id", "sort_order", "code")
    return _by_championship(ordered.values_list("championship_id", *_CLASS_FIELDS))


def _entry_rows(ids: list[int]) -> dict[int, Rows]:
    entries = Entry.objects.filter(championship__in=ids)
    ordered = entries.order_by("championship_id", "car_number", "class_changes__from_date")
    return _by_championship(ordered.values_list("championship_id", *_ENTRY_FIELDS))


def _calendar_rows(ids: list[int]) -> dict[int, Rows]:
    """Each calendar's races in order, each with its results as classified (one line of
    None if none)."""
    rows = Race.objects.filter(meeting__championship__in=ids).order_by(
        "meeting__championship_id",
        "meeting__round",
        "number",
        F("results__position").asc(nulls_last=True),
        "results__entry__car_number",
    )
    fields = ("meeting__championship_id", *_CALENDAR_FIELDS, *_CALENDAR_RESULT_FIELDS)
    return _by_championship(rows.values_list(*fields))


def _penalty_rows(penalties: QuerySet[Penalty], ids: list[int]) -> dict[int, Rows]:
    rows = penalties.filter(meeting__championship__in=ids).order_by(
        "meeting__championship_id", "meeting__round", "id"
    )
    return _by_championship(rows.values_list("meeting__championship_id", *_PENALTY_FIELDS))


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
    races = []
    for *race, snapshot in rows:
        results = () if snapshot is None else results_of(snapshot)
        races.append(_race(race, tuple(r for r in results if r.entry_id in known)))
    return _held(races), rules.scoring_races(races)


def _unversioned_races(championship: Championship) -> tuple[data.Race, ...]:
    """Races never versioned (imported with a season bundle): their results as recorded."""
    versioned = ClassificationVersion.objects.filter(race=OuterRef("race_id"))
    results = Result.objects.filter(race__meeting__championship=championship)
    held, _ = _calendar_races(_result_lines(results.exclude(Exists(versioned))))
    return held


def _entries(rows: Iterable[Sequence[Any]]) -> tuple[data.Entry, ...]:
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


def _calendar_races(lines: Iterable[Sequence[Any]]) -> tuple[tuple[data.Race, ...], int]:
    """The held races of calendar lines (or of result lines, each race held), and rule 3.2's
    S: how many races score at all."""
    races = [
        _race(race, _results(line for line in race_lines if line[_RACE_WIDTH] is not None))
        for race, race_lines in groupby(lines, key=lambda v: v[:_RACE_WIDTH])
    ]
    return _held(races), rules.scoring_races(races)


def _held(races: Iterable[data.Race]) -> tuple[data.Race, ...]:
    """The races with a result: what "held" means."""
    return tuple(race for race in races if race.results)


def _results(lines: Iterable[Sequence[Any]]) -> tuple[data.Result, ...]:
    return tuple(data.Result(*line[_RACE_WIDTH:]) for line in lines)


def _race(race: Sequence[Any], results: tuple[data.Result, ...]) -> data.Race:
    race_id, round_, number, factor, starts_at, zone = race
    day = starts_at.astimezone(ZoneInfo(zone)).date()  # rule 7: the circuit's local day
    return data.Race(race_id, round_, number, Decimal(factor), results, day)


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
