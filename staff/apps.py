from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    """Staff roles: the back-office groups and what each may see and do (docs/ROLES.md)."""

    name = "staff"
    verbose_name = _("Staff roles")
