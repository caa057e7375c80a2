"""A draft season is staff's only through the API (issue 17): left out of every list, a 404
for each of its objects and its standings, out of reach of every filter, and never served to
anyone else from a kept answer or the page cache. Staff who see drafts (``sees_drafts``) get
it by their session or their API token."""

import pytest
from rest_framework.test import APIClient

from championships.models import Championship, Meeting, Penalty, Race
from championships.services import season_status_set
from entries.models import Entry
from tests import factories

pytestmark = pytest.mark.django_db

DRAFT = "sprint-2027"
PUBLISHED = "cup-2026"


@pytest.fixture
def seasons():
    """A published Cup season and a draft Sprint season, each with one of everything."""
    cup = factories.make_series("Carrera Cup")
    sprint = factories.make_series("Sprint Trophy")
    factories.make_season_with_calendar(PUBLISHED, cup, year=2026)
    return factories.make_season_with_calendar(DRAFT, sprint, year=2027, status="draft")


@pytest.fixture
def boss():
    """Staff who may view championships: they see drafts."""
    return factories.make_staff("boss", "championships.view_championship")


@pytest.fixture
def session(boss) -> APIClient:
    client = APIClient()
    client.force_login(boss)
    return client


@pytest.fixture
def token(boss) -> APIClient:
    return factories.token_client(boss)


@pytest.fixture(params=["session", "token"])
def staff_api(request) -> APIClient:
    """Staff who see drafts, by their session and by their API token."""
    return request.getfixturevalue(request.param)


def get(client: APIClient, url: str, **params):
    return client.get(url, params, HTTP_ACCEPT="application/json")


def championships_listed(client: APIClient, url: str, **params) -> set[str]:
    """The championship (slug) of each row of a list."""
    body = get(client, url, **params).json()
    return {row.get("championship") or row.get("slug") for row in body["results"]}


LISTS = [
    "/api/v1/championships/",
    "/api/v1/meetings/",
    "/api/v1/races/",
    "/api/v1/penalties/",
    "/api/v1/entries/",
]


@pytest.mark.parametrize("url", LISTS)
def test_an_anonymous_list_leaves_the_draft_season_out(api, seasons, url):
    assert championships_listed(api, url) == {PUBLISHED}


@pytest.mark.parametrize("url", LISTS)
def test_staff_who_see_drafts_get_the_draft_season_in_every_list(staff_api, seasons, url):
    assert championships_listed(staff_api, url) == {PUBLISHED, DRAFT}


@pytest.mark.parametrize("url", LISTS)
def test_staff_without_the_championship_view_permission_get_no_draft(seasons, url):
    client = factories.token_client(factories.make_staff("clerk"))

    assert championships_listed(client, url) == {PUBLISHED}


def draft_addresses() -> list[str]:
    """Every address of the draft season's own objects."""
    meeting = Meeting.objects.get(championship__slug=DRAFT)
    race = Race.objects.get(meeting=meeting)
    return [
        f"/api/v1/championships/{DRAFT}/",
        f"/api/v1/championships/{DRAFT}/standings/",
        f"/api/v1/championships/{DRAFT}/standings/?table=teams",
        f"/api/v1/meetings/{meeting.pk}/",
        f"/api/v1/entry-lists/{meeting.pk}/",
        f"/api/v1/races/{race.pk}/",
        f"/api/v1/races/{race.pk}/versions/",
        f"/api/v1/penalties/{Penalty.objects.get(meeting=meeting).pk}/",
        f"/api/v1/entries/{Entry.objects.get(championship__slug=DRAFT).pk}/",
    ]


def test_each_object_of_a_draft_season_is_a_404_for_anyone_but_staff(api, seasons):
    unknown = get(api, "/api/v1/championships/no-such-cup/").json()

    for url in draft_addresses():
        response = api.get(url, HTTP_ACCEPT="application/json")
        assert response.status_code == 404, url
        assert response.json().keys() == unknown.keys(), url


def test_staff_who_see_drafts_open_each_object_of_a_draft_season(staff_api, seasons):
    for url in draft_addresses():
        assert staff_api.get(url, HTTP_ACCEPT="application/json").status_code == 200, url


