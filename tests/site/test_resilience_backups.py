"""Backups: every season as a bundle (``export_season --all DIR``) and the PostgreSQL dump, each
restored into an empty database and compared with what was saved."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from championships.bundle import season_import
from championships.models import Championship
from tests.factories import EXAMPLE_SEASON, F1_2015


def run(*args: object) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def bundle_contents(folder: Path) -> dict[str, dict[str, bytes]]:
    """Every file of every .zip in the folder, by bundle and path."""
    contents = {}
    for bundle in sorted(folder.glob("*.zip")):
        with zipfile.ZipFile(bundle) as archive:
            contents[bundle.name] = {name: archive.read(name) for name in archive.namelist()}
    return contents


@pytest.fixture
def two_seasons(transactional_db) -> list[str]:
    season_import(EXAMPLE_SEASON)
    season_import(F1_2015)
    return sorted(Championship.objects.values_list("slug", flat=True))


def test_export_all_writes_one_bundle_per_championship(two_seasons, tmp_path):
    out = run("export_season", "--all", str(tmp_path / "backup"))

    assert sorted(p.name for p in (tmp_path / "backup").iterdir()) == [
        f"{slug}.zip" for slug in two_seasons
    ]
    assert f"Exported {len(two_seasons)} championships" in out


def test_the_bundles_restore_into_an_empty_database_as_they_were(two_seasons, tmp_path):
    run("export_season", "--all", str(tmp_path / "before"))

    call_command("flush", "--noinput", verbosity=0)
    assert not Championship.objects.exists()
    for bundle in sorted((tmp_path / "before").glob("*.zip")):
        run("import_season", str(bundle))
    run("export_season", "--all", str(tmp_path / "after"))

    assert bundle_contents(tmp_path / "after") == bundle_contents(tmp_path / "before")


def test_export_all_refuses_a_folder_that_is_not_empty(db, tmp_path):
    (tmp_path / "old.zip").write_bytes(b"")

    with pytest.raises(CommandError, match="is not an empty folder"):
        run("export_season", "--all", str(tmp_path))


@pytest.mark.parametrize("args", [["pcca-2024", "x.zip", "--all", "dir"], ["pcca-2024"], []])
def test_export_season_wants_slug_and_path_or_all(db, args):
    with pytest.raises(CommandError, match="SLUG PATH"):
        run("export_season", *args)


# --- PostgreSQL: pg_dump and pg_restore, as docs/OPERATIONS.md says ------------------------


def database_url(name: str) -> str:
    s = connection.settings_dict
    port = s["PORT"] or "5432"
    return f"postgresql://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{port}/{name}"


def table_rows(url: str, tables: list[str]) -> dict[str, list[tuple]]:
    with psycopg.connect(url) as db:
        return {t: db.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in tables}


def sequence_values(url: str) -> dict[str, int]:
    with psycopg.connect(url) as db:
        names = db.execute("SELECT sequencename FROM pg_sequences").fetchall()
        return {n: db.execute(f'SELECT last_value FROM "{n}"').fetchone()[0] for (n,) in names}


def test_a_postgresql_dump_restores_into_an_empty_database_identical(
    two_seasons, tmp_path, django_user_model
):
    if connection.vendor != "postgresql":
        pytest.skip("the dump and restore steps are PostgreSQL's; this run is on SQLite")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.fail("pg_dump and pg_restore are needed: apt-get install postgresql-client")
    django_user_model.objects.create_user("official", password="pw-for-tests", is_staff=True)
    source = database_url(connection.settings_dict["NAME"])
    dump = tmp_path / "cup.dump"
    name = f"{connection.settings_dict['NAME']}_restore"
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        dump_and_restore(source, dump, database_url(name))
        tables = connection.introspection.table_names()
        assert table_rows(database_url(name), tables) == table_rows(source, tables)
        assert sequence_values(database_url(name)) == sequence_values(source)
    finally:
        with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def dump_and_restore(source: str, dump: Path, target: str) -> None:
    """The two commands of docs/OPERATIONS.md, with the same options."""
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source],
        check=True,
        timeout=120,
    )
    subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--dbname={target}",
            dump,
        ],
        check=True,
        timeout=120,
    )
