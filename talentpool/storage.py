"""Where applicants' documents live: on disk under a private root, never at a public URL."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateUploadStorage(FileSystemStorage):
    """Files under ``TALENTPOOL_UPLOAD_ROOT``, read when used so tests can point it elsewhere."""

    def __init__(self) -> None:
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self) -> str:
        return str(settings.TALENTPOOL_UPLOAD_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        # Documents are streamed by the back office's permission-checked view only.
        raise ValueError("Talent Pool documents have no public URL.")

    def delete_with_folder(self, name: str) -> None:
        """Delete a file, then its folder if nothing else is left in it."""
        if not name:
            return
        self.delete(name)
        folder = Path(self.path(name)).parent
        if folder.is_dir() and Path(self.location) in folder.parents and not any(folder.iterdir()):
            folder.rmdir()


private_storage = PrivateUploadStorage()
