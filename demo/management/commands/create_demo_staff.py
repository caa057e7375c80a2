"""Create the local demo staff accounts if they are missing (one per role, and the owner's
superuser ``demo``), and print their credentials."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from staff.roles import (
    RACE_CONTROL_GROUP,
    READ_ONLY_STAFF_GROUP,
    SERIES_MANAGER_GROUP,
    TALENT_POOL_REVIEWER_GROUP,
    TIMING_PROVIDER_GROUP,
)

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-cup-2024"  # noqa: S105 - a local demo account, refused without DEBUG
OWNER = "Owner (superuser)"
# demo/paddock.py's accounts (the public site's /accounts/login/), which share this password.
ENTRANTS = "demo-team@example.com, demo-team-staff@example.com, demo-driver@example.com"
# (username, role): every role of staff.roles, one account each, the same password as demo's.
ROLE_ACCOUNTS = (
    ("demo-manager", SERIES_MANAGER_GROUP),
    ("demo-race-control", RACE_CONTROL_GROUP),
    ("demo-read-only", READ_ONLY_STAFF_GROUP),
    ("demo-timing", TIMING_PROVIDER_GROUP),
    ("demo-reviewer", TALENT_POOL_REVIEWER_GROUP),
)


class Command(BaseCommand):
    help = (
        "Create the local demo staff accounts (only with DJANGO_DEBUG on) if they are missing: "
        "the superuser demo and one account per staff role."
    )

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError("Refusing to create a demo account with DJANGO_DEBUG off.")
        with transaction.atomic():
            lines = [self._owner(), *(self._staff(name, role) for name, role in ROLE_ACCOUNTS)]
        self.stdout.write("Demo staff accounts (username / password / role):")
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(f"  {ENTRANTS} / {DEMO_PASSWORD} / entrants (public site; load_demo)")

    def _owner(self) -> str:
        users = get_user_model().objects
        if users.filter(username=DEMO_USERNAME).exists():
            return self._line(DEMO_USERNAME, OWNER, "exists (unless changed)")
        users.create_superuser(DEMO_USERNAME, "demo@example.invalid", DEMO_PASSWORD)
        return self._line(DEMO_USERNAME, OWNER, "created")

    def _staff(self, username: str, role: str) -> str:
        users = get_user_model().objects
        if users.filter(username=username).exists():
            return self._line(username, role, "exists (unless changed)")
        user = users.create_user(
            username, f"{username}@example.invalid", DEMO_PASSWORD, is_staff=True
        )
        user.groups.add(Group.objects.get(name=role))
        return self._line(username, role, "created")

    @staticmethod
    def _line(username: str, role: str, state: str) -> str:
        return f"  {username} / {DEMO_PASSWORD} / {role}: {state}"
