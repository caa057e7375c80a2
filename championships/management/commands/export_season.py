"""Export a championship as a season bundle: ``manage.py export_season SLUG PATH``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from championships.bundle import season_export
from championships.models import Championship


class Command(BaseCommand):
    help = "Export a championship as a season bundle, to a new folder or a file ending .zip."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="the championship's slug, e.g. pcca-2024")
        parser.add_argument("path", type=Path, help="a new or empty folder, or a .zip file")

    def handle(self, *args: object, slug: str, path: Path, **options: object) -> None:
        championship = Championship.objects.filter(slug=slug).first()
        if championship is None:
            known = ", ".join(Championship.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No championship has the slug {slug!r}; known: {known}.")
        try:
            season_export(championship, path)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Exported {slug} to {path}."))
