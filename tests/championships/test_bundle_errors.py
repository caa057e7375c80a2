"""Bad bundles: each problem is reported with its file, line and column, and nothing is written.

Each test copies the example bundle, spoils one thing, and checks the exact place reported
and that no table of the database changed.
"""

import csv
import io
import shutil
import stat
import zipfile
from pathlib import Path

import pytest

from championships.bundle import season_import
from tests import factories
from tests.factories import assert_reported, only_issue, rejected


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def drop_column(path: Path, column: str) -> None:
    rows = list(csv.reader(path.read_text().splitlines()))
    index = rows[0].index(column)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([r[:index] + r[index + 1 :] for r in rows])
    path.write_text(buffer.getvalue())


def zip_with(members: dict[str, bytes], *, symlinks: tuple[str, ...] = ()) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            if name in symlinks:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, data)
    buffer.seek(0)
    return buffer


def bundle_members(folder: Path, prefix: str = "") -> dict[str, bytes]:
    paths = [*folder.glob("*.csv"), *folder.glob("*.toml"), *folder.glob("results/*.csv")]
    return {prefix + p.relative_to(folder).as_posix(): p.read_bytes() for p in paths}


# results/R<round>-<race>.csv


def test_results_reject_a_car_number_that_is_not_entered(bundle):
    replace_in(bundle / "results" / "R1-1.csv", "1,99,Ming ZHAO", "1,199,Ming ZHAO")

    issue = only_issue(rejected(bundle))

    assert (issue.file, issue.line, issue.column) == ("results/R1-1.csv", 2, "NO")
    assert "car 199 is not in entries.csv" in issue.message
    assert str(issue) == "results/R1-1.csv, line 2, column NO: car 199 is not in entries.csv"


def test_results_reject_a_duplicate_position(bundle):
    replace_in(bundle / "results" / "R1-1.csv", "2,55,Kai", "1,55,Kai")

    issue = only_issue(rejected(bundle))

    assert (issue.file, issue.line, issue.column) == ("results/R1-1.csv", 3, "POS")
    assert "position 1 is already car 99's on line 2" in issue.message


def test_results_reject_a_car_listed_twice_in_one_race(bundle):
    replace_in(bundle / "results" / "R1-1.csv", "2,55,Kai", "2,99,Kai")

    assert_reported(
        rejected(bundle), "results/R1-1.csv", 3, "NO", "car 99 is already in this race on line 2"
    )


def test_results_reject_a_time_that_does_not_parse(bundle):
    replace_in(bundle / "results" / "R1-1.csv", "30:01.632", "30.01.632")

    issue = only_issue(rejected(bundle))

    assert (issue.file, issue.line, issue.column) == ("results/R1-1.csv", 2, "TIME")
    assert "expected a race time H:MM:SS.sss or MM:SS.sss, not '30.01.632'" in issue.message


def test_results_reject_a_best_lap_that_does_not_parse(bundle):
    replace_in(bundle / "results" / "R1-1.csv", "1:58.452", "1:58:452")

    assert_reported(
        rejected(bundle), "results/R1-1.csv", 2, "BEST_LAP", "expected a lap time M:SS.sss"
    )


def test_results_reject_an_unknown_status(bundle):
    replace_in(bundle / "results" / "R1-2.csv", "DNF,33", "RET,33")

    issue = only_issue(rejected(bundle))

    assert (issue.file, issue.line, issue.column) == ("results/R1-2.csv", 18, "POS")
    assert "expected a finishing position 1, 2, … or DNF, DNS, DSQ, NC, not 'RET'" in issue.message


def test_results_reject_negative_laps(bundle):
    replace_in(bundle / "results" / "R1-2.csv", "DNF,33,Elena ROSSI,7", "DNF,33,Elena ROSSI,-7")

    assert_reported(
        rejected(bundle), "results/R1-2.csv", 18, "LAPS", "expected a whole number from 0"
    )


