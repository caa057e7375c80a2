"""The race weekend's pages audited in Chromium by the vendored axe-core (WCAG 2 A and AA, and
headings in order; tests/browser/axe.py), under the site's own Content-Security-Policy, and
their headings read in order (one h1 first, no level skipped on the way down).

A round at Sepang holds practice 1 and qualifying 1 with their classifications, two races with
results, race 1's grid published from qualifying and the laps of race 1 and of qualifying: the
lap chart and each driver's laps (one of the ``<details>`` opened before the audit).
Audited: the public meeting page in English and in Chinese, at a desk and on a phone (nothing
scrolls sideways); race control's pages of the weekend: a session's page, its upload before
and after the dry run, its versions after applying the upload, race 2's Grid page before and
after publishing, and race 2's lap upload before and after its dry run (with a warning). A
failure names every page with what axe found on it, each node's HTML included.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from championships.models import Race, Session, SessionKind
from championships.weekend import grid_publish, laps_import, session_import
from tests.browser.axe import axe_violations
from tests.browser.test_accessibility_board import outside_django
from tests.browser.test_notice_board import STAFF_PASSWORD, ZONE, race_control_group, staff_sign_in
from tests.factories import (
    make_championship,
    make_circuit,
    make_driver,
    make_entry,
    make_meeting,
    make_race,
    make_result,
    make_team,
)

SHOTS = Path("/tmp/a11y")
PHONE = {"width": 390, "height": 844}

# The cars: number, driver, team.
CARS = {
    3: ("Aiman", "Hakim", "Alpha"),
    5: ("Bo", "Chen", "Beta"),
    7: ("Chen", "Wei", "Gamma"),
    9: ("Dewi", "Sari", "Delta"),
}

PRACTICE = (
    "POS,NO,LAPS,BEST_LAP,SECOND_BEST\n"
    "1,3,8,1:59.000,1:59.200\n2,7,8,1:59.100,\n3,9,7,1:59.800,2:00.100\n4,5,3,2:00.500,\n"
)
# Race control's second practice file: #5 and #9 swapped.
PRACTICE_REVISED = (
    "POS,NO,LAPS,BEST_LAP,SECOND_BEST\n"
    "1,3,8,1:59.000,1:59.200\n2,7,8,1:59.100,\n3,5,7,1:59.700,1:59.900\n4,9,7,1:59.800,\n"
)
QUALIFYING = (
    "POS,NO,LAPS,BEST_LAP,SECOND_BEST\n"
    "1,7,6,1:58.100,1:58.400\n2,3,6,1:58.200,1:58.500\n"
    "3,5,6,1:58.900,1:59.000\n4,9,6,1:59.300,1:59.600\n"
)
# Each car's qualifying laps (seconds): out lap, the second-best, a slower one, the best, a
# cool-down lap and the in lap (ending in the pit lane).
QUALIFYING_LAPS = {
    7: [130.0, 118.4, 119.9, 118.1, 125.0, 131.0],
    3: [131.0, 118.5, 120.2, 118.2, 126.0, 132.0],
    5: [129.5, 119.0, 120.5, 118.9, 125.5, 130.5],
    9: [132.0, 119.6, 121.0, 119.3, 127.0, 133.0],
}
# Race 1's laps: #7 leads, #3 passes it on the last lap; #5 stops in the pits on lap 4.
RACE_1_LAPS = {
    3: [119.5, 118.9, 118.6, 118.3, 118.1],
    7: [119.0, 118.2, 118.5, 118.9, 119.4],
    9: [122.0, 119.8, 119.9, 119.5, 119.6],
    5: [121.0, 119.4, 119.0, 125.5, 119.2],
}
RACE_1_PIT = {(5, 4)}
RACE_1_ORDER = (3, 7, 9, 5)
# Race 2's laps, for the back office's dry run: #5 has a lap fewer than its classification.
RACE_2_LAPS = {
    7: [119.2, 118.6, 118.8, 118.7, 118.9],
    3: [119.6, 118.7, 118.9, 118.8, 118.6],
    5: [121.1, 119.3, 119.2, 119.4],
    9: [122.4, 120.1],
}


def seconds(value: float) -> dt.timedelta:
    return dt.timedelta(seconds=value)


def lap_export(laps: dict[int, list[float]], pits: set[tuple[int, int]] = frozenset()) -> str:
    """The timing system's lap export of ``laps`` (each car's laps 1..N), a "B" on the laps
    in ``pits`` ((car, lap) pairs)."""
    lines = ["NUMBER;LAP_NUMBER;LAP_TIME;CROSSING_FINISH_LINE_IN_PIT"]
    for car, times in laps.items():
        for number, time in enumerate(times, start=1):
            minutes, rest = divmod(time, 60)
            pit = "B" if (car, number) in pits else ""
            lines.append(f"{car};{number};{int(minutes)}'{rest:06.3f};{pit}")
    return "\n".join(lines) + "\n"


@dataclasses.dataclass
class Weekend:
    meeting: object
    practice: Session
    qualifying: Session
    race_1: Race
    race_2: Race

    @property
    def public(self) -> str:
        championship = self.meeting.championship
        return f"/championships/{championship.slug}/rounds/{self.meeting.round}/"


@pytest.fixture
def weekend(transactional_db, django_user_model) -> Weekend:
    """Round 1 of the Sepang Cup, raced this week: practice 1 and qualifying 1 classified,
    race 1 (its grid published from qualifying, its laps imported) and race 2 with results,
    qualifying's laps imported; and a race control steward."""
    cache.clear()
    today = timezone.localdate()
    now = timezone.now()
    championship = make_championship(
        "sepang-cup", year=today.year, name="Sepang Cup", name_zh_hans="雪邦杯"
    )
    sepang = make_circuit("Sepang International Circuit", country="MY", timezone=ZONE)
    meeting = make_meeting(championship, 1, circuit=sepang, start_date=today - dt.timedelta(days=1))
    cars = {
        number: make_entry(
            championship, number, driver=make_driver(first, last), team=make_team(team)
        )
        for number, (first, last, team) in CARS.items()
    }
    practice = Session.objects.create(
        meeting=meeting, kind=SessionKind.PRACTICE, number=1, starts_at=now - dt.timedelta(hours=6)
    )
    qualifying = Session.objects.create(
        meeting=meeting,
        kind=SessionKind.QUALIFYING,
        number=1,
        starts_at=now - dt.timedelta(hours=4),
    )
    race_1 = make_race(meeting, 1, starts_at=now - dt.timedelta(hours=2))
    race_2 = make_race(meeting, 2, starts_at=now - dt.timedelta(hours=1))

    session_import(session=practice, source=PRACTICE, dry_run=False, reason="Practice 1")
    session_import(session=qualifying, source=QUALIFYING, dry_run=False, reason="Qualifying 1")
    laps_import(subject=qualifying, source=lap_export(QUALIFYING_LAPS, set()), dry_run=False)
    grid_publish(race=race_1)

    for position, car in enumerate(RACE_1_ORDER, start=1):
        times = RACE_1_LAPS[car]
        make_result(
            race_1,
            cars[car],
            position,
            laps=len(times),
            total_time=seconds(sum(times)),
            best_lap=seconds(min(times)),
        )
    laps_import(subject=race_1, source=lap_export(RACE_1_LAPS, RACE_1_PIT), dry_run=False)
    for position, car in enumerate((7, 3, 5), start=1):
        make_result(race_2, cars[car], position, laps=5, total_time=seconds(595 + position))
    make_result(race_2, cars[9], laps=2)  # did not finish
    cache.clear()  # the results above were written past the services

    steward = django_user_model.objects.create_user(
        "rc-steward", password=STAFF_PASSWORD, is_staff=True, first_name="Ana", last_name="Lim"
    )
    steward.groups.add(race_control_group())
    yield Weekend(meeting, practice, qualifying, race_1, race_2)
    cache.clear()


