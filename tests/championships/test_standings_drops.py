"""Rule 3.2, dropped results: best S - N of the calendar's S scoring races count.

One test per sentence of the rule on plain data, a property over generated seasons, and
every place that reads the rule: the loaders (S), the season bundle, the championship form
and the standings page.
"""

import dataclasses
import shutil
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from championships.bundle import BundleError, season_export, season_import
from championships.models import Championship, PenaltyKind, Race
from championships.standings import rules
from championships.standings.data import DSQ, Season
from championships.standings.loader import season_load, season_load_as_of, seasons_load
from championships.versions import snapshot_results
from tests.factories import (
    F1_1988,
    build_championship,
    finish,
    make_championship,
    make_entry,
    make_meeting,
    make_penalty,
    make_race,
    make_result,
    penalty,
    race,
    season,
    seasons,
    table,
    totals,
)


def car(data: Season, number: int, after: int | None = None):
    return next(row for row in table(data, after=after).rows if row.entry.car_number == number)


def dropped_rounds(data: Season, number: int, after: int | None = None) -> list[int]:
    return [line.score.race.round for line in car(data, number, after).dropped]


# One test per sentence of rule 3.2 -----------------------------------------------------------


def test_rule_3_2_s_counts_the_calendars_races_with_a_factor_held_or_not():
    races = (finish(1, 1, 2), race(2), finish(3, 1, 2, factor="0"), race(4, factor="0.5"))

    assert rules.scoring_races(races) == 3
    assert rules.results_kept(dropped_results=1, scoring=3) == 2
    assert rules.results_kept(dropped_results=0, scoring=3) is None


def test_rule_3_2_before_s_minus_n_races_nothing_is_dropped():
    # S = 4, N = 2: the best 2 count. After two races nobody drops anything (the old rule
    # dropped both, leaving every driver on 0).
    data = season(finish(1, 1, 2), finish(2, 2, 1), race(3), race(4), dropped_results=2)

    assert totals(data, after=1) == {1: 10, 2: 6}
    assert totals(data) == {1: 16, 2: 16}
    assert dropped_rounds(data, 1) == []


def test_rule_3_2_past_s_minus_n_races_the_lowest_scores_are_dropped():
    # S = 3, N = 1: the best 2 count. Car 1 scores 10, 4, 6: the 4 goes in round 3 only.
    data = season(finish(1, 1, 2), finish(2, 2, 3, 1), finish(3, 2, 1), dropped_results=1)

    assert dropped_rounds(data, 1, after=2) == []
    assert car(data, 1, after=2).points == 14
    assert dropped_rounds(data, 1) == [2]
    assert car(data, 1).points == 16


@pytest.mark.parametrize(
    ("drop_disqualified", "dropped", "points"), [(False, [3], 10), (True, [1], 16)]
)
def test_rule_3_2_a_disqualification_is_kept_or_dropped_by_the_setting(
    drop_disqualified, dropped, points
):
    # S = 3, N = 1: car 1 is disqualified in round 1 (0), then scores 10 and 6.
    disqualified = finish(1, 1, 2)
    data = season(
        disqualified,
        finish(2, 1, 2),
        finish(3, 2, 1),
        penalties=(penalty(1, "DSQ", disqualified),),
        dropped_results=1,
        drop_disqualified=drop_disqualified,
    )

    assert dropped_rounds(data, 1) == dropped
    assert car(data, 1).points == points


def test_rule_3_2_a_disqualification_that_cannot_be_dropped_makes_the_next_lowest_go():
    # S = 4, N = 1: car 1 scores 10, DSQ (0), 4, 6. The DSQ counts; the 4 goes instead.
    disqualified = finish(2, 1, 2)
    data = season(
        finish(1, 1, 2),
        disqualified,
        finish(3, 2, 3, 1),
        finish(4, 2, 1),
        penalties=(penalty(1, "DSQ", disqualified),),
        dropped_results=1,
    )

    assert dropped_rounds(data, 1) == [3]
    assert car(data, 1).points == 16


