"""The race weekend's figures for `make bench` (issue 20).

- A lap file of a 30-car race of 45 minutes (25 laps a car, 750 laps): checked (the dry run of
  ``laps_import``) and applied (every lap replaced, one transaction). Baseline: reading the
  file alone (``parse_laps``, no database). Goal: checked and applied under 1 s.
- A race's grid worked out (``grid_plan``) and published (``grid_publish``: its rows and the
  board document; the PDF is drawn after the commit, not timed here), from a 30-car qualifying.
- The meeting page with every lap of two races (750 each, a lap chart each) and of the
  qualifying, cold (nothing kept) and kept, against the same page without laps: the time and
  the number of queries, equal with and without laps.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

LAPS_GOAL = "goal < 1 s"
CARS, LAPS = 30, 25


def lap_export(car_numbers: list[int], rng: random.Random) -> str:
    """The timing system's lap export of a race: every car's laps, 1'57 to 2'01 each."""
    lines = ["NUMBER;DRIVER_NUMBER;LAP_NUMBER;LAP_TIME;LAP_IMPROVEMENT;CROSSING_FINISH_LINE_IN_PIT"]
    for car in car_numbers:
        for lap in range(1, LAPS + 1):
            millis = 117_000 + rng.randrange(4_000) + (9_000 if lap == 1 else 0)
            minutes, rest = divmod(millis, 60_000)
            pit = "B" if lap == 12 and car % 7 == 0 else ""
            lines.append(f"{car};1;{lap};{minutes}'{rest // 1000:02}.{rest % 1000:03};0;{pit}")
    return "\n".join(lines) + "\n"


def bench_weekend(repeat: int) -> None:
    """The weekend's benchmarks, their PDFs drawn (untimed) into a throw-away folder."""
    import tempfile

    from django.test.utils import override_settings

    with (
        tempfile.TemporaryDirectory() as folder,
        override_settings(BOARD_ROOT=folder, BOARD_DRAW_IN_BACKGROUND=False),
    ):
        _bench_all(repeat)


def _bench_all(repeat: int) -> None:
    from bench.__main__ import median_ms, report
    from bench.synthetic import season_build
    from championships.lap_file import parse_laps
    from championships.models import Session, SessionKind
    from championships.weekend import grid_plan, grid_publish, laps_import, session_import
    from core.imports import IssueLog

    season = season_build(year=2042, meetings=1, races=2, entries=CARS)
    race = season.meetings.get().races.order_by("number").first()
    cars = sorted(season.entries.values_list("car_number", flat=True))
    text = lap_export(cars, random.Random(2042))

    parse = median_ms(lambda: parse_laps(text, IssueLog("laps.csv", [])), repeat)
    check = median_ms(lambda: laps_import(subject=race, source=text, dry_run=True), repeat)
    apply = median_ms(lambda: laps_import(subject=race, source=text, dry_run=False), repeat)
    print(f"laps of a {CARS}-car race, {CARS * LAPS} laps (median of {repeat}; {LAPS_GOAL})")
    report("baseline: reading the file alone", parse, parse)
    report("checked (dry run)", check, parse)
    report("applied (every lap replaced)", apply, parse)
    report("checked then applied", check + apply, parse)

    session = Session.objects.create(
        meeting=race.meeting,
        kind=SessionKind.QUALIFYING,
        starts_at=race.starts_at - dt.timedelta(days=1),
    )
    rows = ["POS,NO,LAPS,BEST_LAP,SECOND_BEST"]
    for place, car in enumerate(cars, start=1):
        rows.append(f"{place},{car},6,1:57.{place:03},1:58.{place:03}")
    session_import(session=session, source="\n".join(rows) + "\n", dry_run=False)
    plan = median_ms(lambda: grid_plan(race), repeat)
    publish = median_ms(lambda: _publish(grid_publish, race), repeat)
    print(f"a {CARS}-car grid from qualifying (median of {repeat})")
    report("baseline: worked out (grid_plan)", plan, plan)
    report("published (rows and board document)", publish, plan)
    _bench_meeting_page(season, text, session, repeat)


def _bench_meeting_page(season: Any, text: str, session: Any, repeat: int) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.__main__ import median_ms, report
    from championships.weekend import laps_import

    client = Client()
    url = f"/championships/{season.slug}/rounds/1/"
    races = list(season.meetings.get().races.order_by("number"))
    figures = {}
    for label in ("without laps", "with laps"):
        if label == "with laps":
            for race in races:
                laps_import(subject=race, source=text, dry_run=False)
            laps_import(subject=session, source=text, dry_run=False)

        def cold() -> None:
            cache.clear()
            assert client.get(url).status_code == 200

        cold()
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        count = len(queries)
        figures[label] = (
            median_ms(cold, repeat),
            median_ms(lambda: client.get(url), repeat),
            count,
        )
    laps = CARS * LAPS * (len(races) + 1)
    print(f"meeting page, {len(races)} races and qualifying, {laps} laps (median of {repeat})")
    baseline = figures["without laps"][0]
    counts = [figures[label][2] for label in figures]
    equal = "equal" if len(set(counts)) == 1 else "NOT EQUAL"
    print("  queries: " + ", ".join(f"{k}: {v[2]}" for k, v in figures.items()) + f" ({equal})")
    for label, (cold_ms, kept_ms, _count) in figures.items():
        report(f"cold, {label} (baseline: cold without laps)", cold_ms, baseline)
        report(f"kept, {label}", kept_ms, baseline)


def _publish(grid_publish: Any, race: Any) -> None:
    """``grid_publish`` in a transaction rolled back: its writes are timed, and the drawing of
    its PDF (after the commit, in a thread in production) never starts."""
    from django.db import transaction

    with transaction.atomic():
        grid_publish(race=race)
        transaction.set_rollback(True)
