"""Race classifications and standings as CSV, and the lines of the printable timing sheets.

Pure: every function reads what the standings module computed (``race_sheet`` lines, a
``Table``) or a version's snapshot, and returns text or plain rows. The race CSV keeps the
columns of the season bundle's results file (POS, NO, LAPS, TIME, BEST_LAP, GRID) first, so
that it reads back in; TIME is the time as recorded, which the decisions then apply to.
Both CSV files go through the site's one spreadsheet-safe writer: names, teams and reasons
cannot start a formula, numbers stay numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from championships.race_sheet import SheetLine
from championships.standings.data import Race
from championships.standings.tables import DriverRow, Table, TeamRow
from championships.versions import snapshot_duration
from core import numbers
from core.csv_export import csv_text

RACE_COLUMNS = (
    "POS",
    "NO",
    "LAPS",
    "TIME",
    "BEST_LAP",
    "GRID",
    "DRIVER",
    "TEAM",
    "CLASS",
    "CLASS_POS",
    "GAP",
    "PENALTY_S",
    "POINTS",
    "DECISIONS",
)
# GAP is a number of seconds behind (+1.234) or a number of laps (+2 laps), which is text.
RACE_NUMBERS = ("POS", "NO", "LAPS", "GRID", "CLASS_POS", "GAP", "PENALTY_S", "POINTS")
STANDINGS_NUMBERS = ("POS", "NO", "POINTS", "DEDUCTIONS")


timing = numbers.timing  # 1:02:03.456, 29:58.123, 1:58.056: as every page writes a time


def number(value: Decimal | int | None) -> str:
    """Points and seconds without needless decimals: 12.5, 25, 0."""
    return "" if value is None else numbers.plain(value)


def gap_text(line: SheetLine, leader_laps: int) -> str:
    """+1.234 behind a winner on the same lap, +2 laps behind one further ahead."""
    if not line.classified or line.result.position == 1:
        return ""
    if line.gap is not None:
        return f"+{line.gap.total_seconds():.3f}"
    laps = leader_laps - line.result.laps
    return f"+{laps} lap" + ("s" if laps > 1 else "") if laps > 0 else ""


def race_rows(lines: Sequence[SheetLine]) -> list[dict[str, str]]:
    """A race sheet's lines as the CSV's (and the printed sheet's) text cells."""
    leader_laps = lines[0].result.laps if lines else 0
    return [
        {
            "POS": str(line.result.position) if line.classified else line.result.status,
            "NO": str(line.entry.car_number),
            "LAPS": str(line.result.laps),
            "TIME": timing(line.result.total_time),
            "BEST_LAP": timing(line.result.best_lap),
            "GRID": str(line.result.grid or ""),
            "DRIVER": line.entry.driver,
            "TEAM": line.entry.team,
            "CLASS": line.class_code,
            "CLASS_POS": str(line.class_position or ""),
            "GAP": gap_text(line, leader_laps),
            "PENALTY_S": number(line.penalty_seconds) if line.penalty_seconds else "",
            "POINTS": number(line.points),
            "DECISIONS": "; ".join(p.reason for p in line.penalties),
        }
        for line in lines
    ]


def race_csv(lines: Sequence[SheetLine]) -> str:
    return csv_text(RACE_COLUMNS, race_rows(lines), numbers=RACE_NUMBERS)


def standings_rows(table: Table, races: Sequence[Race]) -> tuple[list[str], list[dict[str, str]]]:
    """The table's columns (one per race in scope) and its rows as text cells."""
    labels = [race.label for race in races]
    if table.rows and isinstance(table.rows[0], TeamRow):
        columns = ["POS", "TEAM", "POINTS", *labels]
        return columns, [_team_row(row, labels) for row in table.rows]
    columns = ["POS", "NO", "DRIVER", "TEAM", "CLASS", "POINTS", *labels, "DEDUCTIONS"]
    return columns, [_driver_row(row, labels) for row in table.rows]


def _driver_row(row: DriverRow, labels: Iterable[str]) -> dict[str, str]:
    by_label = {line.score.race.label: line for line in row.races}
    cells = {
        "POS": str(row.position),
        "NO": str(row.entry.car_number),
        "DRIVER": row.entry.driver,
        "TEAM": row.entry.team,
        "CLASS": row.class_code,
        "POINTS": number(row.points),
        "DEDUCTIONS": number(sum((p.value or 0 for p in row.deductions), Decimal(0)) or None),
    }
    for label in labels:
        line = by_label.get(label)
        cells[label] = _race_cell(line.score.points, line.dropped) if line else ""
    return cells


def _race_cell(points: Decimal, dropped: bool) -> str:
    """Dropped scores in brackets, as printed standings show them."""
    return f"({number(points)})" if dropped else number(points)


def _team_row(row: TeamRow, labels: Iterable[str]) -> dict[str, str]:
    by_label = {race.race.label: race for race in row.races}
    cells = {"POS": str(row.position), "TEAM": row.team, "POINTS": number(row.points)}
    for label in labels:
        cells[label] = number(by_label[label].points) if label in by_label else ""
    return cells


def standings_csv(table: Table, races: Sequence[Race]) -> str:
    columns, rows = standings_rows(table, races)
    # A race's cell is its points, or dropped points in brackets.
    number_columns = (*STANDINGS_NUMBERS, *(race.label for race in races))
    return csv_text(columns, rows, numbers=number_columns)


# A version's snapshot, for the back office --------------------------------------------------


def snapshot_lines(
    snapshot: Mapping[str, Any], names: Mapping[int, str] | None = None
) -> list[dict[str, Any]]:
    """A version's final classification as printable cells (times as timing sheets write them)."""
    lines = []
    for line in snapshot.get("classification", []):
        classified = line["status"] == "CLASSIFIED" and line["position"] is not None
        lines.append(
            {
                "position": line["position"] if classified else line["status"],
                "car": line["car"],
                "driver": (names or {}).get(line["entry"], ""),
                "laps": line["laps"],
                "total_time": timing(snapshot_duration(line["total_time"])),
                "best_lap": timing(snapshot_duration(line["best_lap"])),
                "grid": line["grid"] or "",
            }
        )
    return lines


def change_text(field: str, value: Any) -> str:
    """A value of a version comparison as the back office shows it."""
    if value is None:
        return "–"
    if field in ("total_time", "best_lap"):
        return timing(snapshot_duration(value))
    return str(value)
