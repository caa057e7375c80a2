"""The notice board in Chromium (issue 19, "Done when"): race control applies a timing export
and its provisional classification appears on the round's public board, numbered and timed in
the circuit's zone; a team manager acknowledges it and staff see who has not; a protest filed
in time is heard and upheld with a time penalty, whose decision PDF is posted and whose
classification is the next version, superseding the first on the board; the PDFs open in both
languages (read back with pypdf, Chinese text in the Chinese edition); the Atom feed lists
every document in order. A protest filed one minute after its deadline is refused, naming it.

The season, the accounts and the teams are made directly; what a person does (the upload, the
acknowledgement, the filing, the hearing's steps) goes through the real pages, and the rest is
read back over HTTP.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import urllib.request
import xml.etree.ElementTree as ET
import zoneinfo
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from championships.models import (
    BoardDocument,
    BoardKind,
    ClassificationState,
    ClassificationVersion,
    Penalty,
    PenaltyKind,
    VersionCause,
)
from entries.models import Entry
from paddock.models import Acknowledgement, FilingStatus, HearingRules, Protest
from staff.roles import RACE_CONTROL_GROUP, ROLES
from tests.factories import (
    make_board_document,
    make_championship,
    make_circuit,
    make_driver,
    make_meeting,
    make_race,
)
from tests.paddock.factories import PASSWORD, make_account, make_racing_team

ZONE = "Asia/Kuala_Lumpur"
KL = zoneinfo.ZoneInfo(ZONE)
STAFF_PASSWORD = "pw-browser-race-control"
ATOM = "{http://www.w3.org/2005/Atom}"


@dataclasses.dataclass
class Weekend:
    meeting: object
    race: object
    alpha: object  # the protesting team account
    beta: object  # the team protested
    alpha_car: Entry
    beta_car: Entry
    manager_email: str

    @property
    def board(self) -> str:
        championship = self.meeting.championship
        return f"/championships/{championship.slug}/rounds/{self.meeting.round}/board/"


def race_control_group() -> Group:
    """The "Race control" role with its grants (a transactional test before this one may have
    flushed the group its migration made)."""
    group, _created = Group.objects.get_or_create(name=RACE_CONTROL_GROUP)
    wanted = Q()
    for app_label, codename in ROLES[RACE_CONTROL_GROUP]:
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.set(Permission.objects.filter(wanted))
    return group


@pytest.fixture
def weekend(transactional_db, django_user_model) -> Weekend:
    """A published season raced at Sepang (UTC+8) this week: team Alpha's car and team Beta's
    in its race, a race control steward."""
    cache.clear()
    today = timezone.localdate()
    championship = make_championship(
        "sepang-cup", year=today.year, name="Sepang Cup", name_zh_hans="雪邦杯"
    )
    sepang = make_circuit("Sepang International Circuit", country="MY", timezone=ZONE)
    meeting = make_meeting(championship, 1, circuit=sepang, start_date=today - dt.timedelta(days=1))
    race = make_race(meeting, starts_at=timezone.now() - dt.timedelta(hours=1))
    manager = make_account("alpha-manager@example.com")
    alpha = make_racing_team(championship, "Alpha", manager=manager)
    beta = make_racing_team(championship, "Beta")
    alpha_car = alpha.racing_entries().get()
    beta_car = beta.racing_entries().get()
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
    yield Weekend(meeting, race, alpha, beta, alpha_car, beta_car, manager.email)
    cache.clear()


# Signing in ------------------------------------------------------------------------------------


def staff_sign_in(page, live_server) -> None:
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("rc-steward")
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_be_visible()


def entrant_sign_in(page, live_server, email: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form").get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
    assert page.url.endswith("/paddock/"), page.url


# Reading what the site serves ------------------------------------------------------------------


def fetch(live_server, path: str) -> bytes:
    with urllib.request.urlopen(live_server.url + path, timeout=10) as response:
        assert response.status == 200, path
        return response.read()


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def board_time(moment: dt.datetime) -> str:
    """As the public board writes a publication time: ``Sun 15 Mar 2026, 15:42:05``."""
    local = moment.astimezone(KL)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M:%S}"


def document(weekend: Weekend, number: int) -> BoardDocument:
    return BoardDocument.objects.get(meeting=weekend.meeting, number=number)


# The steps -------------------------------------------------------------------------------------


def apply_the_timing_export(page, live_server, weekend: Weekend, tmp_path: Path) -> None:
    """Race control uploads the timing export (Beta's car 0.6 s ahead), checks it, applies it."""
    export = tmp_path / "SEPANG-R1.csv"
    export.write_text(
        "POSITION;NUMBER;STATUS;LAPS;TOTAL_TIME;GAP_FIRST;FL_TIME\n"
        f"1;{weekend.beta_car.car_number};Classified;15;29'59.900;;1'58.000\n"
        f"2;{weekend.alpha_car.car_number};Classified;15;30:00.500;+0.600;1'58.100\n"
    )
    page.goto(f"{live_server.url}/admin/championships/race/{weekend.race.pk}/change/")
    page.get_by_role("link", name="Upload classification").click()
    page.get_by_label("Classification file (.csv)").set_input_files(str(export))
    page.get_by_label("Why").fill("Provisional classification")
    page.get_by_role("button", name="Check (dry run)").click()
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".messagelist")).to_contain_text("is now version 1")


