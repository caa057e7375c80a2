"""Export a championship as a season bundle: ``manage.py export_season SLUG PATH``; or every
championship, one .zip each, into a folder: ``manage.py export_season --all DIR`` (a backup
that any later version can import)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from championships.bundle import season_export
from championships.models import Championship


class Command(BaseCommand):
    help = (
        "Export a championship as a season bundle, to a new folder or a file ending .zip; "
        "or, with --all DIR, every championship as DIR/<slug>.zip."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", nargs="?", help="the championship's slug, e.g. pcca-2024")
        parser.add_argument("path", nargs="?", type=Path, help="a new or empty folder, or a .zip")
        parser.add_argument(
            "--all",
            dest="all_dir",
            metavar="DIR",
            type=Path,
            help="export every championship into this new or empty folder, one .zip each",
        )

    def handle(
        self, *args: object, slug: str | None, path: Path | None, all_dir: Path | None, **options
    ) -> None:
        if all_dir is not None:
            if slug or path:
                raise CommandError("Give either SLUG PATH or --all DIR, not both.")
            self.export_all(all_dir)
        elif slug and path:
            self.export_one(slug, path)
        else:
            raise CommandError("Give SLUG PATH, or --all DIR.")

    def export_one(self, slug: str, path: Path) -> None:
        championship = Championship.objects.filter(slug=slug).first()
        if championship is None:
            known = ", ".join(Championship.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No championship has the slug {slug!r}; known: {known}.")
        self.write(championship, path)
        self.stdout.write(self.style.SUCCESS(f"Exported {slug} to {path}."))

    def export_all(self, folder: Path) -> None:
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise CommandError(f"{folder} is not an empty folder; export into a new or empty one.")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Cannot create {folder}: {error}") from error
        championships = list(Championship.objects.select_related("series").order_by("slug"))
        for championship in championships:
            self.write(championship, folder / f"{championship.slug}.zip")
            self.stdout.write(f"  {championship.slug}.zip")
        count = len(championships)
        noun = "championship" if count == 1 else "championships"
        self.stdout.write(self.style.SUCCESS(f"Exported {count} {noun} to {folder}."))

    def write(self, championship: Championship, path: Path) -> None:
        try:
            season_export(championship, path)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error}") from error
