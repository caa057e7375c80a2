"""The organiser's site in a real browser: a fan goes from the home to a series, its
standings and a driver who races two series, in both languages; a draft season stays out of
an anonymous visitor's pages, API and feeds, and staff see it.

The data is built here with tests/factories.py: the Cup and the Sprint, each with a race run
and one ahead, a driver in both, and a draft season of a third series.
"""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from championships.models import SeasonStatus, Series
from championships.services import season_feature, season_status_set
from tests.factories import (
    make_championship,
    make_circuit,
    make_driver,
    make_entry,
    make_meeting,
    make_race,
    make_result,
    make_series,
    make_staff,
)

SPRINT = "Porsche Sprint Challenge China"


def raced_season(series: Series, slug: str, name: str, shared, rival_name: str):
    """A season with one race run (``shared`` wins it, a rival second) and one in 4 days."""
    championship = make_championship(slug, year=2026, name=name, series=series)
    winner = make_entry(championship, 11, driver=shared)
    rival = make_entry(championship, 12, driver=make_driver("Bo", rival_name))
    past = make_meeting(championship, 1, start_date=dt.date(2026, 3, 1))
    race = make_race(past, 1, starts_at=dt.datetime(2026, 3, 1, 6, 0, tzinfo=dt.UTC))
    make_result(race, winner, 1)
    make_result(race, rival, 2)
    soon = timezone.now() + dt.timedelta(days=4)
    circuit = make_circuit("Sepang International Circuit", timezone="Asia/Kuala_Lumpur")
    make_race(
        make_meeting(championship, 2, circuit=circuit, start_date=soon.date()), 1, starts_at=soon
    )
    return championship


@pytest.fixture
def organiser(transactional_db):
    """The Cup (featured, first in the menus) and the Sprint, Lena Shared racing both; the
    Sprint Trophy Asia's season a draft."""
    cache.clear()
    shared = make_driver("Lena", "Shared", slug="lena-shared")
    cup = raced_season(
        make_series("Porsche Carrera Cup Asia"),
        "cup-2026",
        "Carrera Cup Asia 2026",
        shared,
        "Cupper",
    )
    sprint_series = make_series(SPRINT)
    Series.objects.filter(pk=sprint_series.pk).update(position=1)
    raced_season(sprint_series, "sprint-2026", "Sprint Challenge China 2026", shared, "Sprinter")
    season_feature(championship_id=cup.pk)
    draft = raced_season(
        make_series("Sprint Trophy Asia"),
        "trophy-asia-2026",
        "Sprint Trophy Asia 2026",
        make_driver("Ida", "Hidden"),
        "Secret",
    )
    season_status_set(championship_id=draft.pk, status=SeasonStatus.DRAFT)
    yield
    cache.clear()


def test_a_fan_picks_the_sprint_opens_its_standings_and_a_driver_of_both_series(
    live_server, page, organiser
):
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", level=2, name="Porsche Carrera Cup Asia").is_visible()
    assert page.get_by_role("heading", level=2, name=SPRINT).is_visible()
    assert page.locator(".countdown").first.inner_text().startswith("Lights out in")

    page.get_by_role("navigation", name="Series").get_by_role("link", name=SPRINT).click()
    assert page.url == live_server.url + "/series/porsche-sprint-challenge-china/"
    assert page.get_by_role("heading", level=1).inner_text() == SPRINT
    menu = page.get_by_role("navigation", name="Series")
    assert menu.get_by_role("link", name=SPRINT).get_attribute("aria-current") == "true"

    page.get_by_role("navigation", name="Sprint Challenge China 2026 sections").get_by_role(
        "link", name="Standings"
    ).click()
    assert page.url == live_server.url + "/championships/sprint-2026/standings/"
    page.get_by_role("table").first.get_by_role("link", name="Lena Shared").click()

    assert page.url == live_server.url + "/drivers/lena-shared/"
    assert page.get_by_role("heading", level=1).inner_text() == "Lena Shared"
    body = page.locator("main").inner_text()
    assert "Carrera Cup Asia 2026" in body and "Sprint Challenge China 2026" in body

    page.get_by_role("link", name="简体中文").click()
    assert page.url == live_server.url + "/zh-hans/drivers/lena-shared/"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("heading", level=1).inner_text() == "Lena Shared"

    page.get_by_role("link", name="English").click()
    assert page.url == live_server.url + "/drivers/lena-shared/"
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="CupManager").click()
    assert page.url == live_server.url + "/"


def test_on_a_phone_the_series_are_one_tap_away(live_server, phone_page, organiser):
    phone_page.goto(live_server.url + "/championships/cup-2026/standings/")

    phone_page.get_by_role("navigation", name="Series").get_by_role("link", name=SPRINT).click()

    assert phone_page.url == live_server.url + "/series/porsche-sprint-challenge-china/"
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


DRAFT_PAGES = ["/championships/trophy-asia-2026/", "/championships/trophy-asia-2026/standings/"]
DRAFT_FEED = "/championships/trophy-asia-2026/calendar.ics"


def test_a_draft_season_is_invisible_to_an_anonymous_visitor(live_server, page, organiser):
    for address in DRAFT_PAGES:
        assert page.goto(live_server.url + address).status == 404, address
    assert page.request.get(live_server.url + DRAFT_FEED).status == 404
    for address in ("/", "/archive/", "/series/porsche-carrera-cup-asia/", "/sitemap.xml"):
        page.goto(live_server.url + address)
        assert "Sprint Trophy Asia" not in page.content(), address
        assert "trophy-asia" not in page.content(), address

    api = page.request.get(live_server.url + "/api/v1/championships/")
    assert api.status == 200
    slugs = [c["slug"] for c in api.json()["results"]]
    assert "cup-2026" in slugs and "trophy-asia-2026" not in slugs


def test_a_draft_season_is_visible_to_staff(live_server, browser, organiser):
    staff = Client()
    staff.force_login(make_staff("viewer", "championships.view_championship"))
    context = browser.new_context()
    context.add_cookies(
        [{"name": "sessionid", "value": staff.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    try:
        for address in DRAFT_PAGES:
            assert page.goto(live_server.url + address).status == 200, address
        feed = page.request.get(live_server.url + DRAFT_FEED)
        assert feed.status == 200 and "Sprint Trophy Asia 2026" in feed.text()
        page.goto(live_server.url + "/championships/trophy-asia-2026/")
        assert page.get_by_role("heading", level=1).inner_text() == "Sprint Trophy Asia 2026"
        assert page.get_by_text("Draft: only staff see this season.").is_visible()

        api = page.request.get(live_server.url + "/api/v1/championships/")
        slugs = [c["slug"] for c in api.json()["results"]]
        assert "trophy-asia-2026" in slugs
    finally:
        context.close()
