"""Create the local demo staff account if it is missing, and print its credentials."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-cup-2024"  # noqa: S105 - a local demo account, refused without DEBUG


class Command(BaseCommand):
    help = "Create the local demo staff account (only with DJANGO_DEBUG on) if it is missing."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError("Refusing to create a demo account with DJANGO_DEBUG off.")
        user_model = get_user_model()
        if user_model.objects.filter(username=DEMO_USERNAME).exists():
            self.stdout.write(
                f"Demo staff account exists: {DEMO_USERNAME} / {DEMO_PASSWORD} (unless changed)"
            )
            return
        user_model.objects.create_superuser(DEMO_USERNAME, "demo@example.invalid", DEMO_PASSWORD)
        self.stdout.write(
            self.style.SUCCESS(f"Created demo staff account: {DEMO_USERNAME} / {DEMO_PASSWORD}")
        )
