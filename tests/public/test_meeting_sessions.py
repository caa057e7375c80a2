"""The meeting page's practice and qualifying sessions and its races' starting grids: what
they show, in both languages, as published at a moment, and at a fixed query count."""

import datetime as dt
import re

import pytest
from django.core.cache import cache

from championships.models import GridSlot, Lap, Session, SessionKind, SessionVersion
from championships.services import standings_invalidate
from championships.weekend import session_import
from tests import factories

pytestmark = pytest.mark.django_db

CSV = "POS,NO,LAPS,BEST_LAP,SECOND_BEST\n1,7,5,1:58.100,1:58.400\n2,3,6,1:58.200,\n"
PAGE = "/championships/cup-2026/rounds/1/"


@pytest.fixture
def weekend():
    """Round 1 of a published season: cars 3, 7 and 12, two races, practice 1 (no results yet)
    and qualifying 1, whose classification is imported (version 1)."""
    championship = factories.make_championship("cup-2026", year=2026)
    meeting = factories.make_meeting(championship, 1)
    races = [factories.make_race(meeting, 1), factories.make_race(meeting, 2)]
    cars = {
        car: factories.make_entry(
            championship,
            car,
            driver=factories.make_driver("Ann", f"Car{car}"),
            team=factories.make_team(f"Team of {car}"),
        )
        for car in (3, 7, 12)
    }
    qualifying = make_session(meeting, SessionKind.QUALIFYING, hour=3)
    make_session(meeting, SessionKind.PRACTICE, hour=1)
    session_import(session=qualifying, source=CSV, dry_run=False)
    return championship, races, qualifying, cars


def make_session(meeting, kind: str, *, hour: int, number: int = 1, group: str = "") -> Session:
    start = dt.datetime.combine(meeting.start_date, dt.time(hour), tzinfo=dt.UTC)
    return Session.objects.create(
        meeting=meeting, kind=kind, number=number, group=group, starts_at=start
    )


def lap(text: str) -> dt.timedelta:
    minutes, seconds = text.split(":")
    return dt.timedelta(minutes=int(minutes), seconds=float(seconds))


def publish_grid(race, cars, *, at: dt.datetime | None = None) -> None:
    """Race 1's grid: car 7 on pole, car 12 second, car 3 (qualified first) 2 places back."""
    at = at or dt.datetime(2026, 4, 20, 6, tzinfo=dt.UTC)
    GridSlot.objects.bulk_create(
        [
            GridSlot(
                race=race,
                entry=cars[7],
                position=1,
                qualified=2,
                time=lap("1:58.100"),
                published_at=at,
            ),
            GridSlot(race=race, entry=cars[12], position=2, qualified=3, published_at=at),
            GridSlot(
                race=race,
                entry=cars[3],
                position=3,
                qualified=1,
                time=lap("1:57.950"),
                published_at=at,
            ),
        ]
    )
    standings_invalidate(championship_id=race.meeting.championship_id)