def the_board_shows_the_provisional_classification(page, live_server, weekend: Weekend) -> None:
    first = document(weekend, 1)
    assert first.kind == BoardKind.PROVISIONAL_CLASSIFICATION
    assert first.classification_version.number == 1
    page.goto(live_server.url + weekend.board)
    row = page.locator("#doc-1")
    expect(row.get_by_role("rowheader")).to_have_text("1")
    expect(row).to_contain_text("Race 1 — Provisional classification (version 1)")
    expect(row).to_contain_text("Provisional classification")  # the kind
    expect(row).to_contain_text("published by Ana Lim")
    expect(row.locator("time")).to_have_text(board_time(first.published_at))
    expect(row.locator(".zone")).to_have_text(f"{ZONE} time, UTC+0800")
    expect(row.get_by_role("link", name="English")).to_be_visible()  # drawn once applied
    expect(row.get_by_role("link", name="简体中文")).to_be_visible()


def acknowledge_it(page, live_server, weekend: Weekend) -> None:
    page.goto(f"{live_server.url}/paddock/board/{weekend.meeting.pk}/")
    row = page.locator(f"#document-{weekend.alpha.pk}-1")
    row.get_by_role("button", name="Acknowledge document 1").click()
    expect(page.get_by_text("Alpha acknowledged document 1.")).to_be_visible()
    acknowledged = Acknowledgement.objects.get(team=weekend.alpha, document__number=1)
    local = acknowledged.acknowledged_at.astimezone(KL)
    row = page.locator(f"#document-{weekend.alpha.pk}-1")
    expect(row).to_contain_text(
        f"by {weekend.manager_email}, {local:%a} {local.day} {local:%b, %H:%M}"
    )
    expect(row.get_by_role("button")).to_have_count(0)


def staff_see_who_has_not_acknowledged(page, live_server, weekend: Weekend) -> None:
    page.goto(f"{live_server.url}/admin/paddock/acknowledgement/meeting/{weekend.meeting.pk}/")
    expect(page.locator("#not-acknowledged")).to_contain_text("Beta: 1")
    expect(page.locator("#not-acknowledged")).not_to_contain_text("Alpha")
    alpha_row = page.locator("#acknowledgements tr", has_text="Alpha")
    when = Acknowledgement.objects.get(team=weekend.alpha).acknowledged_at.astimezone(KL)
    expect(alpha_row).to_contain_text(f"{weekend.manager_email}, {when:%Y-%m-%d %H:%M}")
    expect(page.locator("#acknowledgements tr", has_text="Beta")).to_contain_text("not yet")


def file_a_protest(page, live_server, weekend: Weekend, about: BoardDocument) -> None:
    page.goto(f"{live_server.url}/paddock/protests/new/{about.pk}/")
    page.get_by_label("What you file").select_option("PROTEST")
    page.get_by_label("Filed for").select_option(str(weekend.alpha_car.pk))
    page.get_by_label("Against").select_option(str(weekend.beta_car.pk))
    page.get_by_label("Race", exact=True).select_option(str(weekend.race.pk))
    page.get_by_label("Incident").fill("Lap 12, turn 4")
    page.get_by_label("Rule breached").fill("Sporting Regulations 12.3")
    page.get_by_label("Grounds").fill("Car pushed ours off the track under braking.")
    page.get_by_role("button", name="File", exact=True).click()


