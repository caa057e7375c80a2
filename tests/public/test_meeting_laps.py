"""The meeting page's laps: a race's lap chart (the running order after each lap, by
``championships.lap_chart``) and each driver's laps, of races and sessions."""

import datetime as dt

import pytest

from championships.lap_chart import positions_by_lap
from championships.models import Session, SessionKind
from championships.weekend import laps_import
from tests import factories

pytestmark = pytest.mark.django_db


def s(seconds: float) -> dt.timedelta:
    return dt.timedelta(seconds=seconds)


def test_positions_by_lap_ranks_the_cars_by_their_elapsed_time_after_each_lap():
    positions = positions_by_lap(
        {
            7: [s(120), s(118), s(118)],  # 120, 238, 356
            3: [s(119), s(121), s(117)],  # 119, 240, 357
            5: [s(125), s(130)],  # stops after lap 2
        }
    )

    assert positions == {7: [2, 1, 1], 3: [1, 2, 2], 5: [3, 3]}


def test_positions_by_lap_keeps_the_lower_car_number_ahead_on_equal_times():
    assert positions_by_lap({9: [s(120)], 4: [s(120)]}) == {9: [2], 4: [1]}


LAPS = (
    "NUMBER;LAP_NUMBER;LAP_TIME;CROSSING_FINISH_LINE_IN_PIT\n"
    "7;1;2'00.000;\n7;2;1'58.000;\n7;3;1'59.000;B\n"
    "3;1;1'59.000;\n3;2;2'01.000;\n3;3;1'57.500;\n"
)


def test_the_meeting_page_shows_the_lap_chart_and_each_drivers_laps(client):
    championship = factories.make_championship("laps-2026", year=2026)
    meeting = factories.make_meeting(championship, 1)
    race = factories.make_race(meeting, 1)
    for car in (3, 7):
        factories.make_entry(championship, car, driver=factories.make_driver("Ann", f"Car{car}"))
    session = Session.objects.create(
        meeting=meeting,
        kind=SessionKind.PRACTICE,
        starts_at=dt.datetime(2026, 4, 19, 3, 0, tzinfo=dt.UTC),
    )
    laps_import(subject=race, source=LAPS, dry_run=False)
    laps_import(subject=session, source=LAPS, dry_run=False)

    page = client.get("/championships/laps-2026/rounds/1/").content.decode()

    assert page.count('class="chart lap-chart"') == 1  # the race's; none for practice
    assert "Race 1: laps" in page and "Practice 1: laps" in page
    assert "#7 Ann Car7: 3 laps" in page
    car7 = page[page.index("Laps of #7 Ann Car7") :]
    car7 = car7[: car7.index("</table>")]
    assert '<tr class="best-lap"><th scope="row" class="num">2</th>' in car7
    assert "1:58.000" in car7 and "In the pit lane" in car7
    chart = page[page.index('class="chart lap-chart"') :]
    assert ">#3</text>" in chart[: chart.index("</svg>")]


def test_the_laps_read_in_chinese(client):
    championship = factories.make_championship("laps-zh-2026", year=2026)
    meeting = factories.make_meeting(championship, 1)
    race = factories.make_race(meeting, 1)
    for car in (3, 7):
        factories.make_entry(championship, car)
    laps_import(subject=race, source=LAPS, dry_run=False)

    page = client.get("/zh-hans/championships/laps-zh-2026/rounds/1/").content.decode()

    assert 'class="chart lap-chart"' in page and "1:57.500" in page
