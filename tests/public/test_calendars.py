"""The calendar of every series (/calendars/) and the feeds of every series and of one series."""

import datetime as dt

import icalendar
import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from championships.models import Championship, SeasonStatus
from tests.factories import make_championship, make_circuit, make_meeting, make_race, make_series

pytestmark = pytest.mark.django_db

SHANGHAI = "Shanghai International Circuit"
SEPANG = "Sepang International Circuit"


def season(series_name: str, slug: str, **fields):
    """A season of the series ``series_name``, its series' slug from the name."""
    return make_championship(slug, series=make_series(series_name), name=slug.upper(), **fields)


@pytest.fixture
def two_series(db):
    """The Cup and a Sprint series: both at Shanghai on 20-21 April (Sprint from the 19th),
    the Cup alone at Sepang in May; a draft season and an archived one beside them."""
    cup = season("Carrera Cup", "cup-2026", year=2026)
    sprint = season("Sprint Challenge", "sprint-2026", year=2026)
    shanghai = make_circuit(SHANGHAI)
    sepang = make_circuit(SEPANG, timezone="Asia/Kuala_Lumpur", country="MY")
    cup_shanghai = make_meeting(cup, 1, circuit=shanghai, start_date=dt.date(2026, 4, 20))
    make_race(cup_shanghai, 1, starts_at=dt.datetime(2026, 4, 20, 2, 35, tzinfo=dt.UTC))
    make_race(cup_shanghai, 2, starts_at=dt.datetime(2026, 4, 21, 3, 0, tzinfo=dt.UTC))
    cup_sepang = make_meeting(cup, 2, circuit=sepang, start_date=dt.date(2026, 5, 9))
    make_race(cup_sepang, 1, starts_at=dt.datetime(2026, 5, 9, 8, 0, tzinfo=dt.UTC))
    sprint_shanghai = make_meeting(
        sprint, 1, circuit=shanghai, start_date=dt.date(2026, 4, 19), end_date=dt.date(2026, 4, 20)
    )
    make_race(sprint_shanghai, 1, starts_at=dt.datetime(2026, 4, 19, 6, 0, tzinfo=dt.UTC))
    draft = season("Sprint Trophy", "trophy-2026", year=2026, status=SeasonStatus.DRAFT)
    make_race(make_meeting(draft, 1, circuit=shanghai, start_date=dt.date(2026, 6, 1)), 1)
    old = season("Carrera Cup", "cup-2025", year=2025, status=SeasonStatus.ARCHIVED)
    make_race(make_meeting(old, 1, circuit=sepang, start_date=dt.date(2025, 5, 9)), 1)
    return cup, sprint


def weekend_cards(html: str) -> list[str]:
    return html.split('<li class="card')[1:]


def test_a_weekend_shared_by_two_series_is_shown_once_with_both_series_races(client, two_series):
    response = client.get("/calendars/")

    assert response.status_code == 200
    cards = weekend_cards(response.content.decode())
    assert len(cards) == 2  # Shanghai (both series), then Sepang (the Cup)
    shanghai, sepang = cards
    assert SHANGHAI in shanghai and "shared weekend" in shanghai
    assert "19 Apr–21 Apr 2026" in shanghai  # the Sprint's first day to the Cup's last
    assert "CUP-2026, round 1" in shanghai and "SPRINT-2026, round 1" in shanghai
    assert shanghai.count("Race 1:") == 2 and shanghai.count("Race 2:") == 1
    assert SEPANG in sepang and "shared weekend" not in sepang
    assert "SPRINT-2026" not in sepang


def test_each_race_shows_in_its_circuits_local_time(client, two_series):
    html = client.get("/calendars/").content.decode()

    assert 'datetime="2026-04-20T02:35:00+00:00"' in html
    assert "Mon 20 Apr, 10:35</time>" in html  # Shanghai, UTC+8
    assert "Sat 9 May, 16:00</time>" in html  # Sepang, UTC+8
    assert "Asia/Kuala_Lumpur time" in html


