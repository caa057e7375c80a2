"""Export a meeting's entry list: ``manage.py export_entry_list SLUG ROUND --format json``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from championships.models import Meeting
from entries.exports import FORMATS, entry_list_export


class Command(BaseCommand):
    help = (
        "Export the entry list of one meeting for broadcasters and timing: number, driver, "
        "team, class, category in force, chassis and nationality, as CSV or JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="the championship's slug, e.g. pcca-2024")
        parser.add_argument("round", type=int, help="the meeting's round, e.g. 3")
        parser.add_argument("--format", choices=list(FORMATS), default="csv", dest="file_format")
        parser.add_argument(
            "--output", type=Path, help="the file to write; standard output without it"
        )

    def handle(
        self,
        *args: object,
        slug: str,
        round: int,
        file_format: str,
        output: Path | None,
        **options: object,
    ) -> None:
        meeting = (
            Meeting.objects.with_circuit().filter(championship__slug=slug, round=round).first()
        )
        if meeting is None:
            raise CommandError(f"No meeting of round {round} in a championship {slug!r}.")
        text = entry_list_export(meeting, file_format)
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Wrote the entry list of {meeting} to {output}."))