def test_results_reject_a_grid_of_zero(bundle):
    replace_in(bundle / "results" / "R1-1.csv", "1:58.452,2", "1:58.452,0")

    assert_reported(rejected(bundle), "results/R1-1.csv", 2, "GRID", "from 1 to 999, not '0'")


def test_results_reject_a_file_without_a_needed_column(bundle):
    drop_column(bundle / "results" / "R2-1.csv", "NO")

    issue = only_issue(rejected(bundle))

    assert (issue.file, issue.line, issue.column) == ("results/R2-1.csv", 1, "NO")
    assert "is missing from the header" in issue.message


def test_results_reject_a_race_that_the_calendar_does_not_have(bundle):
    shutil.copy(bundle / "results" / "R1-1.csv", bundle / "results" / "R9-1.csv")

    issue = only_issue(rejected(bundle))

    assert (issue.file, issue.line, issue.column) == ("results/R9-1.csv", None, None)
    assert "calendar.csv has no race 1 in round 9" in issue.message


def test_results_reject_a_file_name_that_is_not_round_and_race(bundle):
    shutil.copy(bundle / "results" / "R1-1.csv", bundle / "results" / "race-1.csv")

    issue = only_issue(rejected(bundle))

    assert (issue.file, issue.line) == ("results/race-1.csv", None)
    assert "expected a results file name R<round>-<race>.csv" in issue.message


def test_results_reject_a_file_without_rows(bundle):
    (bundle / "results" / "R5-1.csv").write_text("POS,NO,LAPS,TIME,BEST_LAP,GRID\n")

    assert_reported(rejected(bundle), "results/R5-1.csv", None, None, "has no results")


def test_results_reject_a_row_with_more_values_than_the_header(bundle):
    replace_in(bundle / "results" / "R1-1.csv", "1:58.452,2", "1:58.452,2,extra")

    assert_reported(
        rejected(bundle), "results/R1-1.csv", 2, None, "has 8 values but the header has 7"
    )


def test_a_time_penalty_needs_the_time_of_every_classified_car(bundle):
    replace_in(bundle / "results" / "R1-2.csv", "30:03.046", "")

    issue = only_issue(rejected(bundle))

    assert (issue.file, issue.line, issue.column) == ("results/R1-2.csv", 3, "TIME")
    assert "penalties.csv line 2 gives this race a time penalty" in issue.message


def test_a_file_that_is_not_utf8_is_named_with_the_line_of_the_bad_byte(bundle):
    entries = bundle / "entries.csv"
    entries.write_bytes(entries.read_bytes().replace(b"Moreau", "Moréau".encode("latin-1")))

    issue = only_issue(rejected(bundle))

    assert (issue.file, issue.line, issue.column) == ("entries.csv", 5, None)
    assert "is not UTF-8 (byte 0xe9 here)" in issue.message


# entries.csv


def test_entries_reject_a_class_that_does_not_admit_the_category(bundle):
    replace_in(
        bundle / "entries.csv", "Harbour Racing,PRO,no,no,no,yes", "Harbour Racing,AM,no,no,no,yes"
    )

    issue = only_issue(rejected(bundle))

    assert (issue.file, issue.line, issue.column) == ("entries.csv", 2, "class")
    assert "Class AM admits BRONZE, not GOLD" in issue.message


def test_entries_reject_a_driver_too_young_for_the_class(bundle):
    replace_in(bundle / "entries.csv", "50,Farid,Yeo,SG,1969-03-03", "50,Farid,Yeo,SG,1990-03-03")

    issue = only_issue(rejected(bundle))

    assert (issue.file, issue.line, issue.column) == ("entries.csv", 16, "class")
    assert "Class MASTERS needs drivers aged 50 or more on 2024-04-20; this driver is 34" in (
        issue.message
    )


