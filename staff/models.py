"""Staff's own models: permissions that belong to no season model.

``ProviderToken`` is the API token of a timing provider's account, as a proxy of DRF's token:
its ``add`` and ``delete`` permissions are what lets a series manager issue and revoke one
(``staff.tokens``), without the back office's token pages, which are the owners' alone.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token


class ProviderToken(Token):
    class Meta:
        proxy = True
        verbose_name = _("timing provider's API token")
        verbose_name_plural = _("timing providers' API tokens")
        default_permissions = ("add", "delete")