# Auditing --------------------------------------------------------------------------------------

HEADINGS = """() => Array.from(document.querySelectorAll("h1, h2, h3, h4, h5, h6, [role=heading]"))
  .filter((h) => h.checkVisibility())
  .map((h) => ({
    level: Number(h.getAttribute("aria-level") || h.tagName.slice(1)),
    text: h.textContent.trim().replace(/\\s+/g, " ").slice(0, 60),
  }))"""


def heading_problems(page) -> list[str]:
    """What is wrong with the order of the page's headings: one h1, first, and no level
    skipped going down (h2 to h4)."""
    headings = page.evaluate(HEADINGS)
    if not headings:
        return ["no heading"]
    problems = []
    if headings[0]["level"] != 1:
        problems.append(f"the first heading is h{headings[0]['level']}: {headings[0]['text']!r}")
    if (count := sum(1 for h in headings if h["level"] == 1)) != 1:
        problems.append(f"{count} h1 headings")
    for before, heading in zip(headings, headings[1:], strict=False):
        if heading["level"] > before["level"] + 1:
            problems.append(
                f"h{before['level']} {before['text']!r} is followed by "
                f"h{heading['level']} {heading['text']!r}"
            )
    return problems


OUTER_HTML = "(node) => node.outerHTML.replace(/\\s+/g, ' ').slice(0, 400)"


