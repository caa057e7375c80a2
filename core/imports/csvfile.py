"""Reading an imported text file: UTF-8 decoding, CSV tables and the fields of a row."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.utils.translation import gettext as _

from core.imports import fields
from core.imports.errors import IssueLog

T = TypeVar("T")


def decode(data: bytes, log: IssueLog) -> str | None:
    """The file's text (a UTF-8 byte order mark is dropped), or None if it is not UTF-8."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
        message = _("is not UTF-8 (byte 0x%(byte)s here); save the file as UTF-8")
        log.add(line, None, message % {"byte": f"{byte:02x}"})
        return None


@dataclass
class CsvRow:
    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class Columns:
    """The columns a file may have; names match case-insensitively after stripping."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    others_allowed: bool = False

    def canonical(self, name: str) -> str | None:
        wanted = name.strip().lower()
        return next((c for c in self.required + self.optional if c.lower() == wanted), None)

    def described(self) -> str:
        return ", ".join(self.required + self.optional)


def read_csv(text: str, columns: Columns, log: IssueLog) -> list[CsvRow] | None:
    """The rows with a value for each known column; None if the header makes rows unreadable."""
    first_line = text.partition("\n")[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = _header(next(reader, []), columns, log)
        return None if header is None else _rows(reader, header, log)
    except csv.Error as error:
        log.add(
            reader.line_num, None, _("is not a readable CSV line (%(error)s)") % {"error": error}
        )
        return None


def _header(names: list[str], columns: Columns, log: IssueLog) -> list[str | None] | None:
    header = [columns.canonical(name) for name in names]
    for name, known in zip(names, header, strict=True):
        if known is None and not columns.others_allowed and name.strip():
            message = _("is not a column of this file; expected %(columns)s")
            log.add(1, name.strip(), message % {"columns": columns.described()})
    present = [name for name in header if name]
    for name in sorted({name for name in present if present.count(name) > 1}):
        log.add(1, name, _("appears twice in the header"))
    for name in columns.required:
        if name not in present:
            message = _("is missing from the header; expected %(columns)s")
            log.add(1, name, message % {"columns": columns.described()})
    unreadable = len(set(present)) != len(present) or not set(columns.required) <= set(present)
    return None if unreadable else header


def _rows(reader: csv.reader, header: list[str | None], log: IssueLog) -> list[CsvRow]:
    rows = []
    line = reader.line_num + 1
    for record in reader:
        values = [value.strip() for value in record]
        if any(values[len(header) :]):
            message = _("has %(values)s values but the header has %(columns)s")
            log.add(line, None, message % {"values": len(values), "columns": len(header)})
        elif any(values):
            named = {name: value for name, value in zip(header, values, strict=False) if name}
            rows.append(CsvRow(line, named))
        line = reader.line_num + 1
    return rows


class RowCheck:
    """Reads the fields of one row, recording a problem for each that does not parse."""

    def __init__(self, row: CsvRow, log: IssueLog) -> None:
        self.row = row
        self.log = log
        self.ok = True

    @property
    def line(self) -> int:
        return self.row.line

    def raw(self, column: str) -> str:
        return self.row.values.get(column, "")

    def get(self, column: str, parse: Callable[[str], T], *, optional: bool = False) -> T | None:
        """The parsed value, or None if it does not parse or is empty and ``optional``."""
        value = self.raw(column)
        if not value and optional:
            return None
        try:
            # Every cell is text first: a control character is refused whatever the column.
            return parse(fields.plain_text(value))
        except ValueError as error:
            found = _("not %(value)r") % {"value": value} if value else _("but it is empty")
            self.fail(column, f"{error}, {found}")
            return None

    def fail(self, column: str | None, message: str) -> None:
        self.ok = False
        self.log.add(self.line, column, message)
