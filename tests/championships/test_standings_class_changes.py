"""Rule 7 of STANDINGS_RULES.md: an entry that changes class during the season.

The pure rules first (cars double as entry ids, points by rank 10-6-4-3-2-1), then the
loader, which gives each race its local day and each entry its class history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from championships.race_sheet import race_sheet
from championships.standings import rules
from championships.standings.data import ClassMove, Entry, Race
from championships.standings.loader import QUERIES, season_load, seasons_load
from championships.standings.tables import SeasonTables
from entries.models import EntryClassChange
from public.templatetags.cup import race_cells
from tests import factories
from tests.factories import entry, finish, order, season, table, totals

MARCH_1, MARCH_10, APRIL_1 = dt.date(2024, 3, 1), dt.date(2024, 3, 10), dt.date(2024, 4, 1)


def on(day: dt.date, race_: Race) -> Race:
    return replace(race_, day=day)


def moved(car: int, old: str, new: str, from_day: dt.date, **fields: object) -> Entry:
    """Car ``car`` in class ``old`` at its first race, in ``new`` from ``from_day`` on."""
    return replace(entry(car, cls=old, **fields), class_moves=(ClassMove(from_day, new),))


def three_races(*cars: int) -> tuple[Race, Race, Race]:
    """Rounds 1 to 3 on 1 March, 10 March and 1 April, finished by ``cars`` in that order."""
    return (
        on(MARCH_1, finish(1, *cars)),
        on(MARCH_10, finish(2, *cars)),
        on(APRIL_1, finish(3, *cars)),
    )


# Rule 7, sentence by sentence -----------------------------------------------------------------


def test_rule_7_a_class_change_takes_effect_from_a_date():
    car = moved(1, "PRO_AM", "PRO", MARCH_10)

    assert rules.class_on(car, dt.date(2024, 3, 9)) == "PRO_AM"
    assert rules.class_on(car, MARCH_10) == "PRO"
    assert rules.class_on(car, APRIL_1) == "PRO"
    assert rules.class_on(car, None) == "PRO_AM"  # no day known: its class at its first race


def test_rule_7_later_moves_follow_each_other_in_date_order():
    car = replace(
        entry(1, cls="AM"), class_moves=(ClassMove(MARCH_10, "PRO_AM"), ClassMove(APRIL_1, "PRO"))
    )

    assert [rules.class_on(car, day) for day in (MARCH_1, MARCH_10, APRIL_1)] == [
        "AM",
        "PRO_AM",
        "PRO",
    ]


def test_rule_7_each_race_counts_the_entry_in_the_class_it_held_on_that_races_day():
    entries = (moved(1, "PRO_AM", "PRO", MARCH_10), entry(2, cls="PRO_AM"), entry(3, cls="PRO"))

    assert rules.group_of(entries, class_code="PRO_AM", rookies=False, day=MARCH_1) == {1, 2}
    assert rules.group_of(entries, class_code="PRO", rookies=False, day=MARCH_1) == {3}
    assert rules.group_of(entries, class_code="PRO_AM", rookies=False, day=MARCH_10) == {2}
    assert rules.group_of(entries, class_code="PRO", rookies=False, day=MARCH_10) == {1, 3}


def test_rule_7_a_class_tables_group_for_a_race_is_the_eligible_entries_of_that_class_that_day():
    # Car 4 is a guest: in PRO from 10 March too, but never in a group.
    entries = (
        moved(1, "PRO_AM", "PRO", MARCH_10),
        entry(2, cls="PRO_AM"),
        entry(3, cls="PRO"),
        moved(4, "PRO_AM", "PRO", MARCH_10, guest=True),
    )
    first, second, _ = three_races(4, 1, 2, 3)
    tables = SeasonTables(season(first, second, entries=entries))
    group = tables._driver_group("PRO", rookies=False)

    assert set(tables.scores(first, group)) == {3}
    assert set(tables.scores(second, group)) == {1, 3}
    assert tables.scores(second, group)[1].rank == 1  # the guest ahead is skipped


def test_rule_7_the_entry_scores_class_points_in_its_old_class_before_the_change_and_new_after():
    # Car 1 finishes second each time, behind car 9 (PRO all season); car 2 (PRO_AM) third.
    entries = (entry(9, cls="PRO"), moved(1, "PRO_AM", "PRO", MARCH_10), entry(2, cls="PRO_AM"))
    data = season(*three_races(9, 1, 2), entries=entries)

    pro_am = {row.entry.car_number: row for row in table(data, cls="PRO_AM").rows}
    pro = {row.entry.car_number: row for row in table(data, cls="PRO").rows}

    # Round 1 in PRO_AM: first of the class (10). Rounds 2 and 3 in PRO: second (6 + 6).
    assert pro_am[1].points == Decimal(10)
    assert pro[1].points == Decimal(12)
    # Car 2 is second in PRO_AM in round 1, then first when car 1 has gone.
    assert [line.score.rank for line in pro_am[2].races] == [2, 1, 1]


def test_rule_7_the_entry_appears_in_both_class_tables_with_only_the_races_it_ran_in_each():
    entries = (entry(9, cls="PRO"), moved(1, "PRO_AM", "PRO", MARCH_10), entry(2, cls="PRO_AM"))
    first, second, third = three_races(9, 1, 2)
    data = season(first, second, third, entries=entries)

    pro_am = {row.entry.car_number: row for row in table(data, cls="PRO_AM").rows}
    pro = {row.entry.car_number: row for row in table(data, cls="PRO").rows}

    assert [line.score.race for line in pro_am[1].races] == [first]
    assert [line.score.race for line in pro[1].races] == [second, third]
    assert [line.score.race for line in pro[9].races] == [first, second, third]


def test_rule_7_an_entry_appears_only_in_its_new_class_table_before_it_races_in_its_old_one():
    # After round 1 only: the move from 10 March has not been raced yet.
    entries = (moved(1, "PRO_AM", "PRO", MARCH_10), entry(2, cls="PRO_AM"))
    data = season(*three_races(1, 2), entries=entries)

    assert order(data, cls="PRO_AM", after=1) == [(1, 1), (2, 2)]
    assert order(data, cls="PRO", after=1) == []


def test_rule_7_drivers_rookies_teams_and_dealer_tables_do_not_change():
    flags = {"rookie": True, "dealer_trophy": True}
    still = (entry(9, cls="PRO", team="A"), entry(1, cls="PRO_AM", team="B", **flags))
    movers = (entry(9, cls="PRO", team="A"), moved(1, "PRO_AM", "PRO", MARCH_10, team="B", **flags))
    races = three_races(9, 1)

    for name in ("drivers", "rookies", "teams", "dealers"):
        assert totals(season(*races, entries=movers), name) == totals(
            season(*races, entries=still), name
        )


def test_rule_7_ties_between_rows_of_different_race_lists_compare_the_same_races():
    # Car 1 ran PRO in round 1 only (then AM); car 2 is PRO all season. Both score 10 in PRO:
    # car 1 in round 1 and car 2 in round 3. Countback is equal (one win each); the most
    # recent race where they differ is round 3, which car 2 won and car 1 did not run in PRO.
    entries = (moved(1, "PRO", "AM", MARCH_10), entry(2, cls="PRO"), entry(3, cls="PRO"))
    races = (
        on(MARCH_1, finish(1, 1, 3, 2)),
        on(MARCH_10, finish(2, 3, 2, 1)),
        on(APRIL_1, finish(3, 2, 3, 1)),
    )
    rows = table(season(*races, entries=entries), cls="PRO").rows

    # Car 3: 6 + 10 + 6 = 22; car 2: 4 (third in round 1) + 6 + 10 = 20; car 1: 10.
    assert [(row.position, row.entry.car_number) for row in rows] == [(1, 3), (2, 2), (3, 1)]
    assert rules.recent_race_key([None, 1]) < rules.recent_race_key([1, None])


def test_rule_7_a_class_tables_grid_leaves_the_other_class_races_empty():
    entries = (entry(9, cls="PRO"), moved(1, "PRO_AM", "PRO", MARCH_10))
    races = three_races(9, 1)
    pro = table(season(*races, entries=entries), cls="PRO")
    row = next(row for row in pro.rows if row.entry.car_number == 1)

    cells = race_cells(row, races)

    assert cells.count("<td") == 3
    assert cells.startswith('<td class="num race-cell"></td>')


def test_rule_7_the_race_sheet_gives_class_positions_in_the_class_of_the_day():
    entries = (entry(9, cls="PRO"), moved(1, "PRO_AM", "PRO", MARCH_10), entry(2, cls="PRO_AM"))
    first, second, _ = three_races(9, 1, 2)
    tables = SeasonTables(season(first, second, entries=entries))

    before = {line.entry.car_number: line.class_position for line in race_sheet(tables, first)}
    after = {line.entry.car_number: line.class_position for line in race_sheet(tables, second)}

    assert before == {9: 1, 1: 1, 2: 2}
    assert after == {9: 1, 1: 2, 2: 1}


# The loader --------------------------------------------------------------------------------------


def _moved_season(count: int):
    """A championship of ``count`` cars over two rounds; car 1 moves from PRO_AM to PRO on the
    second round's day, 10 March (local), and finishes second in every race behind car 2."""
    championship = factories.make_championship()
    drivers = [factories.make_driver(category="SILVER") for _ in range(count)]
    cars = [
        factories.make_entry(championship, n, driver=d, class_code="PRO_AM" if n == 1 else "PRO")
        for n, d in enumerate(drivers, start=1)
    ]
    pro = championship.classes.get(code="PRO")
    EntryClassChange.objects.create(entry=cars[0], entry_class=pro, from_date=MARCH_10)
    for round_, day in ((1, MARCH_1), (2, MARCH_10)):
        meeting = factories.make_meeting(championship, round_, start_date=day)
        # 10:35 in Shanghai is 02:35 UTC: the local day is the meeting's day.
        starts = dt.datetime.combine(day, dt.time(2, 35), tzinfo=dt.UTC)
        race_ = factories.make_race(meeting, 1, starts_at=starts)
        order_ = [cars[1], cars[0], *cars[2:]]
        for position, car in enumerate(order_, start=1):
            factories.make_result(race_, car, position)
    return championship, cars


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 30])
def test_the_loader_reads_class_changes_in_its_fixed_queries(django_assert_num_queries, count):
    championship, cars = _moved_season(count)

    # Classes, entries with their class changes, the calendar with results, penalties.
    with django_assert_num_queries(QUERIES):
        season_ = season_load(championship)

    assert QUERIES == 4
    mover = next(e for e in season_.entries if e.car_number == 1)
    assert mover.class_code == "PRO_AM"
    assert mover.class_moves == (ClassMove(MARCH_10, "PRO"),)
    assert len(season_.entries) == count  # one entry, however many class changes it has
    assert [race.day for race in season_.races] == [MARCH_1, MARCH_10]


