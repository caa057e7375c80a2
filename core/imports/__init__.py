"""File imports, whatever they bring in (a season bundle, a race classification, a revision of
FIA categories): a file is read whole, every value checked, and every problem reported as
``FileIssue`` ("file, line N, column C: message") inside one ``FileError``; an import writes
nothing unless there is none.
"""

from core.imports.csvfile import Columns, CsvRow, RowCheck, decode, read_csv
from core.imports.errors import FileError, FileIssue, IssueLog

__all__ = [
    "Columns",
    "CsvRow",
    "FileError",
    "FileIssue",
    "IssueLog",
    "RowCheck",
    "decode",
    "read_csv",
]
