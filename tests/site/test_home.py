from tests.factories import make_championship


def test_home_lists_every_championship_latest_first(client, db):
    make_championship(name="Cup 2023", year=2023)
    make_championship(name="Cup 2024", year=2024)

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Cup 2024") < html.index("Cup 2023")


def test_home_says_so_when_there_is_no_championship(client, db):
    response = client.get("/")

    assert "No championship has been set up yet." in response.content.decode()


def test_home_query_count_does_not_grow_with_championships(client, db, django_assert_num_queries):
    make_championship(year=2023)
    # 1: championships with their series and meeting/entry counts.
    with django_assert_num_queries(1):
        client.get("/")
    for year in range(2010, 2020):
        make_championship(year=year)
    with django_assert_num_queries(1):
        client.get("/")


def test_home_is_served_in_simplified_chinese_on_request(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()