def test_entries_reject_a_class_that_championship_toml_does_not_have(bundle):
    replace_in(
        bundle / "entries.csv", "Harbour Racing,PRO,no,no,no,yes", "Harbour Racing,GT3,no,no,no,yes"
    )

    assert_reported(
        rejected(bundle), "entries.csv", 2, "class", "(PRO, PRO_AM, AM, MASTERS), not 'GT3'"
    )


def test_entries_reject_a_car_number_entered_twice(bundle):
    replace_in(bundle / "entries.csv", "5,Jun,Takeda", "55,Jun,Takeda")

    assert_reported(
        rejected(bundle), "entries.csv", 3, "car_number", "car 55 is already entered on line 2"
    )


def test_entries_reject_a_car_number_out_of_range(bundle):
    replace_in(bundle / "entries.csv", "911,Cyril", "1000,Cyril")

    assert_reported(rejected(bundle), "entries.csv", 19, "car_number", "from 1 to 999, not '1000'")


def test_entries_reject_a_driver_entered_twice(bundle):
    with (bundle / "entries.csv").open("a") as entries:
        entries.write("12,Kai,Lindqvist,SE,2002-03-14,GOLD,Harbour Racing,PRO,no,no,no,no\n")

    issue = only_issue(rejected(bundle))

    assert (issue.file, issue.line, issue.column) == ("entries.csv", 20, "first_name")
    assert "Kai Lindqvist (2002) is already entered on line 2" in issue.message


def test_entries_reject_an_unknown_category(bundle):
    replace_in(bundle / "entries.csv", "2002-03-14,GOLD", "2002-03-14,DIAMOND")

    assert_reported(
        rejected(bundle), "entries.csv", 2, "category", "expected a driver category: PLATINUM"
    )


def test_entries_reject_a_bad_date_of_birth(bundle):
    replace_in(bundle / "entries.csv", "2002-03-14", "2002-02-30")

    assert_reported(
        rejected(bundle), "entries.csv", 2, "date_of_birth", "expected a date YYYY-MM-DD"
    )


def test_entries_reject_a_country_code_that_is_not_iso(bundle):
    replace_in(bundle / "entries.csv", "Lindqvist,SE", "Lindqvist,UK")

    assert_reported(rejected(bundle), "entries.csv", 2, "nationality", "ISO 3166-1 alpha-2")


def test_entries_reject_a_flag_that_is_not_yes_or_no(bundle):
    replace_in(
        bundle / "entries.csv",
        "Harbour Racing,PRO,no,no,no,yes",
        "Harbour Racing,PRO,maybe,no,no,yes",
    )

    assert_reported(rejected(bundle), "entries.csv", 2, "rookie", "expected yes or no, not 'maybe'")


def test_entries_reject_two_spellings_of_one_team(bundle):
    replace_in(
        bundle / "entries.csv",
        "5,Jun,Takeda,JP,2003-07-02,SILVER,Harbour Racing",
        "5,Jun,Takeda,JP,2003-07-02,SILVER,Harbour racing",
    )

    assert_reported(
        rejected(bundle),
        "entries.csv",
        3,
        "team",
        "'Harbour racing' is too like 'Harbour Racing' on line 2",
    )


def test_entries_reject_a_column_that_the_format_does_not_have(bundle):
    replace_in(bundle / "entries.csv", "dealer_trophy", "dealer_trophey")

    assert_reported(
        rejected(bundle), "entries.csv", 1, "dealer_trophey", "is not a column of this file"
    )


def test_entries_reject_a_missing_column(bundle):
    drop_column(bundle / "entries.csv", "category")

    issue = only_issue(rejected(bundle))
    assert (issue.file, issue.line, issue.column) == ("entries.csv", 1, "category")


# calendar.csv


