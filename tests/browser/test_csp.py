"""The Content-Security-Policy in Chromium: no page breaks it, public or back office or API docs.

Every page is loaded with a listener for ``securitypolicyviolation`` (added by Playwright, which
the policy does not govern) and the console watched for "Refused to ..." messages; any
violation on any page fails the test, named with its page.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command

from championships.bundle import season_import
from talentpool.models import Application
from tests.factories import EXAMPLE_SEASON, submit

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${where})`);
});
"""
PUBLIC = [
    "/",
    "/calendar/",
    "/standings/",
    "/standings/?table=class-PRO_AM&after_round=2",
    "/standings/?table=teams",
    "/archive/",
    "/championships/pcca-2024/rounds/1/",
    "/entries/",
    "/drivers/kai-lindqvist/",
    "/talent-pool/",
    "/talent-pool/apply/",
    "/talent-pool/status/",
    "/zh-hans/",
    "/zh-hans/standings/",
    "/no-such-page/",
]
BACK_OFFICE = [
    "/admin/",
    "/admin/championships/championship/",
    "/admin/championships/championship/import-bundle/",
    "/admin/championships/race/",
    "/admin/championships/result/",
    "/admin/championships/penalty/add/",
    "/admin/entries/entry/",
    "/admin/entries/driver/",
    "/admin/talentpool/application/",
    "/admin/talentpool/talentpooledition/",
    "/admin/auth/user/",
    "/admin/auth/group/",
]


@pytest.fixture
def site(transactional_db, upload_root, django_user_model) -> None:
    cache.clear()
    season_import(EXAMPLE_SEASON)
    call_command("load_demo", verbosity=0)
    django_user_model.objects.create_superuser("owner", "owner@example.com", "pw-for-tests")
    yield
    cache.clear()


@pytest.fixture
def watched(page):
    """The page, with every CSP violation it meets collected by address."""
    page.add_init_script(LISTEN)
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.console_violations = console
    return page


def violations(page, base: str, paths: list[str], ready: str = "body") -> dict[str, list[str]]:
    found = {}
    for path in paths:
        page.console_violations.clear()
        page.goto(base + path)
        page.wait_for_selector(ready)
        page.wait_for_load_state("networkidle")
        seen = page.evaluate("window.__csp") + page.console_violations
        if seen:
            found[path] = seen
    return found


def log_in(page, base: str) -> None:
    page.goto(base + "/admin/login/")
    page.fill("#id_username", "owner")
    page.fill("#id_password", "pw-for-tests")
    page.click("input[type=submit]")
    page.wait_for_url(base + "/admin/")


def test_no_public_page_breaks_the_policy(live_server, watched, site):
    assert violations(watched, live_server.url, PUBLIC) == {}


def test_no_back_office_page_breaks_the_policy(live_server, watched, site):
    log_in(watched, live_server.url)
    application = Application.objects.first() or submit_demo_application()
    edition = application.edition
    pages = [
        *BACK_OFFICE,
        f"/admin/talentpool/application/{application.pk}/change/",
        f"/admin/talentpool/talentpooledition/{edition.pk}/ranking/",
        "/admin/championships/championship/1/change/",
    ]

    assert violations(watched, live_server.url, pages) == {}


def submit_demo_application() -> Application:
    from talentpool.models import TalentPoolEdition

    return submit(TalentPoolEdition.objects.order_by("-year").first())


def test_the_api_docs_keep_to_the_policy(live_server, watched, site):
    docs = violations(watched, live_server.url, ["/api/v1/docs/"], ready="#swagger-ui .info")

    assert docs == {}
    assert watched.locator("#swagger-ui .opblock").count() > 10  # Swagger UI did run


API_PAGES = [
    "/api/v1/",
    "/api/v1/championships/",
    "/api/v1/championships/pcca-2024/",
    "/api/v1/championships/pcca-2024/standings/",
    "/api/v1/meetings/",
    "/api/v1/races/",
    "/api/v1/penalties/",
    "/api/v1/entries/",
    "/api/v1/drivers/",
    "/api/v1/teams/",
    "/api/v1/circuits/",
    "/api/v1/series/",
]


def test_the_browsable_api_keeps_to_the_policy_for_staff_too(live_server, watched, site):
    anonymous = violations(watched, live_server.url, API_PAGES)
    log_in(watched, live_server.url)
    staff = violations(watched, live_server.url, API_PAGES)

    assert anonymous == {}
    assert staff == {}
