"""Issue 14.4: every parser of the season bundle and timing formats, fed hypothesis-made input,
answers a value or a located problem (file, line, column), never an exception.

tests/fuzz/test_fuzz_bundles.py damages whole bundles through the import; here each parser is
called on its own, so that a value no demo cell is near (thousands of digits, a year-1 date,
a NUL, arrays nested thousands deep) reaches it. Bounded and derandomized: every run sees the
same cases, in a few seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from championships import timing
from championships.bundle import fields
from championships.bundle.calendar_file import parse_calendar
from championships.bundle.entries_file import ClassRules, parse_entries
from championships.bundle.parse import parse_bundle
from championships.bundle.penalties_file import Known, parse_penalties
from championships.bundle.results_file import parse_results
from championships.bundle.toml_file import parse_championship
from championships.forms import PointsListField, TimingDurationField
from core.imports import FileIssue, IssueLog
from core.imports import fields as core_fields
from entries import fia_categories
from tests.factories import EXAMPLE_BUNDLE_FILES

PARSERS = settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Values that have broken parsers, beside whatever hypothesis makes.
TRICKY = [
    "",
    "0",
    "-1",
    "00",
    "1e309",
    "NaN",
    "inf",
    "9" * 30,
    "9" * 5000,
    "99999999999:00:00.000",
    "9999999999:00:00.000",
    "99:59:59.999",
    "0001-01-01",
    "0001-01-01 00:00",
    "9999-12-31 23:59",
    "2024-02-30",
    "١٢",  # digits of another script
    "\x00",
    "a\x00b",
    "\r",
    "\u2028",
    "🏁",
    "DNF",
    "RET",
    "1'58,056",
    "1:02'03.456",
    "x" * 5000,
]
values = st.sampled_from(TRICKY) | st.text(max_size=40)

# One value ---------------------------------------------------------------------------------------

VALUE_PARSERS: dict[str, Callable[[str], Any]] = {
    "whole_number": lambda v: core_fields.whole_number(v, low=1, high=999),
    "date": core_fields.date,
    "local_start": core_fields.local_start,
    "yes_no": core_fields.yes_no,
    "country": core_fields.country,
    "time_zone": core_fields.time_zone,
    "category": fields.category,
    "text": lambda v: core_fields.text(v, max_length=80),
    "positive_decimal": lambda v: core_fields.positive_decimal(v, unit="s", places=3, max_digits=8),
    "race_time": fields.race_time,
    "lap_time": fields.lap_time,
    "timing.duration": timing.duration,
    "timing.lap_time": timing.lap_time,
    "timing.status_of": timing.status_of,
}


@pytest.mark.parametrize("name", sorted(VALUE_PARSERS))
@PARSERS
@given(value=values)
def test_a_value_parser_answers_a_value_or_a_value_error(name, value):
    try:
        parsed = VALUE_PARSERS[name](value)
    except ValueError as error:
        assert str(error).startswith("expected")
        return
    assert parsed is not None or name == "yes_no"
    if isinstance(parsed, dt.timedelta):
        assert dt.timedelta(0) <= parsed < dt.timedelta(hours=100)
    if isinstance(parsed, dt.date):
        assert 1900 <= parsed.year <= 2999
    if isinstance(parsed, str):
        assert "\x00" not in parsed and "\r" not in parsed


FORM_FIELDS: dict[str, Callable[[], forms.Field]] = {
    "points": lambda: PointsListField(required=False),
    "time": lambda: TimingDurationField(required=False),
}


@pytest.mark.parametrize("name", sorted(FORM_FIELDS))
@PARSERS
@given(value=values | st.lists(st.sampled_from(TRICKY[:12]), max_size=5).map(", ".join))
def test_a_back_office_field_answers_a_value_or_a_field_error(name, value):
    try:
        parsed = FORM_FIELDS[name]().clean(value)
    except forms.ValidationError:
        return
    if isinstance(parsed, list):
        assert all(0 <= Decimal(str(p)) <= Decimal("9999.99") for p in parsed)


# One file ----------------------------------------------------------------------------------------


def csv_files(header: str) -> st.SearchStrategy[str]:
    """The file's header, then rows of tricky or random cells, with the file's column count or
    not, separated by commas or semicolons; now and then random text altogether."""
    width = header.count(",") + 1
    row = st.lists(values.map(lambda v: v.replace("\n", " ")), min_size=1, max_size=width + 1)
    rows = st.lists(row, max_size=6)
    delimiter = st.sampled_from([",", ";"])
    made = st.tuples(rows, delimiter).map(
        lambda pair: "\n".join([header.replace(",", pair[1])] + [pair[1].join(r) for r in pair[0]])
    )
    return made | st.text(max_size=200)


def located(issues: list[FileIssue], name: str) -> None:
    for issue in issues:
        assert issue.file == name and issue.message
        assert issue.line is None or issue.line >= 1
        assert str(issue)


def header_of(name: str) -> str:
    return EXAMPLE_BUNDLE_FILES[name].decode().splitlines()[0]


FILE_PARSERS: dict[str, tuple[str, Callable[[str, IssueLog], Any]]] = {
    "calendar": (header_of("calendar.csv"), parse_calendar),
    "entries": (
        header_of("entries.csv"),
        lambda text, log: parse_entries(text, log, ClassRules(None, None)),
    ),
    "results": (header_of("results/R1-1.csv"), lambda t, log: parse_results(t, log, None)),
    "timing": (
        "POSITION;NUMBER;STATUS;LAPS;TOTAL_TIME;FL_TIME;GRID".replace(";", ","),
        timing.parse_classification,
    ),
    "penalties": (
        "round,race,car_number,kind,value,reason",
        lambda text, log: parse_penalties(text, log, Known(None, None, {})),
    ),
    "revision": (
        "driver,category,effective_date,source,published_on,note",
        lambda text, log: fia_categories._parse(text.encode(), log),
    ),
}


@pytest.mark.parametrize("name", sorted(FILE_PARSERS))
@PARSERS
@given(data=st.data())
def test_a_file_parser_answers_rows_or_located_problems(name, data):
    header, parse = FILE_PARSERS[name]
    text = data.draw(csv_files(header))
    issues: list[FileIssue] = []

    parse(text, IssueLog(name, issues))

    located(issues, name)


TOML_VALUES = st.sampled_from(
    [
        "1",
        "-1",
        "1" + "0" * 400,
        "1" + "0" * 5000,
        "1e400",
        "nan",
        "inf",
        "12.345",
        "true",
        '"\\u0000"',
        '"a\\rb"',
        '""',
        "[]",
        "[" * 3000 + "]" * 3000,
        "{a = " * 200 + "1" + "}" * 200,
        '["PLATINUM", "PLATINUM"]',
        "[25, 20, 1e400]",
        "[" + "1, " * 1200 + "]",
        "1979-05-27",
        "0001-01-01T00:00:00+14:00",
    ]
) | st.text(max_size=30).map(lambda t: '"' + t.replace("\\", "").replace('"', "") + '"')
TOML_KEYS = st.sampled_from(
    [
        "slug",
        "name",
        "year",
        "series",
        "points.race",
        "points.pole",
        "points.dropped_results",
        "points.tie_break",
        "rookies.race",
        "classes.PRO.categories",
        "classes.PRO.min_age",
        "classes.pro.race",
    ]
)


@st.composite
def toml_files(draw) -> str:
    """The demo championship.toml with keys set to tricky values, or random text."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(max_size=200))
    lines = EXAMPLE_BUNDLE_FILES["championship.toml"].decode().splitlines()
    for _ in range(draw(st.integers(1, 3))):
        table, _, key = draw(TOML_KEYS).rpartition(".")
        lines += [f"[{table}]" if table else "", f"{key} = {draw(TOML_VALUES)}"]
    return "\n".join(lines) + "\n"


@PARSERS
@given(text=toml_files())
def test_the_toml_parser_answers_a_championship_or_located_problems(text):
    issues: list[FileIssue] = []

    parse_championship(text, IssueLog("championship.toml", issues))

    located(issues, "championship.toml")


# A whole bundle ----------------------------------------------------------------------------------


@st.composite
def bundles(draw) -> dict[str, bytes]:
    """The demo bundle with a cell of one file replaced by a tricky value."""
    files = dict(EXAMPLE_BUNDLE_FILES)
    name = draw(st.sampled_from(sorted(n for n in files if n.endswith(".csv"))))
    lines = files[name].decode().splitlines()
    row = draw(st.integers(1, len(lines) - 1))
    cells = lines[row].split(",")
    cells[draw(st.integers(0, len(cells) - 1))] = draw(values).replace("\n", " ").replace(",", "")
    lines[row] = ",".join(cells)
    files[name] = "\n".join(lines).encode("utf-8", "surrogatepass")
    return files


@settings(PARSERS, max_examples=60)
@given(files=bundles())
def test_the_bundle_parser_answers_a_season_or_located_problems(files):
    issues: list[FileIssue] = []

    parse_bundle(files, issues)

    for issue in issues:
        assert issue.file in files and issue.message