def hear_and_uphold(page, live_server, protest: Protest) -> None:
    """The stewards call the hearing, then uphold the protest with a 5 s time penalty."""
    page.goto(f"{live_server.url}/admin/paddock/protest/{protest.pk}/change/")
    summon = page.locator("#hearing-summon")
    summon.get_by_label("Hearing at").fill(
        (timezone.now() + dt.timedelta(hours=1)).astimezone(KL).strftime("%Y-%m-%dT%H:%M")
    )
    summon.get_by_label("Hearing place").fill("Stewards' room, race control tower")
    summon.get_by_role("button", name="Call the hearing").click()
    expect(page.locator(".messagelist")).to_contain_text("the summons is document 2")

    uphold = page.locator("#hearing-uphold")
    uphold.get_by_label("Kind").select_option(PenaltyKind.TIME)
    uphold.get_by_label("Value").fill("5")
    uphold.get_by_label("Decision number").fill("7")
    uphold.get_by_label("Reason (English)").fill("Causing a collision")
    uphold.get_by_label("Reason (Simplified Chinese)").fill("造成碰撞")
    uphold.get_by_role("button", name="Uphold: record the decision").click()
    expect(page.locator(".messagelist")).to_contain_text("is upheld; Decision 7 is recorded")


def the_pdfs_open_in_both_languages(live_server, weekend: Weekend) -> None:
    pages, english = pdf_text(fetch(live_server, weekend.board + "4/en.pdf"))
    assert pages >= 1
    assert "Race 1 — Provisional classification (version 2)" in english
    assert "Aiman Hakim" in english and "Bo Chen" in english
    assert "Decision 7" in english and "Sepang Cup" in english
    pages, chinese = pdf_text(fetch(live_server, weekend.board + "4/zh-hans.pdf"))
    assert pages >= 1
    assert "雪邦杯" in chinese and "临时成绩" in chinese  # the kind, "Provisional classification"
    assert "Aiman Hakim" in chinese

    pages, english = pdf_text(fetch(live_server, weekend.board + "3/en.pdf"))
    assert pages >= 1
    assert "Decision 7" in english and "Causing a collision" in english and "Bo Chen" in english
    pages, chinese = pdf_text(fetch(live_server, weekend.board + "3/zh-hans.pdf"))
    assert pages >= 1
    assert "造成碰撞" in chinese and "赛事干事判罚" in chinese  # the reason, "Stewards' decision"


def the_feed_lists_every_document_in_order(live_server, weekend: Weekend) -> None:
    root = ET.fromstring(fetch(live_server, weekend.board + "feed.atom"))
    titles = [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")]
    car = weekend.beta_car.car_number
    assert titles == [
        "Document 1: Race 1 — Provisional classification (version 1)",
        "Document 2: Summons: hearing of Protest 1",
        f"Document 3: Decision 7 — car {car}: Time penalty",
        "Document 4: Race 1 — Provisional classification (version 2)",
    ]
    assert BoardDocument.objects.filter(meeting=weekend.meeting).count() == len(titles)


# The tests -------------------------------------------------------------------------------------


@pytest.fixture
def pages(browser):
    """Two browsers side by side: race control's and Alpha's team manager's."""
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(2)]
    yield [context.new_page() for context in contexts]
    for context in contexts:
        context.close()


