"""The organiser's site: every series at a glance on the home, each series' own section, the
series menu, the archive by series and the sitemap; never a draft for the public."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from championships.models import Championship, SeasonStatus, Series
from championships.services import season_feature, season_status_set, standings_invalidate
from tests.factories import (
    make_championship,
    make_circuit,
    make_driver,
    make_entry,
    make_meeting,
    make_race,
    make_result,
    make_series,
    make_staff,
)

pytestmark = pytest.mark.django_db

SOON = dt.timedelta(days=5)


def raced_season(series: Series, slug: str, name: str, *, year: int = 2026, **fields):
    """A season of ``series`` with one race run (two cars, the first one winning) and one
    race in five days' time at Sepang."""
    championship = make_championship(slug, year=year, name=name, series=series, **fields)
    winner = make_entry(championship, 7, driver=make_driver("Ada", f"Winner{slug}"))
    second = make_entry(championship, 8, driver=make_driver("Bo", f"Second{slug}"))
    past = make_meeting(championship, 1, start_date=dt.date(year, 3, 1))
    race = make_race(past, 1, starts_at=dt.datetime(year, 3, 1, 6, 0, tzinfo=dt.UTC))
    make_result(race, winner, 1)
    make_result(race, second, 2)
    soon = timezone.now() + SOON
    sepang = make_circuit("Sepang International Circuit", timezone="Asia/Kuala_Lumpur")
    ahead = make_meeting(championship, 2, circuit=sepang, start_date=soon.date())
    make_race(ahead, 1, starts_at=soon)
    return championship


@pytest.fixture
def two_series(db) -> tuple[Championship, Championship]:
    """The Cup (first in the menus) and the Sprint, each with a season under way."""
    cup_series = make_series("Porsche Carrera Cup Asia")
    sprint_series = make_series("Porsche Sprint Challenge China")
    Series.objects.filter(pk=sprint_series.pk).update(position=1)
    cup = raced_season(cup_series, "cup-2026", "Carrera Cup Asia 2026")
    sprint = raced_season(sprint_series, "sprint-2026", "Sprint Challenge China 2026")
    return cup, sprint


def html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def staff_client(client):
    client.force_login(make_staff("viewer", "championships.view_championship"))
    return client


# The organiser home -----------------------------------------------------------------------------


def test_the_home_shows_each_series_with_its_leader_next_meeting_and_podium(client, two_series):
    page = html(client, "/")

    for slug, series in (("cup-2026", "Carrera Cup Asia"), ("sprint-2026", "Sprint Challenge")):
        assert f'href="/championships/{slug}/"' in page
        assert f"#7 Ada Winner{slug}" in page  # the leader and the podium's winner
        assert f"#8 Bo Second{slug}" in page  # the podium's second
        assert series in page
    assert page.count('class="countdown"') == 2
    assert page.count("Sepang International Circuit") >= 2
    assert "Asia/Kuala_Lumpur time" in page  # the start in the circuit's own time


def test_the_home_lists_the_series_in_the_order_staff_gave_never_by_name(client, two_series):
    Series.objects.filter(slug="porsche-sprint-challenge-china").update(position=0)
    Series.objects.filter(slug="porsche-carrera-cup-asia").update(position=5)
    standings_invalidate(championship_id=two_series[0].pk)

    page = html(client, "/")

    assert page.index("Sprint Challenge China 2026") < page.index("Carrera Cup Asia 2026")


def test_the_home_is_in_chinese_under_its_prefix_and_says_when_nothing_is_set_up(client, db):
    page = html(client, "/zh-hans/")

    assert 'lang="zh-hans"' in page
    assert "No championship has been set up yet." in html(client, "/")


def test_the_home_costs_the_same_queries_for_one_series_as_for_three(
    client, db, django_assert_num_queries
):
    raced_season(make_series("Cup"), "cup-2026", "Cup 2026")
    client.get("/")  # the seasons' tables in the cache, as on a live site
    standings_invalidate(championship_id=Championship.objects.get().pk)
    # 1 every season's version, 2 the series menu (both the kept page's key), 3 each series'
    # current season, 4-7 the season's standings data, 8-9 the meetings and their races,
    # 10 entry to driver slugs.
    with django_assert_num_queries(10):
        client.get("/")
    raced_season(make_series("Sprint"), "sprint-2026", "Sprint 2026")
    raced_season(make_series("Trophy"), "trophy-2026", "Trophy 2026")
    for championship in Championship.objects.all():
        standings_invalidate(championship_id=championship.pk)
    with django_assert_num_queries(10):
        page = client.get("/").content.decode()
    assert "Trophy 2026" in page and "Sprint 2026" in page
    # Kept: the key's two queries.
    with django_assert_num_queries(2):
        client.get("/")


