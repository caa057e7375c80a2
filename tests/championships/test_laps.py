"""The timing system's lap export of a race or a session (``laps_import``): dry run, apply,
each refusal by line and column, the warnings, the back office's upload, and the grid that
reads the second-best lap from the laps when the classification has none."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from championships.models import Lap, LaterGrid, Session, SessionKind
from championships.weekend import LapsFileError, grid_plan, laps_import, session_import
from tests.factories import make_championship, make_entry, make_meeting, make_race, make_result

HEADER = (
    "NUMBER; DRIVER_NUMBER; LAP_NUMBER; LAP_TIME; LAP_IMPROVEMENT; "
    "CROSSING_FINISH_LINE_IN_PIT; S1\n"
)


def lap_file(*rows: str) -> str:
    return HEADER + "".join(f"{row}\n" for row in rows)


GOOD = lap_file(
    "7;1;1;2'10.500;0;;40.1",
    "7;1;2;1'58.100;1;;38.0",
    "7;1;3;2'20.000;0;B;45.0",
    "3;1;1;2'11.000;0;;40.5",
    "3;1;2;1'58,200;1;;38.1",
)


@pytest.fixture
def race(db):
    championship = make_championship("laps-2024")
    meeting = make_meeting(championship, round=5)
    race = make_race(meeting, 1)
    for number in (3, 7, 9):
        make_entry(championship, number)
    return race


def test_a_dry_run_counts_each_cars_laps_and_writes_nothing(race):
    diff = laps_import(subject=race, source=GOOD, dry_run=True)

    assert (diff.laps, diff.replaced) == (5, 0)
    seven = next(car for car in diff.cars if car.car_number == 7)
    assert (seven.laps, seven.best, seven.pits) == (3, dt.timedelta(seconds=118.1), 1)
    assert not Lap.objects.exists()


def test_applied_it_replaces_every_lap_of_the_race(race):
    laps_import(subject=race, source=GOOD, dry_run=False)
    diff = laps_import(subject=race, source=lap_file("9;1;1;2'00.000;0;;"), dry_run=False)

    assert diff.replaced == 5
    assert list(race.laps.values_list("entry__car_number", "number", "pit")) == [(9, 1, False)]


@pytest.mark.parametrize(
    ("rows", "line", "column", "words"),
    [
        (("7;1;1;2'10.500;0;;", "7;1;2;0'00.000;0;;"), 3, "LAP_TIME", "above 0"),
        (("7;1;0;2'10.500;0;;",), 2, "LAP_NUMBER", ""),
        (("7;1;1;fast;0;;",), 2, "LAP_TIME", "expected a time"),
        (("7;1;1;2'10.500;0;;", "7;1;1;2'09.000;0;;"), 3, "LAP_NUMBER", "already on line 2"),
        (("7;1;1;2'10.500;0;;", "7;1;3;2'09.000;0;;"), 3, "LAP_NUMBER", "no lap 2"),
        (("44;1;1;2'10.500;0;;",), 2, "NUMBER", "not an entry"),
    ],
)
def test_a_bad_line_is_refused_by_line_and_column_and_nothing_written(
    race, rows, line, column, words
):
    with pytest.raises(LapsFileError) as refused:
        laps_import(subject=race, source=lap_file(*rows), dry_run=False)

    issue = next(i for i in refused.value.issues if (i.line, i.column) == (line, column))
    assert words in issue.message and issue.file == "laps/R5-1.csv"
    assert not Lap.objects.exists()


def test_a_header_without_the_lap_columns_is_refused(race):
    with pytest.raises(LapsFileError) as refused:
        laps_import(subject=race, source="NUMBER;TIME\n7;1'58.000\n", dry_run=True)

    assert {issue.column for issue in refused.value.issues} >= {"LAP_NUMBER", "LAP_TIME"}


def test_a_count_that_differs_from_the_classification_is_a_warning(race):
    entries = {e.car_number: e for e in race.meeting.championship.entries.all()}
    make_result(race, entries[7], 1, laps=3)
    make_result(race, entries[3], 2, laps=3)

    diff = laps_import(subject=race, source=GOOD, dry_run=True)

    [warning] = diff.warnings
    assert (warning.line, warning.column) == (5, "LAP_NUMBER")
    assert "car 3 has 2 laps here but 3 in the classification" in warning.message


def test_a_sessions_laps_give_the_second_best_time_its_file_did_not(race):
    meeting = race.meeting
    meeting.championship.later_grids = LaterGrid.SECOND_BEST
    meeting.championship.save()
    make_race(meeting, 2)
    session = Session.objects.create(
        meeting=meeting,
        kind=SessionKind.QUALIFYING,
        starts_at=dt.datetime(2024, 4, 20, 3, 0, tzinfo=dt.UTC),
    )
    session_import(
        session=session,
        source="POS,NO,LAPS,BEST_LAP\n1,7,3,1:58.100\n2,3,2,1:58.200\n",
        dry_run=False,
    )
    laps_import(subject=session, source=GOOD, dry_run=False)

    # 7's second-best is 2:10.500, 3's is 2:11.000: 7 ahead on both.
    second = grid_plan(meeting.races.get(number=2))

    assert [(s.car_number, s.time) for s in second.slots] == [
        (7, dt.timedelta(seconds=130.5)),
        (3, dt.timedelta(seconds=131)),
    ]


def test_the_back_office_upload_checks_then_applies(staff_client, race):
    url = reverse("admin:championships_race_import_laps", args=[race.pk])

    checked = staff_client.post(url, {"laps": SimpleUploadedFile("laps.csv", GOOD.encode())})
    page = checked.content.decode()
    assert 'id="laps-per-car"' in page and "1:58.100" in page and not Lap.objects.exists()
    applied = staff_client.post(url, {"token": checked.context["token"], "apply": "1"})

    assert applied.status_code == 302 and race.laps.count() == 5


def test_the_back_office_upload_lists_the_problems(staff_client, race):
    url = reverse("admin:championships_race_import_laps", args=[race.pk])

    page = staff_client.post(
        url, {"laps": SimpleUploadedFile("laps.csv", lap_file("7;1;2;1'58.000;0;;").encode())}
    ).content.decode()

    assert 'id="laps-problems"' in page and "laps.csv, line 2, column LAP_NUMBER" in page


def test_the_command_imports_a_races_laps_and_reports_problems(race, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    good, bad = tmp_path / "laps.csv", tmp_path / "bad.csv"
    good.write_text(GOOD)
    bad.write_text(lap_file("7;1;2;1'58.000;0;;"))
    out, err = StringIO(), StringIO()

    call_command("import_laps", "laps-2024", "5", "race", "1", str(good), stdout=out)
    with pytest.raises(CommandError, match="1 problem; nothing written"):
        call_command("import_laps", "laps-2024", "5", "race", "1", str(bad), stderr=err)

    assert "Imported 5 laps of 2 cars" in out.getvalue() and race.laps.count() == 5
    assert "bad.csv, line 2, column LAP_NUMBER: car 7 has lap 2 but no lap 1" in err.getvalue()
    with pytest.raises(CommandError, match="no qualifying 1 in round 5"):
        call_command("import_laps", "laps-2024", "5", "qualifying", "1", str(good))


def test_a_classified_car_missing_from_the_lap_file_is_a_warning(race):
    entries = {e.car_number: e for e in race.meeting.championship.entries.all()}
    make_result(race, entries[7], 1, laps=3)
    make_result(race, entries[9], 2, laps=3)

    diff = laps_import(
        subject=race,
        source=lap_file("7;1;1;2'00.000;0;;", "7;1;2;2'00.000;0;;", "7;1;3;2'00.000;0;;"),
        dry_run=True,
    )

    [warning] = diff.warnings
    assert "car 9 has 3 laps in the classification but none here" in warning.message
