"""Computed tables in the Django cache, keyed by when the championship's data last changed.

Every write path calls ``standings_invalidate``, which moves ``tables_changed_at``; a
table computed before that is then simply never asked for again and ages out of the
cache, so no code has to find and delete stale entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from django.core.cache import cache

from championships.models import Championship
from championships.standings.data import Season
from championships.standings.loader import season_load, seasons_load
from championships.standings.payload import JSON, table_payload
from championships.standings.tables import SeasonTables

# Keys change on every write, so the timeout only bounds how long dead entries linger.
TIMEOUT = 24 * 60 * 60


class Versioned(Protocol):
    """A championship or its version (``championships.kept.Version``): what a key reads."""

    @property
    def pk(self) -> int: ...

    @property
    def tables_changed_at(self) -> dt.datetime: ...


def cache_key(
    championship: Versioned, table: str, class_code: str | None, after_round: int | None
) -> str:
    """(championship id, tables_changed_at, table, class, after_round) as one key."""
    changed = championship.tables_changed_at.isoformat()
    return f"standings:{championship.pk}:{changed}:{table}:{class_code}:{after_round}"


def standings_table(
    championship: Championship,
    table: str,
    class_code: str | None = None,
    after_round: int | None = None,
) -> JSON:
    """The table as JSON-ready data, from the cache or computed and cached."""
    key = cache_key(championship, table, class_code, after_round)
    payload = cache.get(key)
    if payload is None:
        tables = SeasonTables(cached_season(championship))
        payload = table_payload(tables.table(table, class_code, after_round))
        cache.set(key, payload, TIMEOUT)
    return payload


def season_cache_key(championship: Championship) -> str:
    """The key of a championship's loaded season, shared by ``cached_season`` and
    ``cached_seasons``."""
    return f"standings-season:{championship.pk}:{championship.tables_changed_at.isoformat()}"


def cached_season(championship: Championship) -> Season:
    """The season's loaded data, shared by every table and scope asked for until it changes.

    Fans ask for many tables of one season (each class, each round); loading once saves the
    queries and the row building for all but the first.
    """
    key = season_cache_key(championship)
    season = cache.get(key)
    if season is None:
        season = season_load(championship)
        cache.set(key, season, TIMEOUT)
    return season


def cached_seasons(championships: Sequence[Championship]) -> dict[int, Season]:
    """Each championship's season by id, for pages that show several seasons (the archive, a
    driver's past seasons): from the cache, the missing ones loaded together."""
    keys = {season_cache_key(c): c for c in championships}
    found = cache.get_many(list(keys))
    missing = [c for key, c in keys.items() if key not in found]
    if missing:
        seasons = seasons_load(missing)
        loaded = {season_cache_key(c): seasons[c.pk] for c in missing}
        cache.set_many(loaded, TIMEOUT)
        found.update(loaded)
    return {c.pk: found[key] for key, c in keys.items()}