def test_a_draft_is_listed_for_staff_with_its_status(staff_api, seasons):
    rows = {row["slug"]: row for row in get(staff_api, "/api/v1/championships/").json()["results"]}

    assert (rows[DRAFT]["status"], rows[DRAFT]["featured"]) == ("draft", False)
    assert rows[PUBLISHED]["status"] == "published"


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/v1/championships/", {"series": "sprint-trophy"}),
        ("/api/v1/meetings/", {"championship": DRAFT}),
        ("/api/v1/meetings/", {"series": "sprint-trophy"}),
        ("/api/v1/races/", {"championship": DRAFT}),
        ("/api/v1/penalties/", {"championship": DRAFT}),
        ("/api/v1/entries/", {"championship": DRAFT}),
        ("/api/v1/entries/", {"series": "sprint-trophy"}),
        ("/api/v1/circuits/", {"championship": DRAFT}),
        ("/api/v1/circuits/", {"series": "sprint-trophy"}),
        ("/api/v1/drivers/", {"championship": DRAFT}),
        ("/api/v1/drivers/", {"team": DRAFT}),
        ("/api/v1/drivers/", {"series": "sprint-trophy"}),
        ("/api/v1/teams/", {"championship": DRAFT}),
        ("/api/v1/teams/", {"series": "sprint-trophy"}),
    ],
)
def test_no_filter_reaches_a_draft_season_but_for_staff(api, token, seasons, url, params):
    anonymous = get(api, url, **params)
    staff = get(token, url, **params)

    assert anonymous.status_code == 200 and anonymous.json()["count"] == 0
    assert staff.status_code == 200 and staff.json()["count"] == 1


# --- Kept answers and the page cache ---------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/entries/",
        f"/api/v1/entries/?championship={DRAFT}",
        "/api/v1/entries/?series=sprint-trophy",
    ],
)
def test_an_entry_list_kept_for_staff_is_never_given_to_the_public(api, staff_api, seasons, url):
    staff_cars = get(staff_api, url).json()["count"]
    anonymous = get(api, url).json()

    assert staff_cars > anonymous["count"]
    assert DRAFT not in {row["championship"] for row in anonymous["results"]}


def test_an_entry_list_kept_for_the_public_is_not_given_to_staff(api, staff_api, seasons):
    get(api, "/api/v1/entries/")

    assert championships_listed(staff_api, "/api/v1/entries/") == {PUBLISHED, DRAFT}


def test_an_anonymous_kept_entry_list_still_costs_one_query(
    api, seasons, django_assert_num_queries
):
    first = get(api, "/api/v1/entries/")

    with django_assert_num_queries(1):  # the public seasons' data version only
        kept = get(api, "/api/v1/entries/")

    assert kept.content == first.content


def test_publishing_a_draft_moves_the_public_entry_list_on(api, seasons):
    assert get(api, "/api/v1/entries/").json()["count"] == 1

    season_status_set(championship_id=seasons.pk, status="published")

    assert get(api, "/api/v1/entries/").json()["count"] == 2


def test_draft_standings_seen_by_staff_are_a_404_for_the_public_even_with_their_etag(
    api, staff_api, seasons
):
    url = f"/api/v1/championships/{DRAFT}/standings/"
    staff = staff_api.get(url, HTTP_ACCEPT="application/json")

    anonymous = api.get(url, HTTP_ACCEPT="application/json", HTTP_IF_NONE_MATCH=staff["ETag"])

    assert staff.status_code == 200
    assert anonymous.status_code == 404


@pytest.fixture
def page_cache(settings):
    settings.MIDDLEWARE = [
        *settings.PAGE_CACHE_MIDDLEWARE,
        *settings.MIDDLEWARE,
        "core.pagecache.FetchFromCacheMiddleware",
    ]
    settings.CACHE_MIDDLEWARE_SECONDS = 5


@pytest.mark.parametrize("url", [*LISTS, f"/api/v1/championships/{DRAFT}/"])
def test_the_page_cache_never_gives_the_public_what_staff_saw(
    api, staff_api, seasons, page_cache, url
):
    assert staff_api.get(url, HTTP_ACCEPT="application/json").status_code == 200

    anonymous = api.get(url, HTTP_ACCEPT="application/json")

    assert DRAFT.encode() not in anonymous.content


@pytest.mark.parametrize("url", LISTS)
def test_the_page_cache_never_gives_staff_the_public_answer(
    api, staff_api, seasons, page_cache, url
):
    api.get(url, HTTP_ACCEPT="application/json")

    assert championships_listed(staff_api, url) == {PUBLISHED, DRAFT}


def test_championships_stay_in_the_order_of_the_latest_first(staff_api, seasons):
    listed = [row["slug"] for row in get(staff_api, "/api/v1/championships/").json()["results"]]

    assert (
        listed
        == list(Championship.objects.latest_first().values_list("slug", flat=True))
        == [DRAFT, PUBLISHED]
    )
