"""Many championships' standings data at once, for pages that show several seasons.

``season_load`` reads one championship in four queries, so the archive (every season's
champions) or a driver's past seasons would cost four queries a season. ``seasons_load``
runs the same four queries for any number of championships, building the same
``Season`` values with the loader's own helpers; ``cached_seasons`` shares the cache
entries of ``cache.cached_season``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import groupby
from typing import Any

from django.core.cache import cache
from django.db.models import F

from championships.models import Championship, ChampionshipClass, Penalty, Race
from championships.standings import data
from championships.standings.cache import TIMEOUT, season_cache_key
from championships.standings.loader import (
    _CALENDAR_FIELDS,
    _CALENDAR_RESULT_FIELDS,
    _CLASS_FIELDS,
    _ENTRY_FIELDS,
    _PENALTY_FIELDS,
    _schemes,
    _settings,
    calendar_races,
    entries_of,
)
from entries.models import Entry

QUERIES = 4


def cached_seasons(championships: Sequence[Championship]) -> dict[int, data.Season]:
    """Each championship's season by id: from the cache, the missing ones in four queries."""
    keys = {season_cache_key(c): c for c in championships}
    found = cache.get_many(list(keys))
    missing = [c for key, c in keys.items() if key not in found]
    if missing:
        loaded = seasons_load(missing)
        cache.set_many({season_cache_key(c): loaded[c.pk] for c in missing}, TIMEOUT)
        found.update({season_cache_key(c): loaded[c.pk] for c in missing})
    return {c.pk: found[key] for key, c in keys.items()}


def seasons_load(championships: Sequence[Championship]) -> dict[int, data.Season]:
    """The standings data of each championship, by id, in ``QUERIES`` queries."""
    ids = [c.pk for c in championships]
    classes = _by_championship(
        ChampionshipClass.objects.filter(championship__in=ids)
        .order_by("championship_id", "sort_order", "code")
        .values_list("championship_id", *_CLASS_FIELDS)
    )
    entries = _by_championship(
        Entry.objects.filter(championship__in=ids)
        .order_by("championship_id", "car_number", "class_changes__from_date")
        .values_list("championship_id", *_ENTRY_FIELDS)
    )
    penalties = _by_championship(
        # Reprimands, warnings, grid penalties and withdrawn decisions change no table.
        Penalty.objects.counted()
        .filter(meeting__championship__in=ids)
        .order_by("meeting__championship_id", "meeting__round", "id")
        .values_list("meeting__championship_id", *_PENALTY_FIELDS)
    )
    races = _races(ids)
    return {
        c.pk: _season(c, classes.get(c.pk, []), entries.get(c.pk, []), races, penalties)
        for c in championships
    }


def _season(
    championship: Championship,
    classes: list[tuple[Any, ...]],
    entries: list[tuple[Any, ...]],
    races: dict[int, tuple[tuple[data.Race, ...], int]],
    penalties: dict[int, list[tuple[Any, ...]]],
) -> data.Season:
    held, scoring = races.get(championship.pk, ((), 0))
    return data.Season(
        slug=championship.slug,
        races=held,
        entries=entries_of(entries),
        penalties=tuple(data.Penalty(*row) for row in penalties.get(championship.pk, [])),
        schemes=_schemes(championship, classes),
        settings=_settings(championship),
        class_codes=tuple(code for code, *_ in classes),
        scoring_races=scoring,
    )


def _by_championship(rows: Iterable[Sequence[Any]]) -> dict[int, list[tuple[Any, ...]]]:
    """Rows ordered by their first column (the championship id), grouped by it, without it."""
    return {key: [tuple(row[1:]) for row in group] for key, group in groupby(rows, lambda r: r[0])}


def _races(ids: list[int]) -> dict[int, tuple[tuple[data.Race, ...], int]]:
    """Each championship's held races and rule 3.2's S, from its calendar as the loader reads it."""
    rows = Race.objects.filter(meeting__championship__in=ids).order_by(
        "meeting__championship_id",
        "meeting__round",
        "number",
        F("results__position").asc(nulls_last=True),
        "results__entry__car_number",
    )
    values = rows.values_list(
        "meeting__championship_id", *_CALENDAR_FIELDS, *_CALENDAR_RESULT_FIELDS
    )
    return {
        championship_id: calendar_races(lines)
        for championship_id, lines in _by_championship(values).items()
    }
