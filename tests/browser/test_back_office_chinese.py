"""The back office in Chinese, in Chromium: a staff member picks 简体中文 in the header, uploads
a race's classification (checked, then applied) and allocates a car on the allocation board,
and no page on the way shows an English string of ours.

"Ours" are the msgids of ``locale/zh_Hans/LC_MESSAGES/django.po`` whose Chinese differs from the
English (or is missing). ``tests/site/test_back_office_strings_translated.py`` makes sure that
every message of the back office's code is in that catalogue; this test makes sure that what
the pages show goes through it. What the season's data says (names, chassis numbers) is taken
out of each page's text first: it is the organiser's, not ours.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polib
import pytest
from django.core.cache import cache
from django.utils import translation

from championships.models import Race
from entries.models import Car, Entry
from tests.factories import (
    PROJECT_DIR,
    make_allocation,
    make_car,
    make_championship,
    make_entry,
    make_meeting,
    make_race,
    make_result,
)

CATALOGUE = PROJECT_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
EXPORT = (
    "POSITION;NUMBER;STATUS;LAPS;TOTAL_TIME;GAP_FIRST;FL_TIME\n"
    "1;2;Classified;15;29'59.900;;1'58.000\n"
    "2;1;Classified;15;30:00.500;+0.600;1'58.100\n"
    "3;3;Retired;4;;;2'01.000\n"
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\w*\}|<[^>]*>")
LETTERS = re.compile(r"[A-Za-z]")


def english_pattern(msgid: str) -> re.Pattern | None:
    """The msgid as it reads on a page, whatever its placeholders hold; None if too short to
    tell apart from a word of the data (fewer than 4 letters of its own)."""
    pieces = PLACEHOLDER.split(msgid)
    if len(LETTERS.findall("".join(pieces))) < 4:
        return None
    words = [r"\s+".join(map(re.escape, piece.split())) for piece in pieces]
    return re.compile(r"(?<![A-Za-z])" + r".+?".join(w for w in words if w) + r"(?![A-Za-z])")


def english_strings_of_ours() -> dict[str, re.Pattern]:
    found = {}
    for entry in polib.pofile(str(CATALOGUE)):
        translated = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
        if entry.obsolete or translated == entry.msgid:
            continue
        for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
            pattern = english_pattern(msgid)
            if pattern:
                found[msgid] = pattern
    return found


ENGLISH = english_strings_of_ours()


SHOWN_ATTRIBUTES = """() => [...document.querySelectorAll(
    'input[type=submit], input[type=button], [title], [placeholder], [aria-label]')]
    .flatMap(e => [
        e.type === 'submit' || e.type === 'button' ? e.value : '',
        e.title || '', e.placeholder || '', e.getAttribute('aria-label') || ''])"""


def shown_text(page) -> str:
    """What a staff member reads: the title, the body's text, and the labels of buttons and
    the titles and placeholders that the text leaves out."""
    attributes = page.evaluate(SHOWN_ATTRIBUTES)
    return "\n".join([page.title(), page.locator("body").inner_text(), *attributes])


def english_on(page, data: list[str]) -> list[str]:
    text = shown_text(page)
    for value in sorted(data, key=len, reverse=True):  # the longest first: names hold words
        text = text.replace(value, " ")
    return sorted(msgid for msgid, pattern in ENGLISH.items() if pattern.search(text))


@pytest.fixture
def season(transactional_db) -> dict:
    cache.clear()
    championship = make_championship("browser-cup", year=2025)
    meeting = make_meeting(championship, 1, start_date=dt.date(2025, 4, 19))
    cars = {n: make_entry(championship, n, arrive_and_drive=n < 3) for n in (1, 2, 3)}
    race = make_race(meeting)
    make_result(race, cars[1], position=1, laps=15, total_time=dt.timedelta(minutes=30))
    make_result(race, cars[2], position=2, laps=15, total_time=dt.timedelta(minutes=30, seconds=1))
    make_allocation(meeting, make_car("WP0ZZZ99ZPS000101", model="911 GT3 Cup"), cars[1])
    spare = make_car("WP0ZZZ99ZPS000102", model="911 GT3 Cup")
    yield {"race": race, "meeting": meeting, "entry": cars[2], "spare": spare}
    cache.clear()


def data_strings(username: str) -> list[str]:
    """Every name and number of the season as the pages print them, in Chinese."""
    with translation.override("zh-hans"):
        race = Race.objects.select_related("meeting__championship__series").get()
        meeting, championship = race.meeting, race.meeting.championship
        values = [str(race), str(meeting), str(championship), str(championship.series)]
        values += [str(meeting.circuit), championship.slug, username]
        for entry in Entry.objects.select_related("driver", "team"):
            values += [str(entry), entry.driver.full_name, str(entry.driver), str(entry.team)]
        for car in Car.objects.select_related("operator"):
            values += [str(car), car.chassis_number, car.model, str(car.operator)]
    return [value for value in values if value]


def log_in_and_pick_chinese(page, live_server, django_user_model) -> None:
    django_user_model.objects.create_superuser("manager", "manager@example.com", "pw-browser")
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill("manager")
    page.locator("#id_password").fill("pw-browser")
    page.locator("#login-form [type=submit]").click()
    page.locator("#staff-language").select_option("zh-hans")
    page.locator("#language-form button").click()
    page.wait_for_load_state()


def test_a_classification_upload_and_the_allocation_board_show_no_english_of_ours(
    live_server, page, season, django_user_model, tmp_path: Path
):
    assert len(ENGLISH) > 500  # the catalogue was read
    log_in_and_pick_chinese(page, live_server, django_user_model)
    data = data_strings("manager")
    export = tmp_path / "TSL-R1-1.csv"
    export.write_text(EXPORT)
    seen: dict[str, list[str]] = {}

    def visited(step: str) -> None:
        assert page.locator("html").get_attribute("lang") == "zh-hans", step
        seen[step] = english_on(page, data)

    visited("the back office's index")
    page.goto(f"{live_server.url}/admin/championships/race/{season['race'].pk}/change/")
    visited("the race")
    page.locator("a[href$='/import-classification/']").click()
    visited("the upload page")
    page.locator("input[type=file]").set_input_files(str(export))
    page.locator("#id_reason").fill("临时成绩")
    page.locator("input[name=preview]").click()
    assert page.locator("#rows-added").is_visible()
    visited("the dry run")
    page.locator("input[name=apply]").click()
    assert page.locator(".messagelist").is_visible()
    visited("the race after applying")

    page.goto(f"{live_server.url}/admin/entries/carallocation/board/")
    visited("the allocation boards")
    page.locator(f"a[href$='/board/{season['meeting'].pk}/']").click()
    visited("the meeting's board")
    page.locator("#board-allocate select[name=entry]").select_option(str(season["entry"].pk))
    page.locator("#board-allocate select[name=car]").select_option(str(season["spare"].pk))
    page.locator("#board-allocate input[name=allocate]").click()
    assert page.locator(".messagelist").is_visible()
    visited("the board after allocating")

    assert Race.objects.get().classification_version == 2
    assert {step: found for step, found in seen.items() if found} == {}


def test_the_check_finds_an_english_message_whatever_its_placeholders_hold():
    pattern = english_pattern("Allocated %(a)s.")

    assert pattern.search("Allocated WP0ZZZ99ZPS000102 → #2.")
    assert not pattern.search("已分配 WP0ZZZ99ZPS000102 → #2。")
    assert english_pattern("Car") is None
    assert not english_pattern("Race").search("Racers")
