"""The entrants' side of the living demo (demo/paddock.py): an open entry window on the Cup's
current season, a team account with its members, drivers, documents and applications in
every state, made through the services.

The demo is loaded once for the module around today (the services read the real clock) with
DEBUG on, as under `make run`, then rolled back.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from championships.models import Championship
from core.documents import paddock_storage
from demo.living import CUP, season_year
from demo.paddock import ETHAN, RACHEL, pdf_bytes
from entries.models import Entry, PaymentStatus, SeatPackage
from paddock.models import (
    ApplicationStatus,
    DocumentKind,
    DriverDocument,
    EntrantDriver,
    EntrantTeam,
    EntryApplication,
    EntryWindow,
    Invitation,
    MeetingCheck,
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
    """The demo of today, with DEBUG on and the documents under a temporary folder."""
    root = tmp_path_factory.mktemp("paddock-demo")
    today = timezone.localdate()
    with (
        override_settings(DEBUG=True, PADDOCK_UPLOAD_ROOT=root),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        output = load_demo(today)
        yield today, output, root
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
