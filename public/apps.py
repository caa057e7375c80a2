from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """Every public page of every app: views, page builders, URLs, feeds, template tags."""

    name = "public"
    verbose_name = _("Public site")
