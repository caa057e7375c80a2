"""The entrants' pages audited in Chromium by the vendored axe-core (WCAG 2 A and AA, and
headings in order; tests/browser/axe.py), under the site's own Content-Security-Policy: the
accounts' pages signed out (and a refused sign-in), then every page of a team manager's
paddock, signed in through the real form, the application form with its errors shown after a
refused submission, the paddock in Chinese, and a phone's screen. A failure names every page
with what axe found on it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from paddock.models import DocumentKind, EntryApplication
from paddock.services.review import application_approve
from tests.browser.axe import AXE, assert_accessible, axe_violations, describe
from tests.browser.test_entrants import declare_and_send, fill_car, sign_in
from tests.factories import make_championship
from tests.paddock.factories import (
    make_account,
    make_application,
    make_document,
    make_entrant_driver,
    make_entrant_team,
    make_window,
)

MANAGER = "audit@example.com"


@pytest.fixture
def paddock(transactional_db, paddock_upload_root):
    """A team with a driver and documents, an approved season entry (fees owed) and a second
    application waiting, in an open entry window."""
    window = make_window(make_championship(name="Audit Cup", year=timezone.localdate().year + 1))
    team = make_entrant_team("Team Audit", manager=make_account(MANAGER))
    driver = make_entrant_driver(team, "Alya", last_name="Osman")
    make_document(driver, DocumentKind.LICENCE)
    make_document(driver, DocumentKind.MEDICAL)
    staff = get_user_model().objects.create_user("steward", is_staff=True, is_superuser=True)
    approved = application_approve(
        application=make_application(window, team, driver, category="SILVER"), by=staff
    )
    assert approved.fees.exists()
    make_application(window, team, category="BRONZE")
    return {"window": window, "team": team, "driver": driver, "application": approved}


def audit(page, base: str, paths: list[str]) -> dict[str, str]:
    """Each page's violations, described; pages without any left out."""
    found = {}
    for path in paths:
        response = page.goto(base + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        violations = axe_violations(page)
        if violations:
            found[path] = describe(violations)
    return found


def report(found: dict[str, str]) -> str:
    return "\n".join(f"{path}\n{text}" for path, text in found.items())


BREAK = """() => {
  const main = document.querySelector("main");
  main.append(document.createElement("input"));
  const faint = document.createElement("p");
  faint.textContent = "Faint text";
  faint.style.color = "#c8c8c8";
  faint.style.background = "#ffffff";
  const skipped = document.createElement("h4");
  skipped.textContent = "A heading two levels down";
  main.append(faint, skipped);
}"""


def test_the_audit_runs_under_the_sites_policy_and_finds_what_is_wrong(live_server, page):
    # The site's policy is untouched: a script tag added to the page is refused...
    page.goto(live_server.url + "/accounts/login/")
    with pytest.raises(Exception, match="Content Security Policy"):
        page.add_script_tag(path=AXE)
    assert page.evaluate("typeof window.axe") == "undefined"
    assert axe_violations(page) == []
    # ...yet the audit runs: a field without a label, faint text and a heading out of order.
    page.evaluate(BREAK)

    assert sorted(v["id"] for v in axe_violations(page)) == [
        "color-contrast",
        "heading-order",
        "label",
    ]
    assert [v["id"] for v in axe_violations(page, rules=["label"])] == ["label"]
    with pytest.raises(AssertionError, match=r"(?s)label \(critical\).*main > input"):
        assert_accessible(page)


def test_the_account_pages_signed_out(live_server, page, paddock):
    found = audit(
        page,
        live_server.url,
        ["/accounts/signup/", "/accounts/login/", "/accounts/password/reset/"],
    )
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(MANAGER)
    page.get_by_label("Password").fill("not-the-password")
    page.locator("form").get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").first.is_visible()  # refused, with its message
    if refused := axe_violations(page):
        found["/accounts/login/ (refused)"] = describe(refused)

    assert found == {}, report(found)


def test_every_page_of_the_team_manager(live_server, page, paddock):
    team, driver = paddock["team"], paddock["driver"]
    slug = paddock["window"].championship.slug
    sign_in(page, live_server, MANAGER)
    paths = [
        "/paddock/",
        f"/paddock/teams/{team.pk}/",
        f"/paddock/drivers/{driver.pk}/",
        f"/paddock/drivers/{driver.pk}/documents/new/",
        "/paddock/entries/",
        f"/paddock/teams/{team.pk}/apply/{slug}/",
        f"/paddock/teams/{team.pk}/applications/",
        f"/paddock/applications/{paddock['application'].pk}/",
        "/zh-hans/paddock/",
        f"/paddock/teams/{team.pk}/drivers/new/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/sessions/",
    ]

    found = audit(page, live_server.url, paths)

    assert found == {}, report(found)


def test_the_application_form_with_its_errors(live_server, page, paddock):
    team = paddock["team"]
    sign_in(page, live_server, MANAGER)
    page.goto(
        f"{live_server.url}/paddock/teams/{team.pk}/apply/{paddock['window'].championship.slug}/"
    )
    fill_car(
        page,
        0,
        first="Faris",
        last="Lim",
        number=31,
        class_code="PRO_AM",
        category="SILVER",
        licence=b"not a pdf\n",
    )
    declare_and_send(page)
    assert page.get_by_role("alert").first.is_visible()
    assert EntryApplication.objects.filter(team=team).count() == 2  # nothing added

    assert_accessible(page)


def test_the_paddock_and_the_application_form_on_a_phone(live_server, phone_page, paddock):
    team = paddock["team"]
    sign_in(phone_page, live_server, MANAGER)
    paths = ["/paddock/", f"/paddock/teams/{team.pk}/apply/{paddock['window'].championship.slug}/"]

    found = audit(phone_page, live_server.url, paths)

    assert found == {}, report(found)
