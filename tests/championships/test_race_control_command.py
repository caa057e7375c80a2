"""manage.py import_classification: the same import as the back office and the API."""

import pytest
from django.core.management import CommandError, call_command

from championships.models import VersionCause
from tests.factories import make_championship, make_entry, make_meeting, make_race

pytestmark = pytest.mark.django_db

EXPORT = (
    "POSITION;NUMBER;STATUS;LAPS;TOTAL_TIME;GAP_FIRST;FL_TIME\n"
    "1;7;Classified;15;1:00:01.250;;1'58.056\n"
    "2;8;Retired;3;;;2'00.000\n"
)


@pytest.fixture
def race():
    championship = make_championship("command-cup")
    make_entry(championship, 7)
    make_entry(championship, 8)
    return make_race(make_meeting(championship))


def test_a_dry_run_lists_the_changes_and_writes_nothing(race, tmp_path, capsys):
    path = tmp_path / "export.csv"
    path.write_text(EXPORT)

    call_command("import_classification", "command-cup", "1", "1", str(path), "--dry-run")

    out = capsys.readouterr().out
    assert "+ line 2: car 7 added" in out and "Dry run, nothing written" in out
    assert not race.results.exists()


def test_an_import_is_a_version_under_the_user_given(race, tmp_path, django_user_model):
    django_user_model.objects.create_user("timing")
    path = tmp_path / "export.csv"
    path.write_text(EXPORT)

    call_command(
        "import_classification",
        "command-cup",
        "1",
        "1",
        str(path),
        "--user",
        "timing",
        "--reason",
        "Official results",
    )

    version = race.classification_versions.get()
    assert (version.cause, version.created_by.username, version.reason) == (
        VersionCause.IMPORT,
        "timing",
        "Official results",
    )


def test_a_bad_file_prints_every_problem_and_writes_nothing(race, tmp_path, capsys):
    path = tmp_path / "export.csv"
    path.write_text(EXPORT.replace("1'58.056", "1'58.0x6").replace(";8;", ";99;"))

    with pytest.raises(CommandError, match="2 problems; nothing written"):
        call_command("import_classification", "command-cup", "1", "1", str(path))

    err = capsys.readouterr().err
    assert "export.csv, line 2, column FL_TIME" in err
    assert "export.csv, line 3, column NUMBER" in err
    assert not race.results.exists()


def test_an_unknown_race_is_named(race, tmp_path):
    with pytest.raises(CommandError, match="command-cup has no race 2 in round 1"):
        call_command("import_classification", "command-cup", "1", "2", str(tmp_path / "x.csv"))
