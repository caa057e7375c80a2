"""The 404 and 500 pages: helpful, in the visitor's language, and the 500 needs no request."""

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


def test_the_500_page_extends_nothing_that_needs_a_request():
    source = get_template("500.html").template.source

    assert "{% extends" not in source
    assert "request" not in Template(source).render(Context({}))
