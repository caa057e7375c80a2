"""The Talent Pool in a real browser: applying with documents, a minor's guardian consent,
errors beside their fields, and a reviewer taking an application to an entry on the grid.

Screenshots at 390 px (a phone) and 1280 px (a desktop) go to test-artifacts/talentpool/.
"""

import pytest
from django.contrib.auth.models import Permission

from entries.models import Entry
from talentpool.models import Application, Placement
from tests.factories import (
    CONTRACT_LABELS,
    PDF,
    PROJECT_DIR,
    image_bytes,
    make_edition,
    make_team,
    submit,
)

ARTIFACTS = PROJECT_DIR / "test-artifacts" / "talentpool"
# Every test stores documents under its own temporary folder, never the configured one.
pytestmark = pytest.mark.usefixtures("upload_root")


@pytest.fixture
def edition(transactional_db):
    return make_edition()


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def label(page, text: str):
    return page.get_by_label(text, exact=True)


def fill_application(page, *, born: str = "2004-05-17", photo: bytes | None = None) -> None:
    label(page, "First name").fill("Mei")
    label(page, "Last name").fill("Tan")
    label(page, "Date of birth").fill(born)
    label(page, "Nationality").select_option("MY")
    label(page, "Email").fill("mei.tan@example.com")
    label(page, "Phone").fill("+60 12 345 6789")
    label(page, "Licence type").select_option("intl_c")
    label(page, "Licence number").fill("MY-2024-0042")
    page.locator("#id_record-0-year").fill("2025")
    page.locator("#id_record-0-series").fill("Rotax Max Challenge Malaysia")
    page.locator("#id_record-0-position").fill("1")
    page.locator("#id_record-0-wins").fill("4")
    label(page, "Motivation").fill("I won the national karting title and want to race cars.")
    choose_documents(page, photo=photo)
    label(page, "I agree to the processing of my data").check()


