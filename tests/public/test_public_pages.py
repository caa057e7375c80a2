"""The public championship pages: what they show, their query budgets and their caching."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from championships.models import Championship, ClassificationState, Prize, Race
from championships.services import classification_declare, standings_invalidate
from tests import factories
from tests.factories import build_championship, get_race

pytestmark = pytest.mark.django_db


def html(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:500]
    return response.content.decode()


def cold_get(client, url: str):
    """A request with nothing cached, as the first visitor after a change makes it."""
    cache.clear()
    return client.get(url)


# Home -----------------------------------------------------------------------------------------


def test_home_shows_the_latest_championship_at_a_glance(client, pcca):
    page = html(client, "/championships/pcca-2024/")

    assert "<h1>Porsche Carrera Cup Asia 2024</h1>" in page
    assert "Leaders" in page
    assert "#55 Kai Lindqvist" in page  # drivers table leader
    assert "Round 4, race 2 · Bangsaen Street Circuit" in page  # latest race


def test_home_shows_the_next_meeting_with_local_start_times_and_a_countdown(client, db):
    championship = factories.make_championship()
    circuit = factories.make_circuit("Suzuka", timezone="Asia/Tokyo")
    soon = timezone.now() + dt.timedelta(days=3)
    meeting = factories.make_meeting(championship, 1, circuit=circuit, start_date=soon.date())
    start = dt.datetime(soon.year, soon.month, soon.day, 1, 35, tzinfo=dt.UTC)
    factories.make_race(meeting, 1, starts_at=start)

    page = html(client, "/")

    assert "Round 1</a>" not in page or "Suzuka" in page
    local = start.astimezone(circuit.zone)
    assert f"{local:%H:%M}</time>" in page
    assert "Asia/Tokyo time, UTC+0900" in page
    assert f'data-countdown="{start.isoformat()}"' in page


def test_home_says_so_when_every_race_is_behind_us(client, pcca):
    assert "No meeting is scheduled" in html(client, "/")


def test_home_says_so_when_there_is_no_championship(client, db):
    assert "No championship has been set up yet." in html(client, "/")


def test_a_prize_is_provisional_until_its_round_is_complete(client, pcca):
    Prize.objects.create(championship=pcca, after_round=6, award="Le Mans 24 Hours")

    page = html(client, "/championships/pcca-2024/")

    assert "Le Mans 24 Hours" in page
    assert "Provisional" in page
    assert "Place 1 of the Drivers table after round 6" in page


def declare_final(championship, up_to_round: int) -> None:
    races = Race.objects.filter(meeting__championship=championship, meeting__round__lte=up_to_round)
    for race in races:
        classification_declare(race=race, state=ClassificationState.FINAL)


def test_a_prize_is_won_once_every_race_up_to_its_round_is_final(client, pcca):
    Prize.objects.create(championship=pcca, after_round=2, award="A test at Weissach")
    declare_final(pcca, up_to_round=2)

    page = html(client, "/championships/pcca-2024/")

    prize = page[page.index("A test at Weissach") :]
    assert "Won" in prize[:800]
    assert "#99 Ming Zhao" in prize[:800]  # the drivers leader after round 2


def test_a_prize_of_a_complete_round_is_only_provisionally_led_until_it_is_final(client, pcca):
    # Issue 14.14: round 2 is over, but race 2 of round 1 is still provisional.
    Prize.objects.create(championship=pcca, after_round=2, award="A test at Weissach")
    declare_final(pcca, up_to_round=2)
    race = get_race(pcca, 1, 2)
    Race.objects.filter(pk=race.pk).update(classification_state=ClassificationState.PROVISIONAL)

    for address in (f"/series/{pcca.series.slug}/", f"/championships/{pcca.slug}/"):
        page = html(client, address)
        prize = page[page.index("A test at Weissach") :][:1200]
        assert "badge-decided" not in prize
        assert "Provisional leader" in prize and "#99 Ming Zhao" in prize
        assert "Won once every classification up to this round is declared final." in prize


def test_an_amended_classification_counts_as_final(client, pcca):
    Prize.objects.create(championship=pcca, after_round=2, award="A test at Weissach")
    declare_final(pcca, up_to_round=2)
    Race.objects.filter(meeting__championship=pcca, meeting__round=2).update(
        classification_state=ClassificationState.AMENDED
    )

    page = html(client, "/championships/pcca-2024/")

    assert "Won" in page[page.index("A test at Weissach") :][:800]


def test_home_query_count_holds_with_a_larger_season(client, db, django_assert_num_queries):
    build_championship(entries=2, rounds=1, year=2030)
    # 1 every public season's version and 2 the series menu (the kept page's key); 3 each
    # series' current season; 4-7 the season (standings loader); 8-9 meetings and their
    # races; 10 entry → driver slug for links.
    with django_assert_num_queries(10):
        cold_get(client, "/")
    build_championship(entries=14, rounds=5, year=2031)  # the latest season is the current one
    with django_assert_num_queries(10):
        cold_get(client, "/")


# Calendar and feed ---------------------------------------------------------------------------


def test_calendar_lists_meetings_with_local_start_times_and_the_zone(client, pcca):
    page = html(client, "/calendar/")

    assert "Round 2 · Suzuka International Racing Course" in page
    assert 'datetime="2024-05-11T01:35:00+00:00"' in page
    assert "Sat 11 May, 10:35</time>" in page
    assert "Asia/Tokyo time, UTC+0900" in page
    assert "supporting the Formula 1 Chinese Grand Prix" in page
    assert 'href="/championships/pcca-2024/calendar.ics"' in page


def test_calendar_query_count_holds_with_a_longer_calendar(client, db, django_assert_num_queries):
    championship = build_championship(entries=2, rounds=1)
    # 1 the championship's version and 2 the series menu (the kept page's key); 3 the
    # championship, whole, for a page not yet kept; 4 meetings with circuits; 5 their races,
    # marked held or not.
    with django_assert_num_queries(5):
        client.get("/calendar/")
    for round_ in range(2, 9):
        factories.make_race(factories.make_meeting(championship, round_), 1)
    standings_invalidate(championship_id=championship.pk)  # as every write path does
    with django_assert_num_queries(5):
        client.get("/calendar/")


# Meeting -------------------------------------------------------------------------------------


def test_meeting_page_shows_the_classification_after_penalties(client, pcca):
    page = html(client, "/championships/pcca-2024/rounds/1/")

    race_2 = page[page.index("Race 2: final classification") :]
    # Car 5 crossed the line 4th, ahead of cars 55 and 7; 5 s added drops it behind both.
    assert race_2.index("Kai Lindqvist") < race_2.index("Aiden Tan") < race_2.index("Jun Takeda")
    assert "incl. 5 s penalty" in race_2
    assert "5 s time penalty" in page
    assert "Causing a collision at turn 14" in page


def test_meeting_page_marks_pole_and_fastest_lap(client, pcca):
    page = html(client, "/championships/pcca-2024/rounds/1/")

    race_1 = page[page.index("Race 1: final classification") : page.index("Race 2: final")]
    assert race_1.count('title="Pole position">Pole</span>') == 1
    assert race_1.count('title="Fastest lap">FL') == 1


def test_meeting_page_shows_disqualifications_and_deductions(client, pcca):
    round_3 = html(client, "/championships/pcca-2024/rounds/3/")
    round_4 = html(client, "/championships/pcca-2024/rounds/4/")

    assert "Disqualified" in round_3 and "Car below minimum weight" in round_3
    assert "3 points deducted" in round_4 and "Repeated track limits offences" in round_4


def test_meeting_page_without_results_says_so(client, pcca):
    assert "No results yet." in html(client, "/championships/pcca-2024/rounds/6/")


def test_an_unknown_round_is_a_404(client, pcca):
    html(client, "/championships/pcca-2024/rounds/99/", status=404)


def test_meeting_query_count_holds_with_more_cars(client, db, django_assert_num_queries):
    build_championship(entries=2, rounds=1, slug="small")
    build_championship(entries=16, rounds=4, slug="large")
    # 1 the championship's version and 2 the series menu (the kept page's key); 3 the
    # championship, whole, for a page not yet kept; 4 meeting and circuit; 5 its races; 6 their
    # published grids; 7-10 the season; 11 driver slugs; 12 the practice and qualifying
    # sessions; 13 their results; 14 every lap of the round; 15 the stewards' decisions
    # (withdrawn ones and reprimands); 16 the protests and appeals that produced or withdrew
    # them.
    with django_assert_num_queries(16):
        cold_get(client, "/championships/small/rounds/1/")
    with django_assert_num_queries(16):
        cold_get(client, "/championships/large/rounds/4/")


# Standings -----------------------------------------------------------------------------------


def test_standings_show_the_drivers_table_race_by_race(client, pcca):
    page = html(client, "/standings/")

    assert "<caption" in page and "Drivers: points race by race" in page
    assert '<th scope="col" class="num"><abbr title="Round 2, race 2">R2-2</abbr></th>' in page
    assert "159.5" in page  # the leader's total, with the half-points race


def test_standings_strike_through_dropped_results(client, db):
    championship = build_championship(entries=3, rounds=2, dropped_results=1)

    page = html(client, f"/championships/{championship.slug}/standings/")

    assert "<del>" in page
    assert '<span class="visually-hidden"> (dropped)</span>' in page


def test_standings_explain_ties_in_the_visitors_language(client, pcca):
    english = html(client, "/standings/?after_round=1")
    chinese = html(client, "/zh-hans/standings/?after_round=1")

    assert "<li>#33 ahead of #88 on countback: more 9th places (1 to 0)</li>" in english
    assert "<li>#33 按名次次数排在 #88 之前：第 9 名的次数更多（1 比 0）</li>" in chinese


def test_standings_show_deductions(client, pcca):
    page = html(client, "/standings/")

    assert '<span class="deduction" title="Repeated track limits offences">−3</span>' in page


def test_the_after_round_control_shows_the_table_as_it_stood(client, pcca):
    page = html(client, "/standings/?after_round=2")

    assert "Drivers after round 2" in page
    assert "R3-1" not in page
    assert '<option value="2" selected>Round 2</option>' in page


def test_the_table_control_picks_a_class_table(client, pcca):
    page = html(client, "/standings/?table=class-PRO_AM")

    assert "PRO-AM class: points race by race" in page
    assert "Wei Chen" in page and "Kai Lindqvist</a>" not in page


def test_the_teams_table_shows_each_race_and_its_scoring_cars(client, pcca):
    page = html(client, "/standings/?table=teams")

    assert "Teams: points race by race" in page
    assert "Harbour Racing" in page


def test_a_bad_control_value_is_a_400_that_still_shows_a_table(client, pcca):
    page = html(client, "/standings/?table=nonsense&after_round=x", status=400)

    assert 'class="field-error" id="id_table_error"' in page
    assert 'class="field-error" id="id_after_round_error"' in page
    assert "Drivers: points race by race" in page


def test_standings_show_title_maths(client, pcca):
    page = html(client, "/standings/")

    # 8 races left, each worth 25 + pole 1 + fastest lap 1; R5 has three races.
    assert "8 races still count after this table, worth up to 216 more points." in page
    contenders = page[page.index("can still finish first</caption>") :]
    row = '<th scope="row">#55 Kai Lindqvist</th><td class="num">159.5</td>'
    assert row + '<td class="num">375.5</td><td class="num">159.5</td>' in contenders


def test_standings_draw_the_progression_as_svg_with_a_table_fallback(client, pcca):
    page = html(client, "/standings/")

    assert '<svg viewBox="0 0 480 300" role="img" aria-labelledby="chart-title chart-desc"' in page
    assert '<title id="chart-title">' in page and '<desc id="chart-desc">' in page
    assert page.count("<polyline") == 5
    assert "Points after each round" in page
    assert "style=" not in page


def test_standings_send_last_modified_and_answer_304(client, pcca):
    first = client.get("/standings/")

    again = client.get("/standings/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    by_etag = client.get("/standings/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert again.status_code == 304
    assert by_etag.status_code == 304


def test_standings_are_modified_when_the_tables_change(client, pcca):
    first = client.get("/standings/")
    Championship.objects.filter(pk=pcca.pk).update(
        tables_changed_at=timezone.now() + dt.timedelta(seconds=5)
    )

    again = client.get("/standings/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert again.status_code == 200


def test_standings_query_count_holds_with_a_larger_season(client, db, django_assert_num_queries):
    build_championship(entries=2, rounds=1, slug="small")
    large = build_championship(entries=16, rounds=6, slug="large")
    standings_invalidate(championship_id=large.pk)
    # 1 the championship's version and 2 the series menu (the kept page's key); 3 the
    # championship, whole, for a page not yet kept; 4-7 the season; 8 races of the calendar
    # for the title maths; 9 driver slugs.
    with django_assert_num_queries(9):
        cold_get(client, "/championships/small/standings/")
    with django_assert_num_queries(9):
        cold_get(client, "/championships/large/standings/?table=class-PRO&after_round=3")


# Archive -------------------------------------------------------------------------------------


def test_archive_lists_every_season_with_the_champion_of_each_table(client, db):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)

    page = html(client, "/archive/")

    assert page.index("Porsche Carrera Cup Asia 2024") < page.index("Porsche Carrera Cup Asia 2023")
    assert "Porsche Carrera Cup Asia 2023: champions" in page
    assert "Porsche Carrera Cup Asia 2024: leaders so far" in page
    # The demo also loads seasons around today (demo.living), next year's Cup a draft.
    assert page.count("<caption") == Championship.objects.public().count() >= 2


def test_archive_query_count_holds_with_more_seasons(client, db, django_assert_num_queries):
    build_championship(entries=2, rounds=1, year=2020)
    # 1 championships; 2-5 every season at once; 6 races held or not; 7 driver slugs; 8 the
    # series menu.
    with django_assert_num_queries(8):
        cold_get(client, "/archive/")
    for year in range(2021, 2026):
        build_championship(entries=6, rounds=2, year=year)
    with django_assert_num_queries(8):
        cold_get(client, "/archive/")


# Every page ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/calendar/",
        "/standings/",
        "/archive/",
        "/championships/pcca-2024/rounds/1/",
        "/calendar.ics",
    ],
)
def test_pages_send_an_etag_and_answer_a_conditional_get_with_304(client, pcca, url):
    first = client.get(url)

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert again.status_code == 304


@pytest.mark.parametrize(
    "url",
    ["/", "/calendar/", "/standings/", "/archive/", "/championships/pcca-2024/rounds/1/"],
)
def test_pages_have_one_h1_and_no_inline_script_or_style(client, pcca, url):
    page = html(client, url)

    assert page.count("<h1") == 1
    assert "<script>" not in page and "<style" not in page and "style=" not in page


@pytest.mark.parametrize("url", ["/zh-hans/", "/zh-hans/standings/", "/zh-hans/calendar/"])
def test_pages_are_served_in_chinese_under_their_prefix(client, pcca, url):
    assert 'lang="zh-hans"' in html(client, url)


def test_an_unknown_championship_is_a_404(client, db):
    html(client, "/championships/nope/standings/", status=404)


def test_a_half_points_race_scores_half(client, db):
    championship = factories.make_championship("half")
    meeting = factories.make_meeting(championship, 1)
    race = factories.make_race(meeting, 1, points_factor="0.5")
    factories.make_result(race, factories.make_entry(championship, 1), 1)

    page = html(client, "/championships/half/standings/")

    assert "12.5" in page
    assert Decimal("12.5")
