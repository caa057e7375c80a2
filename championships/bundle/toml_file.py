"""championship.toml: the championship, its points scheme, classes and rookies table."""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django.utils.text import slugify
from django.utils.translation import gettext

from championships.bundle import fields
from championships.bundle.spec import ChampionshipSpec, ClassSpec, Points
from championships.models import DEFAULT_RACE_POINTS, FiaCategory, PositionStyle, TieBreak
from core import limits
from core.imports import IssueLog

T = TypeVar("T")
REQUIRED = object()

TOP_KEYS = ("slug", "name", "series", "year", "points", "classes", "rookies")
POINTS_KEYS = (
    "race",
    "pole",
    "fastest_lap",
    "dropped_results",
    "drop_disqualified",
    "tie_break",
    "positions",
    "team_cars_per_race",
    "dealer_cars_per_race",
)
CLASS_KEYS = ("categories", "min_age", "race", "pole", "fastest_lap")
ROOKIES_KEYS = ("race", "pole", "fastest_lap")

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CLASS_CODE = re.compile(r"[A-Z0-9_]{1,20}")
_HEADER = re.compile(r"\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?")
_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
# What _beyond_limits counts, strings and comments passed over: brackets and runs of digits.
_TOKEN = re.compile(
    r'"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\''
    r"|#[^\n]*|[\[\]{}]|[0-9_]{" + str(limits.MAX_NUMBER_DIGITS + 1) + ",}",
    re.DOTALL,
)


def default_classes() -> list[ClassSpec]:
    """The classes of a championship.toml without any ``[classes.*]``."""
    return [
        ClassSpec("PRO", list(FiaCategory.values)),
        ClassSpec("PRO_AM", [FiaCategory.SILVER, FiaCategory.BRONZE]),
        ClassSpec("AM", [FiaCategory.BRONZE]),
    ]


def parse_championship(text: str, log: IssueLog) -> ChampionshipSpec | None:
    """The championship, or None if the file is not TOML. Problems with keys are logged and
    leave the defaults in place, so that the classes still check the entries."""
    if _beyond_limits(text, log):
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        _syntax_error(str(error), text, log)
        return None
    except (RecursionError, ValueError):  # what the scan above did not foresee
        message = gettext("is not valid TOML that can be read: nested too deep or too long")
        log.add(None, None, message)
        return None
    return _championship(TomlCheck(data, text, log))


def _beyond_limits(text: str, log: IssueLog) -> bool:
    """Arrays and tables nested deeper than the parser's recursion allows, or a number longer
    than it reads (4,300 digits), refused at their line and column before parsing."""
    depth = 0
    for token in _TOKEN.finditer(text):
        lexeme = token.group()
        if lexeme in "[{":
            depth += 1
        elif lexeme in "]}":
            depth -= 1
        problem = _limit_problem(lexeme, depth)
        if problem:
            line = text.count("\n", 0, token.start()) + 1
            column = token.start() - text.rfind("\n", 0, token.start())
            message = gettext("is not valid TOML that can be read: %(problem)s")
            log.add(line, column, message % {"problem": problem})
            return True
    return False


def _limit_problem(lexeme: str, depth: int) -> str | None:
    if depth > limits.MAX_TOML_DEPTH:
        depth = limits.MAX_TOML_DEPTH
        return gettext("arrays or tables nested more than %(depth)s deep") % {"depth": depth}
    if lexeme[0] in "0123456789_" and len(lexeme) > limits.MAX_NUMBER_DIGITS:
        digits = limits.MAX_NUMBER_DIGITS
        return gettext("a number of more than %(digits)s digits") % {"digits": digits}
    return None


def _syntax_error(message: str, text: str, log: IssueLog) -> None:
    position = _POSITION.search(message)
    if position:
        line, column = int(position.group(1)), int(position.group(2))
    else:  # "(at end of document)"
        line, column = max(text.count("\n"), 1), None
    reason = message.split(" (at ")[0]
    log.add(line, column, gettext("is not valid TOML: %(reason)s") % {"reason": reason})


