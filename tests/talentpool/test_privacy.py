"""Nothing of the Talent Pool's applicants reaches the public pages or the API."""

import pytest

from tests.factories import make_edition, submit


@pytest.fixture
def application(db):
    edition = make_edition()
    return submit(edition, first_name="Xiaoyu", last_name="Zhuang", email="xz@example.com")


def test_public_pages_and_the_api_never_show_an_applicant(client, application):
    slug = application.edition.championship.slug
    pages = [
        "/",
        f"/championships/{slug}/",
        "/talent-pool/",
        "/api/v1/",
        "/api/v1/championships/",
        f"/api/v1/championships/{slug}/",
    ]

    for url in pages:
        body = client.get(url, HTTP_ACCEPT="application/json, text/html").content.decode()
        for private in ("Zhuang", "Xiaoyu", "xz@example.com", application.reference):
            assert private not in body, f"{private} on {url}"


def test_the_api_has_no_talent_pool_endpoint(client, application):
    root = client.get("/api/v1/", HTTP_ACCEPT="application/json").content.decode().lower()

    assert "talent" not in root and "application" not in root.replace("application/json", "")


def test_the_edition_page_presents_the_edition_without_applicants(client, application):
    html = client.get("/talent-pool/").content.decode()

    assert "Talent Pool 2026" in html and "Sepang International Circuit" in html
    assert 'href="/talent-pool/apply/"' in html
