"""The import_season and export_season management commands."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from championships.models import Championship, Result


def run(*args: object) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def bad_bundle(tmp_path, example_season_path) -> Path:
    bundle = Path(shutil.copytree(example_season_path, tmp_path / "bundle"))
    results = bundle / "results" / "R1-1.csv"
    results.write_text(results.read_text().replace("1,99,", "1,199,").replace("30:02.978", "x"))
    return bundle


def test_import_season_imports_and_prints_the_summary(db, example_season_path):
    out, _ = run("import_season", str(example_season_path))

    assert "Imported pcca-2024: 7 meetings, 16 races (8 with results), 18 entries" in out
    assert Championship.objects.filter(slug="pcca-2024").exists()


def test_import_season_dry_run_writes_nothing(db, example_season_path):
    out, _ = run("import_season", str(example_season_path), "--dry-run")

    assert out.startswith("Dry run, nothing written.")
    assert "18 entries" in out
    assert not Championship.objects.exists()


def test_import_season_prints_every_problem_on_stderr_and_fails(db, bad_bundle):
    err = StringIO()

    with pytest.raises(CommandError, match="2 problems; nothing imported"):
        call_command("import_season", str(bad_bundle), stdout=StringIO(), stderr=err)

    assert err.getvalue().splitlines() == [
        "results/R1-1.csv, line 2, column NO: car 199 is not in entries.csv",
        "results/R1-1.csv, line 3, column TIME: "
        "expected a race time H:MM:SS.sss or MM:SS.sss, not 'x'",
    ]
    assert not Championship.objects.exists()


def test_import_season_refuses_an_existing_slug_unless_told_to_replace(db, example_season_path):
    run("import_season", str(example_season_path))

    with pytest.raises(CommandError):
        run("import_season", str(example_season_path))
    out, _ = run("import_season", str(example_season_path), "--replace")

    assert "replaced the championship before" in out
    assert Championship.objects.count() == 1
    assert Result.objects.count() == 138


def test_export_season_writes_a_folder_and_a_zip(db, example_season_path, tmp_path):
    run("import_season", str(example_season_path))

    out, _ = run("export_season", "pcca-2024", str(tmp_path / "folder"))
    run("export_season", "pcca-2024", str(tmp_path / "season.zip"))

    assert f"Exported pcca-2024 to {tmp_path / 'folder'}" in out
    assert (tmp_path / "folder" / "results" / "R1-1.csv").is_file()
    assert (tmp_path / "season.zip").stat().st_size > 1000


def test_export_season_explains_an_unknown_slug(db, tmp_path):
    with pytest.raises(CommandError, match="No championship has the slug 'pcca-1999'"):
        run("export_season", "pcca-1999", str(tmp_path / "out"))


def test_export_season_refuses_a_folder_that_is_not_empty(db, example_season_path, tmp_path):
    run("import_season", str(example_season_path))

    with pytest.raises(CommandError, match="is not empty"):
        run("export_season", "pcca-2024", str(example_season_path.parent))
