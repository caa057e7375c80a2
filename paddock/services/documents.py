"""Drivers' documents: stored under a random name in the private storage, with the details
read from the document (grade, authority, number, expiry). The file is written before the
row; a write that fails deletes the files it wrote, so nothing is left behind."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.documents import CONTENT_TYPES, EXTENSIONS, files_discard, paddock_storage, sniff
from paddock.models import DriverDocument, EntrantDriver
from paddock.models.documents import DETAIL_FIELDS


def _file_save(driver: EntrantDriver, kind: str, upload: UploadedFile) -> tuple[str, str]:
    """The stored name and content type; the uploader's file name is not kept."""
    found = sniff(upload)
    if found is None:  # the form's DocumentValidator refuses such a file first
        raise ValueError("Not a PDF, JPEG or PNG document.")
    name = f"{driver.team_id}/{driver.pk}/{kind.lower()}-{secrets.token_hex(8)}"
    return paddock_storage.save(f"{name}.{EXTENSIONS[found]}", upload), CONTENT_TYPES[found]


def files_delete(names: Iterable[str]) -> None:
    files_discard(paddock_storage, names)


def document_write(
    *,
    driver: EntrantDriver,
    kind: str,
    upload: UploadedFile,
    details: Mapping[str, Any],
    by: AbstractBaseUser,
    written: list[str],
) -> DriverDocument:
    """Store one checked document of ``driver`` (saved already); the stored name is appended
    to ``written`` first, so that a caller whose transaction fails deletes it
    (``files_delete``). Call inside the caller's transaction."""
    name, content_type = _file_save(driver, kind, upload)
    written.append(name)
    document = DriverDocument(
        driver=driver,
        kind=kind,
        file=name,
        content_type=content_type,
        uploaded_at=timezone.now(),
        uploaded_by=by,
        **{field: details[field] for field in DETAIL_FIELDS if details.get(field) is not None},
    )
    document.full_clean()
    document.save()
    return document


def document_add(
    *,
    driver: EntrantDriver,
    kind: str,
    upload: UploadedFile,
    details: Mapping[str, Any],
    by: AbstractBaseUser,
) -> DriverDocument:
    """Add a document to ``driver``: it replaces the one of its kind before (which is kept,
    no longer current). Nothing is stored if it fails."""
    written: list[str] = []
    try:
        with transaction.atomic():
            return document_write(
                driver=driver, kind=kind, upload=upload, details=details, by=by, written=written
            )
    except BaseException:
        files_delete(written)
        raise


def document_delete(*, document: DriverDocument) -> None:
    """Delete a document and, once the deletion is committed, its file."""
    name = document.file.name
    with transaction.atomic():
        document.delete()
        transaction.on_commit(lambda: files_delete([name]))


def documents_mark_seen(
    *, documents: Iterable[DriverDocument] | QuerySet[DriverDocument], by: AbstractBaseUser
) -> int:
    """Record that staff member ``by`` checked ``documents``; those checked already keep
    who checked them first and when. The number newly marked."""
    pks = [document.pk for document in documents]
    with transaction.atomic():
        return DriverDocument.objects.filter(pk__in=pks, seen_at__isnull=True).update(
            seen_by=by, seen_at=timezone.now()
        )