@pytest.mark.django_db
def test_the_loader_of_many_seasons_reads_class_changes_too(django_assert_num_queries):
    championship, _ = _moved_season(3)

    with django_assert_num_queries(4):
        seasons = seasons_load([championship])

    assert seasons[championship.pk] == season_load(championship)


@pytest.mark.django_db
def test_rule_7_a_races_day_is_its_start_in_the_circuits_local_time():
    # 22:00 UTC on 9 March is 06:00 on 10 March in Shanghai: the race counts car 1 in PRO.
    championship, cars = _moved_season(3)
    meeting = factories.make_meeting(championship, 3, start_date=MARCH_10)
    late = factories.make_race(meeting, 1, starts_at=dt.datetime(2024, 3, 9, 22, tzinfo=dt.UTC))
    factories.make_result(late, cars[0], 1)

    season_ = season_load(championship)

    assert season_.races[-1].day == MARCH_10
    pro = {row.entry.car_number: row for row in SeasonTables(season_).table("drivers", "PRO").rows}
    assert [line.score.race.round for line in pro[1].races] == [2, 3]


@pytest.mark.django_db
def test_a_moved_drivers_earlier_second_place_stays_in_the_pro_am_table():
    """The regression: after a move to PRO, the round 1 result stays in PRO-AM."""
    championship, _ = _moved_season(3)
    tables = SeasonTables(season_load(championship))

    pro_am = {row.entry.car_number: row for row in tables.table("drivers", "PRO_AM").rows}
    pro = {row.entry.car_number: row for row in tables.table("drivers", "PRO").rows}

    # In round 1 car 1 is the only PRO_AM car: second overall, first of its class.
    assert [(line.score.race.round, line.score.rank) for line in pro_am[1].races] == [(1, 1)]
    assert pro_am[1].points == Decimal(25)
    # From round 2 it is in PRO, second behind car 2.
    assert [(line.score.race.round, line.score.rank) for line in pro[1].races] == [(2, 2)]
