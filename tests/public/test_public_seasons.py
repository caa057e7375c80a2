"""Many seasons at once: the same data as one at a time, in four queries whatever their number."""

import pytest
from django.utils import timezone

from championships.models import PenaltyKind, Race
from championships.standings.cache import cached_season, cached_seasons
from championships.standings.loader import QUERIES, season_load, seasons_load
from tests.factories import build_championship, make_penalty

pytestmark = pytest.mark.django_db


def test_it_loads_each_season_exactly_as_the_single_loader_does(example_season_path):
    from championships.bundle import season_import
    from championships.models import Championship

    season_import(example_season_path)
    seasons = [build_championship(entries=5, rounds=2, year=2020), *Championship.objects.all()]

    loaded = seasons_load(seasons)

    for championship in seasons:
        assert loaded[championship.pk] == season_load(championship)


def test_it_leaves_out_the_decisions_no_table_applies_as_the_single_loader_does():
    championship = build_championship(entries=3, rounds=1, year=2020)
    entry = championship.entries.first()
    race = Race.objects.filter(meeting__championship=championship).first()
    make_penalty(
        entry, race=race, reason="Withdrawn", withdrawn_at=timezone.now(), withdrawn_reason="Appeal"
    )
    make_penalty(entry, PenaltyKind.REPRIMAND, race=race, value=None, reason="Reprimanded")

    loaded = seasons_load([championship])[championship.pk]

    assert {"Withdrawn", "Reprimanded"}.isdisjoint(p.reason for p in loaded.penalties)
    assert loaded == season_load(championship)


def test_it_runs_four_queries_for_any_number_of_seasons(django_assert_num_queries):
    one = [build_championship(entries=2, rounds=1, year=2020)]
    many = one + [build_championship(entries=6, rounds=3, year=y) for y in range(2021, 2026)]

    with django_assert_num_queries(QUERIES):
        seasons_load(one)
    with django_assert_num_queries(QUERIES):
        seasons_load(many)


def test_it_shares_the_cache_of_the_single_season_loader(django_assert_num_queries):
    championship = build_championship(entries=3, rounds=1)

    cached_seasons([championship])

    with django_assert_num_queries(0):
        cached_season(championship)
        cached_seasons([championship])


def test_a_championship_without_data_has_an_empty_season():
    championship = build_championship(entries=0, rounds=0)

    season = seasons_load([championship])[championship.pk]

    assert season.races == () and season.entries == ()