def html(client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


def rows(page: str, caption: str) -> list[list[str]]:
    """The cells' text of each body row of the table whose caption holds ``caption``."""
    table = page[page.index(caption) :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    cells = r"<t[hd][^>]*>(.*?)</t[hd]>"
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(cells, row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def headings(page: str) -> list[tuple[int, str]]:
    return [
        (int(level), re.sub(r"<[^>]+>", "", text).strip())
        for level, text in re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", page, re.S)
    ]


# What the page shows ---------------------------------------------------------------------------


def test_the_page_shows_each_sessions_classification_in_start_order(client, weekend):
    _championship, _races, _qualifying, cars = weekend

    page = html(client, PAGE)

    assert page.index(">Practice 1</h3>") < page.index(">Qualifying 1</h3>")
    assert page.index(">Qualifying 1</h3>") < page.index(">Race 1</h2>")
    assert rows(page, "Qualifying 1: classification") == [
        ["1", "7", "Ann Car7", "Team of 7", "5", "1:58.100", "", "1:58.400"],
        ["2", "3", "Ann Car3", "Team of 3", "6", "1:58.200", "+0.100", ""],
    ]
    practice = page[page.index(">Practice 1</h3>") : page.index(">Qualifying 1</h3>")]
    assert "No results yet." in practice and "<table" not in practice
    driver_link = f'<a href="/drivers/{cars[7].driver.slug}/">Ann Car7</a>'
    assert driver_link in page


def test_a_session_table_is_captioned_scoped_and_scrolls_like_the_race_tables(client, weekend):
    qualifying = weekend[2]

    page = html(client, PAGE)

    region = (
        f'<div class="table-scroll" tabindex="0" role="region" '
        f'aria-labelledby="caption-session-{qualifying.pk}">'
    )
    assert region in page
    assert f'<caption id="caption-session-{qualifying.pk}">Qualifying 1: classification' in page
    table = page[page.index(region) : page.index("</table>", page.index(region))]
    assert table.count('<th scope="col"') == 8
    assert table.count('<th scope="row"') == 2
    assert f'<section aria-labelledby="session-{qualifying.pk}">' in page


def test_a_car_not_classified_shows_its_status(client, weekend):
    qualifying = weekend[2]
    session_import(
        session=qualifying,
        source=CSV + "DNS,12,0,,\n",
        dry_run=False,
        expected_version=1,
    )
    standings_invalidate(championship_id=qualifying.meeting.championship_id)

    page = html(client, PAGE)

    assert '<abbr title="Did not start">DNS</abbr>' in page
    assert rows(page, "Qualifying 1: classification")[2][1:] == [
        "12",
        "Ann Car12",
        "Team of 12",
        "0",
        "",
        "",
        "",
    ]
    assert "version 2" in page


def test_the_page_shows_each_races_published_grid(client, weekend):
    _championship, races, _qualifying, cars = weekend
    publish_grid(races[0], cars)

    page = html(client, PAGE)

    race_1 = page[page.index(">Race 1</h2>") : page.index(">Race 2</h2>")]
    assert '<h3 id="grid-race-1">Starting grid</h3>' in race_1
    assert '<caption id="caption-grid-1">Race 1: starting grid</caption>' in race_1
    assert rows(race_1, "Race 1: starting grid") == [
        ["1", "7", "Ann Car7", "Team of 7", "1:58.100", "2", ""],
        ["2", "12", "Ann Car12", "Team of 12", "", "3", ""],
        ["3", "3", "Ann Car3", "Team of 3", "1:57.950", "1", "2 places back"],
    ]
    race_2 = page[page.index(">Race 2</h2>") : page.index(">Stewards")]
    assert "No starting grid published yet." in race_2 and "<table" not in race_2


def test_the_headings_stay_in_order(client, weekend):
    _championship, races, _qualifying, cars = weekend
    publish_grid(races[0], cars)

    found = headings(html(client, PAGE))

    assert found[0][0] == 1 and [level for level, _ in found].count(1) == 1
    for (before, _a), (after, text) in zip(found, found[1:], strict=False):
        assert after <= before + 1, f"{text} skips a level"
    assert [text for _, text in found[1:]] == [
        "Practice and qualifying",
        "Practice 1",
        "Qualifying 1",
        "Race 1",
        "Starting grid",
        "Race 2",
        "Stewards' decisions",
    ]


def test_a_round_without_sessions_has_no_sessions_section(client, weekend):
    SessionVersion.objects.all().delete()  # kept with their session otherwise
    Session.objects.all().delete()
    standings_invalidate(championship_id=weekend[0].pk)

    page = html(client, PAGE)

    assert "Practice and qualifying" not in page and "<h3" not in page


def test_the_page_in_chinese_shows_the_sessions_and_the_grid(client, weekend):
    _championship, races, qualifying, cars = weekend
    publish_grid(races[0], cars)

    page = html(client, f"/zh-hans{PAGE}")

    assert 'lang="zh-hans"' in page
    assert f'<section aria-labelledby="session-{qualifying.pk}">' in page
    table = rows(page, f'<caption id="caption-session-{qualifying.pk}">')
    assert table[1] == ["2", "3", "Ann Car3", "Team of 3", "6", "1:58.200", "+0.100", ""]
    assert '<th scope="col">车手</th>' in page  # "Driver", as the race tables say it
    assert f'href="/zh-hans/drivers/{cars[7].driver.slug}/"' in page
    assert rows(page, '<caption id="caption-grid-1">')[2][:5] == [
        "3",
        "3",
        "Ann Car3",
        "Team of 3",
        "1:57.950",
    ]


# As published at a moment ----------------------------------------------------------------------


def test_as_published_a_session_shows_its_version_of_then(client, weekend):
    _championship, races, qualifying, cars = weekend
    SessionVersion.objects.filter(session=qualifying).update(
        created_at=dt.datetime(2026, 4, 20, 4, tzinfo=dt.UTC)
    )
    session_import(
        session=qualifying,
        source="POS,NO,LAPS,BEST_LAP\n1,3,6,1:57.500\n2,7,5,1:58.100\n",
        dry_run=False,
        expected_version=1,
    )
    publish_grid(races[0], cars)  # published on 20 April at 06:00

    then = html(client, PAGE, at="2026-04-20T05:00")
    now = html(client, PAGE)

    assert rows(then, "Qualifying 1: classification")[0][:2] == ["1", "7"]
    assert rows(now, "Qualifying 1: classification")[0][:2] == ["1", "3"]
    assert "Starting grid" not in then
    assert "grid was published after that date" in then
    assert "Race 1: starting grid" in now
    before_any = html(client, PAGE, at="2026-04-19")
    qualifying_then = before_any[before_any.index(">Qualifying 1</h3>") :]
    assert "No results yet." in qualifying_then[: qualifying_then.index("</section>")]


# Queries ---------------------------------------------------------------------------------------


def cold_get(client, url: str, **params):
    """A request with nothing kept, as the first visitor after a change makes it."""
    cache.clear()
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def test_the_query_count_is_the_same_with_one_or_many_sessions_results_and_grid_places(
    client, db, django_assert_num_queries
):
    small = factories.build_championship(entries=2, rounds=1, slug="small", year=2030)
    large = factories.build_championship(entries=16, rounds=1, slug="large", year=2031)
    for championship, sessions in ((small, 1), (large, 6)):
        meeting = championship.meetings.get()
        cars = list(championship.entries.order_by("car_number"))
        for number in range(1, sessions + 1):
            kind = SessionKind.QUALIFYING if number % 2 else SessionKind.PRACTICE
            session = make_session(meeting, kind, hour=number, number=number)
            lines = "".join(
                f"{p},{car.car_number},5,1:58.{100 + p:03d},\n" for p, car in enumerate(cars, 1)
            )
            session_import(
                session=session, source=f"POS,NO,LAPS,BEST_LAP,SECOND_BEST\n{lines}", dry_run=False
            )
        for race in meeting.races.all():
            GridSlot.objects.bulk_create(
                GridSlot(race=race, entry=car, position=p, qualified=p)
                for p, car in enumerate(cars, 1)
            )
        laps = 2 if championship == small else 20
        owners = [{"race": race} for race in meeting.races.all()]
        owners += [{"session": session} for session in meeting.sessions.all()]
        Lap.objects.bulk_create(
            Lap(entry=car, number=n, time=dt.timedelta(seconds=118 + (p * n) % 7), **owner)
            for owner in owners
            for p, car in enumerate(cars, 1)
            for n in range(1, laps + 1)
        )
        standings_invalidate(championship_id=championship.pk)

    # 1 the championship's version and 2 the series menu (the kept page's key); 3 the
    # championship, whole; 4 meeting and circuit; 5 its races; 6 their grids; 7-10 the
    # season; 11 entries (driver slugs); 12 sessions; 13 their results; 14 every lap of the
    # round; 15 the stewards' decisions; 16 the filings behind them.
    with django_assert_num_queries(16):
        small_page = cold_get(client, "/championships/small/rounds/1/").content.decode()
    with django_assert_num_queries(16):
        large_page = cold_get(client, "/championships/large/rounds/1/").content.decode()
    # one session, two grids and the two races' laps (a session's laps are under an h4)
    assert small_page.count("<h3") == 1 + 2 + 2
    assert large_page.count("<h3") == 6 + 2 + 2
    assert large_page.count('class="chart lap-chart"') == 2
    assert large_page.count('class="car-laps"') == (6 + 2) * 16
    # As published at a moment (never kept): 1-6 the championship and its season as published
    # then; 7 meeting; 8 races; 9 grids; 10 entries; 11 sessions; 12 their versions then; 13
    # the laps; 14 decisions; 15 filings; 16 the races' states then; 17 the series menu.
    with django_assert_num_queries(17):
        small_then = cold_get(client, "/championships/small/rounds/1/", at="2099-01-01")
    with django_assert_num_queries(17):
        large_then = cold_get(client, "/championships/large/rounds/1/", at="2099-01-01")
    assert small_then.content.decode().count("Qualifying 1: classification") == 1
    assert large_then.content.decode().count(": classification</caption>") == 6


def test_a_session_import_and_a_grid_show_once_the_tables_are_marked_changed(client, weekend):
    """The page is kept until the championship's tables_changed_at moves (standings_invalidate);
    once it moves, the new classification shows."""
    _championship, _races, qualifying, _cars = weekend
    html(client, PAGE)  # kept
    session_import(
        session=qualifying,
        source="POS,NO,LAPS,BEST_LAP\n1,12,4,1:57.000\n",
        dry_run=False,
        expected_version=1,
    )
    standings_invalidate(championship_id=qualifying.meeting.championship_id)

    page = html(client, PAGE)

    assert rows(page, "Qualifying 1: classification")[0][:3] == ["1", "12", "Ann Car12"]


# Kept pages ------------------------------------------------------------------------------------
# The meeting page is kept until the championship's tables_changed_at moves: the weekend's
# writes move it.


def test_a_session_import_shows_at_once_on_the_kept_page(client, weekend):
    qualifying = weekend[2]
    html(client, PAGE)  # kept

    session_import(
        session=qualifying,
        source="POS,NO,LAPS,BEST_LAP\n1,12,4,1:57.000\n",
        dry_run=False,
        expected_version=1,
    )

    assert rows(html(client, PAGE), "Qualifying 1: classification")[0][:2] == ["1", "12"]


def test_a_published_grid_shows_at_once_on_the_kept_page(client, weekend):
    from championships.weekend import grid_publish

    races = weekend[1]
    assert "Race 1: starting grid" not in html(client, PAGE)  # kept

    grid_publish(race=races[0])

    assert rows(html(client, PAGE), "Race 1: starting grid")[0][:2] == ["1", "7"]
