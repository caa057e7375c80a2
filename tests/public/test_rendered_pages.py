"""Public pages kept rendered until their championship's data changes (core.kept)."""

import datetime as dt

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from championships.kept import championship_version
from championships.models import Race
from championships.services import standings_invalidate
from core import kept
from entries.models import Driver
from tests import factories

pytestmark = pytest.mark.django_db

KEPT_PAGES = [
    "/",
    "/standings/",
    "/standings/?table=teams",
    "/zh-hans/standings/",
    "/calendar/",
    "/championships/pcca-2024/rounds/1/",
    "/championships/pcca-2024/standings/?after_round=2",
    "/entries/",
    "/entries/?rookie=true",
]


@pytest.mark.parametrize("url", KEPT_PAGES)
def test_a_kept_page_costs_two_small_queries(client, pcca, url, django_assert_num_queries):
    first = client.get(url)
    # 1: the championship, whose tables_changed_at is part of the kept page's key (the
    # organiser home: every public season's); 2: the series menu, part of the key too.
    with django_assert_num_queries(2):
        again = client.get(url)

    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_a_change_shows_at_once_on_every_kept_page(client, pcca):
    for url in KEPT_PAGES:
        client.get(url)
    Driver.objects.filter(last_name="Lindqvist").update(first_name="Karl")
    standings_invalidate(championship_id=pcca.pk)  # as every write path does

    for url in ["/standings/", "/championships/pcca-2024/rounds/1/", "/entries/"]:
        assert "Karl Lindqvist" in client.get(url).content.decode(), url


def test_each_address_and_language_is_kept_apart(client, pcca):
    drivers = client.get("/standings/").content.decode()
    teams = client.get("/standings/?table=teams").content.decode()
    chinese = client.get("/zh-hans/standings/").content.decode()

    assert drivers != teams
    assert '<html lang="zh-hans">' in chinese
    assert '<html lang="en">' in drivers
    assert client.get("/standings/").content.decode() == drivers


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    return len(context.captured_queries)


def test_a_page_with_bad_input_is_never_kept(client, pcca):
    assert client.get("/standings/?table=nonsense").status_code == 400

    assert queries_of(client, "/standings/?table=nonsense") > 2


def test_a_page_rendered_by_other_code_is_not_served(client, pcca, monkeypatch):
    client.get("/standings/")
    assert queries_of(client, "/standings/") == 2
    # A deploy restarts the server: pages kept by the old code are no longer asked for.
    monkeypatch.setattr(kept, "CODE_LOADED_AT", timezone.now() + dt.timedelta(seconds=1))

    assert queries_of(client, "/standings/") > 2


def test_a_kept_page_answers_a_conditional_get_with_304(client, pcca):
    first = client.get("/standings/")
    kept = client.get("/standings/")

    assert kept["ETag"] == first["ETag"]
    assert client.get("/standings/", HTTP_IF_NONE_MATCH=kept["ETag"]).status_code == 304
    assert kept["Last-Modified"] == first["Last-Modified"]


def test_the_home_page_is_kept_until_the_next_race_starts(client, pcca, monkeypatch):
    # The example season is in the past; its last race now starts in ten minutes.
    last = Race.objects.order_by("starts_at").last()
    Race.objects.filter(pk=last.pk).update(starts_at=timezone.now() + dt.timedelta(minutes=10))
    standings_invalidate(championship_id=pcca.pk)
    timeouts = []
    keep = kept.cache.set

    def recorded_set(key: str, value: object, timeout: int, **options: object) -> None:
        if key.startswith("rendered:"):
            timeouts.append(timeout)
        keep(key, value, timeout, **options)

    monkeypatch.setattr(kept.cache, "set", recorded_set)

    client.get("/")

    assert 590 <= timeouts[0] <= 600


def test_a_page_is_kept_an_hour_at_most_without_a_deadline():
    assert kept.seconds_left(None) == kept.TIMEOUT == 3600
    assert kept.seconds_left(timezone.now() + dt.timedelta(days=3)) == 3600
    assert kept.seconds_left(timezone.now() - dt.timedelta(seconds=5)) < 0


def test_an_answer_that_sets_a_cookie_is_never_kept():
    with_cookie = HttpResponse("hello")
    with_cookie.set_cookie("sessionid", "secret")

    assert kept.keepable(HttpResponse("hello"))
    assert not kept.keepable(with_cookie)
    assert not kept.keepable(HttpResponse("gone", status=404))


def test_the_version_is_the_championships_own_pk_and_change_time(pcca):
    older = factories.make_championship(year=2019)
    pcca.refresh_from_db()

    assert championship_version("pcca-2024") == (pcca.pk, pcca.tables_changed_at, "published")
    assert championship_version(older.slug) == (
        older.pk,
        older.tables_changed_at,
        "published",
    )
    # Without a slug: the current championship, the latest season, as the home page shows.
    assert championship_version(None).pk == pcca.pk
    assert championship_version("no-such-cup") is None


def test_the_version_moves_with_every_change(pcca):
    before = championship_version("pcca-2024")
    standings_invalidate(championship_id=pcca.pk)

    after = championship_version("pcca-2024")
    assert after.tables_changed_at > before.tables_changed_at
    assert after.tables_changed_at.tzinfo is not None


def test_without_any_championship_there_is_no_version(db):
    assert championship_version(None) is None
