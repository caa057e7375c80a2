"""The entrants' side in Chromium (issue 18): a team manager signs up, verifies the address,
makes the team and applies for two cars with documents; staff approve one, put the other on
the reserve list, then release the first so the reserve one moves up, each seen on the public
entry list and the team's page; a second team reaches nothing of the first by any URL; a
forged licence is refused beside its field with nothing stored; the pages in Chinese.

Only the season, the staff account and the second team's setup are made directly: every
step of the entrant and of the review goes through the real pages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from paddock.models import (
    ApplicationStatus,
    DocumentKind,
    DriverDocument,
    EntrantDriver,
    EntrantTeam,
    EntryApplication,
)
from paddock.services.review import application_approve
from tests.factories import PDF, image_bytes, make_championship
from tests.paddock.factories import (
    PASSWORD,
    make_account,
    make_application,
    make_document,
    make_entrant_driver,
    make_entrant_team,
    make_window,
)

MANAGER = "manager@example.com"
STAFF_PASSWORD = "pw-browser-staff"


@pytest.fixture
def window(transactional_db):
    """A published season of next year with a meeting and its race (the first race day),
    entries open now for one car."""
    year = timezone.localdate().year + 1
    return make_window(make_championship(name="Paddock Cup", year=year), places=1)


@pytest.fixture
def staff(browser, live_server, django_user_model):
    """A second browser context, signed in to the back office as a superuser."""
    django_user_model.objects.create_superuser("steward", "steward@example.com", STAFF_PASSWORD)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("steward")
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    yield page
    context.close()


def files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def link_path(message: mail.EmailMessage) -> str:
    """The path of the one link of an e-mail (its host is the configured site's)."""
    found = re.search(r"https?://[^/\s]+(/\S+)", message.body)
    assert found, message.body
    return found.group(1)


def sign_in(page, live_server, email: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form").get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
    assert page.url.endswith("/paddock/"), page.url


def upload(name: str, content: bytes, mime: str = "application/pdf") -> dict:
    return {"name": name, "mimeType": mime, "buffer": content}


def fill_car(
    page,
    index: int,
    *,
    first: str,
    last: str,
    number: int,
    class_code: str,
    category: str,
    licence: bytes = PDF,
) -> None:
    """One car with a new driver and their licence and medical certificate."""
    field = f"#id_car-{index}-"
    page.locator(field + "first_name").fill(first)
    page.locator(field + "last_name").fill(last)
    page.locator(field + "date_of_birth").fill("1998-03-03")
    page.locator(field + "nationality").select_option("MY")
    page.locator(field + "licence_file").set_input_files(upload("licence.pdf", licence))
    page.locator(field + "licence_grade").fill("International C")
    page.locator(field + "licence_issued_by").fill("AAM")
    page.locator(field + "licence_number").fill(f"MY-{number}")
    page.locator(field + "licence_expires_on").fill("2099-12-31")
    page.locator(field + "medical_file").set_input_files(
        upload("medical.png", image_bytes("PNG"), "image/png")
    )
    page.locator(field + "medical_expires_on").fill("2099-12-31")
    page.locator(field + "car_number").fill(str(number))
    page.locator(field + "entry_class").select_option(label=class_code)
    page.locator(field + "category").select_option(category)


def declare_and_send(page) -> None:
    page.locator("#id_regulations_accepted").check()
    page.get_by_label("Your full name, as your signature").fill("Tan Wei Ming")
    page.get_by_role("button", name="Send the application").click()
    page.wait_for_load_state()


def review(staff, live_server, application: EntryApplication, action: str, note: str = "") -> str:
    """Record a decision in the application's review panel; the message shown after."""
    staff.goto(f"{live_server.url}/admin/paddock/entryapplication/{application.pk}/change/")
    staff.get_by_label("decision").select_option(action)
    if note:
        staff.get_by_label("note or reason").fill(note)
    staff.get_by_role("button", name="Record the decision").click()
    staff.wait_for_load_state()
    return staff.locator(".messagelist").inner_text()


def entry_list_rows(page, live_server, window) -> list[str]:
    """The rows of the championship's public entry list, each as one line of text."""
    page.goto(f"{live_server.url}/championships/{window.championship.slug}/entries/")
    rows = page.locator("main").get_by_role("row").all_inner_texts()
    return [re.sub(r"\s+", " ", row) for row in rows]


def status_on_the_paddock(page, live_server, team: EntrantTeam, reference: str) -> str:
    """The application's row in the team's applications on the entrant's page."""
    page.goto(live_server.url + "/paddock/")
    table = page.get_by_role("table", name=f"Applications of {team.name}")
    return table.get_by_role("row").filter(has_text=reference).inner_text()


def test_a_team_manager_signs_up_applies_for_two_cars_and_follows_the_review(
    live_server, page, staff, window, paddock_upload_root
):
    # Sign up, verify the address by the e-mailed link, land signed in on the paddock.
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("Email").fill(MANAGER)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.locator("form").get_by_role("button", name="Sign Up").click()
    page.wait_for_load_state()
    assert page.url.endswith("/accounts/confirm-email/")
    (verification,) = [m for m in mail.outbox if MANAGER in m.to]
    page.goto(live_server.url + link_path(verification))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    assert page.url.endswith("/paddock/")
    assert not get_user_model().objects.get(email=MANAGER).is_staff

    # The team account, then the season's application form with a second car.
    page.goto(live_server.url + "/paddock/teams/new/")
    page.get_by_label("Team name").fill("Harimau Racing")
    page.get_by_role("button", name="Make the team account").click()
    page.wait_for_load_state()
    team = EntrantTeam.objects.get(name="Harimau Racing")
    page.goto(live_server.url + "/paddock/entries/")
    assert "1 of 1" in page.locator(".paddock-window").inner_text()
    page.get_by_role("link", name="Apply for the season").click()
    page.get_by_role("link", name="Add another car").click()
    page.wait_for_load_state()
    assert "cars=2" in page.url
    assert page.locator("#id_car-1-first_name").count() == 1

    fill_car(
        page, 0, first="Aiman", last="Hakim", number=27, class_code="PRO_AM", category="SILVER"
    )
    fill_car(page, 1, first="Siti", last="Rahman", number=28, class_code="AM", category="BRONZE")
    declare_and_send(page)

    first, second = EntryApplication.objects.filter(team=team).order_by("car_number")
    notice = page.get_by_role("status").inner_text()
    assert first.reference in notice and second.reference in notice
    assert DriverDocument.objects.filter(driver__team=team).count() == 4
    assert len(files_under(paddock_upload_root)) == 4

    # Staff approve the first car; the places are then full, so the second waits.
    assert f"{first.reference} approved" in review(staff, live_server, first, "approve")
    staff.goto(f"{live_server.url}/admin/paddock/entryapplication/{second.pk}/change/")
    assert "All 1 places are taken" in staff.locator("section.module").first.inner_text()
    assert "on the reserve list" in review(staff, live_server, second, "reserve")

    shown = entry_list_rows(page, live_server, window)
    assert [row for row in shown if "Hakim" in row and "27" in row], shown
    assert not [row for row in shown if "Rahman" in row], shown
    assert "Reserve" in status_on_the_paddock(page, live_server, team, second.reference)

    # The first car pulls out: the reserve one moves up into the place freed.
    message = review(staff, live_server, first, "release", "The team withdrew car 27.")
    assert f"{first.reference} released" in message
    second.refresh_from_db()
    assert second.status == ApplicationStatus.APPROVED and second.entry is not None

    shown = entry_list_rows(page, live_server, window)
    assert [row for row in shown if "Rahman" in row and "28" in row], shown
    assert not [row for row in shown if "Hakim" in row], shown
    assert "Approved" in status_on_the_paddock(page, live_server, team, second.reference)
    assert "Withdrawn" in status_on_the_paddock(page, live_server, team, first.reference)

    bodies = {m.subject: m.body for m in mail.outbox if MANAGER in m.to}
    assert f"Your entry {first.reference}: Approved" in bodies
    assert f"Your entry {second.reference}: Reserve list" in bodies
    moved_up = bodies[f"Your entry {second.reference}: Approved"]
    assert "Moved up from the reserve list" in moved_up and "car 28" in moved_up


@pytest.fixture
def team_a(window):
    """Team A: an approved season entry (fees owed) with its driver's documents."""
    team = make_entrant_team("Team Alpha")
    driver = make_entrant_driver(team, "Alya", last_name="Osman")
    make_document(driver, DocumentKind.LICENCE)
    make_document(driver, DocumentKind.MEDICAL)
    application = application_approve(
        application=make_application(
            window,
            team,
            driver,
            category="SILVER",
            entry_class=window.championship.classes.get(code="PRO_AM"),
        ),
        by=None,
    )
    assert application.fees.exists()
    return team


def test_a_second_team_sees_nothing_of_the_first(live_server, page, window, team_a):
    application = EntryApplication.objects.get(team=team_a)
    document = DriverDocument.objects.filter(driver__team=team_a).first()
    slug = window.championship.slug
    team_a_urls = [
        f"/paddock/drivers/{application.driver_id}/",
        f"/paddock/documents/{document.pk}/",
        f"/paddock/applications/{application.pk}/",
        f"/paddock/teams/{team_a.pk}/",
        f"/paddock/teams/{team_a.pk}/applications/",
        f"/paddock/teams/{team_a.pk}/apply/{slug}/",
        f"/paddock/teams/{team_a.pk}/drivers/new/",
        f"/paddock/drivers/{application.driver_id}/documents/new/",
    ]

    # Signed out: sent to sign in, the document never served.
    response = page.goto(live_server.url + team_a_urls[1])
    assert "/accounts/login/" in page.url and response.headers.get("content-disposition") is None

    manager_b = make_account("bravo@example.com")
    make_entrant_team("Team Bravo", manager=manager_b)
    sign_in(page, live_server, "bravo@example.com")
    for url in team_a_urls:
        response = page.goto(live_server.url + url)
        assert response.status == 404, url
        assert page.get_by_role("heading", level=1).inner_text() == "Page not found", url
        content = page.content()
        for secret in ("Osman", application.reference, "Team Alpha"):
            assert secret not in content, (url, secret)


def test_a_forged_licence_is_refused_beside_its_field_and_nothing_is_stored(
    live_server, page, window, paddock_upload_root
):
    manager = make_account("forger@example.com")
    team = make_entrant_team("Team Forge", manager=manager)
    sign_in(page, live_server, "forger@example.com")
    page.goto(f"{live_server.url}/paddock/teams/{team.pk}/apply/{window.championship.slug}/")
    fill_car(
        page,
        0,
        first="Faris",
        last="Lim",
        number=31,
        class_code="PRO_AM",
        category="SILVER",
        licence=b"just some text, named licence.pdf\n",
    )
    declare_and_send(page)

    assert page.get_by_role("alert").first.is_visible()
    licence = page.locator(".paddock-field").filter(has=page.locator("#id_car-0-licence_file"))
    assert "This file is not a PDF, JPEG or PNG" in licence.locator(".errorlist").inner_text()
    assert not EntryApplication.objects.exists()
    assert not EntrantDriver.objects.exists()
    assert not DriverDocument.objects.exists()
    assert files_under(paddock_upload_root) == []


def test_the_sign_up_page_and_the_application_form_in_chinese(live_server, page, window):
    page.goto(live_server.url + "/zh-hans/accounts/signup/")
    assert page.locator("html").get_attribute("lang").lower() == "zh-hans"
    assert "注册" in page.get_by_role("heading", level=1).inner_text()

    manager = make_account("zhong@example.com")
    team = make_entrant_team("Team Zhong", manager=manager)
    sign_in(page, live_server, "zhong@example.com")
    page.goto(
        f"{live_server.url}/zh-hans/paddock/teams/{team.pk}/apply/{window.championship.slug}/"
    )
    assert page.locator("html").get_attribute("lang").lower() == "zh-hans"
    assert page.locator("#id_car-0-licence_file").count() == 1
    assert window.championship.name in page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_role("link", name="积分榜").count() >= 1  # the site's header, translated
