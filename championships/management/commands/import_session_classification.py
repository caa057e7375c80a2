"""Import a practice or qualifying classification:
``manage.py import_session_classification SLUG ROUND KIND NUMBER FILE [--group A]``.

The same ``session_import`` as the back office's upload and the API: the season bundle's
columns or a timing system's export, checked whole, written whole; ``--publish-grid N`` then
publishes race N's grid from it (``grid_publish``), as the race's Grid page does.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from championships.board import BoardError
from championships.models import Race, Session, SessionKind
from championships.weekend import (
    GridError,
    SessionConflict,
    SessionDiff,
    SessionFileError,
    grid_publish,
    session_import,
)
from core.imports.commands import refused
from core.numbers import timing


class Command(BaseCommand):
    help = (
        "Import a practice or qualifying session's classification (bundle columns or timing "
        "export). Every problem is reported with its line and column, and nothing is written "
        "unless the file is valid. Applied, it makes a new version of the session's "
        "classification, posted on the notice board."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("championship", help="the championship's slug, e.g. pcca-2024")
        parser.add_argument("round", type=int, help="the meeting's round number")
        parser.add_argument(
            "kind", choices=[k.lower() for k in SessionKind.values], help="the session's kind"
        )
        parser.add_argument("number", type=int, help="the session's number, e.g. 1")
        parser.add_argument("path", type=Path, help="the classification file")
        parser.add_argument("--group", default="", help="the group of a split session, e.g. A")
        parser.add_argument("--dry-run", action="store_true", help="check and show the lines")
        parser.add_argument("--reason", default="", help="why, kept with the new version")
        parser.add_argument("--user", help="the user name the version is recorded under")
        parser.add_argument(
            "--publish-grid",
            type=int,
            metavar="RACE",
            help="then publish this race's grid (applied imports only)",
        )

    def handle(self, *args: object, **options: object) -> None:
        session = self._session(options)
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        user = self._user(options["user"])
        try:
            diff = session_import(
                session=session,
                source=path.read_bytes(),
                dry_run=options["dry_run"],
                user=user,
                reason=options["reason"],
                file_name=path.name,
            )
        except SessionFileError as error:
            raise refused(error, self.stderr, outcome="nothing written") from None
        except SessionConflict as conflict:
            raise CommandError(" ".join(conflict.messages)) from None
        self._report(diff)
        if options["publish_grid"] and not diff.dry_run:
            self._publish_grid(session, options["publish_grid"], user)

    def _session(self, options: dict) -> Session:
        slug, round_ = options["championship"], options["round"]
        try:
            return Session.objects.select_related("meeting__championship").get(
                meeting__championship__slug=slug,
                meeting__round=round_,
                kind=options["kind"].upper(),
                number=options["number"],
                group=options["group"],
            )
        except Session.DoesNotExist:
            raise CommandError(
                f"{slug} has no {options['kind']} {options['number']}"
                f"{' group ' + options['group'] if options['group'] else ''} in round {round_}"
            ) from None

    def _publish_grid(self, session: Session, number: int, user: object) -> None:
        race = Race.objects.filter(meeting=session.meeting, number=number).first()
        if race is None:
            raise CommandError(f"round {session.meeting.round} has no race {number}")
        try:
            document = grid_publish(race=race, user=user)
        except (GridError, BoardError) as error:
            raise CommandError(
                f"The classification is imported; race {number}'s grid is not published: "
                + " ".join(error.messages)
            ) from None
        self.stdout.write(
            self.style.SUCCESS(f"Race {number}'s grid published: document {document.number}.")
        )

    def _user(self, username: str | None) -> object:
        if not username:
            return None
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user {username!r}") from None

    def _report(self, diff: SessionDiff) -> None:
        for line in diff.lines:
            best = timing(line.best_lap) or "no time"
            self.stdout.write(f"{line.position_label:>4}  #{line.car_number:<4} {best}")
        if diff.dry_run:
            self.stdout.write(f"Dry run, nothing written: {diff}.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {diff}; version {diff.version}."))