def choose_documents(page, *, photo: bytes | None = None) -> None:
    label(page, "CV").set_input_files(
        {"name": "cv.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    label(page, "Licence scan").set_input_files(
        {"name": "licence.jpg", "mimeType": "image/jpeg", "buffer": image_bytes("JPEG")}
    )
    label(page, "Photo").set_input_files(
        {"name": "me.png", "mimeType": "image/png", "buffer": photo or image_bytes("PNG")}
    )


def send(page) -> None:
    page.get_by_role("button", name="Send my application").click()
    page.wait_for_load_state()


def field_box(page, text: str):
    """The field's own block: its label, help, errors and input."""
    return page.locator(".tp-field").filter(has=label(page, text))


def test_a_complete_application_with_uploads_ends_on_the_confirmation_and_emails_the_reference(
    live_server, page, phone_page, edition, upload_root, mailoutbox
):
    page.goto(live_server.url + "/talent-pool/")
    shoot(page, "edition-desktop")
    page.get_by_role("link", name="Apply now").click()
    for text in CONTRACT_LABELS:
        assert label(page, text).count() == 1, text
    shoot(page, "form-desktop")

    fill_application(page)
    send(page)

    application = Application.objects.get()
    assert page.get_by_role("heading", level=1).inner_text() == "Application received"
    # Not on the page, which is the same for a person who had applied already (issue 14.6).
    assert application.reference not in page.content()
    assert application.reference in mailoutbox[-1].body
    assert len([p for p in upload_root.rglob("*") if p.is_file()]) == 3
    shoot(page, "confirmation-desktop")
    for name, path in [("edition", "/talent-pool/"), ("form", "/talent-pool/apply/")]:
        phone_page.goto(live_server.url + path)
        shoot(phone_page, f"{name}-phone")
        width = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        assert phone_page.evaluate(width) <= 0, name


def test_a_minor_is_refused_without_guardian_consent_then_accepted_with_it(
    live_server, page, edition, upload_root
):
    page.goto(live_server.url + "/talent-pool/apply/")
    fill_application(page, born="2010-03-01")
    label(page, "Guardian name").fill("Siew Lan Tan")
    label(page, "Guardian email").fill("siew.tan@example.com")
    send(page)

    consent = field_box(page, "Guardian consent")
    assert "Applicants under 18 need their guardian's consent to apply." in consent.inner_text()
    assert Application.objects.count() == 0
    # The documents are kept privately for the next try (issue 14.13), not chosen again.
    kept = [p for p in upload_root.rglob("*") if p.is_file()]
    assert len(kept) == 3 and all(p.parent.name == "pending" for p in kept)
    assert "Already attached:" in field_box(page, "CV").inner_text()
    assert label(page, "Guardian name").input_value() == "Siew Lan Tan"

    label(page, "Guardian consent").check()
    send(page)

    application = Application.objects.get()
    assert application.minor and application.guardian_consent
    assert page.get_by_role("heading", level=1).inner_text() == "Application received"


def test_errors_are_displayed_beside_the_fields(live_server, page, phone_page, edition):
    page.goto(live_server.url + "/talent-pool/apply/")
    fill_application(page, born="2011-01-01", photo=PDF)
    send(page)

    born = field_box(page, "Date of birth")
    photo = field_box(page, "Photo")
    assert "aged 16 to 26 on Dec. 31, 2026" in born.locator(".errorlist").inner_text()
    assert "not a JPEG or PNG image" in photo.locator(".errorlist").inner_text()
    assert label(page, "Date of birth").get_attribute("aria-invalid") == "true"
    assert "id_date_of_birth_error" in label(page, "Date of birth").get_attribute(
        "aria-describedby"
    )
    assert page.get_by_role("alert").first.is_visible()
    assert Application.objects.count() == 0
    shoot(page, "form-errors-desktop")
    phone_page.goto(live_server.url + "/talent-pool/status/")
    shoot(phone_page, "status-phone")


def test_the_reviewer_flow_from_submitted_to_selected_and_the_resulting_entry(
    live_server, page, edition, django_user_model
):
    application = submit(edition)
    team = make_team("Talent Pool Racing")
    reviewer = django_user_model.objects.create_user("reviewer", password="pw-rev", is_staff=True)
    # The browser tests' database is flushed between tests, the migration's group with it.
    reviewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["review_application", "add_driver", "add_entry"])
    )
    admin = live_server.url + "/admin/"
    page.goto(admin)
    page.get_by_label("Username").fill("reviewer")
    page.get_by_label("Password").fill("pw-rev")
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{admin}talentpool/review/add/?application={application.pk}")
    for field, value in [("racing_record", "9"), ("attitude", "8"), ("media", "7")]:
        page.locator(f"#id_{field}").fill(value)
    page.get_by_role("button", name="Save", exact=True).click()
    assert "was added successfully" in page.locator(".messagelist").inner_text()

    change = f"{admin}talentpool/application/{application.pk}/change/"
    for status in ["under_review", "shortlisted", "invited", "finalist", "selected"]:
        page.goto(change)
        page.locator("#id_new_status").select_option(status)
        page.locator("input[name=_continue]").click()
        page.wait_for_load_state()
    assert "Selected" in page.locator(".field-status").inner_text()
    assert "8.0" in page.locator(".field-average_scores").inner_text()
    shoot(page, "admin-application-desktop")

    page.goto(f"{admin}talentpool/talentpooledition/{edition.pk}/ranking/")
    assert application.reference in page.locator(".tp-ranking").first.inner_text()
    shoot(page, "admin-ranking-desktop")

    page.goto(f"{admin}talentpool/application/")
    page.locator(f"input[name=_selected_action][value='{application.pk}']").check()
    page.locator("select[name=action]").select_option("place_on_grid")
    page.get_by_role("button", name="Go").click()
    page.get_by_label("Team").select_option(str(team.pk))
    page.get_by_label("Class").select_option(label="PRO")
    page.get_by_label("Car numbers from").fill("88")
    page.get_by_role("button", name="Enter the winners").click()

    assert "Entered: #88 Mei Tan." in page.locator(".messagelist").inner_text()
    entry = Entry.objects.get()
    assert entry.championship == edition.championship and entry.arrive_and_drive
    placement = Placement.objects.get()
    assert placement.entry == entry and placement.scholarship and placement.entry_fee_waived
    history = list(application.status_changes.values_list("to_status", "changed_by__username"))
    assert history[-1] == ("selected", "reviewer")