def test_a_kept_home_changes_when_a_series_is_renamed_or_a_season_taken_off(client, two_series):
    cup, sprint = two_series
    html(client, "/")
    Series.objects.filter(pk=sprint.series_id).update(name="Sprint Trophy Thailand")

    assert "Sprint Trophy Thailand" in html(client, "/")

    season_status_set(championship_id=sprint.pk, status=SeasonStatus.DRAFT)
    assert "Sprint" not in html(client, "/")


# Drafts -----------------------------------------------------------------------------------------


@pytest.fixture
def draft(two_series) -> Championship:
    """A draft season of a third series, the Sprint Trophy Asia: staff only."""
    series = make_series("Sprint Trophy Asia")
    season = raced_season(series, "trophy-asia-2026", "Sprint Trophy Asia 2026")
    season_status_set(championship_id=season.pk, status=SeasonStatus.DRAFT)
    return season


DRAFT_PAGES = [
    "/championships/trophy-asia-2026/",
    "/championships/trophy-asia-2026/calendar/",
    "/championships/trophy-asia-2026/standings/",
    "/championships/trophy-asia-2026/rounds/1/",
    "/championships/trophy-asia-2026/calendar.ics",
    "/zh-hans/championships/trophy-asia-2026/",
    "/series/sprint-trophy-asia/",
]


