"""The site's icon (issue 14.22a): /favicon.ico, which browsers ask of every site, answers."""

from django.contrib.staticfiles import finders
from django.templatetags.static import static

ICO = b"\x00\x00\x01\x00"  # the ICONDIR header: reserved 0, type 1 (icon)


def test_favicon_ico_leads_to_the_shipped_icon(client, db):
    # A browser asks /favicon.ico of the host, whichever page (public, back office, API) it shows.
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == static("img/favicon.ico")
    assert "max-age=86400" in response["Cache-Control"]


def test_the_icon_is_a_real_ico_file_among_the_static_files():
    path = finders.find("img/favicon.ico")

    assert path is not None
    with open(path, "rb") as icon:
        assert icon.read(4) == ICO


def test_every_page_links_the_icon(client, championship):
    page = client.get("/calendar/").content.decode()

    assert f'<link rel="icon" href="{static("img/favicon.ico")}"' in page
    assert static("img/favicon.svg") in page
