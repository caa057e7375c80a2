"""class-changes.csv (SEASON_FORMAT.md, rule 7): each move read, checked, written and
exported again; every bad row reported with its file, line and column."""

import datetime as dt
from pathlib import Path

from championships.bundle import season_import
from championships.bundle.export import bundle_files, season_export
from championships.models import Championship
from championships.standings.loader import season_load
from championships.standings.tables import SeasonTables
from entries.models import EntryClassChange
from tests.factories import assert_reported, empty_the_database, imported_rows, only_issue, rejected

FILE = "class-changes.csv"
HEADER = "car_number,class,from\n"


def with_moves(bundle: Path, *rows: str) -> Path:
    (bundle / FILE).write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return bundle


def moves() -> list[tuple[int, str, dt.date]]:
    rows = EntryClassChange.objects.order_by("entry__car_number", "from_date")
    return list(rows.values_list("entry__car_number", "entry_class__code", "from_date"))


def test_a_bundle_without_class_changes_has_no_moves(bundle):
    season_import(bundle)

    assert moves() == []
    assert FILE not in bundle_files(Championship.objects.get(slug="pcca-2024"))


def test_each_row_moves_the_entry_from_its_date_and_entries_csv_keeps_its_first_class(bundle):
    # Car 88 (Silver, PRO_AM) moves to PRO from round 2 (11 May), back to PRO_AM in June.
    season_import(with_moves(bundle, "88,PRO,2024-05-11", "88,pro_am,2024-06-01"))

    assert moves() == [(88, "PRO", dt.date(2024, 5, 11)), (88, "PRO_AM", dt.date(2024, 6, 1))]
    championship = Championship.objects.get(slug="pcca-2024")
    assert championship.entries.get(car_number=88).entry_class.code == "PRO_AM"


def test_the_class_tables_follow_the_moves_of_the_bundle(bundle):
    season_import(with_moves(bundle, "88,PRO,2024-05-11"))
    tables = SeasonTables(season_load(Championship.objects.get(slug="pcca-2024")))

    pro_am = {row.entry.car_number: row for row in tables.table("drivers", "PRO_AM").rows}
    pro = {row.entry.car_number: row for row in tables.table("drivers", "PRO").rows}

    assert {line.score.race.round for line in pro_am[88].races} == {1}
    assert {line.score.race.round for line in pro[88].races} == {2, 3, 4}  # the rounds held


def test_a_bundle_with_a_move_survives_the_round_trip(bundle, tmp_path):
    season_import(with_moves(bundle, "88,PRO,2024-05-11", "33,AM,2024-06-01"))
    championship = Championship.objects.get(slug="pcca-2024")
    before, moved = imported_rows(), moves()
    season_export(championship, tmp_path / "out")
    empty_the_database()

    season_import(tmp_path / "out")

    assert (tmp_path / "out" / FILE).read_text() == (
        "car_number,class,from\n33,AM,2024-06-01\n88,PRO,2024-05-11\n"
    )
    assert moves() == moved
    assert imported_rows() == before


def test_replacing_a_season_replaces_its_moves(bundle):
    season_import(with_moves(bundle, "88,PRO,2024-05-11"))
    (bundle / FILE).unlink()

    season_import(bundle, replace=True)

    assert moves() == []


# Errors, each with its file, line and column -------------------------------------------------


def test_a_move_to_the_class_the_entry_already_has_on_that_date_is_an_error(bundle):
    issue = only_issue(rejected(with_moves(bundle, "88,PRO_AM,2024-05-11")))

    assert_reported([issue], FILE, 2, "class", "car 88 is in class PRO_AM on 2024-05-11 already")


def test_a_move_to_the_class_an_earlier_move_gave_the_entry_is_an_error(bundle):
    issues = rejected(with_moves(bundle, "88,PRO,2024-05-11", "88,PRO,2024-06-01"))

    assert_reported(issues, FILE, 3, "class", "car 88 is in class PRO on 2024-06-01 already")


def test_two_rows_for_one_entry_on_one_date_is_an_error(bundle):
    issue = only_issue(rejected(with_moves(bundle, "88,PRO,2024-05-11", "88,AM,2024-05-11")))

    assert_reported([issue], FILE, 3, "from", "car 88 already moves on 2024-05-11 on line 2")


def test_an_unknown_car_number_is_an_error(bundle):
    issue = only_issue(rejected(with_moves(bundle, "404,PRO,2024-05-11")))

    assert_reported([issue], FILE, 2, "car_number", "car 404 is not in entries.csv")


def test_an_unknown_class_is_an_error(bundle):
    issue = only_issue(rejected(with_moves(bundle, "88,GT3,2024-05-11")))

    assert_reported([issue], FILE, 2, "class", "expected a class of championship.toml")


def test_a_date_that_does_not_parse_is_an_error(bundle):
    issue = only_issue(rejected(with_moves(bundle, "88,PRO,11/05/2024")))

    assert_reported([issue], FILE, 2, "from", "expected a date YYYY-MM-DD")


def test_a_missing_column_is_an_error(bundle):
    (bundle / FILE).write_text("car_number,class\n88,PRO\n", encoding="utf-8")

    issue = only_issue(rejected(bundle))

    assert_reported([issue], FILE, 1, "from", "is missing from the header")