def test_rule_3_2_when_fewer_can_be_dropped_than_needed_fewer_are():
    # S = 3, N = 2: the best 1 counts, so two must go; car 1 was disqualified twice, so only
    # its one other score can go.
    first, second = finish(1, 1, 2), finish(2, 1, 2)
    data = season(
        first,
        second,
        finish(3, 1, 2),
        penalties=(penalty(1, "DSQ", first), penalty(1, "DSQ", second)),
        dropped_results=2,
    )

    assert dropped_rounds(data, 1) == [3]
    assert car(data, 1).points == 0


def test_rule_3_2_teams_and_dealer_tables_drop_nothing():
    data = season(finish(1, 1, 2), finish(2, 2, 1), dropped_results=1)

    assert totals(data, "teams") == {"Team 1": 16, "Team 2": 16}
    assert table(data, "teams").best_of is None
    assert (table(data).best_of.kept, table(data).best_of.scoring) == (1, 2)


def test_dropped_races_prefers_the_earlier_of_equal_scores():
    scores = [rules.RaceScore(race(n), 1, None) for n in (1, 2, 3)]  # no result: 0 each

    assert rules.dropped_races(scores, kept=1) == {100 + 1, 200 + 1}
    assert rules.dropped_races(scores, kept=None) == frozenset()
    assert rules.dropped_races(scores, kept=3) == frozenset()


# The property --------------------------------------------------------------------------------


@st.composite
def seasons_with_drops(draw) -> Season:
    data = draw(seasons())
    scoring = rules.scoring_races(data.races) + draw(st.integers(0, 3))  # races still to come
    drops = dataclasses.replace(
        data.settings,
        dropped_results=draw(st.integers(0, scoring + 1)),
        drop_disqualified=draw(st.booleans()),
    )
    return dataclasses.replace(data, settings=drops, scoring_races=scoring)


@settings(max_examples=200, deadline=None)
@given(seasons_with_drops())
def test_a_total_never_exceeds_its_best_s_minus_n_scores_and_equals_them_without_a_dsq(data):
    for name, code in (("drivers", None), ("rookies", None), ("drivers", "A")):
        grid = table(data, name, code)
        for row in grid.rows:
            scores = sorted((line.score.points for line in row.races), reverse=True)
            kept = grid.best_of.kept if grid.best_of else len(scores)
            best = sum(scores[:kept], Decimal(0))
            counted = row.points + sum((p.value for p in row.deductions), Decimal(0))
            disqualified = [line.score for line in row.races if line.score.disqualified]
            if not disqualified or data.settings.drop_disqualified:
                assert counted == best
            elif not any(score.points for score in disqualified):
                # A DSQ scores nothing unless it kept a pole point (rule 2.2).
                assert counted <= best


# S from the database, the bundle, the form and the page --------------------------------------


def calendar_of_three(**fields) -> Championship:
    """Three races: one held (car 1 wins), one to come, one for no points."""
    championship = make_championship(**fields)
    entry = make_entry(championship, 1)
    held = make_race(make_meeting(championship, 1))
    make_result(held, entry, position=1)
    make_race(make_meeting(championship, 2))
    make_race(make_meeting(championship, 3), points_factor="0")
    return championship


def test_every_loader_counts_s_from_the_whole_calendar(db):
    championship = calendar_of_three(dropped_results=1, drop_disqualified=True)

    current = season_load(championship)
    published = season_load_as_of(championship, timezone.now(), results_of=snapshot_results)

    assert current.scoring_races == published.scoring_races == 2
    assert seasons_load([championship])[championship.pk].scoring_races == 2
    assert current.settings.drop_disqualified
    assert [r.round for r in current.races] == [1]
    # Best 1 of 2: the one race held is kept.
    assert [row.points for row in table(current).rows] == [25]


