"""The bounds every value read from outside is held to, wherever it comes from: a season
bundle, a timing system's export, a category revision, a back-office form or the API.

Pure (no database, no translation): each parser says what it expected in its own words. The
bounds are those the database columns and the standard library can hold, so that a value that
passes a dry run is one that the write will store: numbers within their columns, dates of
this era (a year-1 date east of UTC has no UTC time), race times under a hundred hours, text
without control characters (PostgreSQL refuses a NUL; a CR breaks lines in feeds).
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

FIRST_YEAR, LAST_YEAR = 1900, 2999
# Points and bonuses: a DecimalField(max_digits=6, decimal_places=2) holds 0 to 9999.99.
MAX_POINTS = Decimal("9999.99")
POINTS_PLACES = 2
# Points by rank: one value for each position a classification can give (1 to 999).
MAX_RANKS = 999
MAX_RACE_HOURS = 99
# Nesting of a TOML file's arrays and tables, and digits of one of its numbers: far above any
# championship.toml, far below what makes the parser recurse too deep or refuse an integer.
MAX_TOML_DEPTH = 32
MAX_NUMBER_DIGITS = 100


def control_character(text: str) -> str | None:
    """The first control character of ``text`` (NUL, CR, LF, tab, DEL, …), or None."""
    return next((c for c in text if unicodedata.category(c) == "Cc"), None)


def year_in_range(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def points_in_range(value: Decimal) -> bool:
    """0 to 9999.99 with at most two decimals: what the points columns can hold."""
    if not value.is_finite() or not 0 <= value <= MAX_POINTS:
        return False
    return value == value.quantize(Decimal(1).scaleb(-POINTS_PLACES))


def character_name(character: str) -> str:
    """U+0000 for a NUL: how a problem names an invisible character."""
    return f"U+{ord(character):04X}"
