"""The notice board's pages audited in Chromium by the vendored axe-core (WCAG 2 A and AA, and
headings in order; tests/browser/axe.py), under the site's own Content-Security-Policy.

A round's board holds documents of several kinds with Chinese titles: supplementary
regulations, a timetable superseded by a second one, a provisional classification, a bulletin
about one car, a generated entry list whose PDFs are still being prepared and a generated
summons with both PDFs (the hearing of team Alpha's protest, filed with an attachment).
Audited: the public board in English, in Chinese, filtered by kind and on a phone (each document
a card: nothing scrolls sideways), the round's page that links it; the team manager's
board, before and after an acknowledgement, protests, the filing form empty and refused, a
filing; the back office's round board, the publish form refused, a document, the protest with
the hearing's forms and the acknowledgements of the round. A failure names every page with
what axe found on it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

import championships.board
from championships.board_documents import board_publish_entry_list
from championships.models import BoardDocument, BoardKind, Issuer
from paddock.models import FilingKind, Protest
from paddock.services.hearings import protest_summon
from paddock.services.protests import protest_file
from tests.browser.axe import axe_violations, describe
from tests.browser.test_notice_board import (
    STAFF_PASSWORD,
    ZONE,
    entrant_sign_in,
    race_control_group,
    staff_sign_in,
)
from tests.factories import (
    PDF,
    make_board_document,
    make_championship,
    make_circuit,
    make_driver,
    make_meeting,
    make_race,
)
from tests.paddock.factories import make_account, make_racing_team

SHOTS = Path("/tmp/a11y")

# Violations in Django's own admin markup, which the project's templates do not draw: the
# breadcrumbs (admin/base.html's, styled by Django: white links on light-blue text, not
# underlined; axe flags them where the page's title makes the trail mostly text) and the search
# box select2 adds to an autocomplete field (Django's vendored select2, no label of its own;
# the field itself is labelled). Only these nodes of these rules are left out.
DJANGOS_OWN = {("link-in-text-block", ".breadcrumbs > a"), ("label", ".select2-search__field")}


@dataclasses.dataclass
class Round:
    meeting: object
    alpha: object
    classification: BoardDocument
    protest: Protest
    manager_email: str

    @property
    def public(self) -> str:
        championship = self.meeting.championship
        return f"/championships/{championship.slug}/rounds/{self.meeting.round}/"


@pytest.fixture
def board(transactional_db, django_user_model, monkeypatch) -> Round:
    today = timezone.localdate()
    championship = make_championship(
        "sepang-cup", year=today.year, name="Sepang Cup", name_zh_hans="雪邦杯"
    )
    sepang = make_circuit("Sepang International Circuit", country="MY", timezone=ZONE)
    meeting = make_meeting(championship, 1, circuit=sepang, start_date=today - dt.timedelta(days=1))
    race = make_race(meeting, starts_at=timezone.now() - dt.timedelta(hours=2))
    manager = make_account("alpha-manager@example.com")
    alpha = make_racing_team(championship, "Alpha", manager=manager)
    beta = make_racing_team(championship, "Beta")
    alpha_car, beta_car = alpha.racing_entries().get(), beta.racing_entries().get()
    for car, driver in (
        (alpha_car, make_driver("Aiman", "Hakim")),
        (beta_car, make_driver("Bo", "Chen")),
    ):
        car.driver = driver
        car.save(update_fields=["driver"])
    steward = django_user_model.objects.create_user(
        "rc-steward", password=STAFF_PASSWORD, is_staff=True, first_name="Ana", last_name="Lim"
    )
    steward.groups.add(race_control_group())

    earlier = timezone.now() - dt.timedelta(hours=5)
    make_board_document(
        meeting,
        "Supplementary regulations",
        title_zh_hans="补充规则",
        kind=BoardKind.SUPPLEMENTARY_REGULATIONS,
        issued_by=Issuer.SERIES,
        at=earlier,
        user=steward,
    )
    first = make_board_document(
        meeting, "Timetable", title_zh_hans="时间表", kind=BoardKind.TIMETABLE, at=earlier
    )
    make_board_document(
        meeting,
        "Timetable (revised: qualifying at 10:15)",
        title_zh_hans="时间表（修订：排位赛10:15）",
        kind=BoardKind.TIMETABLE,
        supersedes=first,
        user=steward,
    )
    classification = make_board_document(
        meeting,
        "Race 1 — Provisional classification (version 1)",
        title_zh_hans="第1场 — 临时成绩（第1版）",
        kind=BoardKind.PROVISIONAL_CLASSIFICATION,
        issued_by=Issuer.TIMEKEEPING,
        race=race,
        user=steward,
    )
    make_board_document(
        meeting,
        "Bulletin 1: drive-through for car 2",
        title_zh_hans="公告1",
        concerns=[beta_car],
    )
    # A generated document whose PDFs are not drawn yet ("being prepared").
    with monkeypatch.context() as patched:
        patched.setattr(championships.board, "board_render_soon", lambda **kwargs: None)
        board_publish_entry_list(meeting=meeting, user=steward)
    protest = protest_file(
        team=alpha,
        user=manager,
        kind=FilingKind.PROTEST,
        document=classification,
        entry=alpha_car,
        against=beta_car,
        race=race,
        incident="Lap 12, turn 4",
        rule="Sporting Regulations 12.3",
        grounds="Car pushed ours off the track under braking.",
        files=[SimpleUploadedFile("onboard.pdf", PDF, content_type="application/pdf")],
    )
    # A generated document with both PDFs: the summons to the protest's hearing.
    protest_summon(
        protest=protest,
        hearing_at=timezone.now() + dt.timedelta(hours=1),
        place="Stewards' room, race control tower",
        user=steward,
    )
    summons = BoardDocument.objects.get(meeting=meeting, kind=BoardKind.SUMMONS)
    assert summons.editions.count() == 2
    return Round(meeting, alpha, classification, protest, manager.email)


def audit(page, base: str, paths: list[str]) -> dict[str, str]:
    """Each page's violations, described; pages without any left out."""
    found = {}
    for path in paths:
        response = page.goto(base + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        audit_here(page, path, found)
    return found


def outside_django(violations: list[dict]) -> list[dict]:
    """The violations without their nodes in Django's own markup (``DJANGOS_OWN``)."""
    kept = []
    for violation in violations:
        nodes = [
            node
            for node in violation["nodes"]
            if not any(
                rule == violation["id"] and node["target"].startswith(selector)
                for rule, selector in DJANGOS_OWN
            )
        ]
        if nodes:
            kept.append({**violation, "nodes": nodes})
    return kept


def audit_here(page, name: str, found: dict[str, str]) -> None:
    if violations := outside_django(axe_violations(page)):
        found[name] = describe(violations)


def report(found: dict[str, str]) -> str:
    return "\n".join(f"{path}\n{text}" for path, text in found.items())


def test_the_public_board_and_the_round_that_links_it(live_server, page, board):
    found = audit(
        page,
        live_server.url,
        [
            board.public + "board/",
            "/zh-hans" + board.public + "board/",
            board.public + "board/?kind=TIMETABLE",
            board.public + "board/?kind=SUMMONS",
            board.public,
        ],
    )
    page.goto(live_server.url + board.public)
    expect(page.get_by_role("link", name="Notice board").first).to_be_visible()
    page.goto(live_server.url + board.public + "board/")
    expect(page.locator("#doc-3 del")).to_have_count(0)
    expect(page.locator("#doc-2 del")).to_have_text("Timetable")
    expect(page.locator("#doc-6")).to_contain_text("PDF being prepared")
    expect(page.locator("#doc-7").get_by_role("link", name="简体中文")).to_be_visible()

    assert found == {}, report(found)


def test_the_public_board_on_a_phone(live_server, phone_page, board):
    SHOTS.mkdir(parents=True, exist_ok=True)
    found = {}
    for name, path in (
        ("board-phone-en", board.public + "board/"),
        ("board-phone-zh", "/zh-hans" + board.public + "board/"),
    ):
        response = phone_page.goto(live_server.url + path)
        assert response.status == 200
        phone_page.wait_for_load_state("networkidle")
        phone_page.screenshot(path=SHOTS / f"{name}.png", full_page=True)
        audit_here(phone_page, path, found)
        # Nothing scrolls sideways: each document is a card, its publication time and PDFs
        # in sight, each named.
        widths = phone_page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], (path, widths)
        region = phone_page.get_by_role(
            "region", name=("Documents" if "zh" not in name else "文件")
        )
        assert region.evaluate("(r) => r.scrollWidth <= r.clientWidth")
        first = phone_page.locator("table.board tbody tr").first
        expect(first.get_by_text("Published:" if "zh" not in name else "已发布:")).to_be_visible()
        pdf = first.get_by_role("link").first.bounding_box()
        assert pdf["x"] + pdf["width"] <= phone_page.viewport_size["width"]

    assert found == {}, report(found)