def test_drafts_and_archived_seasons_are_not_on_the_calendar(client, two_series):
    html = client.get("/calendars/").content.decode()

    assert "TROPHY-2026" not in html
    assert "CUP-2025" not in html


def test_drafts_stay_off_the_calendar_for_staff_too(staff_client, two_series):
    assert "TROPHY-2026" not in staff_client.get("/calendars/").content.decode()


def test_the_series_filter_shows_that_series_only(client, two_series):
    response = client.get("/calendars/?series=sprint-challenge")

    assert response.status_code == 200
    html = response.content.decode()
    (shanghai,) = weekend_cards(html)
    assert "SPRINT-2026, round 1" in shanghai
    assert "CUP-2026" not in html
    assert "<h1>Sprint Challenge calendar</h1>" in html
    assert 'href="/series/sprint-challenge/calendar.ics"' in html


def test_an_unknown_series_is_a_400_that_says_so(client, two_series):
    response = client.get("/calendars/?series=formula-nothing")

    assert response.status_code == 400
    html = response.content.decode()
    assert "There is no series “formula-nothing”" in html
    assert not weekend_cards(html)


def test_a_series_whose_only_season_is_a_draft_is_unknown_to_the_public(client, two_series):
    response = client.get("/calendars/?series=sprint-trophy")  # its one season is a draft
    feed = client.get("/series/sprint-trophy/calendar.ics")

    assert response.status_code == 400
    assert "There is no series “sprint-trophy”" in response.content.decode()
    assert "Sprint Trophy" not in response.content.decode()  # nor in the series picker
    assert feed.status_code == 404


def test_a_series_without_a_published_season_has_an_empty_calendar(client, two_series):
    season("Old Trophy", "old-trophy-2020", year=2020, status=SeasonStatus.ARCHIVED)

    response = client.get("/calendars/?series=old-trophy")  # its one season is archived

    assert response.status_code == 200
    assert not weekend_cards(response.content.decode())
    assert "No calendar has been published yet." in response.content.decode()


def test_other_parameters_are_dropped_and_the_page_is_in_chinese_too(client, two_series):
    response = client.get("/zh-hans/calendars/?series=carrera-cup&utm=x")

    assert response.status_code == 200
    html = response.content.decode()
    assert "utm" not in html
    assert "CUP-2026 第 1 站" in html and "SPRINT-2026" not in html


def add_series(name: str) -> None:
    """A series with a published season of two rounds of two races."""
    championship = season(name, f"{name.lower()}-2026", year=2026)
    for round_ in (1, 2):
        meeting = make_meeting(championship, round_, start_date=dt.date(2026, 3, 7 * round_))
        make_race(meeting, 1)
        make_race(meeting, 2)


def test_the_calendar_costs_the_same_queries_with_one_series_or_three(
    client, db, django_assert_num_queries
):
    add_series("Cup")
    # Series, seasons, meetings, races; and what the site's navigation reads (base.html).
    with CaptureQueriesContext(connection) as one_series:
        assert client.get("/calendars/").status_code == 200
    assert len(one_series) <= 6
    add_series("Sprint")
    add_series("Trophy")
    cache.clear()
    with django_assert_num_queries(len(one_series)):
        html = client.get("/calendars/").content.decode()
    assert html.count("TROPHY-2026, round") == 2


# Feeds ---------------------------------------------------------------------------------------