def _championship(toml: TomlCheck) -> ChampionshipSpec:
    toml.known_keys("", TOP_KEYS)
    points = _points(toml)
    rookies = _rookies(toml)
    return ChampionshipSpec(
        slug=toml.get("", "slug", _slug),
        name=toml.get("", "name", _text(160)),
        series=toml.get("", "series", _series_name),
        year=toml.get("", "year", _whole(1900, 2999)),
        **points,
        **rookies,
        classes=_classes(toml),
        key_lines={key: toml.line("", key) for key in ("slug", "series")},
    )


def _points(toml: TomlCheck) -> dict[str, Any]:
    toml.known_keys("points", POINTS_KEYS)
    return {
        "race_points": toml.get("points", "race", _points_list, list(DEFAULT_RACE_POINTS)),
        "pole_points": toml.get("points", "pole", _bonus, Decimal(0)),
        "fastest_lap_points": toml.get("points", "fastest_lap", _bonus, Decimal(0)),
        "dropped_results": toml.get("points", "dropped_results", _whole(0, 100), 0),
        "drop_disqualified": toml.get("points", "drop_disqualified", _boolean, False),
        "tie_break": toml.get("points", "tie_break", _choice(TieBreak), TieBreak.COUNTBACK),
        "positions": toml.get(
            "points", "positions", _choice(PositionStyle), PositionStyle.STANDARD
        ),
        "team_cars_per_race": toml.get("points", "team_cars_per_race", _whole(1, 100), 2),
        "dealer_cars_per_race": toml.get("points", "dealer_cars_per_race", _whole(1, 100), 1),
    }


def _rookies(toml: TomlCheck) -> dict[str, Any]:
    toml.known_keys("rookies", ROOKIES_KEYS)
    return {
        "rookies_race_points": toml.get("rookies", "race", _points_list, None),
        "rookies_pole_points": toml.get("rookies", "pole", _bonus, Decimal(0)),
        "rookies_fastest_lap_points": toml.get("rookies", "fastest_lap", _bonus, Decimal(0)),
    }


def _classes(toml: TomlCheck) -> list[ClassSpec]:
    codes = toml.table_names("classes")
    if not codes:
        return default_classes()
    classes = []
    for code in codes:
        table = f"classes.{code}"
        if not _CLASS_CODE.fullmatch(code):
            message = gettext("expected a class code of upper-case letters, digits and '_'")
            toml.fail(table, None, message)
        toml.known_keys(table, CLASS_KEYS)
        classes.append(_class(toml, code, table))
    return classes


def _class(toml: TomlCheck, code: str, table: str) -> ClassSpec:
    return ClassSpec(
        code=code,
        categories=toml.get(table, "categories", _categories, list(FiaCategory.values)),
        min_age=toml.get(table, "min_age", _whole(0, 120), None),
        race_points=toml.get(table, "race", _points_list, None),
        pole_points=toml.get(table, "pole", _bonus, Decimal(0)),
        fastest_lap_points=toml.get(table, "fastest_lap", _bonus, Decimal(0)),
    )


class TomlCheck:
    """Reads keys of the parsed TOML, recording a problem (at the key's line) for each bad one."""

    def __init__(self, data: dict[str, Any], text: str, log: IssueLog) -> None:
        self.data = data
        self.text = text
        self.log = log
        self.ok = True
        self.reported: set[tuple[str | None, str]] = set()

    def get(self, table: str, key: str, parse: Callable[[Any], T], default: Any = REQUIRED) -> T:
        values = self.table(table)
        if key not in values and default is not REQUIRED:
            return default
        try:
            return parse(values.get(key))
        except ValueError as error:
            found = (
                gettext("not %(value)r") % {"value": values[key]}
                if key in values
                else gettext("but it is missing")
            )
            self.fail(table, key, f"{error}, {found}")
            return default if default is not REQUIRED else None

    def table(self, name: str) -> dict[str, Any]:
        value: Any = self.data
        for part in name.split(".") if name else []:
            value = value.get(part, {}) if isinstance(value, dict) else {}
        if not isinstance(value, dict):
            self.fail(name, None, gettext("expected a table"))
            return {}
        return value

    def table_names(self, name: str) -> list[str]:
        return list(self.table(name))

    def known_keys(self, table: str, keys: tuple[str, ...]) -> None:
        for key in self.table(table):
            if key not in keys:
                message = gettext("is not a known key; expected %(keys)s")
                self.fail(table, key, message % {"keys": ", ".join(keys)})

    def fail(self, table: str, key: str | None, message: str) -> None:
        self.ok = False
        path = ".".join(part for part in (table, key) if part) or None
        if (path, message) not in self.reported:  # a bad table is read once per key
            self.reported.add((path, message))
            self.log.add(self.line(table, key), path, message)

    def line(self, table: str, key: str | None) -> int | None:
        line = key_line(self.text, table, key)
        if line is None and key is None and table:  # ``points = 3``: a key, not a table
            parent, _, name = table.rpartition(".")
            line = key_line(self.text, parent, name)
        return line


