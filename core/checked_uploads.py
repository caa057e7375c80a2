"""Keeping an upload between its check (a dry run) and its apply, for any import.

``checked_upload_keep`` stores the checked bytes; ``checked_upload_take`` hands them back to
the user who checked them, once, for the apply to run the same import on the same bytes.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from core.models import CheckedUpload


class UploadGone(Exception):
    """No checked upload of that id waits: never checked, applied already, expired or altered."""


class UploadOfAnother(Exception):
    """The upload was checked by another user, or for another object."""


@transaction.atomic
def checked_upload_keep(
    *,
    kind: str,
    user: AbstractBaseUser,
    file_name: str,
    content: bytes,
    subject: str = "",
    options: dict[str, Any] | None = None,
) -> CheckedUpload:
    """Store a checked upload; those nobody applied in time go now."""
    CheckedUpload.objects.expired().delete()
    return CheckedUpload.objects.create(
        kind=kind,
        subject=subject,
        user=user,
        file_name=file_name,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        options=options or {},
    )


def checked_upload_take(
    *, upload_id: str, kind: str, user: AbstractBaseUser, subject: str = ""
) -> CheckedUpload:
    """The upload, locked and deleted. Call it inside the apply's transaction, so that a
    failed apply rolls the deletion back and two applies of one upload cannot both run."""
    try:
        key = uuid.UUID(upload_id)
    except ValueError:
        raise UploadGone from None
    upload = CheckedUpload.objects.select_for_update().fresh().filter(pk=key, kind=kind).first()
    if upload is None or not upload.is_intact():
        raise UploadGone
    if upload.user_id != user.pk or upload.subject != subject:
        raise UploadOfAnother
    upload.delete()
    return upload
