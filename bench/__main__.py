"""CupManager benchmarks: `make bench`.

Every figure is a median and comes with its ratio to a baseline measured in the same run
on the same machine, so the figures compare like with like. The baseline for the standings
is the time to load the same result rows with one plain query: what no table can beat.

It builds a synthetic season of 12 meetings x 3 races x 40 entries beside a 20-season
archive of the same size, in a throw-away SQLite database (never the project's).
Goals: all tables of such a season for every after_round under 100 ms, one table
under 10 ms, growth linear in the number of results.

Then the notice board's (``bench/board.py``): each generated PDF for a 30-car field, what
publishing a classification waits for, the board page and feed with 200 documents.

Then the race weekend's (``bench/weekend.py``): a 750-lap file checked and applied, a grid
worked out and published.

Then the load run of ``bench/load.py``: 50 clients against `make serve` on PostgreSQL.

Then the live run of ``bench/live.py``: 2,000 fans holding a race's live stream against
`make serve` with Redis, the time from each push to the last of them, the memory per connection.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.board import bench_board
from bench.live import bench_live
from bench.load import bench_load
from bench.weekend import bench_weekend

PROJECT = Path(__file__).resolve().parent.parent
EXAMPLE = PROJECT / "demo" / "data" / "pcca-2024"
F1_2015 = PROJECT / "tests" / "data" / "f1-2015"


def median_ms(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def report(name: str, figure: float, baseline: float, unit: str = "ms") -> None:
    print(f"  {name:<52} {figure:9.2f} {unit:<3} {figure / baseline:8.2f}x baseline")


def setup_django(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cupmanager.settings")
    sys.path.insert(0, str(PROJECT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def plain_load(championship) -> list:
    """The baseline: the season's result rows in one plain query."""
    from championships.models import Result

    rows = Result.objects.filter(race__meeting__championship=championship)
    return list(rows.values_list("race_id", "entry_id", "position", "status", "grid"))


def every_table(championship) -> int:
    """All tables of the season for every after_round, loaded once and computed cold."""
    from championships.standings.data import DEALERS, DRIVERS, ROOKIES, TEAMS
    from championships.standings.loader import season_load
    from championships.standings.tables import SeasonTables

    tables = SeasonTables(season_load(championship))
    scopes = [None, *sorted(set(championship.meetings.values_list("round", flat=True)))]
    count = 0
    for after_round in scopes:
        for table in (DRIVERS, ROOKIES, TEAMS, DEALERS):
            tables.table(table, None, after_round)
            count += 1
        for code in tables.season.class_codes:
            tables.table(DRIVERS, code, after_round)
            count += 1
    return count


def one_table(championship) -> None:
    from championships.standings.loader import season_load
    from championships.standings.tables import SeasonTables

    SeasonTables(season_load(championship)).table()


def another_table(championship) -> None:
    """What the API computes for a table not cached yet when the season's data is."""
    from django.core.cache import cache

    from championships.standings.cache import cache_key, cached_season, standings_table

    cached_season(championship)
    cache.delete(cache_key(championship, "rookies", None, None))
    standings_table(championship, "rookies")


def request_queries(client, slug: str) -> int:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/championships/{slug}/standings/")
    assert response.status_code == 200, response.content
    return len(queries)


def bench_standings(repeat: int) -> None:
    from django.test import Client

    from bench.synthetic import season_build

    for year in range(2000, 2020):  # the archive, so every query must find its own season
        season_build(year=year)
    season = season_build(year=2026)
    client = Client()
    results = season.entries.count() * 36
    baseline = median_ms(lambda: plain_load(season), repeat)
    print(f"standings: 12 meetings x 3 races x 40 entries ({results} results), 20-season archive")
    print(
        f"  queries per standings request: {request_queries(client, season.slug)} "
        f"(cached: 1 query, the championship)"
    )
    report("baseline: the result rows in one plain query", baseline, baseline)
    count = every_table(season)
    report(
        f"all {count} tables, every after_round (goal < 100 ms)",
        median_ms(lambda: every_table(season), repeat),
        baseline,
    )
    report(
        "one table, drivers, from the database (goal < 10 ms)",
        median_ms(lambda: one_table(season), repeat),
        baseline,
    )
    report(
        "one table more of a season already loaded and cached",
        median_ms(lambda: another_table(season), repeat),
        baseline,
    )
    client.get(f"/api/v1/championships/{season.slug}/standings/")
    report(
        "one table through the API, cached",
        median_ms(lambda: client.get(f"/api/v1/championships/{season.slug}/standings/"), repeat),
        baseline,
    )


def bench_growth(repeat: int) -> None:
    from bench.synthetic import season_build

    print("growth: all tables, every after_round, per 1,000 results (flat = linear)")
    first = None
    for entries in (10, 20, 40, 80):
        season = season_build(year=2030, entries=entries)
        results = entries * 36
        ms = median_ms(lambda season=season: every_table(season), max(3, repeat // 3))
        per_thousand = ms / results * 1000
        first = first or per_thousand
        report(f"{entries} entries, {results} results: {ms:.1f} ms", per_thousand, first, "ms")


def bench_import(bundle: Path, repeat: int) -> None:
    from championships.bundle import season_import

    summary = season_import(bundle, replace=True)  # creates it the first time
    dry = median_ms(lambda: season_import(bundle, replace=True, dry_run=True), repeat)
    full = median_ms(lambda: season_import(bundle, replace=True), repeat)
    print(f"import {summary}")
    report("baseline: dry run (parse + validate)", dry, dry)
    report("full import (replace, one transaction)", full, dry)


def main() -> None:
    repeat = int(os.environ.get("BENCH_REPEAT", "15"))
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        print(f"CupManager benchmarks (median of {repeat}; ratios within this run)\n")
        bench_standings(repeat)
        print()
        bench_growth(repeat)
        print()
        for bundle in (EXAMPLE, F1_2015):
            bench_import(bundle, repeat)
        print()
        bench_board(repeat)
        print()
        bench_weekend(repeat)
    print()
    bench_load()
    print()
    bench_live()


if __name__ == "__main__":
    main()
