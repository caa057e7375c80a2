"""Load the demo seasons: idempotent, so `make run` can call it every time."""

import tempfile
from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from championships.bundle import BundleError, season_import
from championships.models import Championship
from demo.seasons import (
    ARCHIVE_SLUG,
    EXAMPLE_SEASON_DIR,
    archive_bundle_write,
    demo_prizes_ensure,
)
from demo.talentpool import edition_demo_ensure

EXAMPLE_SLUG = "pcca-2024"


class Command(BaseCommand):
    help = "Load the demo data (a complete 2023 season and the 2024 example season) if missing."

    def handle(self, *args: object, **options: object) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            # The archive season first, so that 2024 holds each driver's latest category.
            self._load(ARCHIVE_SLUG, lambda: archive_bundle_write(Path(tmp) / ARCHIVE_SLUG))
            self._load(EXAMPLE_SLUG, lambda: EXAMPLE_SEASON_DIR)
        self.stdout.write(demo_prizes_ensure(championship_slug=EXAMPLE_SLUG))
        self.stdout.write(edition_demo_ensure(championship_slug=EXAMPLE_SLUG))

    def _load(self, slug: str, bundle_path: Callable[[], Path]) -> None:
        if Championship.objects.filter(slug=slug).exists():
            self.stdout.write(f"{slug}: already loaded, left as it is.")
            return
        try:
            summary = season_import(bundle_path())
        except BundleError as exc:
            raise CommandError(f"{slug}: the demo bundle is invalid:\n{exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Loaded {summary}."))
