"""Import one race's classification: ``manage.py import_race_classification SLUG ROUND RACE FILE``.

The same ``results_import`` as the back office's upload and the API: a season bundle's
results CSV or a timing system's semicolon-separated export, checked whole, written whole.
"""

import datetime as dt
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from championships.models import Race
from championships.results_import import ResultsDiff, ResultsError, results_import
from championships.versions import ClassificationConflict
from core.imports.commands import refused
from core.numbers import timing


class Command(BaseCommand):
    help = (
        "Import a race's classification (results CSV or timing export). Every problem is "
        "reported with its line and column, and nothing is written unless the file is valid. "
        "Applied, it makes a new version of the race's classification."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("championship", help="the championship's slug, e.g. pcca-2024")
        parser.add_argument("round", type=int, help="the meeting's round number")
        parser.add_argument("race", type=int, help="the race's number in the meeting")
        parser.add_argument("path", type=Path, help="the classification file")
        parser.add_argument("--dry-run", action="store_true", help="check and show the changes")
        parser.add_argument("--reason", default="", help="why, kept with the new version")
        parser.add_argument("--user", help="the user name the version is recorded under")

    def handle(self, *args: object, **options: object) -> None:
        race = self._race(options["championship"], options["round"], options["race"])
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            diff = results_import(
                race=race,
                source=path.read_bytes(),
                dry_run=options["dry_run"],
                user=self._user(options["user"]),
                reason=options["reason"],
                file_name=path.name,
            )
        except ResultsError as error:
            raise refused(error, self.stderr, outcome="nothing written") from None
        except ClassificationConflict as conflict:
            raise CommandError(str(conflict)) from None
        self._report(diff)

    def _race(self, slug: str, round_: int, number: int) -> Race:
        try:
            return Race.objects.select_related("meeting").get(
                meeting__championship__slug=slug, meeting__round=round_, number=number
            )
        except Race.DoesNotExist:
            raise CommandError(f"{slug} has no race {number} in round {round_}") from None

    def _user(self, username: str | None) -> object:
        if not username:
            return None
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user {username!r}") from None

    def _report(self, diff: ResultsDiff) -> None:
        for row in diff.added:
            self.stdout.write(f"+ line {row.line}: car {row.car_number} added")
        for change in diff.changed:
            fields = ", ".join(
                f"{c.field} {shown(c.before)} → {shown(c.after)}" for c in change.changes
            )
            self.stdout.write(f"~ line {change.line}: car {change.car_number}: {fields}")
        for row in diff.removed:
            self.stdout.write(f"- car {row.car_number} removed")
        for warning in diff.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        if diff.dry_run:
            self.stdout.write(f"Dry run, nothing written: {diff}.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {diff}; version {diff.version}."))


def shown(value: object) -> object:
    """A changed value as the back office shows it: times as timing sheets write them."""
    return timing(value) if isinstance(value, dt.timedelta) else value
