"""The 404, 500 and 503 pages: helpful, in the visitor's language; the 500 and 503 need no
request."""

import re

import pytest
from django.template import Context, Template
from django.template.loader import get_template
from django.test import override_settings
from django.utils import translation


@override_settings(DEBUG=False)
def test_an_unknown_address_gets_the_sites_404_page(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert 'href="/standings/"' in html
    assert 'class="language-switch"' in html


@override_settings(DEBUG=False)
def test_the_404_page_speaks_chinese_under_its_prefix(client, db):
    response = client.get("/zh-hans/no-such-page/")

    assert response.status_code == 404
    assert 'lang="zh-hans"' in response.content.decode()


def test_the_500_page_renders_without_a_request_or_database():
    # Django renders 500.html with an empty context: no request, no context processors.
    with translation.override("en"):
        html = get_template("500.html").render({})

    assert "<h1>Something went wrong</h1>" in html
    assert "/static/css/site.css" in html


@pytest.mark.parametrize("page", ["500.html", "503.html"])
def test_the_500_and_503_pages_extend_nothing_that_needs_a_request(page):
    source = get_template(page).template.source
    frame = get_template("error_standalone.html").template.source

    assert re.findall(r"{% *(?:extends|include) ([^ %]+)", source) == ['"error_standalone.html"']
    assert not re.findall(r"{% *(?:extends|include) ", frame)
    assert "request" not in Template(source).render(Context({}))