@pytest.mark.parametrize("url", DRAFT_PAGES)
def test_a_draft_seasons_pages_are_not_found_by_the_public(client, draft, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/", "/archive/", "/series/porsche-carrera-cup-asia/"])
def test_a_draft_is_named_on_no_public_page(client, draft, url):
    page = html(client, url)

    assert "Sprint Trophy Asia" not in page
    assert "trophy-asia" not in page


def test_staff_see_a_draft_on_its_own_pages_marked_as_such(client, draft):
    staff = staff_client(client)

    for url in DRAFT_PAGES[:5]:
        assert staff.get(url).status_code == 200, url
    page = html(staff, "/championships/trophy-asia-2026/")
    assert "Draft: only staff see this season." in page
    assert "#7 Ada Winnertrophy-asia-2026" in page
    # The organiser home and the archive list public seasons only, for staff too.
    assert "Sprint Trophy Asia" not in html(staff, "/")
    assert "Sprint Trophy Asia" not in html(staff, "/archive/")


def test_a_series_of_drafts_only_has_no_public_section_and_an_unknown_one_neither(client, draft):
    assert client.get("/series/sprint-trophy-asia/").status_code == 404
    assert client.get("/series/no-such-series/").status_code == 404


# A series' section ------------------------------------------------------------------------------


def test_a_series_section_shows_its_current_season_its_pages_and_its_archive(client, two_series):
    cup, sprint = two_series
    make_championship(
        "sprint-2025",
        year=2025,
        name="Sprint Challenge China 2025",
        series=sprint.series,
        status=SeasonStatus.ARCHIVED,
    )

    page = html(client, "/series/porsche-sprint-challenge-china/")

    assert "<h1>Porsche Sprint Challenge China</h1>" in page
    assert "Current season: Sprint Challenge China 2026" in page
    for link in ("calendar/", "standings/", "entries/"):
        assert f'href="/championships/sprint-2026/{link}"' in page
    assert 'href="/championships/sprint-2025/"' in page  # its archive
    assert 'href="/series/porsche-sprint-challenge-china/calendar.ics"' in page
    assert "#7 Ada Winnersprint-2026" in page and 'class="countdown"' in page
    assert "Carrera Cup Asia 2026" not in page
    assert page.index("Sprint Challenge China 2026") < page.index("Sprint Challenge China 2025")


def test_a_series_section_is_kept_and_moves_with_its_seasons(
    client, two_series, django_assert_num_queries
):
    cup, sprint = two_series
    html(client, "/series/porsche-sprint-challenge-china/")
    with django_assert_num_queries(2):  # its seasons and the series menu: the key
        client.get("/series/porsche-sprint-challenge-china/")
    Championship.objects.filter(pk=sprint.pk).update(name="Sprint China 2026")
    standings_invalidate(championship_id=sprint.pk)

    assert "Sprint China 2026" in html(client, "/series/porsche-sprint-challenge-china/")


# Navigation -------------------------------------------------------------------------------------


def series_menu(page: str) -> str:
    return re.search(r'<nav class="series-nav".*?</nav>', page, re.S).group(0)


def test_the_series_menu_links_every_public_series_and_marks_the_one_you_are_in(client, draft):
    menu = series_menu(html(client, "/championships/sprint-2026/standings/"))

    assert menu.index("Porsche Carrera Cup Asia") < menu.index("Porsche Sprint Challenge China")
    assert '<a href="/series/porsche-sprint-challenge-china/" aria-current="true">' in menu
    assert '<a href="/series/porsche-carrera-cup-asia/">' in menu
    assert "Sprint Trophy Asia" not in menu
    assert menu.count("aria-current") == 1


def test_a_season_page_says_which_series_and_season_it_is(client, two_series):
    page = html(client, "/championships/sprint-2026/calendar/")

    assert (
        '<a href="/series/porsche-sprint-challenge-china/">Porsche Sprint Challenge China</a>'
        in page
    )
    assert "2026 season" in page


def test_a_kept_season_page_shows_a_renamed_series_at_once(client, two_series):
    cup, sprint = two_series
    html(client, "/championships/cup-2026/standings/")
    Series.objects.filter(pk=sprint.series_id).update(name="Sprint Trophy Thailand")

    assert "Sprint Trophy Thailand" in html(client, "/championships/cup-2026/standings/")


def test_a_kept_page_costs_its_version_and_the_series_menu(
    client, two_series, django_assert_num_queries
):
    html(client, "/standings/")
    with django_assert_num_queries(2):
        client.get("/standings/")


# The featured season on the site's own addresses ------------------------------------------------


@pytest.mark.parametrize("url", ["/standings/", "/calendar/", "/entries/", "/calendar.ics"])
def test_the_unprefixed_pages_show_the_featured_season_never_the_name_order(
    client, two_series, url
):
    cup, sprint = two_series
    season_feature(championship_id=sprint.pk)
    assert "Sprint Challenge China 2026" in client.get(url).content.decode()

    season_feature(championship_id=cup.pk)
    shown = client.get(url).content.decode()
    assert "Carrera Cup Asia 2026" in shown and "Sprint Challenge China 2026" not in shown


def test_without_a_featured_season_the_first_series_is_shown_whatever_the_names(client, two_series):
    cup, sprint = two_series
    Championship.objects.update(featured=False)
    # "Aaa" would come first by name; the Sprint series comes second by position.
    Championship.objects.filter(pk=sprint.pk).update(name="Aaa Sprint 2026")

    assert "Carrera Cup Asia 2026" in html(client, "/standings/")


# The archive ------------------------------------------------------------------------------------


def test_the_archive_groups_public_seasons_by_series_in_the_series_order(client, two_series):
    cup, sprint = two_series
    make_championship(
        "cup-2025",
        year=2025,
        name="Carrera Cup Asia 2025",
        series=cup.series,
        status=SeasonStatus.ARCHIVED,
    )

    page = html(client, "/archive/")

    headings = re.findall(r'<h2 id="archive-([a-z-]+)">', page)
    assert headings == ["porsche-carrera-cup-asia", "porsche-sprint-challenge-china"]
    assert page.index("Carrera Cup Asia 2026") < page.index("Carrera Cup Asia 2025")
    assert page.index("Carrera Cup Asia 2025") < page.index("Sprint Challenge China 2026")


# The sitemap ------------------------------------------------------------------------------------


def test_the_sitemap_lists_every_public_page_in_both_languages_and_no_draft(client, draft):
    response = client.get("/sitemap.xml")
    xml = response.content.decode()

    assert response.status_code == 200
    locations = re.findall(r"<loc>http://testserver(.*?)</loc>", xml)
    for path in (
        "/",
        "/zh-hans/",
        "/archive/",
        "/series/porsche-sprint-challenge-china/",
        "/zh-hans/series/porsche-carrera-cup-asia/",
        "/championships/cup-2026/",
        "/championships/sprint-2026/calendar/",
        "/zh-hans/championships/sprint-2026/standings/",
        "/championships/sprint-2026/entries/",
        "/championships/sprint-2026/rounds/2/",
        "/drivers/ada-winnersprint-2026/",
    ):
        assert path in locations, path
    assert 'hreflang="zh-hans" href="http://testserver/zh-hans/championships/cup-2026/"' in xml
    assert "trophy-asia" not in xml  # neither the draft's pages nor its drivers


@pytest.mark.parametrize(
    "url", ["/", "/zh-hans/", "/series/porsche-carrera-cup-asia/", "/archive/", "/sitemap.xml"]
)
def test_the_organisers_pages_read_no_session_so_the_page_cache_keeps_them(client, two_series, url):
    client.force_login(make_staff("viewer", "championships.view_championship"))

    assert "Cookie" not in client.get(url).get("Vary", "")


def test_in_chinese_the_menu_and_the_home_name_each_series_in_chinese(client, two_series):
    cup, sprint = two_series
    Series.objects.filter(pk=sprint.series_id).update(name_zh_hans="保时捷冲刺挑战赛中国")

    page = html(client, "/zh-hans/")

    assert "保时捷冲刺挑战赛中国" in series_menu(page)
    assert "保时捷冲刺挑战赛中国</a></h2>" in page
    assert "Porsche Carrera Cup Asia" in series_menu(page)  # no Chinese name: the English one
