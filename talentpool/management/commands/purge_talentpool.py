"""Delete unsuccessful Talent Pool applications, with their documents, once kept long enough."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from talentpool.kept import upload_keep_purge
from talentpool.services import applications_purge


class Command(BaseCommand):
    help = (
        "Erase every application not selected (with its documents) of the editions whose "
        "assessment ended TALENTPOOL_RETENTION_MONTHS months ago or more."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--months",
            type=int,
            default=None,
            help="Months to keep (default: TALENTPOOL_RETENTION_MONTHS).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be erased; erase nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        months = options["months"]
        if months is None:
            months = settings.TALENTPOOL_RETENTION_MONTHS
        references = applications_purge(
            today=timezone.localdate(),
            months=months,
            command="purge_talentpool",  # recorded as who erased them
            dry_run=options["dry_run"],
        )
        verb = "Would erase" if options["dry_run"] else "Erased"
        noun = "application" if len(references) == 1 else "applications"
        self.stdout.write(f"{verb} {len(references)} {noun} kept over {months} months.")
        for reference in references:
            self.stdout.write(f"  {reference}")
        if not options["dry_run"]:
            kept = upload_keep_purge(now=timezone.now())
            noun = "document" if kept == 1 else "documents"
            self.stdout.write(f"Deleted {kept} {noun} kept from refused submissions.")
