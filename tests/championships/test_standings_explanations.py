"""Each row explains itself: race by race points and why, drops, deductions, tie-breaks."""

from decimal import Decimal

from championships.standings.data import Season
from championships.standings.payload import number, row_payload, table_payload
from tests.factories import (
    entry,
    finish,
    penalty,
    race,
    result,
    scheme,
    season,
    table,
)


def driver(data: Season, car: int, name: str = "drivers", cls: str | None = None) -> dict:
    rows = table_payload(table(data, name, cls))["rows"]
    return next(row for row in rows if row["car_number"] == car)


def test_each_race_line_gives_rank_points_factor_and_bonuses():
    half = race(1, result(1, 1, grid=1, best_lap="90"), result(2, 2, grid=2), factor="0.5")
    data = season(half, schemes={"drivers": scheme(pole=1, fastest_lap=1)})

    (line,) = driver(data, 1)["races"]

    assert line == {
        "race": "R1-1",
        "result": "P1",
        "rank": 1,
        "rank_points": 5,
        "factor": 0.5,
        "pole": 1,
        "fastest_lap": 1,
        "points": 7,
        "dropped": False,
        "why": "rank 1: 10 × 0.5 = 5 + pole 1 + fastest lap 1 = 7",
        "penalties": [],
    }


def test_race_lines_explain_no_rank_no_result_and_beyond_the_points():
    data = season(
        race(1, result(1, 1), result(2, 2), result(3, status="DNF")),
        finish(2, 1),
        schemes={"drivers": scheme(10)},
    )

    assert [line["why"] for line in driver(data, 2)["races"]] == [
        "rank 2: 0, beyond the points",
        "no result: 0",
    ]
    assert driver(data, 3)["races"][0]["why"] == "DNF, no rank: 0"
    assert driver(data, 3)["races"][1]["result"] is None


def test_dropped_results_are_listed_and_marked():
    data = season(finish(1, 1, 2), finish(2, 2, 1), dropped_results=1)

    row = driver(data, 1)

    assert row["dropped"] == [{"race": "R2-1", "points": 6}]
    assert [line["dropped"] for line in row["races"]] == [False, True]
    assert row["races"][1]["why"].endswith("(dropped)")


def test_deductions_are_listed_with_round_points_and_reason():
    reason = "Repeated track limits offences"
    data = season(
        finish(1, 1), penalties=(penalty(1, "POINTS", round=1, value="2.5", reason=reason),)
    )

    row = driver(data, 1)

    assert row["deductions"] == [{"round": 1, "points": 2.5, "reason": reason}]
    assert row["points"] == 7.5


def test_stewards_decisions_are_noted_on_the_race():
    the_race = race(1, result(1, 1, total_time="1800"), result(2, 2, total_time="1802"))
    data = season(
        the_race,
        penalties=(
            penalty(1, "TIME", the_race, value="5.000", reason="Causing a collision"),
            penalty(2, "DSQ", the_race, reason="Car below minimum weight"),
        ),
    )

    assert driver(data, 1)["races"][0]["penalties"] == ["5 s time penalty: Causing a collision"]
    assert driver(data, 1)["races"][0]["result"] == "P1"
    assert driver(data, 2)["races"][0]["penalties"] == ["disqualified: Car below minimum weight"]
    assert driver(data, 2)["races"][0]["result"] == "DSQ"


def test_a_tie_split_on_countback_says_which_places_decided():
    data = season(finish(1, 1, 2, 3), finish(2, 4, 2, 1), schemes={"drivers": scheme(6, 4, 2)})

    assert driver(data, 1)["ties"] == ["ahead of #2 on countback: more 1st places (1 to 0)"]
    assert driver(data, 2)["ties"] == ["behind #1 on countback: fewer 1st places (0 to 1)"]


def test_a_tie_split_on_the_most_recent_race_names_the_race():
    data = season(finish(1, 1, 2), finish(2, 2, 1), schemes={"drivers": scheme(5, 5)})

    assert driver(data, 2)["ties"] == [
        "ahead of #1 on the most recent race where they differ, R2-1: rank 1 to rank 2"
    ]


def test_a_shared_position_says_so():
    data = season(finish(1, 1, 2), finish(2, 2, 1), tie_break="none")

    assert driver(data, 2)["ties"] == [
        "shares the position with #1: equal on points (tie_break none)"
    ]
    assert driver(season(finish(1, 1, 2)), 1)["ties"] == []


def test_team_rows_list_their_scoring_cars_per_race():
    entries = (entry(1, team="A"), entry(2, team="A"), entry(3, team="A"))
    data = season(finish(1, 3, 1, 2), entries=entries)

    (row,) = table_payload(table(data, "teams"))["rows"]

    assert row["points"] == 16
    assert row["races"] == [
        {
            "race": "R1-1",
            "points": 16,
            "cars": [
                {"car_number": 3, "driver": "Driver 3", "rank": 1, "points": 10},
                {"car_number": 1, "driver": "Driver 1", "rank": 2, "points": 6},
            ],
        }
    ]


def test_points_are_json_integers_when_whole_and_fractions_otherwise():
    assert number(Decimal("25.00")) == 25 and isinstance(number(Decimal("25.00")), int)
    assert number(Decimal("12.5")) == 12.5
    assert number(Decimal("-3")) == -3


def test_a_driver_row_carries_the_contract_fields():
    row = row_payload(table(season(finish(1, 1)), "drivers").rows[0])

    assert list(row)[:5] == ["position", "car_number", "driver", "team", "class"]
    assert {"points", "races", "dropped", "deductions", "ties"} <= set(row)
