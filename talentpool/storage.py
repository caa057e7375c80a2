"""Kept for migration ``talentpool/0001_initial``, which names the storage by this path; the
storage is ``core.documents.talentpool_storage``."""

from core.documents import PrivateUploadStorage

__all__ = ["PrivateUploadStorage"]