def test_calendar_rejects_a_points_factor_other_than_1_half_or_0(bundle):
    replace_in(bundle / "calendar.csv", "2024-05-12 14:05,0.5", "2024-05-12 14:05,0.75")

    issue = only_issue(rejected(bundle))

    assert (issue.file, issue.line, issue.column) == ("calendar.csv", 5, "points_factor")
    assert "expected a points factor 1, 0.5 or 0" in issue.message


def test_calendar_rejects_a_race_number_twice_in_a_round(bundle):
    replace_in(bundle / "calendar.csv", "1,2,Shanghai", "1,1,Shanghai")

    assert_reported(
        rejected(bundle), "calendar.csv", 3, "race", "race 1 of round 1 is already on line 2"
    )


def test_calendar_rejects_one_round_at_two_circuits(bundle):
    replace_in(
        bundle / "calendar.csv",
        "1,2,Shanghai International Circuit,CN,Asia/Shanghai",
        "1,2,Suzuka International Racing Course,JP,Asia/Tokyo",
    )

    assert_reported(
        rejected(bundle),
        "calendar.csv",
        3,
        "circuit",
        "round 1 is at Shanghai International Circuit (line 2)",
    )


def test_calendar_rejects_one_circuit_in_two_time_zones(bundle):
    replace_in(
        bundle / "calendar.csv",
        "7,1,Shanghai International Circuit,CN,Asia/Shanghai",
        "7,1,Shanghai International Circuit,CN,Asia/Hong_Kong",
    )

    assert_reported(
        rejected(bundle), "calendar.csv", 15, "timezone", "is in CN, Asia/Shanghai on line 2"
    )


def test_calendar_rejects_a_time_zone_that_is_not_iana(bundle):
    replace_in(bundle / "calendar.csv", "Asia/Tokyo,2024-05-11", "Asia/Tokio,2024-05-11")

    assert_reported(
        rejected(bundle), "calendar.csv", 4, "timezone", "expected an IANA time zone name"
    )


def test_calendar_rejects_a_country_code_that_is_not_iso(bundle):
    replace_in(
        bundle / "calendar.csv", "Chang International Circuit,TH", "Chang International Circuit,XX"
    )

    assert_reported(rejected(bundle), "calendar.csv", 6, "country", "not 'XX'")


def test_calendar_rejects_a_start_that_is_not_a_date_and_time(bundle):
    replace_in(bundle / "calendar.csv", "2024-06-14 10:35", "2024-06-31 10:35")

    assert_reported(
        rejected(bundle), "calendar.csv", 6, "start", "expected a local start YYYY-MM-DD HH:MM"
    )


def test_calendar_rejects_a_local_start_the_clocks_skip(bundle):
    calendar = bundle / "calendar.csv"
    calendar.write_text(
        calendar.read_text()
        .replace(
            "Shanghai International Circuit,CN,Asia/Shanghai,2024-04-20 10:35",
            "Silverstone Circuit,GB,Europe/London,2024-03-31 01:30",
        )
        .replace(
            "Shanghai International Circuit,CN,Asia/Shanghai,2024-04-21 14:05",
            "Silverstone Circuit,GB,Europe/London,2024-03-31 14:05",
        )
    )

    assert_reported(rejected(bundle), "calendar.csv", 2, "start", "does not exist in Europe/London")


def test_calendar_rejects_a_circuit_known_with_another_time_zone(bundle):
    factories.make_circuit("Chang International Circuit", country="TH", timezone="Asia/Ho_Chi_Minh")

    issue = only_issue(rejected(bundle))

    assert (issue.file, issue.line, issue.column) == ("calendar.csv", 6, "timezone")
    assert "is known with timezone Asia/Ho_Chi_Minh, not Asia/Bangkok" in issue.message


# penalties.csv


def test_penalties_reject_a_car_number_that_is_not_entered(bundle):
    replace_in(bundle / "penalties.csv", "1,2,5,TIME", "1,2,6,TIME")

    issue = only_issue(rejected(bundle))

    assert (issue.file, issue.line, issue.column) == ("penalties.csv", 2, "car_number")
    assert "car 6 is not in entries.csv" in issue.message


