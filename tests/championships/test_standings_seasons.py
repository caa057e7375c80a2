"""Whole seasons through season_import and the loader, against tables nobody here computed.

- the example season's ``expected-standings.json``: every table and scope, exactly;
- the real F1 2015 season's published standings: every row with points, after every round;
- the real F1 1988 season's, where only each driver's best 11 of 16 results counted (rule 3.2).

Each season is imported once per module inside a transaction that is rolled back: the
loader's plain data outlives it, so the database stays clean for every other test.
"""

import json
from pathlib import Path

import pytest
from django.db import transaction

from championships.bundle import season_import
from championships.models import Championship
from championships.standings.loader import season_load
from championships.standings.tables import DriverRow, SeasonTables, TeamRow
from tests.factories import EXAMPLE_SEASON, F1_1988, F1_2015

# The mark also tells pytest-django to create the test database the fixtures use.
pytestmark = pytest.mark.django_db


def expected_tables(path: Path, name: str) -> dict[str, list[dict]]:
    return json.loads((path / name).read_text())["tables"]


EXAMPLE_TABLES = expected_tables(EXAMPLE_SEASON, "expected-standings.json")
F1_TABLES = expected_tables(F1_2015, "published-standings.json")
F1_1988_TABLES = expected_tables(F1_1988, "published-standings.json")


def imported(path: Path, slug: str, django_db_blocker) -> SeasonTables:
    with django_db_blocker.unblock(), transaction.atomic():
        season_import(path)
        tables = SeasonTables(season_load(Championship.objects.get(slug=slug)))
        transaction.set_rollback(True)
    return tables


@pytest.fixture(scope="module")
def example(django_db_setup, django_db_blocker) -> SeasonTables:
    return imported(EXAMPLE_SEASON, "pcca-2024", django_db_blocker)


@pytest.fixture(scope="module")
def f1_2015(django_db_setup, django_db_blocker) -> SeasonTables:
    return imported(F1_2015, "f1-2015", django_db_blocker)


@pytest.fixture(scope="module")
def f1_1988(django_db_setup, django_db_blocker) -> SeasonTables:
    return imported(F1_1988, "f1-1988", django_db_blocker)


def computed(tables: SeasonTables, key: str) -> list[dict]:
    """The rows of ``<table>/<scope>`` in the layout of the expected files."""
    name, scope = key.split("/")
    after_round = None if scope == "final" else int(scope.removeprefix("after_"))
    code = name.removeprefix("class-") if name.startswith("class-") else None
    table = tables.table("drivers" if code else name, code, after_round)
    return [_layout(row) for row in table.rows]


def _layout(row: DriverRow | TeamRow) -> dict:
    if isinstance(row, TeamRow):
        return {"position": row.position, "team": row.team, "points": float(row.points)}
    entry = row.entry
    return {
        "position": row.position,
        "car_number": entry.car_number,
        "driver": entry.driver,
        "team": entry.team,
        "points": float(row.points),
    }


def test_the_example_season_expects_every_table_and_scope():
    scopes = {key.split("/")[1] for key in EXAMPLE_TABLES}
    names = {key.split("/")[0] for key in EXAMPLE_TABLES}

    assert scopes == {"final", "after_1", "after_2", "after_3", "after_4"}
    assert names == {"drivers", "rookies", "teams", "dealers"} | {
        f"class-{code}" for code in ("PRO", "PRO_AM", "AM", "MASTERS")
    }


@pytest.mark.parametrize("key", sorted(EXAMPLE_TABLES))
def test_example_season_table_is_reproduced_exactly(example, key):
    assert computed(example, key) == EXAMPLE_TABLES[key]


@pytest.mark.parametrize("key", sorted(F1_TABLES))
def test_f1_2015_published_standings_with_points_are_reproduced(f1_2015, key):
    # The published tables order scoreless drivers by how far their races went; the cup
    # shares those positions instead (tests/data/README-real-seasons.md).
    rows = [row for row in computed(f1_2015, key) if row["points"] > 0]

    assert rows == [row for row in F1_TABLES[key] if row["points"] > 0]


def test_f1_2015_final_leaders(f1_2015):
    drivers = computed(f1_2015, "drivers/final")[:3]
    teams = computed(f1_2015, "teams/final")[:3]

    assert [(row["driver"], row["points"]) for row in drivers] == [
        ("Lewis Hamilton", 381),
        ("Nico Rosberg", 322),
        ("Sebastian Vettel", 278),
    ]
    assert [(row["team"], row["points"]) for row in teams] == [
        ("Mercedes", 703),
        ("Ferrari", 428),
        ("Williams", 257),
    ]


def test_f1_1988_publishes_34_tables_after_every_round():
    scopes = {key.split("/")[1] for key in F1_1988_TABLES}

    assert len(F1_1988_TABLES) == 34
    assert scopes == {"final"} | {f"after_{n}" for n in range(1, 17)}


@pytest.mark.parametrize("key", sorted(F1_1988_TABLES))
def test_f1_1988_published_standings_with_points_are_reproduced(f1_1988, key):
    # Best 11 of 16 (dropped_results = 5, drop_disqualified = true), rule 3.2.
    rows = [row for row in computed(f1_1988, key) if row["points"] > 0]

    assert rows == [row for row in F1_1988_TABLES[key] if row["points"] > 0]


def test_f1_1988_final_leaders_count_their_best_11_results(f1_1988):
    final = f1_1988.table("drivers")
    senna, prost = final.rows[:2]

    assert [(row.entry.driver, row.points) for row in (senna, prost)] == [
        ("Ayrton Senna", 90),
        ("Alain Prost", 87),
    ]
    assert sum(line.score.points for line in senna.races) == 94
    assert sum(line.score.points for line in prost.races) == 105
    # Senna's disqualification in Brazil is one of his five dropped races.
    assert "R1-1" in {line.score.race.label for line in senna.dropped}
    assert len(senna.dropped) == len(prost.dropped) == 5
    assert computed(f1_1988, "teams/final")[0] == {"position": 1, "team": "McLaren", "points": 199}
