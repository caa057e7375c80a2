import datetime as dt

from django.core.cache import cache

from tests.factories import make_championship, make_circuit, make_meeting, make_race


def test_home_shows_the_latest_championship_of_the_series(client, db):
    make_championship(name="Cup 2023", year=2023)
    make_championship(name="Cup 2024", year=2024)

    response = client.get("/")

    assert response.status_code == 200
    assert "Cup 2024</a>" in response.content.decode()
    assert "Cup 2023" not in response.content.decode()


def test_the_archive_lists_every_championship_latest_first(client, db):
    make_championship(name="Cup 2023", year=2023)
    make_championship(name="Cup 2024", year=2024)

    html = client.get("/archive/").content.decode()

    assert html.index("Cup 2024") < html.index("Cup 2023")


def test_home_says_so_when_there_is_no_championship(client, db):
    response = client.get("/")

    assert "No championship has been set up yet." in response.content.decode()


def test_home_query_count_does_not_grow_with_championships(client, db, django_assert_num_queries):
    make_championship(year=2023)
    # 1 every public season's version and 2 the series menu (the kept page's key); 3 each
    # series' current season; 4-7 its season's standings data; 8 its meetings (none, so no
    # race query); 9 entry → driver slugs.
    with django_assert_num_queries(9):
        client.get("/")
    for year in range(2010, 2020):
        make_championship(year=year)
    cache.clear()
    with django_assert_num_queries(9):
        client.get("/")


def test_home_is_served_in_simplified_chinese_under_its_prefix(client, db):
    response = client.get("/zh-hans/")

    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()


def test_the_language_switch_links_this_page_in_each_language(client, db):
    make_championship(slug="pcca-2024")

    english = client.get("/championships/pcca-2024/").content.decode()
    chinese = client.get("/zh-hans/championships/pcca-2024/").content.decode()

    assert 'href="/zh-hans/championships/pcca-2024/" lang="zh-hans"' in english
    assert 'href="/championships/pcca-2024/" lang="en"' in chinese


def test_the_main_navigation_links_every_section_and_the_talent_pool(client, db):
    make_championship(slug="pcca-2024")

    html = client.get("/").content.decode()

    for href in ("/", "/calendar/", "/standings/", "/entries/", "/archive/", "/talent-pool/"):
        assert f'<a href="{href}"' in html


def test_calendar_shows_race_starts_in_the_circuit_local_time(client, db):
    championship = make_championship(slug="pcca-2024")
    meeting = make_meeting(championship, circuit=make_circuit("Suzuka", timezone="Asia/Tokyo"))
    make_race(meeting, starts_at=dt.datetime(2024, 5, 11, 1, 35, tzinfo=dt.UTC))

    response = client.get("/championships/pcca-2024/calendar/")

    html = response.content.decode()
    assert "Sat 11 May, 10:35" in html
    assert 'datetime="2024-05-11T01:35:00+00:00"' in html
    assert "Asia/Tokyo time" in html


def test_pages_send_an_etag_and_answer_a_conditional_get_with_304(client, db):
    make_championship()
    first = client.get("/")

    again = client.get("/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert again.status_code == 304
    assert again.content == b""


def test_the_talent_pool_link_stays_in_the_reader_language(client, db):
    chinese = client.get("/zh-hans/archive/").content.decode()

    assert 'href="/zh-hans/talent-pool/"' in chinese
