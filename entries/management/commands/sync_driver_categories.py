"""Bring each driver's current category up to date: ``manage.py sync_driver_categories``.

Run it daily: a revision recorded in November that takes effect on 1 January becomes each
driver's current category that day.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandParser

from entries.services import drivers_category_sync


class Command(BaseCommand):
    help = "Set each driver's current category to the classification in force today."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", type=dt.date.fromisoformat, help="the day to take (YYYY-MM-DD); today"
        )

    def handle(self, *args: object, date: dt.date | None, **options: object) -> None:
        changed = drivers_category_sync(today=date)
        noun = "driver" if changed == 1 else "drivers"
        self.stdout.write(f"{changed} {noun} changed category.")
