"""The standings grid's race cells (championships/templatetags/cup.py race_cells)."""

from django.utils import translation

from championships.standings import payload
from championships.standings.data import DRIVERS, POINTS, TIME
from public.templatetags.cup import race_cells, row_why
from tests.factories import (
    penalty,
    race,
    result,
    scheme,
    season,
    table,
)


def car_1_table():
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
        penalties=(
            penalty(1, TIME, r1, value=5),
            penalty(1, POINTS, round=3, value=2, reason="Track limits"),
        ),
        schemes={DRIVERS: scheme(pole=1, fastest_lap=1)},
        dropped_results=1,
    )
    return table(cup)


def car_1_row():
    return next(row for row in car_1_table().rows if row.entry.id == 1)


def test_each_cell_shows_points_result_and_marks_and_says_why_on_hover():
    with translation.override("en"):
        html = race_cells(car_1_row())

    # Issue 14.21: each cell's title is the API's "why" of that race.
    assert html == (
        '<td class="num race-cell" title="rank 1: 10 + pole 1 + fastest lap 1 = 12">'
        '12<span class="result-label">P1'
        ' <abbr title="Pole position">PP</abbr> <abbr title="Fastest lap">FL</abbr>'
        ' <abbr title="Penalised by the stewards">*</abbr></span></td>'
        '<td class="num race-cell" title="DNF, no rank: 0 (dropped)">'
        '<del>0</del><span class="visually-hidden"> (dropped)</span>'
        '<span class="result-label">DNF</span></td>'
        '<td class="num race-cell" title="rank 2: 6">6<span class="result-label">P2</span></td>'
    )


def test_a_cells_why_is_the_apis_why():
    row = car_1_row()
    with translation.override("en"):
        html = race_cells(row)

    for line in row.races:
        assert f'title="{payload.race_line(line)["why"]}"' in html


def test_the_rows_why_lists_what_counts_each_race_and_each_deduction():
    grid = car_1_table()
    row = next(row for row in grid.rows if row.entry.id == 1)

    with translation.override("en"):
        html = row_why(row, grid.best_of)

    assert html == (
        "<p>best 2 of 3 count: this one is dropped: R2-1</p>"
        "<ul><li>R1-1: rank 1: 10 + pole 1 + fastest lap 1 = 12</li>"
        "<li>R2-1: DNF, no rank: 0 (dropped)</li>"
        "<li>R3-1: rank 2: 6</li>"
        "<li>2 points deducted in round 3 (Track limits)</li></ul>"
    )


def test_the_cells_speak_the_visitors_language():
    with translation.override("zh-hans"):
        html = race_cells(car_1_row())

    assert '<abbr title="杆位">PP</abbr>' in html
    assert '<abbr title="最快圈">FL</abbr>' in html
    assert '<abbr title="受赛事干事处罚">*</abbr>' in html
    assert '<span class="visually-hidden"> （剔除成绩）</span>' in html
    assert '（剔除成绩）"><del>0</del>' in html  # the end of the dropped cell's title
