"""The one writer of every CSV file that people open in a spreadsheet.

A spreadsheet reads a cell starting with ``=``, ``+``, ``-`` or ``@`` (and, in some, a tab or
a carriage return before one) as a formula: a driver named ``=HYPERLINK(...)`` would become
a live link, a stewards' reason starting ``+cmd|`` a command (OWASP "CSV injection"). So the
writer decides per column:

- a **text** column (the default) prefixes such a cell with a single quote, which the
  spreadsheet shows as text;
- a **number** column writes a plain number as it is (``-3`` points stay ``-3``, a gap of
  ``+1.234`` stays a number); anything else in it is text as above.

Files that only our importers read (the season bundle) keep every cell exactly, so that a
season round-trips: they have their own writer (``championships/bundle/export.py``), and
tests/site/test_csv_exports.py lists them. The race classification CSV is both: the columns
an importer reads back from it (POS, NO, LAPS, TIME, BEST_LAP, GRID) hold numbers, statuses
and times, which never start with a trigger, so this writer leaves them as they are.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import Decimal

# What a spreadsheet may read as the start of a formula (OWASP), and the line feed, which
# some spreadsheets skip like the carriage return.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")

Row = Sequence[object] | Mapping[str, object]


def csv_text(
    columns: Sequence[str],
    rows: Iterable[Row],
    *,
    numbers: Collection[str] = (),
    lineterminator: str = "\r\n",
) -> str:
    """The header and rows as CSV text, every cell written as its column says (see above).

    A row is a sequence in the order of ``columns`` or a mapping by column name (a missing
    name is an empty cell); None is an empty cell.
    """
    is_number = [column in numbers for column in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator)
    writer.writerow([text_cell(column) for column in columns])
    for row in rows:
        values = [row.get(c) for c in columns] if isinstance(row, Mapping) else row
        writer.writerow([_cell(v, n) for v, n in zip(values, is_number, strict=True)])
    return buffer.getvalue()


def text_cell(value: str) -> str:
    """The text with a leading single quote if a spreadsheet could read it as a formula."""
    first = value.lstrip(" ")[:1]
    return f"'{value}" if first and first in FORMULA_TRIGGERS else value


def number_cell(value: object) -> str:
    """A plain number as it is; anything else as text."""
    if isinstance(value, int | Decimal | float) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return text if PLAIN_NUMBER.fullmatch(text) else text_cell(text)


def _cell(value: object, is_number: bool) -> str:
    if value is None:
        return ""
    return number_cell(value) if is_number else text_cell(str(value))
