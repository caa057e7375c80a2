"""Parsers for one value of an imported file. Each returns the value or raises ValueError
saying what was expected; the caller adds the file, line and column."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from decimal import Decimal

from django.utils.translation import gettext as _

from core import limits

# ISO 3166-1 alpha-2, as listed in the IANA time zone database's iso3166.tab.
COUNTRY_CODES = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
    DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
    GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW
    """.split()
)

# ASCII digits only: int() would read other scripts' digits too, and the database would not.
_WHOLE = re.compile(r"[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_LOCAL_START = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}")
DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?")
_ZONE_NAME = re.compile(r"[A-Za-z0-9_+\-]+(?:/[A-Za-z0-9_+\-]+)*")
YEARS = {"first": limits.FIRST_YEAR, "last": limits.LAST_YEAR}


def whole_number(value: str, *, low: int, high: int) -> int:
    # The length first: int() refuses (ValueError) texts of thousands of digits.
    short = len(value.lstrip("0")) <= len(str(high))
    if not _WHOLE.fullmatch(value) or not short or not low <= int(value) <= high:
        raise ValueError(
            _("expected a whole number from %(low)s to %(high)s") % {"low": low, "high": high}
        )
    return int(value)


def date(value: str) -> dt.date:
    try:
        if _DATE.fullmatch(value) and limits.year_in_range(int(value[:4])):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise ValueError(_("expected a date YYYY-MM-DD from %(first)s to %(last)s") % YEARS)


def local_start(value: str) -> dt.datetime:
    """A naive local date and time; the calendar row's time zone makes it aware."""
    try:
        if _LOCAL_START.fullmatch(value) and limits.year_in_range(int(value[:4])):
            return dt.datetime.fromisoformat(value)
    except ValueError:
        pass
    raise ValueError(
        _("expected a local start YYYY-MM-DD HH:MM from %(first)s to %(last)s") % YEARS
    )


def yes_no(value: str) -> bool:
    flag = value.lower()
    if flag not in {"yes", "no", ""}:
        raise ValueError(_("expected yes or no"))
    return flag == "yes"


def country(value: str) -> str:
    if value not in COUNTRY_CODES:
        raise ValueError(_("expected an ISO 3166-1 alpha-2 country code in capitals, e.g. CN"))
    return value


def time_zone(value: str) -> str:
    # The name first: ZoneInfo opens a file of that name (OSError for a name too long).
    try:
        if _ZONE_NAME.fullmatch(value):
            zoneinfo.ZoneInfo(value)
            return value
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        pass
    raise ValueError(_("expected an IANA time zone name, e.g. Asia/Shanghai"))


def text(value: str, *, max_length: int) -> str:
    if not value or len(value) > max_length:
        raise ValueError(_("expected a text of 1 to %(max)s characters") % {"max": max_length})
    return plain_text(value)


def plain_text(value: str) -> str:
    """``value`` if it holds no control character (NUL, CR, LF, tab, …); else ValueError."""
    character = limits.control_character(value)
    if character is not None:
        raise ValueError(
            _("expected text without control characters, but it holds %(character)s")
            % {"character": limits.character_name(character)}
        )
    return value


def positive_decimal(value: str, *, unit: str, places: int, max_digits: int) -> Decimal:
    """A number above 0 with at most ``places`` decimals that the database column can hold."""
    expected = _("expected %(unit)s above 0, with at most %(places)s decimals") % {
        "unit": unit,
        "places": places,
    }
    # The length first: quantize() cannot hold more digits than the decimal context's 28.
    if not DECIMAL.fullmatch(value) or len(value) > 20:
        raise ValueError(expected)
    number = Decimal(value)
    digits = number.quantize(Decimal(1).scaleb(-places))
    if number <= 0 or digits != number or len(digits.as_tuple().digits) > max_digits:
        raise ValueError(expected)
    return number