def test_penalties_reject_a_race_the_calendar_does_not_have(bundle):
    replace_in(bundle / "penalties.csv", "1,2,5,TIME", "1,3,5,TIME")

    assert_reported(
        rejected(bundle), "penalties.csv", 2, "race", "calendar.csv has no race 3 in round 1"
    )


def test_penalties_reject_a_round_the_calendar_does_not_have(bundle):
    replace_in(bundle / "penalties.csv", "4,,66,POINTS", "9,,66,POINTS")

    assert_reported(rejected(bundle), "penalties.csv", 4, "round", "round 9 is not in calendar.csv")


def test_penalties_reject_a_race_not_held(bundle):
    replace_in(bundle / "penalties.csv", "3,1,28,DSQ", "5,1,28,DSQ")

    assert_reported(rejected(bundle), "penalties.csv", 3, "race", "results/R5-1.csv is missing")


def test_penalties_reject_a_car_without_a_result_in_the_race(bundle):
    replace_in(bundle / "results" / "R3-1.csv", "10,28,Bao LIM,15,30:20.702,1:59.337,8\n", "")
    replace_in(bundle / "results" / "R3-1.csv", "11,88", "10,88")

    assert_reported(
        rejected(bundle),
        "penalties.csv",
        3,
        "car_number",
        "car 28 has no result in results/R3-1.csv",
    )


def test_penalties_reject_an_unknown_kind(bundle):
    replace_in(bundle / "penalties.csv", "4,,66,POINTS", "4,,66,WARNING")

    assert_reported(
        rejected(bundle), "penalties.csv", 4, "kind", "expected a penalty kind: TIME, DSQ, POINTS"
    )


def test_penalties_reject_a_time_penalty_without_positive_seconds(bundle):
    replace_in(bundle / "penalties.csv", "1,2,5,TIME,5", "1,2,5,TIME,0")

    issue = only_issue(rejected(bundle))

    assert (issue.file, issue.line, issue.column) == ("penalties.csv", 2, "value")
    assert "expected seconds above 0, with at most 3 decimals, not '0'" in issue.message


def test_penalties_reject_a_disqualification_with_a_value(bundle):
    replace_in(bundle / "penalties.csv", "3,1,28,DSQ,,", "3,1,28,DSQ,10,")

    assert_reported(rejected(bundle), "penalties.csv", 3, "value", "expected no value for a DSQ")


def test_penalties_reject_a_time_penalty_without_its_race(bundle):
    replace_in(bundle / "penalties.csv", "1,2,5,TIME", "1,,5,TIME")

    assert_reported(rejected(bundle), "penalties.csv", 2, "race", "a TIME penalty needs the race")


# championship.toml


def test_malformed_toml_is_reported_where_tomllib_found_it(bundle):
    replace_in(bundle / "championship.toml", "pole = 1\n", "pole = \n")

    issue = only_issue(rejected(bundle))

    assert (issue.file, issue.line, issue.column) == ("championship.toml", 8, 8)
    assert "is not valid TOML: Invalid value" in issue.message


def test_toml_rejects_a_slug_with_capitals_and_spaces(bundle):
    replace_in(bundle / "championship.toml", 'slug = "pcca-2024"', 'slug = "PCCA 2024"')

    issue = only_issue(rejected(bundle))

    assert (issue.file, issue.line, issue.column) == ("championship.toml", 1, "slug")
    assert str(issue).startswith("championship.toml, line 1, key slug: expected a slug")


def test_toml_rejects_a_class_code_in_lower_case(bundle):
    replace_in(bundle / "championship.toml", "[classes.MASTERS]", "[classes.masters]")

    issues = rejected(bundle)

    assert_reported(issues, "championship.toml", 23, "classes.masters", "expected a class code")
    assert_reported(issues, "entries.csv", 16, "class", "not 'MASTERS'")


