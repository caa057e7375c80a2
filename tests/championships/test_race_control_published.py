"""Classifications and tables as published at a moment, and their exports (CSV, print)."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from championships.models import ClassificationState, ClassificationVersion, Penalty, PenaltyKind
from championships.results_import import results_import
from championships.services import classification_declare, penalty_save, penalty_withdraw
from championships.standings.loader import QUERIES_AS_OF
from championships.standings.tables import SeasonTables
from championships.versions import published_at, season_as_published
from tests.factories import make_championship, make_entry, make_meeting, make_race, make_result

pytestmark = pytest.mark.django_db

RESULTS = "POS,NO,LAPS,TIME,BEST_LAP,GRID\n1,1,15,30:00.000,1:58.100,1\n2,2,15,30:01.000,,2\n"
SWAPPED = "POS,NO,LAPS,TIME,BEST_LAP,GRID\n1,2,15,30:00.000,1:58.100,2\n2,1,15,30:01.000,,1\n"


def moment(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2024, 4, day, hour, tzinfo=dt.UTC)


def at_moment(version_created_at: dt.datetime) -> None:
    """Versions are stamped now; tests date the latest one as if published then."""
    latest = ClassificationVersion.objects.order_by("-pk").first()
    ClassificationVersion.objects.filter(pk=latest.pk).update(created_at=version_created_at)


@pytest.fixture
def cup():
    championship = make_championship("published-cup")
    cars = {n: make_entry(championship, n) for n in (1, 2)}
    race = make_race(make_meeting(championship))
    later = make_race(make_meeting(championship, 2, start_date=dt.date(2024, 5, 20)))
    return championship, race, later, cars


def leader_at(championship, at) -> int:
    championship.refresh_from_db()
    table = SeasonTables(season_as_published(championship, at)).table()
    return table.rows[0].entry.car_number if table.rows else None


def test_the_tables_as_published_follow_each_version_and_decision_in_force(cup):
    championship, race, _later, cars = cup
    results_import(race=race, source=RESULTS, dry_run=False)
    at_moment(moment(20, 12))
    results_import(race=race, source=SWAPPED, dry_run=False)
    at_moment(moment(20, 18))
    penalty = penalty_save(
        penalty=Penalty(
            meeting_id=race.meeting_id,
            entry_id=cars[2].pk,
            kind=PenaltyKind.TIME,
            value=Decimal(5),
            race_id=race.pk,
            reason="Jump start",
            decided_at=moment(21, 9),
        )
    )
    at_moment(moment(21, 9))
    penalty_withdraw(penalty=penalty, reason="Appeal upheld", at=moment(25, 9))
    at_moment(moment(25, 9))

    assert leader_at(championship, moment(20, 11)) is None  # nothing published yet
    assert leader_at(championship, moment(20, 13)) == 1
    assert leader_at(championship, moment(20, 19)) == 2
    assert leader_at(championship, moment(22, 0)) == 1  # the penalty in force
    assert leader_at(championship, moment(26, 0)) == 2  # withdrawn on appeal


def test_a_race_never_versioned_is_published_as_recorded(cup, django_assert_num_queries):
    championship, race, _later, cars = cup
    make_result(race, cars[2], position=1)

    with django_assert_num_queries(QUERIES_AS_OF):
        season = season_as_published(championship, moment(1, 0))

    assert [r.id for r in season.races] == [race.pk]


def test_as_published_loads_in_a_fixed_number_of_queries(cup, django_assert_num_queries):
    championship, race, later, cars = cup
    results_import(race=race, source=RESULTS, dry_run=False)
    results_import(race=later, source=SWAPPED, dry_run=False)
    results_import(race=later, source=RESULTS, dry_run=False)

    with django_assert_num_queries(QUERIES_AS_OF):
        season = season_as_published(championship, timezone.now())

    assert [r.id for r in season.races] == [race.pk, later.pk]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-04-21", dt.datetime(2024, 4, 21, 23, 59, 59, 999999, tzinfo=dt.UTC)),
        ("2024-04-21T18:30", dt.datetime(2024, 4, 21, 18, 30, tzinfo=dt.UTC)),
        ("2024-04-21T18:30+08:00", dt.datetime(2024, 4, 21, 10, 30, tzinfo=dt.UTC)),
    ],
)
def test_as_published_reads_a_date_or_a_time(value, expected):
    assert published_at(value) == expected


# Exports ----------------------------------------------------------------------------------


def race_url(name: str, championship, race) -> str:
    return reverse(
        f"exports:{name}",
        kwargs={"slug": championship.slug, "round": race.meeting.round, "number": race.number},
    )


def test_the_race_csv_keeps_the_results_columns_first_and_reads_back(client, cup):
    championship, race, _later, cars = cup
    results_import(race=race, source=RESULTS, dry_run=False)
    penalty_save(
        penalty=Penalty(
            meeting_id=race.meeting_id,
            entry_id=cars[1].pk,
            kind=PenaltyKind.TIME,
            value=Decimal(5),
            race_id=race.pk,
            reason="Track limits",
            decided_at=timezone.now(),
        )
    )

    response = client.get(race_url("race-csv", championship, race))

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["POS"], r["NO"], r["TIME"], r["PENALTY_S"], r["POINTS"]) for r in rows] == [
        ("1", "2", "30:01.000", "", "25"),
        ("2", "1", "30:00.000", "5", "20"),
    ]
    again = results_import(race=race, source=response.content, dry_run=True)
    assert sorted(c.car_number for c in again.changed) == [1, 2]  # final positions, recorded times


def test_the_printable_sheet_shows_the_state_the_version_and_the_decisions(client, cup):
    championship, race, _later, cars = cup
    results_import(race=race, source=RESULTS, dry_run=False)
    classification_declare(race=race, state=ClassificationState.FINAL)

    response = client.get(race_url("race-sheet", championship, race))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Final classification" in page and "version 2" in page
    assert "timing-sheet.css" in page and "<script" not in page and "style=" not in page


def test_the_printable_sheet_as_published_before_the_final_declaration(client, cup):
    championship, race, _later, cars = cup
    results_import(race=race, source=RESULTS, dry_run=False)
    at_moment(moment(20, 12))
    classification_declare(race=race, state=ClassificationState.FINAL)

    response = client.get(race_url("race-sheet", championship, race), {"at": "2024-04-20T13:00"})

    page = response.content.decode()
    assert "Provisional classification" in page and "version 1" in page
    assert "As published on" in page


def test_a_bad_as_published_value_is_a_400(client, cup):
    championship, race, _later, _cars = cup

    response = client.get(race_url("race-csv", championship, race), {"at": "after Shanghai"})

    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.content.decode()


def test_the_standings_export_as_csv_and_as_a_printable_page(client, cup):
    championship, race, later, _cars = cup
    results_import(race=race, source=RESULTS, dry_run=False)
    results_import(race=later, source=SWAPPED, dry_run=False)

    csv_response = client.get(reverse("exports:standings-csv", kwargs={"slug": championship.slug}))
    printed = client.get(
        reverse("exports:standings-sheet", kwargs={"slug": championship.slug}), {"table": "teams"}
    )

    rows = list(csv.reader(io.StringIO(csv_response.content.decode())))
    assert rows[0] == [
        "POS",
        "NO",
        "DRIVER",
        "TEAM",
        "CLASS",
        "POINTS",
        "R1-1",
        "R2-1",
        "DEDUCTIONS",
    ]
    assert [row[1] for row in rows[1:]] == ["2", "1"]  # countback: car 2 won the latest race
    assert rows[1][5] == rows[2][5] == "45"
    assert printed.status_code == 200 and "Standings: Teams" in printed.content.decode()


def test_distinct_moments_as_published_add_nothing_to_the_cache(cup, client):
    championship, race, _later, _cars = cup
    results_import(race=race, source=RESULTS, dry_run=False)
    client.get(reverse("championships:standings", args=[championship.slug]))
    entries = len(caches["default"]._cache)

    for minute in range(20):
        at = f"2024-04-20T13:{minute:02d}"
        client.get(reverse("championships:standings", args=[championship.slug]), {"at": at})

    assert len(caches["default"]._cache) == entries