def key_line(text: str, table: str, key: str | None) -> int | None:
    """The line where ``key`` is set in ``[table]`` ("" for the top), else the table's header."""
    current, header_line = "", None
    key_pattern = re.compile(rf"\s*[\"']?{re.escape(key or '')}[\"']?\s*=") if key else None
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.fullmatch(line)
        if header:
            current = ".".join(p.strip().strip("\"'") for p in header.group(1).split("."))
            header_line = number if current == table else header_line
        elif current == table and key_pattern and key_pattern.match(line):
            return number
    return header_line


def _text(max_length: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if not isinstance(value, str) or not 0 < len(value.strip()) <= max_length:
            message = gettext("expected a text of 1 to %(max)s characters")
            raise ValueError(message % {"max": max_length})
        return fields.plain_text(value.strip())

    return parse


def _slug(value: Any) -> str:
    if not isinstance(value, str) or not _SLUG.fullmatch(value) or len(value) > 80:
        message = gettext("expected a slug of lower-case letters, digits and '-', e.g. pcca-2026")
        raise ValueError(message)
    return value


def _series_name(value: Any) -> str:
    name = _text(120)(value)
    if not slugify(name):
        raise ValueError(gettext("expected a series name with letters or digits"))
    return name


def _whole(low: int, high: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if not _is_number(value) or value != int(value) or not low <= value <= high:
            message = gettext("expected a whole number from %(low)s to %(high)s")
            raise ValueError(message % {"low": low, "high": high})
        return int(value)

    return parse


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(gettext("expected true or false"))
    return value


def _bonus(value: Any) -> Decimal:
    # A float is read by its shortest text, so 12.5 is exactly Decimal("12.5").
    number = Decimal(str(value)) if _is_number(value) else Decimal(-1)
    if not limits.points_in_range(number):
        message = gettext("expected points of 0 or more, up to %(max)s with at most 2 decimals")
        raise ValueError(message % {"max": limits.MAX_POINTS})
    return number


def _points_list(value: Any) -> Points:
    """Points for rank 1, 2, 3, …: each what a bonus may be, at most one per position."""
    points = value if isinstance(value, list) and len(value) <= limits.MAX_RANKS else [-1]
    if not all(_is_number(p) and limits.points_in_range(Decimal(str(p))) for p in points):
        message = gettext(
            "expected a list of at most %(ranks)s points of 0 or more, up to "
            "%(max)s with at most 2 decimals, e.g. [25, 20, 17]"
        )
        raise ValueError(message % {"ranks": limits.MAX_RANKS, "max": limits.MAX_POINTS})
    return [int(p) if p == int(p) else p for p in points]


def _categories(value: Any) -> list[str]:
    strings = isinstance(value, list) and value and all(isinstance(c, str) for c in value)
    if not strings or len(set(value)) != len(value) or not set(value) <= set(FiaCategory.values):
        choices = ", ".join(FiaCategory.values)
        message = gettext("expected a list of distinct categories from %(categories)s")
        raise ValueError(message % {"categories": choices})
    return list(value)


def _choice(choices: type[TieBreak] | type[PositionStyle]) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if value not in choices.values:
            allowed = ", ".join(repr(c) for c in choices.values)
            raise ValueError(gettext("expected one of %(choices)s") % {"choices": allowed})
        return value

    return parse


def _is_number(value: Any) -> bool:
    # math.isfinite() of an int too large for a float raises OverflowError: an int is finite.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return isinstance(value, int) or math.isfinite(value)
