"""The only part of the standings that touches the ORM: a championship into plain data.

``season_load`` runs exactly four queries whatever the size of the season (classes,
entries, results with their races, penalties), reading ``values_list`` rows so that no
model instance is built for the thousands of results of an archive season.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from itertools import groupby
from typing import Any

from django.db.models import F

from championships.models import Championship, ChampionshipClass, Penalty, Result
from championships.standings import data
from entries.models import Entry

QUERIES = 4

_RACE_FIELDS = ("race_id", "race__meeting__round", "race__number", "race__points_factor")
_RESULT_FIELDS = ("entry_id", "position", "status", "laps", "total_time", "best_lap", "grid")


def season_load(championship: Championship) -> data.Season:
    """The championship's standings data, in ``QUERIES`` queries."""
    classes = _classes(championship)
    return data.Season(
        slug=championship.slug,
        races=_races(championship),
        entries=_entries(championship),
        penalties=_penalties(championship),
        schemes=_schemes(championship, classes),
        settings=_settings(championship),
        class_codes=tuple(code for code, *_ in classes),
    )


def _classes(championship: Championship) -> list[tuple[Any, ...]]:
    rows = ChampionshipClass.objects.filter(championship=championship)
    fields = ("code", "race_points", "pole_points", "fastest_lap_points")
    return list(rows.order_by("sort_order", "code").values_list(*fields))


def _entries(championship: Championship) -> tuple[data.Entry, ...]:
    rows = Entry.objects.filter(championship=championship).order_by("car_number")
    fields = ("id", "car_number", "driver__first_name", "driver__last_name", "team__name")
    flags = ("entry_class__code", "rookie", "guest", "dealer_trophy")
    return tuple(
        data.Entry(id_, number, f"{first} {last}", team, *rest)
        for id_, number, first, last, team, *rest in rows.values_list(*fields, *flags)
    )


def _races(championship: Championship) -> tuple[data.Race, ...]:
    # Only held races matter to a table, so races come with their results in one query.
    rows = Result.objects.filter(race__meeting__championship=championship).order_by(
        "race__meeting__round",
        "race__number",
        F("position").asc(nulls_last=True),
        "entry__car_number",
    )
    values = rows.values_list(*_RACE_FIELDS, *_RESULT_FIELDS)
    return tuple(_race(race, lines) for race, lines in groupby(values, key=lambda v: v[:4]))


def _race(race: Sequence[Any], lines: Iterable[Sequence[Any]]) -> data.Race:
    race_id, round_, number, factor = race
    results = tuple(data.Result(*line[4:]) for line in lines)
    return data.Race(race_id, round_, number, Decimal(factor), results)


def _penalties(championship: Championship) -> tuple[data.Penalty, ...]:
    rows = Penalty.objects.filter(meeting__championship=championship).order_by(
        "meeting__round", "id"
    )
    fields = ("entry_id", "kind", "meeting__round", "race_id", "value", "reason")
    return tuple(data.Penalty(*row) for row in rows.values_list(*fields))


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
        tie_break=championship.tie_break,
        positions=championship.positions,
        team_cars_per_race=championship.team_cars_per_race,
        dealer_cars_per_race=championship.dealer_cars_per_race,
    )
