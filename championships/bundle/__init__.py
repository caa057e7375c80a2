"""Season bundles: a whole championship season in and out as a folder or .zip of plain files.

The format is ``SEASON_FORMAT.md``. An import reads every file, checks everything and reports
every problem with its file, line and column; only a bundle without any problem is written,
in one transaction. The admin, the management commands and the demo loader all call these.
"""

from championships.bundle.export import season_export, season_export_zip
from championships.bundle.importer import season_import
from championships.bundle.reader import uploaded_bundle
from championships.bundle.summary import ImportSummary
from core.imports import FileError, FileIssue

# The names the bundle's callers (the API, the commands, the demo loader) know it by.
BundleError = FileError
BundleIssue = FileIssue

__all__ = [
    "BundleError",
    "BundleIssue",
    "ImportSummary",
    "season_export",
    "season_export_zip",
    "season_import",
    "uploaded_bundle",
]