def test_a_classification_is_published_acknowledged_protested_and_amended_on_the_board(
    live_server, pages, weekend, tmp_path
):
    staff, manager = pages
    staff_sign_in(staff, live_server)
    entrant_sign_in(manager, live_server, weekend.manager_email)

    # Race control applies the classification: document 1 on the public board.
    apply_the_timing_export(staff, live_server, weekend, tmp_path)
    the_board_shows_the_provisional_classification(manager, live_server, weekend)

    # Alpha's manager acknowledges it; staff see that Beta has not.
    acknowledge_it(manager, live_server, weekend)
    staff_see_who_has_not_acknowledged(staff, live_server, weekend)

    # Alpha protests Beta's car in time; nothing is decided yet.
    provisional = document(weekend, 1)
    file_a_protest(manager, live_server, weekend, provisional)
    protest = Protest.objects.get()
    expect(manager).to_have_url(f"{live_server.url}/paddock/protests/{protest.pk}/")
    assert (protest.team, protest.entry, protest.against) == (
        weekend.alpha,
        weekend.alpha_car,
        weekend.beta_car,
    )
    assert protest.deadline == provisional.published_at + dt.timedelta(
        minutes=HearingRules().protest_minutes
    )

    # The stewards hear it and uphold it: summons (2), decision (3), classification v2 (4).
    hear_and_uphold(staff, live_server, protest)
    protest.refresh_from_db()
    penalty = Penalty.objects.get()
    assert protest.status == FilingStatus.UPHELD
    assert (penalty.kind, penalty.value, penalty.entry) == (PenaltyKind.TIME, 5, weekend.beta_car)
    assert protest.decision == penalty and protest.outcome_document == document(weekend, 3)
    summons, decision, amended = (document(weekend, n) for n in (2, 3, 4))
    assert summons.kind == BoardKind.SUMMONS
    assert (decision.kind, decision.decision) == (BoardKind.DECISION, penalty)
    version = ClassificationVersion.objects.get(race=weekend.race, number=2)
    assert (version.cause, version.decision, version.state) == (
        VersionCause.DECISION,
        penalty,
        ClassificationState.PROVISIONAL,
    )
    assert amended.classification_version == version
    assert amended.supersedes == provisional
    # Beta's 5 s put it behind Alpha.
    order = [line["entry"] for line in version.snapshot["classification"]]
    assert order == [weekend.alpha_car.pk, weekend.beta_car.pk]

    # The race's versions page says version 2 came from the decision, posted as document 4.
    staff.goto(f"{live_server.url}/admin/championships/race/{weekend.race.pk}/versions/")
    section = staff.locator("#version-2")
    expect(section).to_contain_text("Stewards' decision")
    expect(section).to_contain_text("Decision 7")
    expect(section).to_contain_text("On the notice board as document 4")

    # The public board: the first classification struck, superseded by document 4.
    manager.goto(live_server.url + weekend.board)
    expect(manager.locator("#doc-1 del")).to_have_text(
        "Race 1 — Provisional classification (version 1)"
    )
    expect(manager.locator("#doc-1")).to_contain_text("Superseded by document 4")
    expect(manager.locator("#doc-3")).to_contain_text("Decision 7 — car")
    expect(manager.locator("#doc-4 strong")).to_have_text(
        "Race 1 — Provisional classification (version 2)"
    )
    expect(manager.locator("#doc-4")).to_contain_text("Supersedes document 1")

    the_pdfs_open_in_both_languages(live_server, weekend)
    the_feed_lists_every_document_in_order(live_server, weekend)


def test_a_protest_filed_one_minute_after_the_deadline_is_refused_naming_it(
    live_server, page, weekend
):
    minutes = HearingRules().protest_minutes
    published = timezone.now() - dt.timedelta(minutes=minutes + 1)
    late = make_board_document(
        weekend.meeting,
        "Race 1 — Provisional classification (version 1)",
        kind=BoardKind.PROVISIONAL_CLASSIFICATION,
        race=weekend.race,
        at=published,
    )
    deadline = (published + dt.timedelta(minutes=minutes)).astimezone(KL)
    # The clock names the day too when the filing arrives on another day than the deadline.
    closed = f"(?:{deadline:%Y-%m-%d} )?{deadline:%H:%M:%S}"
    entrant_sign_in(page, live_server, weekend.manager_email)

    file_a_protest(page, live_server, weekend, late)

    expect(page).to_have_url(f"{live_server.url}/paddock/protests/new/{late.pk}/")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nothing was saved.")
    expect(alert).to_contain_text(
        re.compile(
            re.escape(f"Too late: protests against Document 1 ({late.title_en}) closed at ")
            + closed
            + re.escape(f" ({ZONE}, UTC+08:00), {minutes} minutes after its publication")
        )
    )
    assert not Protest.objects.exists()