def test_the_bundle_reads_and_writes_drop_disqualified(db, tmp_path):
    season_import(F1_1988)
    imported = Championship.objects.get(slug="f1-1988")
    assert (imported.dropped_results, imported.drop_disqualified) == (5, True)

    season_export(imported, tmp_path / "out")
    text = (tmp_path / "out" / "championship.toml").read_text()
    assert "dropped_results = 5\ndrop_disqualified = true\n" in text

    Championship.objects.filter(pk=imported.pk).update(drop_disqualified=False)
    season_export(Championship.objects.get(pk=imported.pk), tmp_path / "off")
    assert "drop_disqualified = false\n" in (tmp_path / "off" / "championship.toml").read_text()
    season_import(tmp_path / "out", replace=True)
    assert Championship.objects.get(slug="f1-1988").drop_disqualified


def test_the_bundle_refuses_a_drop_disqualified_that_is_not_true_or_false(db, tmp_path):
    bundle = tmp_path / "f1-1988"
    shutil.copytree(F1_1988, bundle)
    toml = bundle / "championship.toml"
    toml.write_text(toml.read_text().replace("drop_disqualified = true", "drop_disqualified = 1"))

    with pytest.raises(BundleError) as refused:
        season_import(bundle)

    assert "points.drop_disqualified" in str(refused.value)
    assert "expected true or false" in str(refused.value)


def test_the_championship_form_says_how_many_results_count(staff_client, db):
    championship = calendar_of_three(dropped_results=1)

    page = staff_client.get(
        reverse("admin:championships_championship_change", args=[championship.pk])
    ).content.decode()

    assert "Now best 1 of 2 results count (the calendar's scoring races)." in page
    assert 'name="drop_disqualified"' in page


def test_the_new_championship_form_explains_dropped_results_without_a_calendar(staff_client):
    page = staff_client.get(reverse("admin:championships_championship_add")).content.decode()

    assert "The calendar has no race yet to count results from." in page


def test_the_standings_page_explains_each_total_in_both_languages(client, db):
    championship = build_championship(entries=3, rounds=2, dropped_results=1)
    address = f"/championships/{championship.slug}/standings/"

    english = client.get(address).content.decode()
    chinese = client.get(f"/zh-hans{address}").content.decode()

    assert "Each driver counts only their best 3 results of the 4 scoring races." in english
    assert english.count('<details id="why-') == 3
    assert "best 3 of 4 count: this one is dropped: R" in english
    assert 'title="rank 1: 25">25<' in english
    assert "<li>R1-1: rank 1: 25</li>" in english
    assert "points deducted in round 1 (" in english
    assert chinese.count('<details id="why-') == 3
    assert "（剔除成绩）</li>" in chinese


def test_a_disqualification_by_the_stewards_is_dropped_with_drop_disqualified(db):
    # S = 2, N = 1: car 1 wins round 1 and is disqualified from round 2, which goes.
    championship = calendar_of_three(dropped_results=1, drop_disqualified=True)
    entry = championship.entries.get()
    second = Race.objects.get(meeting__championship=championship, meeting__round=2)
    make_result(second, entry, position=1)
    make_penalty(entry, PenaltyKind.DSQ, race=second)

    row = table(season_load(championship)).rows[0]

    assert [line.score.result.status for line in row.dropped] == [DSQ]
    assert row.points == 25


def test_the_printable_and_csv_standings_follow_the_rule(client, db):
    championship = build_championship(entries=2, rounds=2, dropped_results=1)

    sheet = client.get(f"/championships/{championship.slug}/standings/print/").content.decode()
    csv_text = client.get(f"/championships/{championship.slug}/standings.csv").content.decode()

    assert "Each driver counts only their best 3 results of the 4 scoring races." in sheet
    # One score of each row in brackets: the lowest of four, the one that is dropped.
    for line in csv_text.splitlines()[1:]:
        assert line.count("(") == 1
