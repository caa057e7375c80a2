"""Import a season bundle (a folder or a .zip): ``manage.py import_season PATH``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from championships.bundle import BundleError, ImportSummary, season_import
from core.imports.commands import refused


class Command(BaseCommand):
    help = (
        "Import a season bundle (a folder or a .zip). Every problem is reported with its file, "
        "line and column, and nothing is written unless the whole bundle is valid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the bundle's folder or .zip file")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace the championship of the same slug, if there is one",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check everything and write nothing"
        )

    def handle(
        self, *args: object, path: Path, replace: bool, dry_run: bool, **options: object
    ) -> None:
        try:
            summary = season_import(path, replace=replace, dry_run=dry_run)
        except BundleError as error:
            raise refused(error, self.stderr, outcome="nothing imported") from None
        self._report(summary)

    def _report(self, summary: ImportSummary) -> None:
        if summary.dry_run:
            self.stdout.write(f"Dry run, nothing written. The import would give {summary}.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {summary}."))
