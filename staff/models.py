"""Staff's own models: permissions that belong to no season model, and each staff member's
choice of language.

``ProviderToken`` is the API token of a timing provider's account, as a proxy of DRF's token:
its ``add`` and ``delete`` permissions are what lets a series manager issue and revoke one
(``staff.tokens``), without the back office's token pages, which are the owners' alone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token


class ProviderToken(Token):
    class Meta:
        proxy = True
        verbose_name = _("timing provider's API token")
        verbose_name_plural = _("timing providers' API tokens")
        default_permissions = ("add", "delete")


class StaffProfile(models.Model):
    """What a staff member chose for themselves: the language of their back office.

    Read once, when they log in (``staff.language``), and kept in their session from then on,
    so that no back-office page pays a query for it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"),
        max_length=16,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of this staff member's back office."),
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.language})"
