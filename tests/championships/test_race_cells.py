"""The standings grid's race cells (championships/templatetags/cup.py race_cells)."""

from django.utils import translation

from championships.standings.data import DRIVERS, TIME
from championships.templatetags.cup import race_cells
from tests.championships.test_standings_helpers import (
    penalty,
    race,
    result,
    scheme,
    season,
    table,
)


def car_1_row():
    """Car 1: pole, fastest lap and a time penalty in R1; a DNF dropped in R2; P2 in R3."""
    r1 = race(
        1,
        result(1, 1, grid=1, total_time=100, best_lap=50),
        result(2, 2, grid=2, total_time=120, best_lap=51),
    )
    r2 = race(2, result(1, status="DNF"), result(2, 1, total_time=100))
    r3 = race(3, result(2, 1, total_time=100), result(1, 2, total_time=110))
    cup = season(
        r1,
        r2,
        r3,
        penalties=(penalty(1, TIME, r1, value=5),),
        schemes={DRIVERS: scheme(pole=1, fastest_lap=1)},
        dropped_results=1,
    )
    return next(row for row in table(cup).rows if row.entry.id == 1)


def test_each_cell_shows_points_result_and_marks_as_the_template_did():
    with translation.override("en"):
        html = race_cells(car_1_row())

    assert html == (
        '<td class="num race-cell">12<span class="result-label">P1'
        ' <abbr title="Pole position">PP</abbr> <abbr title="Fastest lap">FL</abbr>'
        ' <abbr title="Penalised by the stewards">*</abbr></span></td>'
        '<td class="num race-cell"><del>0</del><span class="visually-hidden"> (dropped)</span>'
        '<span class="result-label">DNF</span></td>'
        '<td class="num race-cell">6<span class="result-label">P2</span></td>'
    )


def test_the_cells_speak_the_visitors_language():
    with translation.override("zh-hans"):
        html = race_cells(car_1_row())

    assert '<abbr title="杆位">PP</abbr>' in html
    assert '<abbr title="最快圈">FL</abbr>' in html
    assert '<abbr title="受赛事干事处罚">*</abbr>' in html
    assert '<span class="visually-hidden"> （剔除成绩）</span>' in html
