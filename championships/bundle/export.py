"""A championship written back out as a season bundle, in the format that the import reads."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import translation

from championships.bundle.class_changes_file import COLUMNS as CLASS_CHANGE_COLUMNS
from championships.bundle.entries_file import COLUMNS as ENTRY_COLUMNS
from championships.bundle.penalties_file import COLUMNS as PENALTY_COLUMNS
from championships.bundle.reader import (
    CALENDAR_FILE,
    CLASS_CHANGES_FILE,
    ENTRIES_FILE,
    PENALTIES_FILE,
    TOML_FILE,
)
from championships.models import Championship, ChampionshipClass, Penalty, Race, Result
from core.numbers import plain
from entries.models import Entry, EntryClassChange

CALENDAR_HEADER = (
    "round",
    "race",
    "circuit",
    "country",
    "timezone",
    "start",
    "points_factor",
    "supporting_event",
)
RESULTS_HEADER = ("POS", "NO", "DRIVER", "LAPS", "TIME", "BEST_LAP", "GRID")


def season_export(championship: Championship, destination: Path) -> None:
    """Write the bundle to ``destination``: a .zip file, or a folder that is new or empty."""
    destination = Path(destination)
    if destination.suffix.lower() == ".zip":
        destination.write_bytes(season_export_zip(championship))
        return
    if destination.exists() and any(destination.iterdir()):
        raise FileExistsError(f"{destination} is not empty; export into a new or empty folder")
    for name, text in bundle_files(championship).items():
        path = destination / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def season_export_zip(championship: Championship) -> bytes:
    """The bundle as a .zip, its files under one folder named after the championship."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in bundle_files(championship).items():
            archive.writestr(f"{championship.slug}/{name}", text)
    return buffer.getvalue()


def bundle_files(championship: Championship) -> dict[str, str]:
    """Every file of the bundle by its path in the bundle, read in seven queries. The names
    and texts are the English ones, which an import writes back."""
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        return _bundle_files(championship)


def _bundle_files(championship: Championship) -> dict[str, str]:
    races = list(
        Race.objects.filter(meeting__championship=championship)
        .select_related("meeting__circuit")
        .order_by("meeting__round", "number")
    )
    files = {
        TOML_FILE: championship_toml(championship, list(championship.classes.all())),
        CALENDAR_FILE: _csv(CALENDAR_HEADER, (_calendar_row(race) for race in races)),
        ENTRIES_FILE: _csv(_entry_header(), (_entry_row(e) for e in _entries(championship))),
    }
    files.update(_results_files(championship))
    penalties = _penalties(championship)
    if penalties:
        files[PENALTIES_FILE] = _csv(PENALTY_COLUMNS.required, map(_penalty_row, penalties))
    changes = _class_changes(championship)
    if changes:
        files[CLASS_CHANGES_FILE] = _csv(CLASS_CHANGE_COLUMNS.required, changes)
    return files


def championship_toml(championship: Championship, classes: list[ChampionshipClass]) -> str:
    c = championship
    lines = [
        f"slug = {_string(c.slug)}",
        f"name = {_string(c.name)}",
        f"series = {_string(c.series.name)}",
        f"year = {c.year}",
        "",
        "[points]",
        f"race = {_points(c.race_points)}",
        f"pole = {number(c.pole_points)}",
        f"fastest_lap = {number(c.fastest_lap_points)}",
        f"dropped_results = {c.dropped_results}",
        f"drop_disqualified = {'true' if c.drop_disqualified else 'false'}",
        f"tie_break = {_string(c.tie_break)}",
        f"positions = {_string(c.positions)}",
        f"team_cars_per_race = {c.team_cars_per_race}",
        f"dealer_cars_per_race = {c.dealer_cars_per_race}",
    ]
    for entry_class in classes:
        lines += ["", *_class_lines(entry_class)]
    lines += _rookies_lines(c)
    return "\n".join(lines) + "\n"


def _class_lines(entry_class: ChampionshipClass) -> list[str]:
    lines = [
        f"[classes.{entry_class.code}]",
        f"categories = [{', '.join(_string(c) for c in entry_class.categories)}]",
    ]
    if entry_class.min_age is not None:
        lines.append(f"min_age = {entry_class.min_age}")
    return lines + _scheme_lines(
        entry_class.race_points, entry_class.pole_points, entry_class.fastest_lap_points
    )


def _rookies_lines(c: Championship) -> list[str]:
    scheme = _scheme_lines(
        c.rookies_race_points, c.rookies_pole_points, c.rookies_fastest_lap_points
    )
    return ["", "[rookies]", *scheme] if scheme else []


