"""People's documents (Talent Pool applications, entrants' licences and certificates): where
they are stored, and the checks of what is uploaded.

They live on disk under a private root, never at a public URL: only the permission-checked
views stream them. The checks look at size and at what the content really is: the file name
and the browser's content type are the uploader's word; the first bytes and, for images,
Pillow reading the whole header are the file's own.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import RegexValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image

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


@deconstructible
class PrivateUploadStorage(FileSystemStorage):
    """Files under the folder that the setting ``root_setting`` names, read when used so
    tests can point it elsewhere."""

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

    def delete_with_folder(self, name: str) -> None:
        """Delete a file, then its folder if nothing else is left in it."""
        if not name:
            return
        self.delete(name)
        folder = Path(self.path(name)).parent
        if folder.is_dir() and Path(self.location) in folder.parents and not any(folder.iterdir()):
            folder.rmdir()


talentpool_storage = PrivateUploadStorage("TALENTPOOL_UPLOAD_ROOT")
paddock_storage = PrivateUploadStorage("PADDOCK_UPLOAD_ROOT")
# The notice board's PDFs are public, but streamed by their view like the others (with their
# SHA-256 as ETag), so that moving them to an object store changes no address.
board_storage = PrivateUploadStorage("BOARD_ROOT")
