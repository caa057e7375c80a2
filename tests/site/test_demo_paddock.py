"""The entrants' side of the living demo (demo/paddock.py): an open entry window on the Cup's
current season, a team account with its members, drivers, documents and applications in
every state, made through the services.

The demo is loaded once for the module around today (the services read the real clock) with
DEBUG on, as under `make run`, then rolled back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from championships import board_pdf
from championships.board_pdf import render_pdf as real_render_pdf
from championships.models import (
    BoardDocument,
    BoardEdition,
    BoardKind,
    Championship,
    ClassificationVersion,
    Meeting,
    Penalty,
)
from core.documents import paddock_storage, validate_board_pdf
from demo.board import board_demo_ensure
from demo.living import CUP, season_year
from demo.paddock import ETHAN, RACHEL, pdf_bytes
from entries.models import Entry, PaymentStatus, SeatPackage
from paddock.models import (
    Acknowledgement,
    ApplicationStatus,
    DocumentKind,
    DriverDocument,
    EntrantDriver,
    EntrantTeam,
    EntryApplication,
    EntryWindow,
    Invitation,
    MeetingCheck,
    Protest,
    TeamRole,
)
from paddock.services.checks import meeting_check_rows

PASSWORD = "demo-cup-2024"


def load_demo(today: dt.date) -> str:
    out = StringIO()
    call_command("load_demo", "--today", today.isoformat(), stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo of today, with DEBUG on and the documents under a temporary folder; what the
    load left to do once it commits (never run here: the load is rolled back)."""
    root = tmp_path_factory.mktemp("paddock-demo")
    today = timezone.localdate()
    with (
        override_settings(DEBUG=True, PADDOCK_UPLOAD_ROOT=root, BOARD_ROOT=root / "board"),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        with TestCase.captureOnCommitCallbacks() as after_commit:
            output = load_demo(today)
        yield today, output, root, after_commit
        transaction.set_rollback(True)


@pytest.fixture
def cup(demo, db) -> Championship:
    return Championship.objects.get(slug=CUP.slug(season_year(demo[0])))


@pytest.fixture
def team(demo, db) -> EntrantTeam:
    return EntrantTeam.objects.get(name="Lion City Motorsport")


def signed_in(email: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/paddock/"
    return client


def next_meetings(cup: Championship, today: dt.date) -> list:
    return list(cup.meetings.filter(start_date__gt=today).order_by("start_date")[:2])


# --- The window ----------------------------------------------------------------------------------


def test_the_cups_entry_window_is_open_now_until_the_last_meeting_starts(cup, demo):
    window = EntryWindow.objects.get(championship=cup)
    last = cup.meetings.order_by("-start_date").first()

    assert EntryWindow.objects.open_at(timezone.now()).filter(pk=window.pk).exists()
    assert window.closes_at == last.races.order_by("starts_at").first().starts_at
    assert window.places == cup.entries.count() - 1 + 2  # the season's entries (not ours) + 2
    assert set(window.classes.all()) == set(cup.classes.all())
    assert (window.season_fee, window.meeting_fee, window.deposit) == (185000, 24000, 15000)
    assert (window.seat_season_price, window.seat_meeting_price) == (240000, 30000)
    assert window.currency == "USD" and window.reminder_days == 14
    assert window.regulations_version == f"{cup.year}-2"
    assert window.regulations_title == "Sporting Regulations"


# --- The accounts --------------------------------------------------------------------------------


def test_the_entrant_accounts_sign_in_with_the_demo_password_and_are_never_staff(team):
    for email in (
        "demo-team@example.com",
        "demo-team-staff@example.com",
        "demo-driver@example.com",
    ):
        user = get_user_model().objects.get(email=email)
        assert not user.is_staff and not user.is_superuser
        assert user.emailaddress_set.get(primary=True, verified=True).email == email
        signed_in(email)
    roles = dict(team.members.values_list("user__email", "role"))
    assert roles == {
        "demo-team@example.com": TeamRole.MANAGER,
        "demo-team-staff@example.com": TeamRole.STAFF,
        "demo-driver@example.com": TeamRole.DRIVER,
    }
    assert team.language == "en"
    assert Invitation.objects.filter(team=team, accepted_at__isnull=False).count() == 2


def test_a_wrong_password_does_not_sign_in(demo, db):
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": "demo-team@example.com", "password": "demo-cup-2025"}
    )
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_the_driver_account_is_linked_to_its_entered_driver(team):
    rachel = team.drivers.get(first_name=RACHEL.first_name)
    assert rachel.user.email == "demo-driver@example.com"
    assert team.drivers.get(first_name=ETHAN.first_name).user is None


def test_the_load_prints_the_entrant_accounts_like_the_staff_ones(demo):
    output = demo[1]
    assert "Demo entrant accounts (e-mail / password / role)" in output
    assert "  demo-team@example.com / demo-cup-2024 / Team manager, Lion City Motorsport" in output
    assert "demo-driver@example.com / demo-cup-2024 / Driver" in output


# --- Drivers and documents -----------------------------------------------------------------------


def test_each_driver_has_a_licence_a_medical_and_a_photo_stored_privately(team, demo):
    root = demo[2]
    for driver in team.drivers.all():
        current = {d.kind: d for d in DriverDocument.objects.current().filter(driver=driver)}
        assert set(current) == {DocumentKind.LICENCE, DocumentKind.MEDICAL, DocumentKind.PHOTO}
        assert current[DocumentKind.PHOTO].content_type == "image/png"
        with override_settings(PADDOCK_UPLOAD_ROOT=root):
            licence = paddock_storage.open(current[DocumentKind.LICENCE].file.name).read()
        assert licence.startswith(b"%PDF-1.4") and licence.rstrip().endswith(b"%%EOF")


def test_rachels_current_medical_expires_on_the_next_meetings_first_day(cup, team, demo):
    following, _after = next_meetings(cup, demo[0])
    rachel = team.drivers.get(first_name=RACHEL.first_name)
    ethan = team.drivers.get(first_name=ETHAN.first_name)

    medical = DriverDocument.objects.current().get(driver=rachel, kind=DocumentKind.MEDICAL)
    assert medical.expires_on == following.start_date < following.end_date
    for document in DriverDocument.objects.current().filter(driver=ethan).exclude(kind="PHOTO"):
        assert document.expires_on > cup.meetings.order_by("-end_date").first().end_date


def test_the_pdf_has_a_cross_reference_table_pointing_at_its_objects():
    content = pdf_bytes("Racing licence (test)")
    xref = int(content.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert content[xref:].startswith(b"xref\n0 6\n")
    offsets = [int(line[:10]) for line in content[xref:].split(b"\n")[3:8]]
    assert [content[o : o + 7] for o in offsets] == [b"%d 0 obj" % n for n in range(1, 6)]
    assert b"\\(test\\)" in content


# --- Applications --------------------------------------------------------------------------------


def test_the_guest_entry_for_the_next_meeting_is_approved_with_its_seat_and_fees(cup, team, demo):
    following, _after = next_meetings(cup, demo[0])
    approved = EntryApplication.objects.get(team=team, status=ApplicationStatus.APPROVED)

    assert approved.meeting == following and approved.driver.first_name == RACHEL.first_name
    entry = approved.entry
    assert entry.guest and entry.arrive_and_drive and entry.car_number == RACHEL.car_number
    assert entry.team.name == "Lion City Motorsport"  # the team of the entry lists
    seat = SeatPackage.objects.get(entry=entry)
    assert (seat.meeting, seat.price, seat.currency) == (following, 30000, "USD")
    fees = {fee.kind: fee for fee in approved.fees.all()}
    assert {kind: fee.amount for kind, fee in fees.items()} == {
        "MEETING": 24000,
        "DEPOSIT": 15000,
        "SEAT": 30000,
    }
    assert fees["MEETING"].status == PaymentStatus.INVOICED and fees["MEETING"].invoice_number
    assert fees["DEPOSIT"].status == PaymentStatus.PAID and fees["DEPOSIT"].paid_on
    assert fees["SEAT"].status == PaymentStatus.UNPAID


def test_one_application_waits_for_review_and_one_was_refused_with_its_reason(cup, team, demo):
    following, after = next_meetings(cup, demo[0])
    ethan = team.drivers.get(first_name=ETHAN.first_name)

    submitted = EntryApplication.objects.get(team=team, status=ApplicationStatus.SUBMITTED)
    refused = EntryApplication.objects.get(team=team, status=ApplicationStatus.REFUSED)
    assert (submitted.driver, submitted.meeting, submitted.seat) == (ethan, after, "")
    assert (refused.driver, refused.meeting) == (ethan, following)
    assert "No arrive-and-drive car is left" in refused.status_reason
    assert submitted.events.get().status == ApplicationStatus.SUBMITTED
    assert [e.status for e in refused.events.all()] == ["SUBMITTED", "REFUSED"]
    assert not MeetingCheck.objects.exists()  # the approved entry has not raced yet


# --- The pages -----------------------------------------------------------------------------------


def test_the_managers_page_lists_the_approved_guest_entry_and_the_expiring_medical(cup, demo):
    following, _after = next_meetings(cup, demo[0])
    approved = EntryApplication.objects.get(status=ApplicationStatus.APPROVED)

    page = signed_in("demo-team@example.com").get("/paddock/").content.decode()

    assert approved.reference in page and "Approved" in page
    assert f"#{RACHEL.car_number}" in page
    assert "No arrive-and-drive car is left" in page  # the refusal's reason
    assert "Medical certificate expires on" in page and "during the meeting" in page


def test_the_driver_sees_her_own_entry_and_documents(demo, db):
    page = signed_in("demo-driver@example.com").get("/paddock/").content.decode()

    assert "Rachel Koh" in page and "during the meeting" in page


def test_the_next_meeting_flags_the_guest_on_the_checks_and_the_allocation_board(cup, demo):
    following, _after = next_meetings(cup, demo[0])
    rows = {row.entry.car_number: row for row in meeting_check_rows(following, today=demo[0])}
    admin = get_user_model().objects.create_superuser("board-admin", "b@example.invalid", "pw-x")
    client = Client()
    client.force_login(admin)

    assert any("Medical certificate expires on" in flag for flag in rows[RACHEL.car_number].flags)
    for name in ("admin:entries_carallocation_board", "admin:paddock_meetingcheck_meeting"):
        page = client.get(reverse(name, args=[following.pk])).content.decode()
        assert "Rachel Koh" in page and "Medical certificate expires on" in page


# --- The notice board ----------------------------------------------------------------------------

BOARD = [
    BoardKind.ENTRY_LIST,
    BoardKind.BULLETIN,
    BoardKind.PROVISIONAL_CLASSIFICATION,  # race 1
    BoardKind.FINAL_CLASSIFICATION,
    BoardKind.DECISION,
    BoardKind.FINAL_CLASSIFICATION,  # amended by the decision
    BoardKind.PROVISIONAL_CLASSIFICATION,  # race 2
    BoardKind.BULLETIN,  # the correction
    BoardKind.STANDINGS,
    BoardKind.PROVISIONAL_CLASSIFICATION,  # practice 1
    BoardKind.PROVISIONAL_CLASSIFICATION,  # qualifying 1
    BoardKind.GRID,  # race 1, from qualifying
]


@pytest.fixture
def held(cup, demo) -> Meeting:
    """The last meeting the season held (with results): the round with a board."""
    held = cup.meetings.filter(end_date__lt=demo[0], races__results__isnull=False)
    return held.distinct().order_by("-start_date").first()


def board_of(meeting: Meeting) -> dict[int, BoardDocument]:
    return {document.number: document for document in meeting.board.on_board()}


def test_the_last_meeting_held_has_its_board_numbered_from_one_without_gaps(held, demo):
    documents = board_of(held)

    assert list(documents) == list(range(1, len(BOARD) + 1))
    assert [document.kind for document in documents.values()] == BOARD
    assert all(d.title_en and d.title_zh_hans for d in documents.values())
    assert not BoardDocument.objects.exclude(meeting=held).exists()
    where = f"round {held.round} at {held.circuit.name_en}"
    assert f"Notice board: {where}, {len(BOARD)} documents" in demo[1]


def test_race_one_is_declared_then_amended_by_a_time_penalty_to_a_mid_field_car(held):
    documents = board_of(held)
    first = held.races.get(number=1)
    versions = [documents[n].classification_version for n in (3, 4, 6)]
    decision = documents[5].decision

    assert [v.state for v in versions] == ["PROVISIONAL", "FINAL", "AMENDED"]
    assert {v.race for v in versions} == {first} and versions[2].decision == decision
    assert documents[4].supersedes == documents[3] and documents[6].supersedes == documents[4]
    assert (decision.kind, decision.value, decision.race, decision.number) == ("TIME", 5, first, 1)
    assert decision.decided_at is not None
    assert decision.reason_en.startswith("Leaving the track") and decision.reason_zh_hans
    assert list(documents[5].concerns.all()) == [decision.entry]
    classified = first.results.filter(position__isnull=False).count()
    assert first.results.get(entry=decision.entry).position == classified // 2 + 1


def test_race_two_is_provisional_and_the_standings_follow_the_round(held):
    documents = board_of(held)
    second = held.races.get(number=2)

    version = documents[7].classification_version
    assert (version.race, version.state) == (second, "PROVISIONAL")
    assert documents[9].content["rows"] and documents[9].title_en.endswith(f"round {held.round}")


def test_the_bulletin_is_an_uploaded_pdf_marked_superseded_by_its_correction(held, demo, client):
    documents = board_of(held)
    bulletin, correction = documents[2], documents[8]

    assert correction.supersedes == bulletin
    assert not bulletin.is_generated and not correction.is_generated
    current = set(held.board.current().values_list("number", flat=True))
    assert current == {1, 5, 6, 7, 8, 9, 10, 11, 12}
    for document in (bulletin, correction):
        (edition,) = document.editions.all()
        with override_settings(BOARD_ROOT=demo[2] / "board"), edition.file.open() as pdf:
            content = pdf.read()
        assert edition.language == "en" and edition.sha256 == hashlib.sha256(content).hexdigest()
        validate_board_pdf(SimpleUploadedFile("bulletin.pdf", content))
    url = reverse(
        "championships:board", kwargs={"slug": held.championship.slug, "round": held.round}
    )
    page = client.get(url).content.decode()
    assert 'id="doc-2" class="superseded"' in page and "Superseded by" in page


def test_each_generated_document_gets_its_pdfs_in_both_languages_once_the_load_commits(
    held, demo, monkeypatch
):
    generated = [document for document in board_of(held).values() if document.is_generated]
    assert len(generated) == 10
    assert not BoardEdition.objects.filter(document__in=generated).exists()
    # Only the decision is really drawn (0.2 s a PDF); the others get a stand-in.
    drawn = []

    def render_pdf(document: BoardDocument, language: str) -> bytes:
        drawn.append((document.number, language))
        if document.kind == BoardKind.DECISION:
            return real_render_pdf(document, language)
        return pdf_bytes(f"Document {document.number} ({language})")

    monkeypatch.setattr(board_pdf, "render_pdf", render_pdf)

    for callback in demo[3]:  # as when the load commits
        callback()

    assert sorted(drawn) == [(d.number, lang) for d in generated for lang in ("en", "zh-hans")]
    for document in generated:
        editions = {edition.language: edition for edition in document.editions.all()}
        assert sorted(editions) == ["en", "zh-hans"], document
        for edition in editions.values():
            with edition.file.open() as pdf:
                assert pdf.read(5) == b"%PDF-"
    decision = BoardEdition.objects.get(document__kind=BoardKind.DECISION, language="zh-hans")
    assert decision.size > 5000  # drawn by WeasyPrint, with the Chinese font


def test_the_demo_team_acknowledged_the_entry_list_and_protested_in_race_two_in_time(
    held, team, demo
):
    documents = board_of(held)
    ours = team.racing_entries()

    (acknowledgement,) = Acknowledgement.objects.filter(team=team)
    assert acknowledgement.document == documents[1]
    assert acknowledgement.acknowledged_by.email == "demo-team@example.com"
    (protest,) = Protest.objects.filter(team=team)
    assert (protest.kind, protest.status, protest.number) == ("PROTEST", "FILED", 1)
    assert (protest.document, protest.race) == (documents[7], held.races.get(number=2))
    assert protest.filed_at <= protest.deadline
    assert ours.filter(pk=protest.entry_id).exists()
    assert not ours.filter(pk=protest.against_id).exists()
    assert (
        "Notice board: Lion City Motorsport acknowledged document 1 and filed protest 1"
        in (demo[1])
    )
    page = signed_in("demo-team@example.com").get(reverse("paddock:board-meeting", args=[held.pk]))
    assert page.status_code == 200 and "Entry list" in page.content.decode()


def test_ensuring_the_board_again_adds_nothing(cup, held, demo):
    counts = lambda: tuple(  # noqa: E731
        model.objects.count()
        for model in (
            BoardDocument,
            BoardEdition,
            Penalty,
            ClassificationVersion,
            Acknowledgement,
            Protest,
        )
    )
    before = counts()

    said = board_demo_ensure(championship=cup, today=demo[0])

    assert counts() == before
    where = f"round {held.round} at {held.circuit.name_en}"
    assert said == [f"Notice board: {where} has its documents already, left as it is."]


# --- Loading again -------------------------------------------------------------------------------


def test_loading_again_adds_no_duplicate(demo, db):
    counts = lambda: tuple(  # noqa: E731
        model.objects.count()
        for model in (
            EntryWindow,
            EntrantTeam,
            EntrantDriver,
            DriverDocument,
            EntryApplication,
            Invitation,
            Entry,
            get_user_model(),
        )
    )
    before = counts()

    with override_settings(DEBUG=True):
        output = load_demo(demo[0])

    assert counts() == before
    assert "has its entry window already, left as it is" in output
    assert "demo-team@example.com / demo-cup-2024 / Team manager, Lion City Motorsport: exists" in (
        output
    )


def test_the_round_has_practice_and_qualifying_and_race_ones_grid_from_it(held):
    documents = board_of(held)
    first = held.races.get(number=1)
    practice, qualifying = held.sessions.order_by("starts_at")

    assert (practice.kind, qualifying.kind) == ("PRACTICE", "QUALIFYING")
    assert (documents[10].session, documents[11].session) == (practice, qualifying)
    assert documents[12].race == first
    published = dict(first.grid_slots.values_list("entry_id", "position"))
    recorded = dict(first.results.filter(grid__isnull=False).values_list("entry_id", "grid"))
    assert published == recorded  # qualifying's order is the grid race 1 recorded
    times = list(qualifying.results.order_by("position").values_list("best_lap", flat=True))
    assert times == sorted(times) and len(times) == len(published)


def test_race_ones_laps_add_up_to_each_cars_total_time_and_draw_its_lap_chart(held, client):
    import datetime as dt

    first = held.races.get(number=1)
    for result in first.results.filter(total_time__isnull=False, laps__gt=0):
        laps = list(first.laps.filter(entry=result.entry).values_list("time", flat=True))
        assert len(laps) == result.laps
        assert abs(sum(laps, dt.timedelta(0)) - result.total_time) < dt.timedelta(milliseconds=5)
    url = reverse(
        "championships:meeting", kwargs={"slug": held.championship.slug, "round": held.round}
    )
    assert 'class="chart lap-chart"' in client.get(url).content.decode()
