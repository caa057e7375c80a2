"""The living demo of `make run`: a season in progress whatever the day, loaded idempotently.

The demo is loaded once per day tested (a module-scoped fixture, rolled back at the end): each
load takes seconds, and every test here only reads it.
"""

from __future__ import annotations

import datetime as dt
import filecmp
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone, translation

from championships.models import (
    Championship,
    Circuit,
    Meeting,
    Penalty,
    PointsFactor,
    Race,
    Result,
    SeasonStatus,
)
from championships.standings.cache import standings_table
from demo.living import (
    CUP,
    CUP_MEETINGS,
    SPRINT,
    bundle_write,
    current_bundles,
    meeting_days,
    season_year,
)
from entries.models import (
    CarAllocation,
    CarStatus,
    DamageReport,
    Driver,
    DriverClassification,
    EligibilityFlag,
    Entry,
    SeatPackage,
)
from talentpool.models import TalentPoolEdition

# The first day of the year, midsummer and the last day: the season's year changes between
# them (the Cup's first race is 150 days before today).
# (A day of season year 2025, until late May 2026, finds last year's Cup loaded already: the
# fixed 2024 example.)
DAYS = [dt.date(2027, 1, 1), dt.date(2027, 6, 30), dt.date(2027, 12, 31)]


def load_demo(today: dt.date) -> str:
    out = StringIO()
    call_command("load_demo", "--today", today.isoformat(), stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module", params=DAYS, ids=str)
def today(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded for the day, for every test of the module, then rolled back (its
    notice board's uploaded PDFs under a temporary folder)."""
    board = tmp_path_factory.mktemp("demo-board")
    with override_settings(BOARD_ROOT=board), django_db_blocker.unblock(), transaction.atomic():
        load_demo(request.param)
        yield request.param
        transaction.set_rollback(True)


@pytest.fixture
def cup(today, db) -> Championship:
    return Championship.objects.get(slug=CUP.slug(season_year(today)))


@pytest.fixture
def sprint(today, db) -> Championship:
    return Championship.objects.get(slug=SPRINT.slug(season_year(today)))


def local_day(race: Race) -> dt.date:
    return race.starts_at.astimezone(race.meeting.circuit.zone).date()


def held(championship: Championship) -> list[Race]:
    races = Race.objects.filter(meeting__championship=championship).held()
    return list(races.select_related("meeting__circuit"))


# --- The season in progress -------------------------------------------------------------------


def test_the_featured_cup_season_has_results_before_today_and_its_next_meeting_ahead(cup, today):
    races = Race.objects.filter(meeting__championship=cup).select_related("meeting__circuit")
    with_results = held(cup)
    ahead = [race for race in races if local_day(race) >= today]

    assert cup.status == SeasonStatus.PUBLISHED and cup.featured
    assert Championship.objects.current() == cup
    assert cup.name.startswith("Porsche Carrera Cup Asia ")
    assert len(with_results) == 8
    assert all(local_day(race) < today for race in with_results)
    assert not Result.objects.filter(race__in=ahead).exists()
    next_meeting = min(race.meeting.start_date for race in ahead)
    assert 3 <= (next_meeting - today).days <= 30  # the home page's countdown


def test_the_cup_comes_first_and_the_sprint_second(cup, sprint):
    assert (cup.series.position, sprint.series.position) == (1, 2)
    assert sprint.series.name == "Porsche Sprint Challenge China"
    assert sprint.status == SeasonStatus.PUBLISHED and not sprint.featured
    assert held(sprint)


def test_the_sprint_shares_weekends_with_the_cup_and_some_drivers_race_both(cup, sprint):
    def weekends(championship):
        meetings = Meeting.objects.filter(championship=championship)
        return set(meetings.values_list("circuit__name", "start_date", "end_date"))

    shared = weekends(cup) & weekends(sprint)
    both = set(cup.entries.values_list("driver", flat=True)) & set(
        sprint.entries.values_list("driver", flat=True)
    )

    assert len(shared) == 3
    assert len(both) == 3


def test_the_series_seasons_and_circuits_have_chinese_names(cup, sprint):
    with translation.override("zh-hans"):
        cup = Championship.objects.select_related("series").get(pk=cup.pk)
        assert cup.series.name == "保时捷卡雷拉杯亚洲赛"
        assert cup.name == f"保时捷卡雷拉杯亚洲赛 {cup.year}"
        assert Championship.objects.get(pk=sprint.pk).name.startswith("保时捷中国")
    assert not Circuit.objects.filter(name_zh_hans__isnull=True).exists()


def test_a_guest_scores_on_the_road_but_is_not_in_the_tables(cup):
    guest = cup.entries.get(guest=True)
    finishes = Result.objects.filter(entry=guest, position__isnull=False)
    rows = standings_table(cup, "drivers")["rows"]

    assert finishes.filter(position__lte=3).exists()  # a podium place on the road
    assert guest.car_number not in {row["car_number"] for row in rows}
    assert len(rows) == cup.entries.filter(guest=False).count()


def test_the_next_race_is_under_way_with_its_live_running_order(cup, client):
    from championships.models import LiveTiming

    timing = LiveTiming.objects.get(race__meeting__championship=cup)
    race = timing.race
    url = f"/championships/{cup.slug}/rounds/{race.meeting.round}/live/race-{race.number}/"

    assert not race.results.exists()  # unofficial: no result written
    assert {car["car_number"] for car in timing.cars} == set(
        cup.entries.values_list("car_number", flat=True)
    )
    page = client.get(url)
    assert page.status_code == 200
    assert "as it stands" in page.content.decode()


def test_the_season_drops_results_scores_half_points_once_and_has_decisions(cup):
    half = Race.objects.filter(meeting__championship=cup).exclude(points_factor=PointsFactor.FULL)

    assert cup.dropped_results == 2
    assert [(r.meeting.round, r.number, str(r.points_factor)) for r in half] == [(3, 2, "0.5")]
    assert half.get().results.exists()  # held, so the table shows it
    imported = Penalty.objects.filter(meeting__championship=cup, decided_at__isnull=True)
    assert sorted(imported.values_list("kind", flat=True)) == ["DSQ", "POINTS", "TIME"]


def test_the_arrive_and_drive_entries_have_seats_a_car_at_each_meeting_and_a_damage_report(
    cup, today
):
    entries = cup.entries.filter(arrive_and_drive=True)
    allocations = CarAllocation.objects.filter(meeting__championship=cup)
    report = DamageReport.objects.get(meeting__championship=cup)

    assert entries.count() == 2
    assert allocations.count() == 2 * 5  # four meetings held and the next one
    seats = SeatPackage.objects.filter(entry__in=entries)
    assert sorted(seats.values_list("kind", flat=True)) == ["FULL_SEASON"] + ["MEETING"] * 5
    assert report.car.status == CarStatus.DAMAGED
    assert report.billed_to.championship_id == cup.pk and report.race.meeting == report.meeting
    later = allocations.filter(meeting__start_date__gt=report.meeting.start_date)
    assert not later.filter(car=report.car).exists()  # a spare car after the damage
    chassis = Result.objects.filter(race__meeting__championship=cup, entry__in=entries)
    assert not chassis.filter(chassis__isnull=True).exists()


def test_a_driver_moves_up_a_category_mid_season_and_his_entry_is_flagged(cup, today):
    omar = Driver.objects.get(first_name="Omar", last_name="Haddad")
    change = DriverClassification.objects.get(driver=omar, category="GOLD")
    meetings = cup.meetings.order_by("start_date")

    assert meetings.first().start_date < change.effective_from < today
    assert omar.category_on(meetings.first().start_date) == "SILVER"
    assert omar.category_on(today) == "GOLD"
    entry = cup.entries.get(driver=omar)
    assert EligibilityFlag.objects.open().filter(entry=entry).exists()


def test_an_open_talent_pool_edition_leads_to_next_years_draft_cup(cup, today):
    edition = TalentPoolEdition.objects.get(year=cup.year + 1)
    following = Championship.objects.get(pk=edition.championship_id)
    noon = timezone.make_aware(dt.datetime.combine(today, dt.time(12)), edition.zone)

    assert edition.is_open(noon)
    assert following.slug == CUP.slug(cup.year + 1)
    assert following.status == SeasonStatus.DRAFT
    assert following.meetings.count() == len(CUP_MEETINGS)
    assert not following.entries.exists()


def test_last_years_seasons_of_both_series_are_complete_in_the_archive(cup, today):
    for plan in (CUP, SPRINT):
        last = Championship.objects.get(slug=plan.slug(cup.year - 1))
        races = Race.objects.filter(meeting__championship=last)
        assert last.status == SeasonStatus.ARCHIVED
        assert races.count() == len(held(last)) == 2 * len(plan.meetings)
    published = Championship.objects.filter(status=SeasonStatus.PUBLISHED)
    assert set(published.values_list("year", flat=True)) == {cup.year}


def test_the_example_season_is_kept_as_an_archived_season(cup):
    example = Championship.objects.get(slug="pcca-2024")

    assert example.status == SeasonStatus.ARCHIVED
    assert example.entries.count() == 18


def test_loading_the_demo_again_the_same_day_changes_nothing(cup, today):
    def state():
        return (
            list(Championship.objects.order_by("pk").values_list("pk", "status", "featured")),
            list(Championship.objects.order_by("pk").values_list("tables_changed_at")),
            Race.objects.count(),
            Result.objects.count(),
            Entry.objects.count(),
            Penalty.objects.count(),
            CarAllocation.objects.count(),
            DamageReport.objects.count(),
            DriverClassification.objects.count(),
            list(TalentPoolEdition.objects.values_list("pk", "closes_at")),
        )

    before = state()

    output = load_demo(today)

    assert state() == before
    assert "Loaded" not in output
    assert f"{cup.slug}: already loaded, left as it is." in output


# --- Any day of the year (no database) ------------------------------------------------------


def test_every_day_of_two_years_has_a_season_in_progress_with_the_sprint_on_shared_weekends():
    day = dt.date(2027, 1, 1)
    while day < dt.date(2029, 1, 1):  # 2028 is a leap year
        first = day + dt.timedelta(days=CUP_MEETINGS[0][0])
        cup_days = [start for start, _ in meeting_days(CUP, first)]
        sprint_days = {start for start, _ in meeting_days(SPRINT, first)}
        assert season_year(day) == cup_days[0].year
        assert sum(start + dt.timedelta(days=1) < day for start in cup_days) == 4
        assert min(start for start in cup_days if start > day) == day + dt.timedelta(days=12)
        assert len(sprint_days & set(cup_days)) == 3
        day += dt.timedelta(days=1)


def test_the_same_day_writes_the_same_bundles_and_another_day_other_ones(tmp_path):
    def written(day: dt.date, folder: str) -> list:
        return [bundle_write(tmp_path / folder / b.slug, b) for b in current_bundles(day)]

    first = written(dt.date(2027, 3, 1), "a")
    again = written(dt.date(2027, 3, 1), "b")
    later = written(dt.date(2027, 3, 2), "c")

    for one, other in zip(first, again, strict=True):
        assert not filecmp.dircmp(one, other).diff_files
        assert not filecmp.dircmp(one / "results", other / "results").diff_files
    assert filecmp.dircmp(first[2], later[2]).diff_files == ["calendar.csv"]
