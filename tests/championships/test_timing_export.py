"""The professional timing systems' export: odd times, worded statuses, every problem placed."""

import datetime as dt

import pytest

from championships.models import Result, ResultStatus
from championships.results_import import ResultsError, results_import
from championships.timing import duration, is_timing_export, parse_classification, status_of
from core.imports import FileIssue, IssueLog
from tests.factories import make_championship, make_entry, make_meeting, make_race, make_result

HEADER = "POSITION;NUMBER;TEAM;DRIVER;STATUS;LAPS;TOTAL_TIME;GAP_FIRST;FL_TIME;FL_KPH"


def parse(text: str) -> tuple[list, list[FileIssue]]:
    issues: list[FileIssue] = []
    specs = parse_classification(text, IssueLog("export.csv", issues))
    return specs, issues


def t(**parts: float) -> dt.timedelta:
    return dt.timedelta(**parts)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1:02:03.456", t(hours=1, minutes=2, seconds=3, milliseconds=456)),
        ("1:02'03.456", t(hours=1, minutes=2, seconds=3, milliseconds=456)),
        ("29:58.123", t(minutes=29, seconds=58, milliseconds=123)),
        ("29'58.123", t(minutes=29, seconds=58, milliseconds=123)),
        ("1'58.056", t(minutes=1, seconds=58, milliseconds=56)),
        ("1’58.056", t(minutes=1, seconds=58, milliseconds=56)),
        ("1'58,056", t(minutes=1, seconds=58, milliseconds=56)),
        ("1:58.5", t(minutes=1, seconds=58, milliseconds=500)),
        ("58.056", t(seconds=58, milliseconds=56)),
        ("62:03.456", t(minutes=62, seconds=3, milliseconds=456)),
    ],
)
def test_every_way_timing_systems_write_a_time_reads(text, expected):
    assert duration(text) == expected


@pytest.mark.parametrize("text", ["1:75.000", "1'5.000", "2:61:00.000", "abc", "1:58:", "+1 Lap"])
def test_a_time_that_is_not_one_is_refused(text):
    with pytest.raises(ValueError, match="expected"):
        duration(text)


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("Classified", ResultStatus.CLASSIFIED),
        ("CLASSIFIED", ResultStatus.CLASSIFIED),
        ("Not classified", ResultStatus.NC),
        ("Not  Classified", ResultStatus.NC),
        ("Retired", ResultStatus.DNF),
        ("DNF", ResultStatus.DNF),
        ("DNS", ResultStatus.DNS),
        ("Did not start", ResultStatus.DNS),
        ("DSQ", ResultStatus.DSQ),
        ("Disqualified", ResultStatus.DSQ),
    ],
)
def test_worded_statuses_map_to_ours(word, status):
    assert status_of(word) == status


def test_the_format_is_told_by_the_header():
    assert is_timing_export(HEADER + "\n")
    assert is_timing_export("\ufeffposition;number;status;laps\n")
    assert not is_timing_export("POS,NO,LAPS,TIME\n")


def test_an_export_reads_into_results_with_positions_only_for_classified_cars():
    text = "\n".join(
        [
            HEADER,
            "1;99;Team A;Ming ZHAO;Classified;15;29:58.123;;1'58.452;160.1",
            "2;55;Team B;Kai LINDQVIST;Classified;15;29'59.500;+1.377;1'58,560;159.9",
            "3;7;Team C;Aiden TAN;Not classified;9;;;1'59.000;158.0",
            "4;18;Team D;Hiro NAKAMURA;Retired;4;;;2'01.000;150.0",
            "5;3;Team E;Li WEI;DNS;0;;;;",
            "6;21;Team F;Ana SILVA;DSQ;15;1:00:01.000;;1'58.999;159.0",
        ]
    )

    specs, issues = parse(text)

    assert issues == []
    assert [(s.car_number, s.position, s.status) for s in specs] == [
        (99, 1, "CLASSIFIED"),
        (55, 2, "CLASSIFIED"),
        (7, None, "NC"),
        (18, None, "DNF"),
        (3, None, "DNS"),
        (21, None, "DSQ"),
    ]
    assert specs[1].total_time == t(minutes=29, seconds=59, milliseconds=500)
    assert specs[1].best_lap == t(minutes=1, seconds=58, milliseconds=560)
    assert specs[5].total_time == t(hours=1, seconds=1)
    assert [s.line for s in specs] == [2, 3, 4, 5, 6, 7]


