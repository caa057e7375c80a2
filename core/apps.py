from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Plumbing every app shares: the API's conventions, file imports, CSV writing, limits,
    webhooks."""

    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # The back office of core's own tables (the webhooks); core/admin.py holds only the
        # mixins other apps' admins share.
        from core import webhooks_admin  # noqa: F401
