"""Import a revision of FIA driver categories: ``manage.py import_fia_categories PATH``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.imports import FileError
from core.imports.commands import refused
from entries.fia_categories import RevisionSummary, fia_category_revision_import


class Command(BaseCommand):
    help = (
        "Import a CSV of driver, category, effective_date and source. Every problem is "
        "reported with its line and column, and nothing is written unless the file is valid. "
        "Entries whose class no longer admits their driver are flagged for the series manager."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the revision's CSV file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="list who moves up or down and the entries affected, and write nothing",
        )

    def handle(self, *args: object, path: Path, dry_run: bool, **options: object) -> None:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        try:
            summary = fia_category_revision_import(data, file_name=path.name, dry_run=dry_run)
        except FileError as error:
            raise refused(error, self.stderr, outcome="nothing imported") from None
        self._report(summary)

    def _report(self, summary: RevisionSummary) -> None:
        for change in summary.changes:
            spec = change.spec
            before = change.before or "-"
            self.stdout.write(
                f"line {spec.line}: {spec.driver.full_name} {before} -> {spec.category} "
                f"({change.move}) from {spec.effective_from} [{spec.source}]"
            )
            for impact in change.impacts:
                what = f"FLAGGED: {impact.problem}" if impact.flagged else "class still admits"
                self.stdout.write(f"    {impact.entry.championship.slug} {impact.entry}: {what}")
        if summary.dry_run:
            self.stdout.write(f"Dry run, nothing written. The import would record {summary}.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {summary}."))
