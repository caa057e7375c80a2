"""What core keeps in the database (uploads checked in the back office, waiting to be applied)
and the abstract shape of a thing named on the site by a unique name and a unique slug."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NamedWithSlug(models.Model):
    """A series, a team: known by a unique name, addressed by a unique slug, listed by name."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# How long a checked upload waits for "Apply"; the next check deletes older ones.
CHECKED_UPLOAD_MAX_AGE = dt.timedelta(hours=1)


class CheckedUploadQuerySet(models.QuerySet):
    def fresh(self) -> CheckedUploadQuerySet:
        return self.filter(created_at__gte=timezone.now() - CHECKED_UPLOAD_MAX_AGE)

    def expired(self) -> CheckedUploadQuerySet:
        return self.filter(created_at__lt=timezone.now() - CHECKED_UPLOAD_MAX_AGE)


class CheckedUpload(models.Model):
    """A file that passed its import's dry run, kept until the staff member who checked it
    applies it. In the database, not on a disk, because the apply may reach another app server
    than the check did. ``subject`` names the object the import is for (a race), if any."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=40, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    options = models.JSONField(default=dict, blank=True)  # what the check was asked with
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = CheckedUploadQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.kind}: {self.file_name}"

    @property
    def data(self) -> bytes:
        return bytes(self.content)  # PostgreSQL answers a memoryview

    def is_intact(self) -> bool:
        """The content is the one checked (sha256 computed when it was kept)."""
        return hashlib.sha256(self.data).hexdigest() == self.sha256
