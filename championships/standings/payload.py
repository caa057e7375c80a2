"""Tables as JSON-ready dicts: the only place where a Decimal becomes a JSON number."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_noop

from championships.standings.data import CLASSIFIED, Penalty, Result
from championships.standings.rules import RaceScore
from championships.standings.tables import (
    DriverRow,
    RaceLine,
    ScoringCar,
    Table,
    TeamRace,
    TeamRow,
)
from championships.standings.ties import tie_sentence

JSON = dict[str, Any]


def table_payload(table: Table) -> JSON:
    """The ``table``, ``class``, ``after_round`` and ``rows`` of the API's answer."""
    return {
        "table": table.table,
        "class": table.class_code,
        "after_round": table.after_round,
        "rows": [row_payload(row) for row in table.rows],
    }


def row_payload(row: DriverRow | TeamRow) -> JSON:
    return driver_row(row) if isinstance(row, DriverRow) else team_row(row)


def number(value: Decimal) -> int | float:
    """A JSON number: an int when whole (25), else a float (12.5)."""
    as_float = float(value)  # points are far below 2**53, so whole stays whole
    return int(as_float) if as_float.is_integer() else as_float


def driver_row(row: DriverRow) -> JSON:
    entry = row.entry
    return {
        "position": row.position,
        "car_number": entry.car_number,
        "driver": entry.driver,
        "team": entry.team,
        "class": row.class_code,
        "points": number(row.points),
        "races": [race_line(line) for line in row.races],
        "dropped": [
            {"race": d.score.race.label, "points": number(d.score.points)} for d in row.dropped
        ],
        "deductions": [deduction(p) for p in row.deductions],
        "ties": [tie_sentence(tie) for tie in row.ties],
    }


def race_line(line: RaceLine) -> JSON:
    score = line.score
    points = number(score.points)
    return {
        "race": score.race.label,
        "result": result_label(score.result),
        "rank": score.rank,
        "rank_points": number(score.rank_points),
        "factor": number(score.race.factor),
        "pole": number(score.pole),
        "fastest_lap": number(score.fastest_lap),
        "points": points,
        "dropped": line.dropped,
        "why": why(line, points),
        "penalties": list(line.notes),
    }


def result_label(result: Result | None) -> str | None:
    """P3 for the third place of the final classification, DNF, DSQ, …; None for no result."""
    if result is None:
        return None
    return f"P{result.position}" if result.status == CLASSIFIED else result.status


# The words of a race line's "why", by part: the API's English, and the catalogue's msgids
# that pages translate (``templatetags.cup.why_words``).
WHY_WORDS = {
    "no_result": gettext_noop("no result: 0"),
    "no_rank": gettext_noop("%(status)s, no rank: 0"),
    "beyond": gettext_noop("rank %(rank)s: 0, beyond the points"),
    "rank": gettext_noop("rank %(rank)s: %(points)s"),
    "factor": gettext_noop("rank %(rank)s: %(full)s × %(factor)s = %(points)s"),
    "pole": gettext_noop("pole %(points)s"),
    "fastest_lap": gettext_noop("fastest lap %(points)s"),
    "dropped": gettext_noop("(dropped)"),
}


def why(line: RaceLine, points: int | float, words: dict[str, str] = WHY_WORDS) -> str:
    """The score in words, e.g. "rank 2: 20 × 0.5 = 10 + pole 1 = 11 (dropped)"; ``points``
    is the score's total as the JSON gives it."""
    score = line.score
    text = rank_words(score, words)
    if score.pole or score.fastest_lap:  # most lines have no bonus: no sum to spell out
        bonuses = [("pole", score.pole), ("fastest_lap", score.fastest_lap)]
        added = "".join(
            f" + {words[name] % {'points': number(value)}}" for name, value in bonuses if value
        )
        text = f"{text}{added} = {points}"
    return f"{text} {words['dropped']}" if line.dropped else text


def rank_words(score: RaceScore, words: dict[str, str] = WHY_WORDS) -> str:
    if score.result is None:
        return words["no_result"]
    if score.rank is None:
        return words["no_rank"] % {"status": score.result.status}
    if score.rank_points == 0:
        return words["beyond"] % {"rank": score.rank}
    if score.race.factor == 1:
        return words["rank"] % {"rank": score.rank, "points": number(score.rank_points)}
    return words["factor"] % {
        "rank": score.rank,
        "full": number(score.rank_points / score.race.factor),
        "factor": number(score.race.factor),
        "points": number(score.rank_points),
    }


def deduction(penalty: Penalty) -> JSON:
    value = penalty.value or Decimal(0)
    return {"round": penalty.round, "points": number(value), "reason": penalty.reason}


def team_row(row: TeamRow) -> JSON:
    return {
        "position": row.position,
        "team": row.team,
        "points": number(row.points),
        "races": [team_race(race) for race in row.races],
        "ties": [tie_sentence(tie) for tie in row.ties],
    }


def team_race(race: TeamRace) -> JSON:
    return {
        "race": race.race.label,
        "points": number(race.points),
        "cars": [scoring_car(car) for car in race.cars],
    }


def scoring_car(car: ScoringCar) -> JSON:
    return {
        "car_number": car.entry.car_number,
        "driver": car.entry.driver,
        "rank": car.score.rank,
        "points": number(car.score.points),
    }
