"""The language switch links to this site's own paths only (issue 14.3): an address asked for
as //evil.example/standings/ must not become a link a browser reads as another host."""

import re

import pytest
from django.test import override_settings

from cupmanager.context_processors import same_site_path

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("championship")]

# As the server sees the path (PATH_INFO, already percent-decoded): //, /\ and /%2F%2F asked.
HOSTILE_PATHS = [
    "//evil.example/standings/",
    "/\\evil.example/standings/",
    "\\\\evil.example/standings/",
    "///evil.example/standings/",
    "/\\/evil.example/standings/",
    "/\t/evil.example/standings/",
]


def switch_links(response) -> list[str]:
    return re.findall(r'<a href="([^"]*)" lang="[^"]*" hreflang=', response.content.decode())


def on_this_site(href: str) -> bool:
    """A path: one slash, then neither a slash nor a backslash (nor what a browser drops)."""
    return bool(re.match(r"/[^/\\\t\n\r ]", href))


@override_settings(DEBUG=False)
@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_the_404_pages_language_links_stay_on_this_site(client, path):
    response = client.get("/", PATH_INFO=path)

    assert response.status_code == 404
    links = switch_links(response)
    assert len(links) == 2 and all(on_this_site(href) for href in links), links


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    "address", ["/%2F%2Fevil.example/standings/", "/%5C%5Cevil.example/", "/%2F%5Cevil.example/"]
)
def test_percent_encoded_slashes_stay_on_this_site_too(client, address):
    response = client.get(address)

    assert response.status_code == 404
    assert all(on_this_site(href) for href in switch_links(response))


def test_a_normal_pages_links_name_the_page_in_each_language(client):
    response = client.get("/calendar/")

    assert response.status_code == 200
    assert switch_links(response) == ["/calendar/", "/zh-hans/calendar/"]


def test_a_normal_page_under_the_chinese_prefix_links_back_to_english(client):
    response = client.get("/zh-hans/calendar/")

    assert switch_links(response) == ["/calendar/", "/zh-hans/calendar/"]


@pytest.mark.parametrize(
    ("address", "path"),
    [
        ("//evil.example/x/", "/evil.example/x/"),
        ("/\\evil.example/x/", "/evil.example/x/"),
        ("\\/\\/evil.example/x/", "/evil.example/x/"),
        (" //evil.example/", "/evil.example/"),
        ("/\t/evil.example/", "/evil.example/"),
        ("/standings/?table=teams", "/standings/?table=teams"),
        ("", "/"),
    ],
)
def test_an_address_becomes_a_path_on_this_site(address, path):
    assert same_site_path(address) == path
