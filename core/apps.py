from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Plumbing every app shares: the API's conventions, file imports, CSV writing, limits,
    webhooks, the task queue."""

    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # The back office of core's own tables (the webhooks, the task queue's failed tasks);
        # core/admin.py holds only the mixins other apps' admins share.
        from core import queue_admin, webhooks_admin  # noqa: F401

        # Every app's tasks (its ``tasks`` module), known to every process, not the worker's
        # alone: the back office runs a failed scheduled job again by its name.
        autodiscover_modules("tasks")
        checks.register(site_url_check, checks.Tags.compatibility, deploy=True)


def site_url_check(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """The worker writes e-mails outside any request: their links need the site's address."""
    if settings.SITE_URL:
        return []
    return [
        checks.Warning(
            "SITE_URL is not set: e-mails sent by the task queue's worker (a notice board "
            "document's, once drawn) carry links without the site's address.",
            hint="Set SITE_URL to the site's address, e.g. https://cup.example.com.",
            id="core.W001",
        )
    ]
