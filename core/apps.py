from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Plumbing every app shares: the API's conventions, file imports, CSV writing, limits."""

    name = "core"
    verbose_name = _("Core")
