"""What a file import reports: every problem, with the file, line and column where it was found."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileIssue:
    """One problem in an imported file. ``line`` counts from 1 (a CSV header is line 1).

    ``column`` is a CSV column name, a TOML key (``classes.AM.min_age``) or, for a TOML
    syntax error, the character column that ``tomllib`` reports. Both may be None for a
    problem with a whole file.
    """

    file: str
    line: int | None
    column: str | int | None
    message: str

    def __str__(self) -> str:
        # In the language of the page that shows it: English for the API and the commands.
        where = [self.file]
        if self.line is not None:
            where.append(_("line %(line)s") % {"line": self.line})
        if self.column is not None:
            where.append(self._column_label() % {"column": self.column})
        return f"{', '.join(where)}: {self.message}"

    def _column_label(self) -> str:
        is_toml_key = self.file.endswith(".toml") and isinstance(self.column, str)
        return _("key %(column)s") if is_toml_key else _("column %(column)s")


class FileError(Exception):
    """The import was refused; ``issues`` lists every problem found. Nothing was written."""

    def __init__(self, issues: list[FileIssue]) -> None:
        self.issues = list(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))


class IssueLog:
    """Collects the problems of one file, so that each check can say just line, column, what."""

    def __init__(self, file: str, issues: list[FileIssue]) -> None:
        self.file = file
        self.issues = issues

    def add(self, line: int | None, column: str | int | None, message: str) -> None:
        self.issues.append(FileIssue(self.file, line, column, message))