def test_the_team_managers_board_and_protests(live_server, page, board):
    meeting_board = f"/paddock/board/{board.meeting.pk}/"
    protest = board.protest
    entrant_sign_in(page, live_server, board.manager_email)
    found = audit(
        page,
        live_server.url,
        [
            "/paddock/board/",
            meeting_board,
            "/paddock/protests/",
            f"/paddock/protests/{protest.pk}/",
            f"/paddock/protests/new/{board.classification.pk}/",
        ],
    )
    # The filing form refused: every field's error shown.
    page.get_by_label("Grounds").fill("")
    page.get_by_role("button", name="File", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert Protest.objects.count() == 1  # nothing filed
    audit_here(page, "protest form (refused)", found)

    page.goto(live_server.url + meeting_board)
    row = page.locator(f"#document-{board.alpha.pk}-{board.classification.number}")
    row.get_by_role("button", name=f"Acknowledge document {board.classification.number}").click()
    expect(
        page.get_by_text(f"Alpha acknowledged document {board.classification.number}.")
    ).to_be_visible()
    audit_here(page, meeting_board + " (acknowledged)", found)

    assert found == {}, report(found)


def test_the_back_office_of_the_board(live_server, page, board):
    meeting = board.meeting
    staff_sign_in(page, live_server)
    add = reverse("admin:championships_boarddocument_add")
    found = audit(
        page,
        live_server.url,
        [
            reverse("admin:championships_boarddocument_meeting", args=[meeting.pk]),
            reverse("admin:championships_boarddocument_change", args=[board.classification.pk]),
            reverse("admin:paddock_protest_change", args=[board.protest.pk]),
            reverse("admin:paddock_acknowledgement_meeting", args=[meeting.pk]),
            f"{add}?meeting={meeting.pk}",
        ],
    )
    # The publish form refused: no title, no PDF.
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    expect(page.locator(".errorlist").first).to_be_visible()
    audit_here(page, add + " (refused)", found)

    assert found == {}, report(found)