def test_toml_rejects_an_unknown_category_in_a_class(bundle):
    replace_in(
        bundle / "championship.toml", 'categories = ["BRONZE"]', 'categories = ["BRONZE", "WOOD"]'
    )

    assert_reported(
        rejected(bundle), "championship.toml", 21, "classes.AM.categories", "distinct categories"
    )


def test_toml_rejects_an_unknown_key(bundle):
    replace_in(bundle / "championship.toml", "fastest_lap = 1", "fastest_laps = 1")

    assert_reported(
        rejected(bundle), "championship.toml", 9, "points.fastest_laps", "is not a known key"
    )


def test_toml_rejects_a_missing_name(bundle):
    replace_in(bundle / "championship.toml", 'name = "Porsche Carrera Cup Asia 2024"\n', "")

    issue = only_issue(rejected(bundle))

    assert (issue.file, issue.line, issue.column) == ("championship.toml", None, "name")
    assert "but it is missing" in issue.message


def test_toml_rejects_a_missing_year_also_when_drivers_are_known(bundle, example_season_path):
    season_import(example_season_path)
    replace_in(bundle / "championship.toml", 'slug = "pcca-2024"', 'slug = "pcca-2024-b"')
    replace_in(bundle / "championship.toml", "year = 2024\n", "")

    issue = only_issue(rejected(bundle))

    assert (issue.file, issue.line, issue.column) == ("championship.toml", None, "year")


def test_toml_rejects_negative_points(bundle):
    replace_in(bundle / "championship.toml", "race = [25, 20,", "race = [25, -20,")

    assert_reported(rejected(bundle), "championship.toml", 7, "points.race", "points of 0 or more")


def test_toml_rejects_a_series_whose_slug_another_series_has(bundle):
    factories.make_series("Porsche Carrera-Cup Asia")

    assert_reported(rejected(bundle), "championship.toml", 3, "series", "is taken by the series")


# The bundle as a whole


def test_a_missing_file_is_reported(bundle):
    (bundle / "entries.csv").unlink()

    issues = rejected(bundle)

    assert_reported(issues, "entries.csv", None, None, "is missing from the bundle")
    assert len(issues) == 1  # results are not checked against a file that is not there


def test_several_problems_in_several_files_are_reported_at_once(bundle):
    replace_in(bundle / "championship.toml", "pole = 2", "pole = -2")
    replace_in(bundle / "calendar.csv", "2024-05-12 14:05,0.5", "2024-05-12 14:05,2")
    replace_in(
        bundle / "entries.csv",
        "2002-03-14,GOLD,Harbour Racing,PRO",
        "2002-03-14,GOLD,Harbour Racing,AM",
    )
    replace_in(bundle / "results" / "R1-1.csv", "30:01.632", "half an hour")
    replace_in(bundle / "results" / "R4-2.csv", "1,55,Kai", "1,56,Kai")
    replace_in(bundle / "penalties.csv", "4,,66,POINTS", "4,,66,BAN")

    issues = rejected(bundle)

    assert {(i.file, i.line, i.column) for i in issues} == {
        ("championship.toml", 18, "classes.PRO_AM.pole"),
        ("calendar.csv", 5, "points_factor"),
        ("entries.csv", 2, "class"),
        ("results/R1-1.csv", 2, "TIME"),
        ("results/R4-2.csv", 2, "NO"),
        ("penalties.csv", 4, "kind"),
    }


def test_an_unreadable_file_does_not_stop_the_others_being_checked(bundle):
    (bundle / "calendar.csv").write_bytes(b"round,race\n\xff\n")
    replace_in(bundle / "results" / "R1-1.csv", "1,99,Ming ZHAO", "1,199,Ming ZHAO")

    issues = rejected(bundle)

    assert_reported(issues, "calendar.csv", 2, None, "is not UTF-8")
    assert_reported(issues, "results/R1-1.csv", 2, "NO", "car 199")
    assert len(issues) == 2  # nothing is checked against the calendar it could not read


