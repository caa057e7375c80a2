"""Championship.objects.current: the one way pages, feeds and APIs find their season. Without
a slug it is the season staff featured, never one picked by its name's alphabetical order."""

import pytest
from django.db import IntegrityError

from championships.models import Championship, SeasonStatus
from tests import factories

pytestmark = pytest.mark.django_db


def test_without_a_slug_the_current_championship_is_the_featured_one():
    factories.make_championship("a-cup", year=2024, name="A Cup")
    featured = factories.make_championship("z-cup", year=2023, name="Z Cup", featured=True)

    assert Championship.objects.current() == featured


def test_without_a_featured_one_the_series_order_decides_never_the_name():
    cup = factories.make_series("Carrera Cup")
    sprint = factories.make_series("A Sprint Challenge")
    sprint.position, cup.position = 2, 1
    sprint.save()
    cup.save()
    factories.make_championship("older-cup", year=2023, series=cup)
    factories.make_championship("a-sprint", year=2024, name="A Sprint", series=sprint)
    the_cup = factories.make_championship("z-cup", year=2024, name="Z Cup", series=cup)

    assert Championship.objects.current() == the_cup


def test_a_published_season_comes_before_an_archived_one_and_a_draft_never():
    published = factories.make_championship("cup-2023", year=2023)
    factories.make_championship("cup-2024", year=2024, status=SeasonStatus.ARCHIVED)
    factories.make_championship("cup-2025", year=2025, status=SeasonStatus.DRAFT)

    assert Championship.objects.current() == published


def test_only_drafts_make_no_current_championship():
    factories.make_championship("cup-2025", year=2025, status=SeasonStatus.DRAFT)

    assert Championship.objects.current() is None


def test_with_a_slug_it_is_that_championship_whole_or_none():
    older = factories.make_championship("older-cup", year=2023)
    older.race_points = [25, 18, 12.5]
    older.save()
    factories.make_championship("newer-cup", year=2024)

    found = Championship.objects.current("older-cup")

    assert found == older
    assert found.race_points == [25, 18, 12.5]  # JSON read back as the ORM reads it
    assert found.tables_changed_at == Championship.objects.get(pk=older.pk).tables_changed_at
    assert Championship.objects.current("no-such-cup") is None


def test_with_a_slug_a_draft_is_found_and_says_it_is_one():
    draft = factories.make_championship("next-cup", year=2025, status=SeasonStatus.DRAFT)

    assert Championship.objects.current("next-cup") == draft
    assert Championship.objects.current_version("next-cup")[2] == SeasonStatus.DRAFT


def test_without_any_championship_there_is_no_current_one():
    assert Championship.objects.current() is None


def test_finding_it_is_one_query(django_assert_num_queries):
    factories.make_championship("only-cup")

    with django_assert_num_queries(1):
        Championship.objects.current()
    with django_assert_num_queries(1):
        Championship.objects.current("only-cup")


def test_the_current_version_is_the_id_change_time_and_status_of_the_current_championship():
    factories.make_championship("older-cup", year=2023)
    newer = factories.make_championship("newer-cup", year=2024)
    newer.refresh_from_db()

    expected = (newer.pk, newer.tables_changed_at, SeasonStatus.PUBLISHED)
    assert Championship.objects.current_version() == expected
    assert Championship.objects.current_version("newer-cup") == expected
    assert Championship.objects.current_version("no-such-cup") is None


def test_the_database_holds_one_featured_season_at_most():
    factories.make_championship("cup-2024", featured=True)

    with pytest.raises(IntegrityError):
        factories.make_championship("sprint-2024", featured=True)


def test_the_database_refuses_a_featured_draft():
    with pytest.raises(IntegrityError):
        factories.make_championship("cup-2025", status=SeasonStatus.DRAFT, featured=True)


def test_each_series_current_season_is_its_latest_published_one():
    cup, sprint = factories.make_series("Cup"), factories.make_series("Sprint")
    factories.make_championship("cup-2023", year=2023, series=cup)
    cup_2024 = factories.make_championship("cup-2024", year=2024, series=cup)
    factories.make_championship("cup-2025", year=2025, series=cup, status=SeasonStatus.DRAFT)
    sprint_2023 = factories.make_championship(
        "sprint-2023", year=2023, series=sprint, status=SeasonStatus.ARCHIVED
    )

    current = Championship.objects.current_of_series()

    assert current == {cup.pk: cup_2024, sprint.pk: sprint_2023}
