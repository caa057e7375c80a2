"""Keeping an upload between its check (a dry run) and its apply, for any import.

``checked_upload_keep`` stores the checked bytes; ``checked_upload_take`` hands them back to
the user who checked them, once, for the apply to run the same import on the same bytes.
The row is in the database and the bytes in ``STORAGES["uploads"]``: a row is written only
once its bytes are stored, and its bytes are deleted only once its deletion is committed, so
neither is ever left without the other (but for a store that fails the deletion itself).
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet

from core.documents import files_discard
from core.models import CheckedUpload


class UploadGone(Exception):
    """No checked upload of that id waits: never checked, applied already, expired or altered."""


class UploadOfAnother(Exception):
    """The upload was checked by another user, or for another object."""


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
    checked_uploads_expire()
    upload = CheckedUpload(
        kind=kind,
        subject=subject,
        user=user,
        file_name=file_name,
        sha256=hashlib.sha256(content).hexdigest(),
        options=options or {},
    )
    upload.file.save("upload", ContentFile(content), save=False)
    try:
        upload.save(force_insert=True)
    except BaseException:
        files_discard(upload.file.storage, [upload.file.name])
        raise
    return upload


def checked_uploads_expire() -> int:
    """Delete the uploads nobody applied in time (``CHECKED_UPLOAD_MAX_AGE``); how many."""
    return _uploads_delete(CheckedUpload.objects.expired())


@transaction.atomic
def _uploads_delete(uploads: QuerySet[CheckedUpload]) -> int:
    """Delete the rows now and their bytes once that is committed; how many."""
    names = [name for name in uploads.select_for_update().values_list("file", flat=True) if name]
    deleted, _ = uploads.delete()
    storage = CheckedUpload._meta.get_field("file").storage
    transaction.on_commit(lambda: files_discard(storage, names))
    return deleted


def checked_upload_take(
    *, upload_id: str, kind: str, user: AbstractBaseUser, subject: str = ""
) -> CheckedUpload:
    """The upload, locked and deleted, its bytes read (they are deleted once the apply
    commits). Call it inside the apply's transaction, so that a
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
    _uploads_delete(CheckedUpload.objects.filter(pk=upload.pk))
    return upload
