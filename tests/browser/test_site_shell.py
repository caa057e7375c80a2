"""The layout every public page extends, in a real browser."""

from tests.factories import make_championship


def test_the_archive_lists_championships_and_links_to_each(live_server, page, transactional_db):
    make_championship(name="Porsche Carrera Cup Asia 2024", slug="pcca-2024")

    page.goto(live_server.url + "/archive/")
    page.get_by_role("link", name="Porsche Carrera Cup Asia 2024").click()

    assert page.url.endswith("/championships/pcca-2024/")
    assert page.get_by_role("heading", level=1).inner_text() == "Porsche Carrera Cup Asia 2024"


def test_the_language_switch_serves_simplified_chinese(live_server, page, transactional_db):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="简体中文").click()

    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.url == live_server.url + "/zh-hans/"
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"


def test_the_layout_fits_a_360_pixel_phone(live_server, phone_page, transactional_db):
    make_championship(name="Porsche Carrera Cup Asia 2024 with a long name to wrap")

    phone_page.goto(live_server.url + "/")

    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_skip_link_moves_focus_to_the_content(live_server, page, transactional_db):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")

    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
