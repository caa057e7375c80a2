"""Each staff member chooses the language of their back office (English or Simplified
Chinese) in its header; the choice follows them to their next login, and the public pages,
which take their language from their address, are not touched."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from staff.models import StaffProfile
from tests.factories import (
    EXAMPLE_R1_1,
    RESULT_PERMISSIONS,
    get_race,
    make_championship,
    make_meeting,
    make_staff,
    token_client,
)

COOKIE = settings.LANGUAGE_COOKIE_NAME
# Words of Django's own admin, in each language: the password link of every page's header.
CHANGE_PASSWORD = {"en": "Change password", "zh-hans": "修改密码"}


@pytest.fixture
def official(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return make_staff("official", is_superuser=True)


def logged_in(client: Client) -> Client:
    response = client.post(
        "/admin/login/", {"username": "official", "password": "pw"}, REMOTE_ADDR="203.0.113.7"
    )
    assert response.status_code == 302
    return client


def choose(client: Client, language: str, next_page: str = "/admin/") -> object:
    return client.post("/admin/language/", {"language": language, "next": next_page})


def speaks(response, language: str) -> bool:
    html = response.content.decode()
    return (
        response["Content-Language"] == language
        and f'lang="{language}"' in html
        and CHANGE_PASSWORD[language] in html
    )


def test_the_header_offers_both_languages_with_the_current_one_selected(client, official):
    response = logged_in(client).get("/admin/")

    html = response.content.decode()
    assert 'action="/admin/language/"' in html
    assert '<option value="en" lang="en" selected>English</option>' in html
    assert '<option value="zh-hans" lang="zh-hans">简体中文</option>' in html


def test_a_staff_member_who_picks_chinese_gets_the_back_office_in_chinese_next(client, official):
    logged_in(client)
    assert speaks(client.get("/admin/"), "en")

    response = choose(client, "zh-hans", next_page="/admin/entries/entry/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/entries/entry/"
    assert StaffProfile.objects.get(user=official).language == "zh-hans"
    assert speaks(client.get("/admin/entries/entry/"), "zh-hans")
    assert '<option value="zh-hans" lang="zh-hans" selected>' in client.get("/admin/").text


def test_the_choice_follows_the_staff_member_to_a_new_login_on_another_browser(client, official):
    choose(logged_in(client), "zh-hans")
    client.post("/admin/logout/")

    elsewhere = logged_in(Client())

    assert speaks(elsewhere.get("/admin/"), "zh-hans")
    assert elsewhere.cookies[COOKIE].value == "zh-hans"


def test_the_profile_wins_over_the_cookie_of_the_browser_one_logs_in_on(client, official):
    StaffProfile.objects.create(user=official, language="en")
    client.cookies[COOKIE] = "zh-hans"

    assert speaks(logged_in(client).get("/admin/"), "en")


def test_going_back_to_english_is_remembered_too(client, official):
    choose(logged_in(client), "zh-hans")

    choose(client, "en")

    assert speaks(client.get("/admin/"), "en")
    assert StaffProfile.objects.get(user=official).language == "en"


def test_the_login_page_follows_the_language_cookie(client, db):
    assert client.get("/admin/login/")["Content-Language"] == "en"

    client.cookies[COOKIE] = "zh-hans"
    response = client.get("/admin/login/")

    assert response["Content-Language"] == "zh-hans"
    assert "用户名" in response.text  # Django's "Username"


def test_a_cookie_that_names_no_language_of_the_site_leaves_the_login_page_in_english(client, db):
    client.cookies[COOKIE] = "fr"

    assert client.get("/admin/login/")["Content-Language"] == "en"


def test_public_pages_keep_the_language_of_their_address_and_read_no_session(client, official):
    choose(logged_in(client), "zh-hans")

    english, chinese = client.get("/"), client.get("/zh-hans/")

    assert english["Content-Language"] == "en"
    assert chinese["Content-Language"] == "zh-hans"
    assert "Cookie" not in english.get("Vary", "")
    assert "Cookie" not in chinese.get("Vary", "")


def test_a_language_the_site_does_not_offer_is_refused_and_nothing_is_kept(client, official):
    response = choose(logged_in(client), "fr")

    assert response.status_code == 400
    assert not StaffProfile.objects.exists()
    assert speaks(client.get("/admin/"), "en")


def test_the_picker_takes_only_a_post(client, official):
    assert logged_in(client).get("/admin/language/?language=zh-hans").status_code == 405
    assert not StaffProfile.objects.exists()


def test_an_anonymous_visitor_is_sent_to_the_login_page_and_nothing_is_kept(client, db):
    response = choose(client, "zh-hans")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not StaffProfile.objects.exists()


@pytest.mark.parametrize("away", ["https://evil.example/", "//evil.example/admin/"])
def test_a_next_page_on_another_site_is_refused_for_the_back_office_index(client, official, away):
    response = choose(logged_in(client), "zh-hans", next_page=away)

    assert response["Location"] == "/admin/"


def test_a_back_office_page_in_chinese_reads_as_many_queries_as_in_english(client, official):
    logged_in(client).get("/admin/entries/entry/")
    with CaptureQueriesContext(connection) as english:
        client.get("/admin/entries/entry/")
    choose(client, "zh-hans")
    client.get("/admin/entries/entry/")

    with CaptureQueriesContext(connection) as chinese:
        response = client.get("/admin/entries/entry/")

    assert speaks(response, "zh-hans")
    assert len(chinese) == len(english)


def test_dates_in_the_back_office_follow_the_chosen_language(client, official):
    make_meeting(make_championship(year=2025), 1, start_date=dt.date(2025, 9, 5))
    logged_in(client)
    assert "Sept. 5, 2025" in client.get("/admin/championships/meeting/").text

    choose(client, "zh-hans")

    assert "2025年9月5日" in client.get("/admin/championships/meeting/").text


def test_the_api_reports_a_files_problems_in_english_whatever_language_is_asked(pcca):
    """The upload checks speak the back office's language; the API keeps its English."""
    client = token_client(make_staff("timing"), *RESULT_PERMISSIONS)
    client.cookies[COOKIE] = "zh-hans"
    race = get_race(pcca, 1, 1)

    response = client.post(
        f"/api/v1/races/{race.pk}/results/?expected_version=0",
        EXAMPLE_R1_1.replace("1,99,", "1,777,"),
        content_type="text/csv",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert response.status_code == 400
    assert [str(error["message"]) for error in response.json()["errors"]] == [
        "car 777 is not an entry of pcca-2024"
    ]
