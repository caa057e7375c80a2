"""The progression chart's geometry: pure numbers to SVG coordinates."""

from decimal import Decimal

from public.charts import COLOURS, nice_step, progression_chart

D = Decimal


def test_steps_are_one_two_or_five_times_a_power_of_ten():
    assert nice_step(D(160)) == D(50)
    assert nice_step(D(30)) == D(5)
    assert nice_step(D(3)) == D(1)
    assert nice_step(D(0)) == D(1)


def test_each_series_becomes_a_polyline_across_the_plot():
    chart = progression_chart([1, 2, 3], [("#55 Kai", [D(25), D(50), D(100)])])

    (line,) = chart.lines
    xs = [x for x, _ in line.dots]
    ys = [y for _, y in line.dots]
    assert xs[0] == chart.left and xs[-1] == chart.width - chart.right
    assert ys[0] > ys[1] > ys[2]  # more points is higher up
    assert line.colour == COLOURS[0]
    assert line.points.startswith(f"{chart.left},")


def test_the_axis_starts_at_zero_and_goes_below_it_for_negative_totals():
    chart = progression_chart([1, 2], [("#1", [D(-3), D(12)])])

    labels = [tick.label for tick in chart.y_ticks]
    assert labels[0].startswith("-")
    assert "0" in labels


def test_a_single_round_still_draws_its_dots():
    chart = progression_chart([1], [("#1", [D(10)]), ("#2", [D(5)])])

    assert [len(line.dots) for line in chart.lines] == [1, 1]
    assert chart.lines[0].dash != chart.lines[1].dash
