"""``manage.py sync_driver_categories``, kept for the jobs that run it daily.

A driver's category is no longer a field to bring up to date: every page, export and API
reads the dated classification in force on the day it shows, so a revision
effective on 1 January takes over that day by itself. The command checks nothing and
changes nothing.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Nothing to do: categories are read from the dated classifications (kept for cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", type=dt.date.fromisoformat, help="the day to take (YYYY-MM-DD); ignored"
        )

    def handle(self, *args: object, date: dt.date | None, **options: object) -> None:
        self.stdout.write("0 drivers changed category: categories are read from their dates.")