def test_every_problem_of_an_export_is_placed_by_line_and_column():
    text = "\n".join(
        [
            HEADER,
            "1;99;A;Z;Classified;15;29:58.123;;1'58.452;",
            ";55;B;K;Classified;15;29:59.000;;1'58.560;",  # classified without a position
            "3;7;C;A;Parked;15;30:00.000;;1'58.700;",  # unknown status
            "4;18;D;H;Classified;x;30:01.000;;1'58.800;",  # laps
            "5;3;E;L;Classified;15;30:02.000;;1'75.000;",  # lap time
            "1;21;F;S;Classified;15;30:03.000;;1'58.900;",  # position 1 twice
            "7;99;G;M;Retired;3;;;;",  # car 99 twice
        ]
    )

    specs, issues = parse(text)

    assert [(i.line, i.column) for i in issues] == [
        (3, "POSITION"),
        (4, "STATUS"),
        (5, "LAPS"),
        (6, "FL_TIME"),
        (7, "POSITION"),
        (8, "NUMBER"),
    ]
    assert (
        "expected a status, in any case: Classified, Finished, Not classified, NC"
        in issues[1].message
    )
    assert "already car 99's on line 2" in issues[4].message


def test_an_export_missing_a_required_column_names_it_on_the_header_line():
    specs, issues = parse("POSITION;NUMBER;LAPS;TOTAL_TIME\n1;99;15;29:58.123\n")

    assert specs is None
    assert [(i.line, i.column) for i in issues] == [(1, "STATUS")]


# Through results_import ------------------------------------------------------------------


@pytest.fixture
def race(db):
    championship = make_championship("timing-cup")
    for number in (99, 55, 7):
        make_entry(championship, number)
    return make_race(make_meeting(championship))


def test_an_export_is_imported_like_a_results_file(race):
    text = "\n".join(
        [
            HEADER,
            "1;99;A;Z;Classified;15;29:58.123;;1'58.452;",
            "2;55;B;K;Classified;15;29:59.000;+0.877;1'58.560;",
            "3;7;C;A;Retired;2;;;2'00.100;",
        ]
    )

    diff = results_import(race=race, source=text.encode(), dry_run=False)

    assert len(diff.added) == 3 and diff.version == 1
    rows = Result.objects.filter(race=race).order_by("entry__car_number")
    assert [(r.entry.car_number, r.position, r.status) for r in rows] == [
        (7, None, "DNF"),
        (55, 2, "CLASSIFIED"),
        (99, 1, "CLASSIFIED"),
    ]


def test_a_bad_export_names_the_uploaded_file_and_the_export_columns_and_writes_nothing(race):
    make_result(race, race.meeting.championship.entries.get(car_number=99), position=1)
    text = "\n".join(
        [
            HEADER,
            "1;999;A;Z;Classified;15;29:58.123;;1'58.452;",  # not an entry
            "2;55;B;K;Classified;15;29:59.000;;1'58.5x;",  # lap time
        ]
    )

    with pytest.raises(ResultsError) as refused:
        results_import(race=race, source=text, dry_run=False, file_name="TSL-R1.csv")

    assert [(i.file, i.line, i.column) for i in refused.value.issues] == [
        ("TSL-R1.csv", 2, "NUMBER"),
        ("TSL-R1.csv", 3, "FL_TIME"),
    ]
    assert Result.objects.filter(race=race).count() == 1
    race.refresh_from_db()
    assert race.classification_version == 0 and not race.classification_versions.exists()


def test_a_file_that_is_not_utf8_is_refused_with_its_line(race):
    text = (HEADER + "\n1;99;A;Z\xe9;Classified;15;29:58.123;;1'58.452;\n").encode("latin-1")

    with pytest.raises(ResultsError) as refused:
        results_import(race=race, source=text, dry_run=True)

    assert [(i.line, i.column) for i in refused.value.issues] == [(2, None)]
    assert "not UTF-8" in refused.value.issues[0].message