def feed_events(response) -> dict[str, icalendar.Event]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content.decode())
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_of_every_series_holds_every_published_race_and_no_draft(client, two_series):
    events = feed_events(client.get("/calendars/all.ics"))

    assert set(events) == {
        "cup-2026-r1-1@cupmanager",
        "cup-2026-r1-2@cupmanager",
        "cup-2026-r2-1@cupmanager",
        "sprint-2026-r1-1@cupmanager",
    }
    sprint = events["sprint-2026-r1-1@cupmanager"]
    assert sprint["DTSTART"].dt == dt.datetime(2026, 4, 19, 6, 0, tzinfo=dt.UTC)
    assert str(sprint["SUMMARY"]) == "SPRINT-2026: round 1, race 1"
    assert str(sprint["LOCATION"]) == f"{SHANGHAI}, CN"
    assert str(sprint["URL"]) == "http://testserver/championships/sprint-2026/rounds/1/"


def test_a_series_feed_holds_its_published_seasons_races_only(client, two_series):
    events = feed_events(client.get("/series/sprint-challenge/calendar.ics"))

    assert set(events) == {"sprint-2026-r1-1@cupmanager"}


def test_a_series_feed_leaves_out_its_draft_season(client, two_series):
    draft = season("Sprint Challenge", "sprint-2027", year=2027, status=SeasonStatus.DRAFT)
    make_race(make_meeting(draft, 1, start_date=dt.date(2027, 4, 1)), 1)

    events = feed_events(client.get("/series/sprint-challenge/calendar.ics"))

    assert events and not [uid for uid in events if uid.startswith("sprint-2027")]
    assert [uid for uid in events if uid.startswith("sprint-2026")]


def test_a_series_feed_names_its_series(client, two_series):
    response = client.get("/series/carrera-cup/calendar.ics")

    calendar = icalendar.Calendar.from_ical(response.content.decode())
    assert str(calendar["X-WR-CALNAME"]) == "Carrera Cup"
    assert 'filename="carrera-cup.ics"' in response["Content-Disposition"]
    assert "cup-2025-r1-1@cupmanager" not in feed_events(response)  # archived


def test_an_unknown_series_feed_is_a_404(client, two_series):
    assert client.get("/series/formula-nothing/calendar.ics").status_code == 404


def test_a_draft_seasons_own_feed_is_a_404_for_visitors_and_there_for_staff(
    client, staff_client, two_series
):
    anonymous = Client()
    assert anonymous.get("/championships/trophy-2026/calendar.ics").status_code == 404
    events = feed_events(staff_client.get("/championships/trophy-2026/calendar.ics"))
    assert set(events) == {"trophy-2026-r1-1@cupmanager"}


def test_the_seasons_own_and_featured_feeds_stay(client, two_series):
    cup, _ = two_series
    Championship.objects.filter(pk=cup.pk).update(featured=True)

    assert set(feed_events(client.get("/calendar.ics"))) == {
        "cup-2026-r1-1@cupmanager",
        "cup-2026-r1-2@cupmanager",
        "cup-2026-r2-1@cupmanager",
    }
    assert set(feed_events(client.get("/championships/sprint-2026/calendar.ics"))) == {
        "sprint-2026-r1-1@cupmanager"
    }


def test_the_feeds_cost_the_same_queries_with_one_series_or_three(
    client, db, django_assert_num_queries
):
    add_series("Cup")
    # Seasons, meetings, races; the series feed first finds its series.
    with django_assert_num_queries(3):
        assert len(feed_events(client.get("/calendars/all.ics"))) == 4
    with django_assert_num_queries(4):
        assert len(feed_events(client.get("/series/cup/calendar.ics"))) == 4
    add_series("Sprint")
    add_series("Trophy")
    with django_assert_num_queries(3):
        assert len(feed_events(client.get("/calendars/all.ics"))) == 12
    with django_assert_num_queries(4):
        assert len(feed_events(client.get("/series/cup/calendar.ics"))) == 4


def test_the_calendar_and_the_feeds_read_no_session_so_every_visitor_shares_them(
    client, two_series
):
    for address in ("/calendars/", "/calendars/all.ics", "/series/carrera-cup/calendar.ics"):
        assert "Cookie" not in client.get(address).get("Vary", "")
