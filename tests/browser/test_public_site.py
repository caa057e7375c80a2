"""The public site in a real browser: the fan's paths, the controls, languages, no errors.

Screenshots of every page at 390 px (a phone) and 1280 px (a desktop) go to test-artifacts/,
which git ignores, for a person to look over.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone

from championships.bundle import season_import
from championships.models import Championship, Prize
from tests.factories import EXAMPLE_SEASON, PROJECT_DIR, make_circuit, make_meeting, make_race

ARTIFACTS = PROJECT_DIR / "test-artifacts"
PAGES = {
    "home": "/",
    "calendar": "/calendar/",
    "standings": "/standings/",
    "standings-pro-am-after-2": "/standings/?table=class-PRO_AM&after_round=2",
    "teams": "/standings/?table=teams",
    "meeting": "/championships/pcca-2024/rounds/1/",
    "entries": "/entries/",
    "driver": "/drivers/kai-lindqvist/",
    "archive": "/archive/",
    "home-zh": "/zh-hans/",
    "standings-zh": "/zh-hans/standings/",
}


@pytest.fixture
def season(transactional_db) -> Championship:
    cache.clear()
    season_import(EXAMPLE_SEASON)
    championship = Championship.objects.get(slug="pcca-2024")
    # A meeting a few days ahead, so the home page has a countdown to run.
    soon = timezone.now() + dt.timedelta(days=4)
    circuit = make_circuit("Sepang International Circuit", timezone="Asia/Kuala_Lumpur")
    meeting = make_meeting(championship, 8, circuit=circuit, start_date=soon.date())
    make_race(meeting, 1, starts_at=soon)
    Prize.objects.create(championship=championship, after_round=4, award="Le Mans 24 Hours")
    yield championship
    cache.clear()


def test_a_fan_goes_from_home_to_the_standings_to_a_drivers_page(live_server, page, season):
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", level=2, name="Porsche Carrera Cup Asia").is_visible()
    assert page.get_by_role("link", name="Porsche Carrera Cup Asia 2024").is_visible()
    assert page.locator(".countdown").inner_text().startswith("Lights out in")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Standings").click()
    page.get_by_role("table").first.get_by_role("link", name="Kai Lindqvist").click()

    assert page.url.endswith("/drivers/kai-lindqvist/")
    assert page.get_by_role("heading", level=1).inner_text() == "Kai Lindqvist"
    assert page.get_by_role("heading", name="Place in each table").is_visible()


def test_the_after_round_control_shows_the_table_as_it_stood(live_server, page, season):
    page.goto(live_server.url + "/standings/")

    page.get_by_label("After round").select_option("2")
    page.get_by_label("Table").select_option("class-PRO_AM")
    page.get_by_role("button", name="Show").click()

    assert "after_round=2" in page.url and "table=class-PRO_AM" in page.url
    assert page.get_by_role("heading", level=2, name="PRO-AM class after round 2").is_visible()
    headers = page.locator("table.standings thead th").all_inner_texts()
    assert "R2-2" in headers and "R3-1" not in headers


def test_the_entry_list_filters_by_class_and_flags(live_server, page, season):
    page.goto(live_server.url + "/entries/")
    everyone = page.locator("table.entries tbody tr").count()

    page.get_by_label("Class").select_option("AM")
    page.get_by_role("button", name="Filter").click()
    am = page.locator("table.entries tbody tr").count()
    page.get_by_label("Rookie").select_option("true")
    page.get_by_role("button", name="Filter").click()

    assert 0 < am < everyone
    assert "entry_class=AM" in page.url and "rookie=true" in page.url
    assert page.locator("table.entries tbody tr").count() <= am
    page.get_by_role("link", name="Show every entry").click()
    assert page.locator("table.entries tbody tr").count() == everyone


def test_the_language_switch_goes_to_chinese_and_back_on_the_same_page(live_server, page, season):
    page.goto(live_server.url + "/standings/?table=teams")

    page.get_by_role("link", name="简体中文").click()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.url == live_server.url + "/zh-hans/standings/?table=teams"

    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url == live_server.url + "/standings/?table=teams"


def test_no_page_logs_a_console_error(live_server, page, season):
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    for path in PAGES.values():
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path

    assert problems == []


def test_javascript_adds_the_visitors_own_time(live_server, page, season):
    page.goto(live_server.url + "/calendar/")

    first = page.locator(".visitor-time").first
    assert "your time: " in first.inner_text()


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 800)])
def test_every_page_fits_its_screen_and_is_saved_as_a_screenshot(
    live_server, browser, season, width, height
):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        for name, path in PAGES.items():
            page.goto(live_server.url + path)
            page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} is wider than {width} px"
    finally:
        context.close()
    assert len(list(Path(ARTIFACTS).glob(f"*-{width}.png"))) >= len(PAGES)


def test_keyboard_focus_is_visible_on_links_and_controls(live_server, page, season):
    page.goto(live_server.url + "/standings/")

    page.get_by_label("Table").focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")

    assert outline == "solid"
