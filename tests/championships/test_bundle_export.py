"""Exporting season bundles, and the round trip: export, empty the database, import again."""

import csv
import datetime as dt
import io
import tomllib
import zipfile
from decimal import Decimal

import pytest

from championships.bundle import season_export, season_export_zip, season_import
from championships.bundle.export import lap_time, race_time
from championships.models import (
    Championship,
)
from tests import factories
from tests.factories import F1_2015, empty_the_database, imported_rows


def test_export_then_import_into_an_empty_database_gives_the_same_championship(pcca, tmp_path):
    before = imported_rows()
    season_export(pcca, tmp_path / "folder")
    season_export(pcca, tmp_path / "season.zip")
    empty_the_database()

    season_import(tmp_path / "folder")
    from_folder = imported_rows()
    empty_the_database()
    season_import(tmp_path / "season.zip")

    assert from_folder == before
    assert imported_rows() == before
    assert len(before["results"]) == 138 and len(before["penalties"]) == 3


def test_the_formula_one_season_survives_the_round_trip_too(db, tmp_path):
    season_import(F1_2015)
    before = imported_rows()
    data = season_export_zip(Championship.objects.get())
    empty_the_database()

    season_import(io.BytesIO(data))

    assert imported_rows() == before


def test_results_are_written_back_as_the_timing_sheet_gave_them(
    pcca, tmp_path, example_season_path
):
    season_export(pcca, tmp_path / "out")

    for name in ("R1-1.csv", "R1-2.csv", "R3-1.csv"):
        original = list(csv.DictReader((example_season_path / "results" / name).open()))
        exported = list(csv.DictReader((tmp_path / "out" / "results" / name).open()))
        columns = ("POS", "NO", "LAPS", "TIME", "BEST_LAP", "GRID")
        assert [[r[c] for c in columns] for r in exported] == [
            [r[c] for c in columns] for r in original
        ]


def test_the_calendar_entries_and_penalties_are_written_back_in_the_format(
    pcca, tmp_path, example_season_path
):
    season_export(pcca, tmp_path / "out")
    out = tmp_path / "out"

    calendar = list(csv.DictReader((out / "calendar.csv").open()))
    assert calendar[0] == {
        "round": "1",
        "race": "1",
        "circuit": "Shanghai International Circuit",
        "country": "CN",
        "timezone": "Asia/Shanghai",
        "start": "2024-04-20 10:35",
        "points_factor": "1",
        "supporting_event": "Formula 1 Chinese Grand Prix",
    }
    assert calendar[3]["points_factor"] == "0.5"
    assert (out / "entries.csv").read_text().splitlines()[1] == (
        "3,Sora,Ito,JP,1978-12-12,BRONZE,Kowloon Speed,AM,no,no,no,no"
    )
    assert (out / "penalties.csv").read_text() == (
        example_season_path / "penalties.csv"
    ).read_text()


def test_championship_toml_has_the_classes_in_order_and_no_needless_decimals(db, tmp_path):
    championship = factories.make_championship(
        "cup-2024",
        classes=False,
        race_points=[25, 12.5, 10.0],
        pole_points=Decimal("1.00"),
        rookies_fastest_lap_points=Decimal("0.50"),
    )
    factories.make_class(championship, "AM", ["BRONZE"], sort_order=1, pole_points=Decimal("2.50"))
    factories.make_class(championship, "PRO", ["GOLD"], sort_order=0, min_age=18)

    season_export(championship, tmp_path / "out")

    text = (tmp_path / "out" / "championship.toml").read_text()
    assert "race = [25, 12.5, 10]\npole = 1\nfastest_lap = 0\n" in text
    assert text.index("[classes.PRO]") < text.index("[classes.AM]")
    assert '[classes.PRO]\ncategories = ["GOLD"]\nmin_age = 18\n' in text
    assert '[classes.AM]\ncategories = ["BRONZE"]\npole = 2.5\n' in text
    assert text.endswith("[rookies]\nfastest_lap = 0.5\n")
    assert tomllib.loads(text)["series"] == "Porsche Carrera Cup Asia"
    assert not (tmp_path / "out" / "penalties.csv").exists()


def test_times_are_written_with_hours_only_from_an_hour_on():
    assert race_time(dt.timedelta(minutes=30, seconds=1, milliseconds=632)) == "30:01.632"
    assert race_time(dt.timedelta(minutes=5, seconds=9)) == "05:09.000"
    assert race_time(dt.timedelta(hours=1, minutes=31, seconds=54, milliseconds=67)) == (
        "1:31:54.067"
    )
    assert race_time(dt.timedelta(minutes=59, seconds=59, microseconds=999_600)) == "1:00:00.000"
    assert lap_time(dt.timedelta(minutes=1, seconds=58, milliseconds=452)) == "1:58.452"
    assert race_time(None) == lap_time(None) == ""


def test_the_zip_holds_the_bundle_under_a_folder_named_after_the_slug(pcca):
    with zipfile.ZipFile(io.BytesIO(season_export_zip(pcca))) as archive:
        names = set(archive.namelist())

    assert "pcca-2024/championship.toml" in names
    assert "pcca-2024/results/R4-2.csv" in names
    assert len(names) == 4 + 8


def test_export_refuses_a_folder_that_is_not_empty(pcca, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")

    with pytest.raises(FileExistsError):
        season_export(pcca, tmp_path / "out")


def test_export_reads_the_championship_in_a_fixed_number_of_queries(
    pcca, django_assert_num_queries
):
    championship = Championship.objects.get(pk=pcca.pk)
    # series, classes, races, entries, results, penalties, class changes
    with django_assert_num_queries(7):
        season_export_zip(championship)