def snippet(page, target: str) -> str:
    try:
        return page.locator(target).first.evaluate(OUTER_HTML, timeout=2000)
    except Exception as error:  # a selector Playwright does not read: say so, go on
        return f"(HTML not read: {type(error).__name__})"


def described(page, violations: list[dict]) -> str:
    """Each violation: its rule, impact and help, and each node's selector, what fails and
    its HTML."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join((node.get("summary") or "").split())
            lines.append(f"    {node['target']}: {summary}")
            lines.append(f"      {snippet(page, node['target'])}")
    return "\n".join(lines)


def audit_here(page, name: str, found: dict[str, str]) -> None:
    """The page as it is now: axe's violations (outside Django's own markup, as on the
    board's audit) and the headings' order; nothing recorded when both are clean."""
    texts = []
    if violations := outside_django(axe_violations(page)):
        texts.append(described(page, violations))
    if problems := heading_problems(page):
        texts.append("\n".join(f"- headings: {problem}" for problem in problems))
    if texts:
        found[name] = "\n".join(texts)


def visit(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("networkidle")


def report(found: dict[str, str]) -> str:
    return "\n".join(f"{name}\n{text}" for name, text in found.items())


def admin(name: str, pk: int) -> str:
    return reverse(f"admin:championships_{name}", args=[pk])


# The public meeting page -----------------------------------------------------------------------


def open_the_laps(page, weekend: Weekend) -> None:
    """The page shows the lap chart (race 1's only) and each driver's laps of race 1 and
    qualifying 1; the first driver's laps of each are opened."""
    expect(page.locator("figure.lap-chart svg")).to_have_count(1)
    expect(page.locator("details.car-laps")).to_have_count(8)
    expect(page.locator(f"#grid-race-{weekend.race_1.number}")).to_be_visible()
    for kind, key in (("race", weekend.race_1.pk), ("session", weekend.qualifying.pk)):
        details = page.locator(f"section[aria-labelledby='laps-{kind}-{key}'] details.car-laps")
        expect(details).to_have_count(4)
        details.first.locator("summary").click()
        expect(details.first).to_have_attribute("open", "")
        expect(details.first.locator("table tbody tr").first).to_be_visible()


def test_the_public_meeting_page(live_server, page, weekend):
    found = {}
    for name, path in (("meeting-en", weekend.public), ("meeting-zh", "/zh-hans" + weekend.public)):
        visit(page, live_server.url + path)
        expect(page.locator(f"#session-{weekend.practice.pk}")).to_be_visible()
        expect(page.locator(f"#session-{weekend.qualifying.pk}")).to_be_visible()
        expect(page.locator("#race-2")).to_be_visible()
        open_the_laps(page, weekend)
        audit_here(page, f"{path} ({name}, a laps table of race 1 and of qualifying open)", found)

    assert found == {}, report(found)


def test_the_public_meeting_page_on_a_phone(live_server, browser, weekend):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    found = {}
    try:
        for name, path in (
            ("meeting-phone-en", weekend.public),
            ("meeting-phone-zh", "/zh-hans" + weekend.public),
        ):
            visit(page, live_server.url + path)
            open_the_laps(page, weekend)
            page.screenshot(path=SHOTS / f"{name}.png", full_page=True)
            audit_here(page, f"{path} ({name}, {PHONE['width']}x{PHONE['height']})", found)
            # Nothing scrolls sideways: the wide tables scroll in their own regions, the chart
            # fits the screen.
            widths = page.evaluate(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert widths[0] <= widths[1], (path, widths)
            chart = page.locator("figure.lap-chart svg").bounding_box()
            assert chart["x"] >= 0 and chart["x"] + chart["width"] <= PHONE["width"], (path, chart)
    finally:
        context.close()

    assert found == {}, report(found)


# Race control's pages --------------------------------------------------------------------------


def test_a_sessions_pages_in_the_back_office(live_server, page, weekend, tmp_path):
    practice = weekend.practice
    staff_sign_in(page, live_server)
    found = {}
    for name in ("session_change", "session_import_classification", "session_versions"):
        url = admin(name, weekend.qualifying.pk)
        visit(page, live_server.url + url)
        audit_here(page, f"{url} (qualifying 1)", found)

    upload = admin("session_import_classification", practice.pk)
    visit(page, live_server.url + upload)
    audit_here(page, f"{upload} (practice 1, empty)", found)
    export = tmp_path / "SEPANG-P1.csv"
    export.write_text(PRACTICE_REVISED)
    page.get_by_label("Classification file (.csv)").set_input_files(str(export))
    page.get_by_label("Why").fill("Practice 1, corrected")
    page.get_by_role("button", name="Check (dry run)").click()
    expect(page.locator("table#session-lines tbody tr")).to_have_count(4)
    audit_here(page, f"{upload} (practice 1, the dry run's preview)", found)

    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(live_server.url + admin("session_versions", practice.pk))
    expect(page.locator(".messagelist")).to_contain_text("The classification is now version 2")
    expect(page.locator("#version-1")).to_be_visible()
    audit_here(page, f"{admin('session_versions', practice.pk)} (practice 1, 2 versions)", found)

    assert found == {}, report(found)


def test_a_races_grid_and_lap_upload_in_the_back_office(live_server, page, weekend, tmp_path):
    race = weekend.race_2
    staff_sign_in(page, live_server)
    found = {}
    grid = admin("race_grid", race.pk)
    visit(page, live_server.url + grid)
    expect(page.locator("table#grid-plan tbody tr")).to_have_count(4)
    expect(page.get_by_text("No grid is published for this race yet")).to_be_visible()
    audit_here(page, f"{grid} (race 2, before publishing)", found)
    page.get_by_role("button", name="Publish this grid on the notice board").click()
    expect(page.locator("table#grid-published tbody tr")).to_have_count(4)
    audit_here(page, f"{grid} (race 2, published)", found)

    laps = admin("race_import_laps", race.pk)
    visit(page, live_server.url + laps)
    audit_here(page, f"{laps} (race 2, empty)", found)
    export = tmp_path / "SEPANG-R2-laps.csv"
    export.write_text(lap_export(RACE_2_LAPS))
    page.get_by_label("Lap file (.csv)").set_input_files(str(export))
    page.get_by_role("button", name="Check (dry run)").click()
    expect(page.locator("table#laps-per-car tbody tr")).to_have_count(4)
    expect(page.locator("#laps-warnings")).to_contain_text("car 5 has 4 laps here but 5")
    audit_here(page, f"{laps} (race 2, the dry run's preview with a warning)", found)

    assert found == {}, report(found)
