from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaddockConfig(AppConfig):
    name = "paddock"
    verbose_name = _("Entrants")
