from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo seasons and accounts of `make run`: it knows every app, no app knows it."""

    name = "demo"
    verbose_name = _("Demo")