# Archives


def test_a_zip_with_files_that_are_not_part_of_the_format_is_refused(bundle):
    members = bundle_members(bundle) | {"README.md": b"hello", "results/notes/R1-1.csv": b""}

    issues = rejected(zip_with(members))

    assert_reported(issues, "README.md", None, None, "is not part of a season bundle")
    assert_reported(issues, "results/notes/R1-1.csv", None, None, "is not part of a season bundle")
    assert len(issues) == 2


def test_a_zip_that_climbs_out_with_dot_dot_is_refused(bundle):
    members = bundle_members(bundle, prefix="season/") | {"season/../../etc/cron.d/x": b"x"}

    issue = only_issue(rejected(zip_with(members)))

    assert issue.file == "season/../../etc/cron.d/x"
    assert "goes up out of the bundle ('..')" in issue.message


def test_a_zip_with_an_absolute_path_is_refused(bundle):
    members = bundle_members(bundle) | {"/etc/passwd": b"root"}

    assert_reported(rejected(zip_with(members)), "/etc/passwd", None, None, "is an absolute path")


def test_a_zip_with_a_symbolic_link_is_refused(bundle):
    members = bundle_members(bundle) | {"penalties.csv": b"/etc/passwd"}

    issue = only_issue(rejected(zip_with(members, symlinks=("penalties.csv",))))

    assert (issue.file, issue.message) == (
        "penalties.csv",
        "is a symbolic link; expected plain files",
    )


def test_a_zip_that_unpacks_too_large_is_refused(bundle, settings):
    settings.SEASON_BUNDLE_MAX_BYTES = 10_000
    members = bundle_members(bundle) | {"results/R5-1.csv": b"POS,NO,LAPS\n" + b" " * 20_000}

    issue = only_issue(rejected(zip_with(members)))

    assert issue.file == "upload"
    assert "a season bundle may have at most 10000" in issue.message


def test_a_file_that_is_not_a_zip_is_refused(db, tmp_path):
    not_a_zip = tmp_path / "season.zip"
    not_a_zip.write_text("round,race\n")

    issue = only_issue(rejected(not_a_zip))

    assert (issue.file, issue.message) == ("season.zip", "is not a .zip archive")


def test_a_path_that_does_not_exist_is_reported(db, tmp_path):
    issue = only_issue(rejected(tmp_path / "nowhere"))

    assert issue.message == "no such folder or file"


# --- Bounds: every number, time, date and text is refused where it is, never a server error -


@pytest.mark.parametrize("time", ["99999999999:00:00.000", "9999999999:00:00.000", "100:00:00"])
def test_results_reject_a_race_time_of_a_hundred_hours_or_more(bundle, time):
    replace_in(bundle / "results" / "R1-1.csv", "30:01.632", time)

    issue = only_issue(rejected(bundle))

    assert (issue.file, issue.line, issue.column) == ("results/R1-1.csv", 2, "TIME")
    assert "expected a race time under 100 hours" in issue.message


def test_results_reject_a_number_of_thousands_of_digits(bundle):
    replace_in(
        bundle / "results" / "R1-1.csv", "1,99,Ming ZHAO,15,", "1,99,Ming ZHAO," + "9" * 5000 + ","
    )

    assert_reported(rejected(bundle), "results/R1-1.csv", 2, "LAPS", "whole number from 0 to 9999")


def test_penalties_reject_a_value_of_more_digits_than_a_decimal_holds(bundle):
    (bundle / "penalties.csv").write_text(
        "round,race,car_number,kind,value,reason\n1,1,99,TIME,1" + "0" * 30 + ",Track limits\n"
    )

    assert_reported(rejected(bundle), "penalties.csv", 2, "value", "seconds above 0")


