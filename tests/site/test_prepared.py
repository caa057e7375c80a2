"""cupmanager.prepared: queries compiled once, answering exactly what the ORM answers."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, close_old_connections, connection, connections, transaction

from championships.models import Championship, Penalty, Race, Result
from cupmanager.postgresql import base as postgresql_base
from cupmanager.prepared import PreparedQuery, concrete_attnames, rows_together
from entries.models import Entry
from tests import factories
from tests.site.test_resilience import default_database

ONLY_POSTGRESQL = "prepared statements are PostgreSQL's"
RESULT_FIELDS = ("entry_id", "position", "status", "laps", "total_time", "best_lap", "grid")


def results_of(championship_id):
    rows = Result.objects.filter(race__meeting__championship_id=championship_id)
    return rows.order_by("position").values_list(*RESULT_FIELDS)


@pytest.fixture
def raced(championship):
    race = factories.make_race(factories.make_meeting(championship))
    for position in (1, 2):
        entry = factories.make_entry(championship, rookie=position == 2)
        factories.make_result(
            race,
            entry,
            position,
            total_time=dt.timedelta(minutes=35, seconds=position, microseconds=123_000),
            best_lap=dt.timedelta(minutes=2, seconds=5, microseconds=456_000),
        )
    other = factories.make_championship("another-cup")
    other_race = factories.make_race(factories.make_meeting(other))
    factories.make_result(other_race, factories.make_entry(other), 1)
    return championship


def test_rows_are_the_values_list_rows_with_the_same_conversions(raced):
    prepared = PreparedQuery(results_of)

    rows = prepared.rows(raced.pk)

    assert rows == list(results_of(raced.pk))
    assert len(rows) == 2  # the other championship's result is not among them
    assert isinstance(rows[0][4], dt.timedelta)  # a duration on SQLite is a number of µs


def test_booleans_and_json_fields_are_converted_as_the_orm_converts_them(raced):
    entries = PreparedQuery(
        lambda pk: (
            Entry.objects.filter(championship_id=pk)
            .order_by("car_number")
            .values_list("car_number", "rookie")
        )
    )
    raced.race_points = [25, 18, 12.5]
    raced.save()
    fields = concrete_attnames(Championship)
    championship = PreparedQuery(lambda pk: Championship.objects.filter(pk=pk).values_list(*fields))

    assert [rookie for _, rookie in entries.rows(raced.pk)] == [False, True]
    loaded = Championship.from_db("default", fields, championship.first(raced.pk))
    assert loaded.race_points == [25, 18, 12.5]
    assert loaded.tables_changed_at == Championship.objects.get(pk=raced.pk).tables_changed_at
    assert loaded.slug == raced.slug


def test_a_string_argument_takes_its_own_mark(raced):
    by_slug = PreparedQuery(
        lambda slug: Championship.objects.filter(slug=slug).values_list("pk"), mark="?"
    )

    assert by_slug.first(raced.slug) == (raced.pk,)
    assert by_slug.first("no-such-cup") is None


def test_a_query_without_argument_is_prepared_with_mark_none(raced):
    every = PreparedQuery(lambda: Championship.objects.order_by("slug").values_list("slug"), None)

    assert every.rows() == [("another-cup",), (raced.slug,)]


def test_the_orm_compiles_the_query_once_per_connection(raced):
    built = []

    def build(pk):
        built.append(pk)
        return results_of(pk)

    prepared = PreparedQuery(build)
    first, second = prepared.rows(raced.pk), prepared.rows(raced.pk)

    assert first == second
    assert len(built) == 1


def test_each_run_is_one_query_that_tests_can_count(raced, django_assert_num_queries):
    prepared = PreparedQuery(results_of)
    prepared.rows(raced.pk)

    with django_assert_num_queries(1):
        prepared.rows(raced.pk)


def test_a_queryset_of_model_instances_is_refused(db):
    prepared = PreparedQuery(lambda pk: Championship.objects.filter(pk=pk))

    with pytest.raises(TypeError, match="values_list"):
        prepared.rows(1)


def test_a_query_that_does_not_use_its_argument_is_refused(db):
    prepared = PreparedQuery(lambda pk: Championship.objects.values_list("pk"))

    with pytest.raises(ValueError, match="does not use its argument"):
        prepared.rows(1)


def test_a_decimal_keeps_its_exact_value(raced):
    race = Race.objects.get(meeting__championship=raced)
    factories.make_penalty(race.results.first().entry, race=race, value=Decimal("2.5"))
    values = PreparedQuery(
        lambda pk: Penalty.objects.filter(meeting__championship_id=pk).values_list("value")
    )

    assert values.rows(raced.pk) == [(Decimal("2.5"),)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason=ONLY_POSTGRESQL)
def test_on_postgresql_the_statement_is_prepared_after_five_runs(raced):
    prepared = PreparedQuery(results_of)

    def statements():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                ['%FROM "championships_result"%"championship_id" = $1%'],
            )
            return cursor.fetchone()[0]

    before = statements()
    answers = [prepared.rows(raced.pk) for _ in range(6)]

    assert statements() == before + 1
    assert all(answer == answers[0] for answer in answers)


@pytest.mark.skipif(connection.vendor != "postgresql", reason=ONLY_POSTGRESQL)
def test_on_postgresql_a_kept_connection_that_died_is_replaced_as_django_does(
    transactional_db, monkeypatch
):
    monkeypatch.setattr(postgresql_base, "CHECK_DELAY", 0)  # checked however recently used
    championship = factories.make_championship("kept-cup")
    original = connections["default"]
    kept = {**original.settings_dict, "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}
    prepared = PreparedQuery(lambda pk: Championship.objects.filter(pk=pk).values_list("slug"))
    with default_database(kept):
        assert prepared.rows(championship.pk) == [("kept-cup",)]
        backend = connections["default"].connection.info.backend_pid
        with original.cursor() as cursor:  # the database restarted under a kept connection
            cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
        close_old_connections()  # the end of a request, as Django's handler does

        assert prepared.rows(championship.pk) == [("kept-cup",)]
        assert connections["default"].connection.info.backend_pid != backend


def test_queries_sent_together_answer_each_as_it_would_alone(raced):
    results = PreparedQuery(results_of)
    slugs = PreparedQuery(lambda pk: Championship.objects.filter(pk=pk).values_list("slug"))

    together = rows_together([(results, raced.pk), (slugs, raced.pk), (results, -1)])

    assert together == [results.rows(raced.pk), [(raced.slug,)], []]


def test_queries_sent_together_are_each_counted(raced, django_assert_num_queries):
    results = PreparedQuery(results_of)
    results.rows(raced.pk)

    with django_assert_num_queries(3):
        rows_together([(results, raced.pk)] * 3)


@pytest.mark.skipif(connection.vendor != "postgresql", reason=ONLY_POSTGRESQL)
def test_a_query_failing_among_others_raises_djangos_error_and_the_connection_recovers(raced):
    slugs = PreparedQuery(lambda pk: Championship.objects.filter(pk=pk).values_list("slug"))
    with pytest.raises(DatabaseError, match="bigint"), transaction.atomic():
        rows_together([(slugs, raced.pk), (slugs, "not a number")])  # refused by the server

    assert slugs.rows(raced.pk) == [(raced.slug,)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason=ONLY_POSTGRESQL)
def test_statements_prepared_before_a_migration_changed_their_columns_run_afresh(
    transactional_db,
):
    championship = factories.make_championship("migrated-cup")
    names = PreparedQuery(lambda pk: Championship.objects.filter(pk=pk).values_list("name"))
    for _ in range(6):  # prepared from the sixth run on
        names.rows(championship.pk)
    other = connections.create_connection("default")
    alter = 'ALTER TABLE "championships_championship" ALTER COLUMN "name" TYPE varchar(%s)'
    try:
        with other.cursor() as cursor:  # a migration, run by another process
            cursor.execute(alter % 121)

        assert names.rows(championship.pk) == [(championship.name,)]
    finally:
        with other.cursor() as cursor:
            cursor.execute(alter % 120)
        other.close()


@pytest.mark.skipif(connection.vendor != "postgresql", reason=ONLY_POSTGRESQL)
def test_outside_a_transaction_a_failing_query_among_others_leaves_the_connection_usable(
    transactional_db,
):
    championship = factories.make_championship("autocommit-cup")
    slugs = PreparedQuery(lambda pk: Championship.objects.filter(pk=pk).values_list("slug"))

    with pytest.raises(DatabaseError, match="bigint"):
        rows_together([(slugs, championship.pk), (slugs, "not a number")])

    assert slugs.rows(championship.pk) == [("autocommit-cup",)]
    assert rows_together([(slugs, championship.pk)] * 2) == [[("autocommit-cup",)]] * 2
