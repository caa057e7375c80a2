"""Import the laps of a race or a session:
``manage.py import_laps SLUG ROUND {race,practice,qualifying} NUMBER FILE [--group A]``.

The same ``laps_import`` as the back office's upload: the timing system's lap export,
checked whole, and applied it replaces every lap the race or session held.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from championships.models import Race, Session
from championships.weekend import LapsFileError, laps_import
from core.imports.commands import refused
from core.numbers import timing


class Command(BaseCommand):
    help = (
        "Import a race's or a session's laps from the timing system's lap export. Every "
        "problem is reported with its line and column, and nothing is written unless the file "
        "is valid; applied, it replaces the laps held."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("championship", help="the championship's slug, e.g. pcca-2024")
        parser.add_argument("round", type=int, help="the meeting's round number")
        parser.add_argument("kind", choices=["race", "practice", "qualifying"])
        parser.add_argument("number", type=int, help="the race's or session's number")
        parser.add_argument("path", type=Path, help="the lap export")
        parser.add_argument("--group", default="", help="the group of a split session, e.g. A")
        parser.add_argument("--dry-run", action="store_true", help="check and show the laps")

    def handle(self, *args: object, **options: object) -> None:
        subject = self._subject(options)
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            diff = laps_import(
                subject=subject,
                source=path.read_bytes(),
                dry_run=options["dry_run"],
                file_name=path.name,
            )
        except LapsFileError as error:
            raise refused(error, self.stderr, outcome="nothing written") from None
        for car in diff.cars:
            self.stdout.write(f"#{car.car_number:<4} {car.laps:>3} laps, best {timing(car.best)}")
        for warning in diff.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        if diff.dry_run:
            self.stdout.write(f"Dry run, nothing written: {diff}.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {diff}."))

    def _subject(self, options: dict) -> Race | Session:
        slug, round_, kind, number = (
            options["championship"],
            options["round"],
            options["kind"],
            options["number"],
        )
        where = {"meeting__championship__slug": slug, "meeting__round": round_, "number": number}
        found = (
            Race.objects.filter(**where)
            if kind == "race"
            else Session.objects.filter(**where, kind=kind.upper(), group=options["group"])
        ).first()
        if found is None:
            raise CommandError(f"{slug} has no {kind} {number} in round {round_}")
        return found
