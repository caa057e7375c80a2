"""CupManager benchmarks: `make bench`.

Each line prints a median time and its ratio to a baseline measured in the same run on the
same machine, so the figures compare like with like:

- import: the full import against its own dry run (parse and validate only);
- loader: the standings loader (a fixed number of queries) against a per-race loader, the
  way peers load a season (one query per race);
- tables: every table of every scope computed from the database, against one table, and a
  cached table against a computed one.

It uses its own throw-away SQLite database and never the project's.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
EXAMPLE = PROJECT / "championships" / "demo_data" / "pcca-2024"
F1_2015 = PROJECT / "tests" / "data" / "f1-2015"


def median_ms(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def report(name: str, figure: float, baseline_name: str, baseline: float) -> None:
    print(f"  {name:<46} {figure:9.2f} ms   {figure / baseline:6.2f}x {baseline_name}")


def setup_django(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cupmanager.settings")
    sys.path.insert(0, str(PROJECT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def bench_import(bundle: Path, repeat: int) -> None:
    from championships.bundle import season_import

    summary = season_import(bundle, replace=True)  # creates it the first time
    dry = median_ms(lambda: season_import(bundle, replace=True, dry_run=True), repeat)
    full = median_ms(lambda: season_import(bundle, replace=True), repeat)
    print(f"import {summary}")
    report("dry run (parse + validate) (baseline)", dry, "", dry)
    report("full import (replace, one transaction)", full, "dry run", dry)


def per_race_load(championship) -> list:
    """The baseline: one query per race, as a per-session loader does."""
    from championships.models import Race

    races = Race.objects.filter(meeting__championship=championship).order_by("starts_at")
    return [list(race.results.values_list("entry_id", "position", "status")) for race in races]


def bench_standings(slug: str, repeat: int) -> None:
    from django.core.cache import cache

    from championships.models import Championship
    from championships.standings.cache import standings_table
    from championships.standings.data import TABLES
    from championships.standings.loader import season_load
    from championships.standings.tables import SeasonTables

    championship = Championship.objects.get(slug=slug)
    rounds = sorted(set(championship.meetings.values_list("round", flat=True)))
    scopes = [None, *rounds]
    baseline = median_ms(lambda: per_race_load(championship), repeat)
    loader = median_ms(lambda: season_load(championship), repeat)

    def every_table() -> None:
        tables = SeasonTables(season_load(championship))
        for table in TABLES:
            for after_round in scopes:
                tables.table(table, None, after_round)

    def one_table_cold() -> None:
        cache.clear()
        standings_table(championship, "drivers")

    one = median_ms(one_table_cold, repeat)
    standings_table(championship, "drivers")
    cached = median_ms(lambda: standings_table(championship, "drivers"), repeat)
    every = median_ms(every_table, max(3, repeat // 4))
    print(f"standings {slug}")
    report("per-race loader (baseline)", baseline, "", baseline)
    report("standings loader (4 queries)", loader, "per-race", baseline)
    report("drivers table, computed", one, "per-race", baseline)
    report("drivers table, cached", cached, "computed", one)
    report(f"every table x {len(scopes)} scopes, computed once", every, "one table", one)


def main() -> None:
    repeat = int(os.environ.get("BENCH_REPEAT", "15"))
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        print(f"CupManager benchmarks (median of {repeat}; ratios within this run)\n")
        for bundle in (EXAMPLE, F1_2015):
            bench_import(bundle, repeat)
        for slug in ("pcca-2024", "f1-2015"):
            bench_standings(slug, repeat)


if __name__ == "__main__":
    main()
