"""Importing season bundles: what a good bundle becomes, replacing, dry runs, reuse."""

import datetime as dt
import io
import zoneinfo
from decimal import Decimal
from pathlib import Path

import pytest

from championships.bundle import BundleError, ImportSummary, season_import
from championships.models import (
    Championship,
    Circuit,
    Meeting,
    Penalty,
    PenaltyKind,
    Race,
    Result,
    ResultStatus,
    Series,
)
from entries.models import Driver, Entry, Team
from tests.factories import F1_2015, get_race, zip_of

UTC = dt.UTC


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_importing_the_example_gives_its_meetings_races_entries_results_and_penalties(pcca):
    races = Race.objects.filter(meeting__championship=pcca)

    assert pcca.meetings.count() == 7
    assert races.count() == 16
    assert pcca.entries.count() == 18
    assert races.held().count() == 8
    assert Penalty.objects.filter(meeting__championship=pcca).count() == 3
    assert Result.objects.filter(race__meeting__championship=pcca).count() == 138


def test_the_championship_takes_its_name_series_and_points_from_the_toml(pcca):
    assert pcca.name == "Porsche Carrera Cup Asia 2024"
    assert pcca.year == 2024
    assert pcca.series == Series.objects.get(slug="porsche-carrera-cup-asia")
    assert pcca.race_points == [25, 20, 17, 14, 12, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    assert (pcca.pole_points, pcca.fastest_lap_points) == (Decimal(1), Decimal(1))
    assert pcca.dropped_results == 0
    assert (pcca.tie_break, pcca.positions) == ("countback", "standard")
    assert (pcca.team_cars_per_race, pcca.dealer_cars_per_race) == (2, 1)
    assert pcca.rookies_race_points is None


def test_classes_keep_the_file_order_and_their_own_settings(pcca):
    classes = list(pcca.classes.order_by("sort_order"))

    assert [c.code for c in classes] == ["PRO", "PRO_AM", "AM", "MASTERS"]
    assert classes[1].pole_points == Decimal(2)
    assert classes[1].race_points is None
    assert (classes[3].categories, classes[3].min_age) == (["SILVER", "BRONZE"], 50)


def test_race_2_of_round_2_scores_half_points(pcca):
    assert get_race(pcca, 2, 2).points_factor == "0.5"
    assert get_race(pcca, 2, 1).points_factor == "1"


def test_start_times_are_aware_and_taken_in_the_circuit_time_zone(pcca):
    first = get_race(pcca, 1, 1)

    assert first.starts_at == dt.datetime(2024, 4, 20, 2, 35, tzinfo=UTC)
    shanghai = dt.datetime(2024, 4, 20, 10, 35, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    assert first.starts_at == shanghai
    assert first.local_start.hour == 10


def test_a_meeting_runs_from_its_first_to_its_last_race_day(pcca):
    shanghai = pcca.meetings.get(round=1)

    assert (shanghai.start_date, shanghai.end_date) == (dt.date(2024, 4, 20), dt.date(2024, 4, 21))
    assert shanghai.supporting_event == "Formula 1 Chinese Grand Prix"
    assert pcca.meetings.get(round=2).supporting_event == ""
    assert pcca.meetings.get(round=7).circuit == shanghai.circuit


def test_the_guest_is_entered_as_a_guest_and_the_flags_are_kept(pcca):
    guest = pcca.entries.get(car_number=911)
    kai = pcca.entries.get(car_number=55)

    assert guest.guest
    assert pcca.entries.filter(guest=True).count() == 1
    assert (kai.dealer_trophy, kai.rookie, kai.arrive_and_drive) == (True, False, False)
    assert kai.driver.slug == "kai-lindqvist"  # no birth year (issue 14.12)
    assert kai.entry_class.code == "PRO"
    assert kai.team == Team.objects.get(slug="harbour-racing")


def test_results_keep_position_status_laps_times_and_grid(pcca):
    winner = Result.objects.get(race=get_race(pcca, 1, 2), entry__car_number=99)
    retired = Result.objects.get(race=get_race(pcca, 1, 2), entry__car_number=33)

    assert (winner.status, winner.position, winner.laps, winner.grid) == ("CLASSIFIED", 1, 15, 2)
    assert winner.total_time == dt.timedelta(minutes=30, seconds=1, milliseconds=905)
    assert winner.best_lap == dt.timedelta(minutes=1, seconds=58, milliseconds=652)
    assert (retired.status, retired.position, retired.laps) == (ResultStatus.DNF, None, 7)
    assert retired.total_time is None


def test_penalties_keep_their_race_kind_value_and_reason(pcca):
    penalties = {p.kind: p for p in Penalty.objects.filter(meeting__championship=pcca)}

    assert penalties[PenaltyKind.TIME].value == Decimal(5)
    assert penalties[PenaltyKind.TIME].race == get_race(pcca, 1, 2)
    assert penalties[PenaltyKind.DSQ].value is None
    assert penalties[PenaltyKind.POINTS].race is None
    assert penalties[PenaltyKind.POINTS].meeting.round == 4
    assert penalties[PenaltyKind.POINTS].reason == "Repeated track limits offences"


def test_the_summary_counts_what_was_created_and_previews_it(db, example_season_path):
    summary = season_import(example_season_path)

    assert isinstance(summary, ImportSummary)
    assert summary.championship_id == Championship.objects.get(slug="pcca-2024").pk
    assert (summary.slug, summary.replaced, summary.dry_run) == ("pcca-2024", False, False)
    assert (summary.meetings, summary.races, summary.races_with_results) == (7, 16, 8)
    assert (summary.entries, summary.results, summary.penalties) == (18, 138, 3)
    assert (summary.drivers_created, summary.drivers_reused) == (18, 0)
    assert (summary.teams_created, summary.circuits_created) == (8, 6)
    assert summary.meeting_previews[0].circuit == "Shanghai International Circuit"
    assert [r.results for r in summary.meeting_previews[0].races] == [18, 18]
    assert summary.entry_previews[-1].flags == ["guest"]
    assert "7 meetings, 16 races (8 with results), 18 entries" in str(summary)


def test_a_dry_run_checks_everything_and_writes_nothing(db, example_season_path):
    summary = season_import(example_season_path, dry_run=True)

    assert summary.dry_run and summary.championship_id is None
    assert (summary.meetings, summary.entries, summary.results) == (7, 18, 138)
    assert not Championship.objects.exists()
    assert not Driver.objects.exists() and not Circuit.objects.exists()
    assert not Series.objects.exists() and not Team.objects.exists()


def test_an_existing_slug_is_refused_without_replace(pcca, example_season_path):
    with pytest.raises(BundleError) as refused:
        season_import(example_season_path)

    [issue] = refused.value.issues
    assert (issue.file, issue.line, issue.column) == ("championship.toml", 1, "slug")
    assert "pcca-2024 exists already" in issue.message
    assert Championship.objects.count() == 1


def test_replace_swaps_the_whole_championship_in_one_go(pcca, bundle):
    old_meetings = set(pcca.meetings.values_list("pk", flat=True))
    replace_in(
        bundle / "championship.toml", 'name = "Porsche Carrera Cup Asia 2024"', 'name = "New"'
    )
    (bundle / "penalties.csv").unlink()
    (bundle / "results" / "R4-2.csv").unlink()

    summary = season_import(bundle, replace=True)

    championship = Championship.objects.get(slug="pcca-2024")
    assert summary.replaced and summary.championship_id == championship.pk
    assert championship.name == "New"
    assert not Penalty.objects.exists()
    assert Race.objects.held().count() == 7
    assert not Meeting.objects.filter(pk__in=old_meetings).exists()
    assert (Championship.objects.count(), Entry.objects.count(), Driver.objects.count()) == (
        1,
        18,
        18,
    )


def test_replace_without_a_championship_to_replace_simply_imports(db, example_season_path):
    summary = season_import(example_season_path, replace=True)

    assert not summary.replaced
    assert Championship.objects.filter(slug="pcca-2024").exists()


def test_a_replace_that_fails_leaves_the_old_championship_as_it_was(pcca, bundle):
    replace_in(bundle / "results" / "R1-1.csv", "1,99,Ming ZHAO", "1,199,Ming ZHAO")
    results_before = Result.objects.count()

    with pytest.raises(BundleError):
        season_import(bundle, replace=True)

    assert Championship.objects.get(slug="pcca-2024").pk == pcca.pk
    assert Result.objects.count() == results_before == 138


def test_the_import_marks_the_standings_changed(db, example_season_path, monkeypatch):
    calls = []
    monkeypatch.setattr(
        "championships.bundle.write.standings_invalidate", lambda **kw: calls.append(kw)
    )

    summary = season_import(example_season_path)

    assert calls == [{"championship_id": summary.championship_id}]


def test_a_championship_without_classes_gets_pro_pro_am_and_am(db, bundle):
    toml = bundle / "championship.toml"
    toml.write_text(toml.read_text().split("[classes.PRO]")[0])
    replace_in(bundle / "entries.csv", "MASTERS", "PRO_AM")

    season_import(bundle)

    classes = Championship.objects.get().classes.order_by("sort_order")
    assert [(c.code, c.categories) for c in classes] == [
        ("PRO", ["PLATINUM", "GOLD", "SILVER", "BRONZE"]),
        ("PRO_AM", ["SILVER", "BRONZE"]),
        ("AM", ["BRONZE"]),
    ]


def test_fractional_points_and_a_rookies_scheme_are_kept(db, bundle):
    replace_in(bundle / "championship.toml", "race = [25, 20,", "race = [25, 12.5, 20.0,")
    with (bundle / "championship.toml").open("a") as toml:
        toml.write("\n[rookies]\nrace = [10, 5]\npole = 0.5\n")

    season_import(bundle)

    championship = Championship.objects.get()
    assert championship.race_points[:3] == [25, 12.5, 20]
    assert championship.rookies_race_points == [10, 5]
    assert championship.rookies_pole_points == Decimal("0.5")
    assert championship.rookies_fastest_lap_points == 0


def test_a_driver_of_an_earlier_season_is_reused_and_updated(db, bundle, example_season_path):
    replace_in(
        bundle / "entries.csv",
        "55,Kai,Lindqvist,SE,2002-03-14,GOLD",
        "55,Kai,Lindqvist,SE,2002-03-14,SILVER",
    )
    _make_it_another_year(bundle, 2023)
    season_import(bundle)

    summary = season_import(example_season_path)

    assert (summary.drivers_created, summary.drivers_reused) == (0, 18)
    assert Driver.objects.count() == 18
    kai = Driver.objects.get(last_name="Lindqvist")
    # A dated record each season: Silver from the 2023 season's first race, Gold from 2024's.
    assert kai.category_on(dt.date(2023, 12, 31)) == "SILVER"
    assert kai.category_on(dt.date(2024, 4, 20)) == "GOLD"
    assert kai.entries.count() == 2


def test_an_earlier_season_imported_later_leaves_the_latest_category(
    db, bundle, example_season_path
):
    season_import(example_season_path)
    replace_in(
        bundle / "entries.csv",
        "55,Kai,Lindqvist,SE,2002-03-14,GOLD",
        "55,Kai,Lindqvist,SE,2002-03-14,SILVER",
    )
    _make_it_another_year(bundle, 2023)

    season_import(bundle)

    kai = Driver.objects.get(last_name="Lindqvist")
    assert kai.category_on(dt.date(2025, 1, 1)) == "GOLD"
    assert kai.category_on(dt.date(2023, 12, 31)) is None  # the 2023 entry keeps its own


def _make_it_another_year(bundle: Path, year: int) -> None:
    replace_in(bundle / "championship.toml", "pcca-2024", f"pcca-{year}")
    replace_in(bundle / "championship.toml", "year = 2024", f"year = {year}")
    replace_in(bundle / "calendar.csv", ",2024-", f",{year}-")


def test_circuits_teams_and_the_series_are_reused_by_name(db, bundle, example_season_path):
    season_import(example_season_path)
    _make_it_another_year(bundle, 2025)

    summary = season_import(bundle)

    assert (summary.circuits_created, summary.circuits_reused) == (0, 6)
    assert (summary.teams_created, summary.teams_reused) == (0, 8)
    assert (Circuit.objects.count(), Team.objects.count(), Series.objects.count()) == (6, 8, 1)


def test_a_zip_with_the_bundle_under_one_folder_imports(db, tmp_path, example_season_path):
    archive = tmp_path / "season.zip"
    archive.write_bytes(zip_of(example_season_path, prefix="pcca-2024/"))

    summary = season_import(archive)

    assert (summary.meetings, summary.entries, summary.results) == (7, 18, 138)


def test_an_uploaded_zip_file_object_imports(db, example_season_path):
    summary = season_import(io.BytesIO(zip_of(example_season_path)))

    assert summary.races == 16


def test_semicolons_a_byte_order_mark_and_other_columns_are_read_the_same(db, bundle):
    results = bundle / "results" / "R1-1.csv"
    lines = results.read_text().splitlines()
    changed = [" pos ;No;Laps;Time;best_lap;GRID;GAP"] + [
        ";".join([*line.split(",")[:2], *line.split(",")[3:], "+1.0"]) for line in lines[1:]
    ]
    results.write_bytes(b"\xef\xbb\xbf" + "\n".join(changed).encode())

    season_import(bundle)

    winner = Result.objects.get(race__meeting__round=1, race__number=1, position=1)
    assert (winner.entry.car_number, winner.grid) == (99, 2)
    assert winner.total_time == dt.timedelta(minutes=30, seconds=1, milliseconds=632)


def test_the_2015_formula_one_season_imports_with_lapped_cars_without_times(db):
    summary = season_import(F1_2015)

    assert (summary.meetings, summary.races, summary.entries) == (19, 19, 22)
    assert Result.objects.filter(status="CLASSIFIED", total_time__isnull=True).exists()
    hamilton = Result.objects.get(race__meeting__round=1, entry__car_number=44)
    assert hamilton.total_time == dt.timedelta(hours=1, minutes=31, seconds=54, milliseconds=67)


def test_the_import_takes_a_few_queries_whatever_the_number_of_results(
    db, django_assert_max_num_queries
):
    # A savepoint pair, the reads of find_existing (7), then one insert per model, in
    # batches where SQLite limits the size of a query (378 results: up to 4 batches).
    with django_assert_max_num_queries(30):
        season_import(F1_2015)


def test_an_earlier_season_keeps_each_entry_category_and_the_driver_current_one(
    db, bundle, example_season_path
):
    season_import(example_season_path)  # 2024: Kai Lindqvist is GOLD, in PRO
    replace_in(bundle / "championship.toml", "pcca-2024", "pcca-2023")
    replace_in(bundle / "championship.toml", "year = 2024", "year = 2023")
    replace_in(bundle / "calendar.csv", ",2024-", ",2023-")
    replace_in(
        bundle / "entries.csv",
        "2002-03-14,GOLD,Harbour Racing,PRO,",
        "2002-03-14,SILVER,Harbour Racing,PRO_AM,",
    )

    season_import(bundle)

    kai = Driver.objects.get(slug="kai-lindqvist")
    assert kai.category_on(dt.date(2025, 1, 1)) == "GOLD"
    categories = dict(kai.entries.values_list("championship__year", "category"))
    assert categories == {2023: "SILVER", 2024: "GOLD"}
