"""Rule 7: wherever an entry's class is shown, it is the class it held then, not the one at
its first race: a table's after its last race in scope, a race sheet's on the race's day,
the entry list's and the driver page's today (a past season's at its end)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from entries.models import Entry, EntryClassChange
from tests.factories import ROUND_2_DAY, make_result

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved(silver_season):
    """#7 ran round 1 (20 April 2025) in PRO_AM and won round 2 (18 May) in PRO."""
    championship, silver = silver_season
    pro = championship.classes.get(code="PRO")
    EntryClassChange.objects.create(entry=silver, entry_class=pro, from_date=ROUND_2_DAY)
    make_result(championship.meetings.get(round=2).races.get(), silver, 1)
    return championship, silver


def api_class(client, championship, **params) -> str:
    url = f"/api/v1/championships/{championship.slug}/standings/"
    rows = client.get(url, params).json()["rows"]
    return next(row["class"] for row in rows if row["car_number"] == 7)


def csv_class(response) -> str:
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    return next(row["CLASS"] for row in rows if row["NO"] == "7")


def row_html(response, start: str) -> str:
    """The page's table row from the cell ``start`` to the row's end."""
    html = response.content.decode()
    return html[html.index(start) :].split("</tr>", 1)[0]


def test_the_api_drivers_row_gives_the_class_held_at_the_last_race_in_scope(client, moved):
    championship, _ = moved

    assert api_class(client, championship) == "PRO"
    assert api_class(client, championship, after_round=2) == "PRO"
    assert api_class(client, championship, after_round=1) == "PRO_AM"


def test_a_class_tables_row_gives_that_tables_class(client, moved):
    championship, _ = moved

    assert api_class(client, championship, **{"class": "PRO_AM"}) == "PRO_AM"
    assert api_class(client, championship, **{"class": "PRO"}) == "PRO"


def test_the_standings_csv_gives_the_class_held_at_the_last_race_in_scope(client, moved):
    championship, _ = moved
    url = reverse("exports:standings-csv", kwargs={"slug": championship.slug})

    assert csv_class(client.get(url)) == "PRO"
    assert csv_class(client.get(url, {"after_round": 1})) == "PRO_AM"


def test_the_standings_page_shows_the_class_held_at_the_last_race_in_scope(client, moved):
    championship, _ = moved
    url = reverse("championships:standings", kwargs={"slug": championship.slug})

    def shown(**params: object) -> str:
        return row_html(client.get(url, params), '<td class="num">7</td>')

    assert "<td>PRO</td>" in shown()
    assert "<td>PRO-AM</td>" in shown(after_round=1)


def test_each_race_csv_gives_the_class_held_on_that_races_day(client, moved):
    championship, _ = moved

    def race_class(round_: int) -> str:
        kwargs = {"slug": championship.slug, "round": round_, "number": 1}
        return csv_class(client.get(reverse("exports:race-csv", kwargs=kwargs)))

    assert race_class(1) == "PRO_AM"
    assert race_class(2) == "PRO"


def test_each_race_on_the_meeting_page_shows_the_class_held_on_that_races_day(client, moved):
    championship, _ = moved

    def race_row(round_: int) -> str:
        url = reverse("championships:meeting", kwargs={"slug": championship.slug, "round": round_})
        return row_html(client.get(url), '<td class="num">7</td>')

    assert '<td>PRO-AM <span class="muted">P1</span>' in race_row(1)
    assert '<td>PRO <span class="muted">P1</span>' in race_row(2)


def test_the_entry_list_shows_the_class_the_entry_ended_its_season_in(client, moved):
    championship, _ = moved

    response = client.get(reverse("entries:list", kwargs={"slug": championship.slug}))

    shown = {entry.car_number: entry.class_in_force for entry in response.context["entries"]}
    assert shown == {1: "PRO", 7: "PRO", 8: "PRO_AM"}
    assert "<td>PRO</td>" in row_html(response, 'car-number">7</th>')


def test_the_driver_page_shows_the_class_the_entry_ended_its_season_in(client, moved):
    _, silver = moved

    response = client.get(f"/drivers/{silver.driver.slug}/")

    assert response.context["entry"].class_in_force == "PRO"
    assert "PRO class" in response.content.decode()


def test_a_move_dated_after_today_is_not_shown_yet(client, moved, monkeypatch):
    championship, silver = moved
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: dt.date(2025, 5, 1))

    response = client.get(reverse("entries:list", kwargs={"slug": championship.slug}))

    shown = {entry.car_number: entry.class_in_force for entry in response.context["entries"]}
    assert shown[7] == "PRO_AM"


def test_a_move_after_a_past_seasons_last_meeting_is_not_shown(client, silver_season):
    championship, silver = silver_season
    pro = championship.classes.get(code="PRO")
    EntryClassChange.objects.create(entry=silver, entry_class=pro, from_date=dt.date(2025, 9, 1))

    response = client.get(f"/drivers/{silver.driver.slug}/")

    assert response.context["entry"].class_in_force == "PRO_AM"


def test_the_lists_reading_of_a_class_agrees_with_the_entrys_own_within_the_season(moved):
    _, silver = moved

    for day in (dt.date(2025, 4, 20), dt.date(2025, 5, 17), ROUND_2_DAY, dt.date(2025, 5, 19)):
        listed = Entry.objects.with_class_on(day).get(pk=silver.pk).class_in_force
        assert listed == silver.class_on(day).code


def test_the_race_api_gives_the_class_held_on_that_races_day(client, moved):
    championship, _ = moved

    def race_class(round_: int) -> str:
        race = championship.meetings.get(round=round_).races.get()
        rows = client.get(f"/api/v1/races/{race.pk}/").json()["classification"]
        return next(row["entry_class"] for row in rows if row["car_number"] == 7)

    assert race_class(1) == "PRO_AM"
    assert race_class(2) == "PRO"


def entry_list_class(client, url: str) -> str:
    if url.endswith(".csv"):
        rows = csv.DictReader(io.StringIO(client.get(url).content.decode("utf-8-sig")))
    else:
        rows = client.get(url).json()["entries"]
    return next(row["class"] for row in rows if str(row["number"]) == "7")


def test_the_entries_api_and_each_meetings_entry_list_give_the_class_then(client, moved):
    championship, _ = moved
    entries = client.get("/api/v1/entries/", {"championship": championship.slug}).json()
    listed = {row["car_number"]: row["entry_class"] for row in entries["results"]}

    assert listed == {1: "PRO", 7: "PRO", 8: "PRO_AM"}  # the season over: as it ended
    for round_, shown in ((1, "PRO_AM"), (2, "PRO")):
        meeting = championship.meetings.get(round=round_)
        kwargs = {"slug": championship.slug, "round": round_}
        assert entry_list_class(client, reverse("entries:entry-list-csv", kwargs=kwargs)) == shown
        assert entry_list_class(client, reverse("entries:entry-list-json", kwargs=kwargs)) == shown
        assert entry_list_class(client, f"/api/v1/entry-lists/{meeting.pk}/") == shown


def test_the_class_filter_finds_an_entry_by_the_class_it_moved_to(client, moved):
    championship, _ = moved
    page = reverse("entries:list", kwargs={"slug": championship.slug})

    def found(url: str, code: str) -> set[int]:
        response = client.get(url, {"championship": championship.slug, "entry_class": code})
        if url == page:
            return {entry.car_number for entry in response.context["entries"]}
        return {row["car_number"] for row in response.json()["results"]}

    for url in (page, "/api/v1/entries/"):
        assert found(url, "PRO") == {1, 7}
        assert found(url, "pro_am") == {8}
