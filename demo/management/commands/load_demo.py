"""Load the demo seasons: idempotent, so `make run` can call it every time."""

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from championships.bundle import BundleError, season_import
from championships.models import Championship
from demo.loader import DemoError, demo_load
from demo.seasons import (
    ARCHIVE_SLUG,
    EXAMPLE_SEASON_DIR,
    archive_bundle_write,
    demo_prizes_ensure,
)

EXAMPLE_SLUG = "pcca-2024"


class Command(BaseCommand):
    help = (
        "Load the demo data if missing: the Cup's and the Sprint's seasons around today (last "
        "year's, this year's half run, next year's Cup as a draft), the 2023 archive and the "
        "2024 example season."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="The day the demo is built around (YYYY-MM-DD); today by default.",
        )

    def handle(self, *args: object, **options: object) -> None:
        today = options["today"] or timezone.localdate()
        self.verbose = options["verbosity"] >= 1
        with tempfile.TemporaryDirectory() as tmp:
            # The archive season first, so that 2024 holds each driver's latest category.
            self._load(ARCHIVE_SLUG, lambda: archive_bundle_write(Path(tmp) / ARCHIVE_SLUG))
            self._load(EXAMPLE_SLUG, lambda: EXAMPLE_SEASON_DIR)
            self._say(demo_prizes_ensure(championship_slug=EXAMPLE_SLUG))
            try:
                said = demo_load(today=today, workdir=Path(tmp))
            except DemoError as exc:
                raise CommandError(str(exc)) from exc
        for line in said:
            self._say(line)

    def _say(self, line: str) -> None:
        if self.verbose:
            self.stdout.write(line)

    def _load(self, slug: str, bundle_path: Callable[[], Path]) -> None:
        if Championship.objects.filter(slug=slug).exists():
            self._say(f"{slug}: already loaded, left as it is.")
            return
        try:
            summary = season_import(bundle_path())
        except BundleError as exc:
            raise CommandError(f"{slug}: the demo bundle is invalid:\n{exc}") from exc
        self._say(self.style.SUCCESS(f"Loaded {summary}."))