def _scheme_lines(race: list | None, pole: Decimal, fastest_lap: Decimal) -> list[str]:
    """A class's or the rookies' own points; what is left out takes the defaults."""
    lines = [f"race = {_points(race)}"] if race is not None else []
    lines += [f"pole = {number(pole)}"] if pole else []
    return lines + ([f"fastest_lap = {number(fastest_lap)}"] if fastest_lap else [])


def _calendar_row(race: Race) -> list[object]:
    meeting, circuit = race.meeting, race.meeting.circuit
    return [
        meeting.round,
        race.number,
        circuit.name,
        circuit.country,
        circuit.timezone,
        f"{race.local_start:%Y-%m-%d %H:%M}",
        race.points_factor,
        meeting.supporting_event,
    ]


def _entries(championship: Championship) -> list[Entry]:
    return list(championship.entries.with_people().order_by("car_number"))


def _entry_header() -> tuple[str, ...]:
    return ENTRY_COLUMNS.required + ENTRY_COLUMNS.optional


def _entry_row(entry: Entry) -> list[object]:
    driver = entry.driver
    flags = (entry.rookie, entry.guest, entry.arrive_and_drive, entry.dealer_trophy)
    return [
        entry.car_number,
        driver.first_name,
        driver.last_name,
        driver.nationality,
        driver.date_of_birth.isoformat(),
        entry.category,
        entry.team.name,
        entry.entry_class.code,
        *("yes" if flag else "no" for flag in flags),
    ]


def _results_files(championship: Championship) -> dict[str, str]:
    results = (
        Result.objects.filter(race__meeting__championship=championship)
        .select_related("race__meeting", "entry__driver")
        .order_by("race__meeting__round", "race__number")
    )
    by_race: dict[str, list[Result]] = {}
    for result in results:
        race = result.race
        by_race.setdefault(f"results/R{race.meeting.round}-{race.number}.csv", []).append(result)
    return {
        name: _csv(RESULTS_HEADER, map(_result_row, sorted(rows, key=_classification)))
        for name, rows in by_race.items()
    }


def _classification(result: Result) -> tuple:
    """Classified cars by position, then the others by laps completed."""
    if result.is_classified:
        return (0, result.position, 0, "", 0)
    return (1, 0, -result.laps, result.status, result.entry.car_number)


def _result_row(result: Result) -> list[object]:
    return [
        result.position_label,
        result.entry.car_number,
        result.entry.driver.full_name,
        result.laps,
        race_time(result.total_time),
        lap_time(result.best_lap),
        result.grid or "",
    ]


def _penalties(championship: Championship) -> list[Penalty]:
    return list(
        Penalty.objects.counted()
        .filter(meeting__championship=championship)
        .select_related("meeting", "race", "entry")
        .order_by("meeting__round", "race__number", "entry__car_number", "id")
    )


def _class_changes(championship: Championship) -> list[list[object]]:
    """Rule 7: each entry's later classes, by car and date (entries.csv has its first)."""
    rows = (
        EntryClassChange.objects.filter(entry__championship=championship)
        .order_by("entry__car_number", "from_date")
        .values_list("entry__car_number", "entry_class__code", "from_date")
    )
    return [[car, code, day.isoformat()] for car, code, day in rows]


def _penalty_row(penalty: Penalty) -> list[object]:
    return [
        penalty.meeting.round,
        penalty.race.number if penalty.race else "",
        penalty.entry.car_number,
        penalty.kind,
        number(penalty.value) if penalty.value is not None else "",
        penalty.reason,
    ]


def race_time(value: dt.timedelta | None) -> str:
    """H:MM:SS.sss from an hour on, else MM:SS.sss; empty for none."""
    if value is None:
        return ""
    hours, minutes, seconds, millis = _clock(value)
    if hours:
        return f"{hours}:{minutes:02}:{seconds:02}.{millis:03}"
    return f"{minutes:02}:{seconds:02}.{millis:03}"


def lap_time(value: dt.timedelta | None) -> str:
    """M:SS.sss; empty for none."""
    if value is None:
        return ""
    hours, minutes, seconds, millis = _clock(value)
    return f"{hours * 60 + minutes}:{seconds:02}.{millis:03}"


def _clock(value: dt.timedelta) -> tuple[int, int, int, int]:
    millis = round(value / dt.timedelta(milliseconds=1))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    seconds, millis = divmod(millis, 1000)
    return hours, minutes, seconds, millis


number = plain  # the bundle writes numbers as the site does: 1, 12.5


def _points(points: list[int | float]) -> str:
    return f"[{', '.join(number(p) for p in points)}]"


def _string(value: str) -> str:
    # A JSON string is a TOML basic string, but for DEL, which TOML wants escaped.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _csv(header: Iterable[str], rows: Iterable[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()
