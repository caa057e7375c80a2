"""People's documents (Talent Pool applications, entrants' licences and certificates): where
they are stored, and the checks of what is uploaded.

They live in the storages that ``STORAGES`` names (``talentpool``, ``paddock``, ``board``,
``uploads``): folders on this machine's disk by default, an S3-compatible object store when
``OBJECT_STORE_URL`` says so (``core.object_store``); never at a public URL: only the
permission-checked views stream them, and nothing asks a storage for a path on the disk.

The checks look at size and at what the content really is: the file name and the browser's
content type are the uploader's word; the first bytes and, for images, Pillow reading the
whole header are the file's own.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.core.signals import setting_changed
from django.core.validators import RegexValidator
from django.dispatch import receiver
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _
from PIL import Image

logger = logging.getLogger(__name__)

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024

PDF = "pdf"
JPEG = "jpeg"
PNG = "png"

SIGNATURES = {
    PDF: b"%PDF-",
    JPEG: b"\xff\xd8\xff",
    PNG: b"\x89PNG\r\n\x1a\n",
}
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
CONTENT_TYPES = {PDF: "application/pdf", JPEG: "image/jpeg", PNG: "image/png"}
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG"}

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()\-]{5,24}$",
    _("Enter a phone number with its country code, e.g. +60 12 345 6789."),
)


def sniff(upload: UploadedFile) -> str | None:
    """The kind of document the content is (pdf, jpeg, png), or None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for kind, signature in SIGNATURES.items():
        if head.startswith(signature):
            return kind
    return None


def image_is_whole(upload: UploadedFile, kind: str) -> bool:
    """Pillow reads the image's structure; a renamed or truncated file fails here."""
    try:
        with Image.open(upload) as image:
            image.verify()
            return image.format == PILLOW_FORMATS[kind]
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    finally:
        upload.seek(0)


class DocumentValidator:
    """A document of at most ``max_bytes`` (5 MB) whose content is one of ``kinds``."""

    def __init__(
        self, kinds: tuple[str, ...], message: str, max_bytes: int = MAX_DOCUMENT_BYTES
    ) -> None:
        self.kinds = kinds
        self.message = message
        self.max_bytes = max_bytes

    def __call__(self, upload: UploadedFile) -> None:
        if upload.size == 0:
            raise ValidationError(_("This file is empty."), code="empty")
        if upload.size > self.max_bytes:
            raise ValidationError(
                _("This file is %(size)s MB; the limit is %(limit)s MB."),
                code="too_large",
                params={
                    "size": f"{upload.size / 1024 / 1024:.1f}",
                    "limit": self.max_bytes // (1024 * 1024),
                },
            )
        kind = sniff(upload)
        if kind not in self.kinds or (kind in PILLOW_FORMATS and not image_is_whole(upload, kind)):
            raise ValidationError(self.message, code="wrong_type")


validate_cv = DocumentValidator((PDF,), _("This file is not a PDF: the CV must be a PDF document."))
validate_licence_scan = DocumentValidator(
    (PDF, JPEG, PNG),
    _("This file is not a PDF, JPEG or PNG: the licence scan must be one of these."),
)
validate_photo = DocumentValidator(
    (JPEG, PNG), _("This file is not a JPEG or PNG image: the photo must be one of these.")
)
validate_board_pdf = DocumentValidator(
    (PDF,),
    _("This file is not a PDF: the notice board publishes PDF documents only."),
    max_bytes=20 * 1024 * 1024,
)
validate_scan = DocumentValidator(
    (PDF, JPEG, PNG), _("This file is not a PDF, JPEG or PNG: the document must be one of these.")
)


class StorageUnavailable(OSError):
    """The document store cannot be reached (down, restarting, refusing): nothing was stored.
    ``core.middleware`` answers it with a 503 that says so; the next request tries again."""


@deconstructible
class PrivateUploadStorage(FileSystemStorage):
    """Files on this machine's disk, under the folder that the setting ``root_setting`` names,
    read when used so tests can point it elsewhere. The default of every documents' storage;
    ``core.object_store.PrivateObjectStorage`` is the other (``OBJECT_STORE_URL``)."""

    def __init__(self, root_setting: str = "TALENTPOOL_UPLOAD_ROOT") -> None:
        self.root_setting = root_setting
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self) -> str:
        return str(getattr(settings, self.root_setting))

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        # Documents are streamed by permission-checked views only.
        raise ValueError("Private documents have no public URL.")

    def delete(self, name: str) -> None:
        """Delete a file, then the folders it leaves empty (an object store has none)."""
        if not name:
            return
        super().delete(name)
        root = Path(self.location)
        folder = Path(self.path(name)).parent
        while folder != root and root in folder.parents and folder.is_dir():
            if any(folder.iterdir()):
                break
            folder.rmdir()
            folder = folder.parent


class NamedStorage(LazyObject):
    """The storage that ``STORAGES[alias]`` configures, looked up when first used (and again
    once the setting changes: tests). A model's FileField names it through a function below,
    so that its migration names the function, never a backend."""

    def __init__(self, alias: str) -> None:
        self.__dict__["alias"] = alias
        super().__init__()

    def _setup(self) -> None:
        self._wrapped = storages[self.__dict__["alias"]]

    # A copy (a model field copied by a form or a migration state) is the same storage, which
    # goes on following STORAGES.
    def __copy__(self) -> NamedStorage:
        return self

    def __deepcopy__(self, memo: dict) -> NamedStorage:
        return self


_NAMED = {alias: NamedStorage(alias) for alias in ("talentpool", "paddock", "board", "uploads")}


@receiver(setting_changed)
def _storages_changed(*, setting: str, **kwargs: object) -> None:
    if setting == "STORAGES":
        for storage in _NAMED.values():
            storage._wrapped = empty


def files_discard(storage: Storage, names: Iterable[str]) -> None:
    """Delete files that a failed or undone write, or an erasure, leaves. A file the storage
    cannot delete now (the store away) is not the caller's failure: its deletion is queued
    (``core.queue.file_delete``, retried for about a day, then a failed task in the back
    office), so that an erasure is never forgotten."""
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)
        except OSError as error:
            alias = getattr(storage, "alias", None)
            logger.warning("%r not deleted from the storage now (%s): queued", name, error)
            if alias:
                from core.queue import enqueue, file_delete  # the queue's models import us

                enqueue(file_delete, alias=alias, name=name)


def talentpool_documents() -> Storage:
    """Talent Pool applicants' documents (``STORAGES["talentpool"]``)."""
    return _NAMED["talentpool"]  # type: ignore[return-value]


def paddock_documents() -> Storage:
    """Entrants' documents and filings' attachments (``STORAGES["paddock"]``)."""
    return _NAMED["paddock"]  # type: ignore[return-value]


def board_documents() -> Storage:
    """The notice board's PDFs (``STORAGES["board"]``): public, but streamed by their view
    like the others (with their SHA-256 as ETag), so that the store changes no address."""
    return _NAMED["board"]  # type: ignore[return-value]


def uploads_documents() -> Storage:
    """Back-office uploads checked and waiting for their apply (``STORAGES["uploads"]``)."""
    return _NAMED["uploads"]  # type: ignore[return-value]


talentpool_storage = talentpool_documents()
paddock_storage = paddock_documents()
board_storage = board_documents()
