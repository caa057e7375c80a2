"""Championship.objects.current: the one way pages, feeds and APIs find their season."""

import pytest

from championships.models import Championship
from tests import factories

pytestmark = pytest.mark.django_db


def test_without_a_slug_the_current_championship_is_the_first_of_latest_first():
    factories.make_championship("older-cup", year=2023)
    factories.make_championship("b-cup", year=2024, name="B Cup")
    factories.make_championship("a-cup", year=2024, name="A Cup")

    current = Championship.objects.current()

    assert current == Championship.objects.latest_first().first()
    assert current.slug == "a-cup"


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


def test_without_any_championship_there_is_no_current_one():
    assert Championship.objects.current() is None


def test_finding_it_is_one_query(django_assert_num_queries):
    factories.make_championship("only-cup")

    with django_assert_num_queries(1):
        Championship.objects.current()
    with django_assert_num_queries(1):
        Championship.objects.current("only-cup")


def test_the_current_version_is_the_id_and_change_time_of_the_current_championship():
    factories.make_championship("older-cup", year=2023)
    newer = factories.make_championship("newer-cup", year=2024)
    newer.refresh_from_db()

    assert Championship.objects.current_version() == (newer.pk, newer.tables_changed_at)
    assert Championship.objects.current_version("newer-cup") == (
        newer.pk,
        newer.tables_changed_at,
    )
    assert Championship.objects.current_version("no-such-cup") is None