def test_toml_rejects_arrays_nested_too_deep_at_their_line_and_column(bundle):
    toml = bundle / "championship.toml"
    toml.write_text(toml.read_text() + "\n[rookies]\nrace = " + "[" * 5000 + "]" * 5000 + "\n")

    issue = only_issue(rejected(bundle))

    assert issue.file == "championship.toml"
    assert (issue.line, issue.column) == (toml.read_text().count("\n"), 8 + 32)  # the 33rd [
    assert "nested more than 32 deep" in issue.message


def test_toml_rejects_an_integer_of_more_than_4300_digits_at_its_line(bundle):
    replace_in(bundle / "championship.toml", "pole = 1\n", "pole = 1" + "0" * 4400 + "\n")

    issue = only_issue(rejected(bundle))

    assert (issue.file, issue.line, issue.column) == ("championship.toml", 8, 8)
    assert "a number of more than 100 digits" in issue.message


@pytest.mark.parametrize("points", ["1" + "0" * 90, "10000", "12.345", "1e300"])
def test_toml_rejects_race_points_beyond_what_a_points_column_holds(bundle, points):
    replace_in(bundle / "championship.toml", "race = [25, 20,", f"race = [{points}, 20,")

    assert_reported(rejected(bundle), "championship.toml", 7, "points.race", "up to 9999.99")


def test_toml_rejects_a_points_list_longer_than_the_positions(bundle):
    replace_in(bundle / "championship.toml", "race = [25, 20,", "race = [" + "1, " * 1000 + "20,")

    assert_reported(rejected(bundle), "championship.toml", 7, "points.race", "at most 999 points")


def test_toml_rejects_a_huge_integer_as_a_bonus(bundle):
    replace_in(bundle / "championship.toml", "pole = 1\n", "pole = 1" + "0" * 90 + "\n")

    assert_reported(rejected(bundle), "championship.toml", 8, "points.pole", "up to 9999.99")


def test_toml_rejects_a_nul_in_a_name(bundle):
    replace_in(bundle / "championship.toml", 'name = "Porsche', 'name = "\\u0000Porsche')

    assert_reported(rejected(bundle), "championship.toml", 2, "name", "holds U+0000")


@pytest.mark.parametrize("start", ["0001-01-01 00:00", "1899-12-31 23:59", "3000-01-01 10:00"])
def test_calendar_rejects_a_start_outside_the_years_of_a_season(bundle, start):
    replace_in(bundle / "calendar.csv", "2024-04-20 10:35", start)

    assert_reported(rejected(bundle), "calendar.csv", 2, "start", "from 1900 to 2999")


def test_entries_reject_a_date_of_birth_in_year_one(bundle):
    replace_in(bundle / "entries.csv", "2002-03-14", "0001-01-01")

    assert_reported(rejected(bundle), "entries.csv", 2, "date_of_birth", "from 1900 to 2999")


@pytest.mark.parametrize("character", ["\x00", "\r", "\x1b", "\x7f"])
def test_entries_reject_a_control_character_in_a_name(bundle, character):
    replace_in(bundle / "entries.csv", ",Kai,", f',"K{character}ai",')  # quoted: a CR too

    assert_reported(rejected(bundle), "entries.csv", 2, "first_name", "without control characters")


def test_a_nul_in_any_cell_that_is_read_is_refused_at_its_column(bundle):
    replace_in(bundle / "calendar.csv", ",Formula 1 Chinese Grand Prix", ",Formula 1\x00")

    assert_reported(rejected(bundle), "calendar.csv", 2, "supporting_event", "holds U+0000")


def test_calendar_rejects_a_time_zone_name_too_long_for_a_file_name(bundle):
    replace_in(bundle / "calendar.csv", "Asia/Shanghai,2024-04-20", "A" * 300 + ",2024-04-20")

    assert_reported(rejected(bundle), "calendar.csv", 2, "timezone", "expected an IANA time zone")
