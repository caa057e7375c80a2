"""Race control in Chromium: a series manager uploads a timing export, reads the dry run,
applies it, declares the classification final, and prints the timing sheet; a second staff
member's stale save is refused with the first one's name."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from championships.models import Race
from tests.factories import (
    PROJECT_DIR,
    make_championship,
    make_entry,
    make_meeting,
    make_race,
    make_result,
)

ARTIFACTS = PROJECT_DIR / "test-artifacts"
EXPORT = (
    "POSITION;NUMBER;STATUS;LAPS;TOTAL_TIME;GAP_FIRST;FL_TIME\n"
    "1;2;Classified;15;29'59.900;;1'58.000\n"
    "2;1;Classified;15;30:00.500;+0.600;1'58.100\n"
    "3;3;Retired;4;;;2'01.000\n"
)


@pytest.fixture
def race(transactional_db) -> Race:
    cache.clear()
    championship = make_championship("browser-cup")
    cars = {n: make_entry(championship, n) for n in (1, 2, 3)}
    race = make_race(make_meeting(championship))
    make_result(race, cars[1], position=1, laps=15, total_time=dt.timedelta(minutes=30))
    make_result(race, cars[2], position=2, laps=15, total_time=dt.timedelta(minutes=30, seconds=1))
    yield race
    cache.clear()


def log_in(page, live_server, django_user_model, username: str) -> None:
    django_user_model.objects.create_superuser(username, f"{username}@example.com", "pw-browser")
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw-browser")
    page.get_by_role("button", name="Log in").click()


def test_upload_a_timing_export_apply_it_declare_it_final_and_print_it(
    live_server, page, race, django_user_model, tmp_path: Path
):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, live_server, django_user_model, "manager")
    export = tmp_path / "TSL-R1-1.csv"
    export.write_text(EXPORT)

    page.goto(f"{live_server.url}/admin/championships/race/{race.pk}/change/")
    page.get_by_role("link", name="Upload classification").click()
    page.get_by_label("Classification file (.csv)").set_input_files(str(export))
    page.get_by_label("Why").fill("Provisional classification")
    page.get_by_role("button", name="Check (dry run)").click()

    assert page.locator("#rows-added").get_by_role("cell", name="#3").is_visible()
    assert page.locator("#rows-changed").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "race-control-dry-run.png"), full_page=True)
    page.get_by_role("button", name="Apply").click()

    assert "is now version 2" in page.locator(".messagelist").inner_text()
    page.get_by_label("State").select_option("FINAL")
    page.get_by_role("button", name="Declare").click()
    assert "is now Final (version 3)" in page.locator(".messagelist").inner_text()

    # The admin's pages have no icon, so Chromium's own /favicon.ico request fails there.
    assert not [e for e in errors if "Content Security Policy" in e]
    errors.clear()
    page.goto(f"{live_server.url}/championships/browser-cup/rounds/1/races/1/sheet/")
    assert page.locator("#sheet-state").inner_text().startswith("FINAL CLASSIFICATION")
    page.emulate_media(media="print")
    page.screenshot(path=str(ARTIFACTS / "race-control-timing-sheet.png"), full_page=True)
    assert errors == []


def test_a_second_staff_members_stale_save_is_refused_naming_the_first(
    live_server, browser, race, django_user_model
):
    pages = []
    for name in ("alice", "bob"):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        log_in(page, live_server, django_user_model, name)
        page.goto(f"{live_server.url}/admin/championships/race/{race.pk}/change/")
        pages.append(page)
    alice, bob = pages

    alice.locator("#id_results-1-laps").fill("14")
    alice.get_by_role("button", name="Save", exact=True).click()
    # Alice's save completes first: a click does not wait for the answer to its POST.
    expect(alice.locator(".messagelist")).to_contain_text("was changed successfully")
    bob.locator("#id_results-1-laps").fill("13")
    bob.get_by_role("button", name="Save", exact=True).click()

    refusal = bob.locator(".errornote, .errorlist.nonfield")
    expect(refusal.filter(has_text="alice changed the classification").first).to_be_visible()
    assert race.results.get(position=2).laps == 14
    for page in pages:
        page.context.close()
