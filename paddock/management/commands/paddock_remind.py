"""E-mail the teams about their drivers' documents expiring before or during a coming meeting:
once per document and meeting. Run daily (a refused e-mail is tried again the next day)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from paddock.services.checks import document_reminders_send


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today: {value!r} is not a date as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "E-mail each team about its approved entries' drivers' documents that expire before "
        "or during a meeting starting within the championship's reminder days (14 without an "
        "entry window); never the same document and meeting twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=_day, default=None, help="The day to run as.")
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        dry_run = options["dry_run"]
        reminders = document_reminders_send(today=today, dry_run=dry_run)
        for reminder in reminders:
            if dry_run:
                state = "Would send"
            elif reminder.sent:
                state = "Sent"
            else:
                state = "NOT SENT (tried again next run)"
            self.stdout.write(
                f"{state}: {reminder.team} · {reminder.driver} · "
                f"{reminder.document.get_kind_display()} expires {reminder.document.expires_on}"
                f" · {reminder.meeting} ({reminder.meeting.start_date})"
            )
        sent = sum(reminder.sent for reminder in reminders)
        if dry_run:
            self.stdout.write(f"Dry run on {today}: {len(reminders)} reminder(s) due, none sent.")
        else:
            self.stdout.write(f"{today}: {sent} of {len(reminders)} reminder(s) sent.")
