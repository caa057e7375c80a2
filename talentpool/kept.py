"""Documents kept across a refused submission, so that the applicant does not attach them again.

A document that passed its checks in a submission refused for another reason (a mistyped
phone number, a missing consent) is stored in the private storage under ``pending/`` with a
random name, and the form carries a signed token naming it. The token is the only way back
to the file: it is signed with the site's secret, names one document field, and expires after
``KEPT_MAX_AGE`` seconds. Nothing here has a URL. A kept file is deleted when the submission
that uses it is received, and ``upload_keep_purge`` (run by ``purge_talentpool``) deletes the
ones left behind.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.core import signing
from django.core.files.uploadedfile import UploadedFile

from core.documents import CONTENT_TYPES, EXTENSIONS, sniff
from core.documents import talentpool_storage as private_storage

KEPT_FOLDER = "pending"
KEPT_SALT = "talentpool.kept-upload"
KEPT_MAX_AGE = 2 * 3600  # seconds: long enough to correct a form, short enough to hold little
FILENAME_MAX = 100


@dataclass(frozen=True)
class KeptUpload:
    """A kept document: its token for the form and the name the applicant gave the file."""

    token: str
    filename: str


def upload_keep(field: str, upload: UploadedFile) -> KeptUpload:
    """Store a validated upload under a random name and sign a token that names it."""
    extension = EXTENSIONS[sniff(upload)]
    name = private_storage.save(
        f"{KEPT_FOLDER}/{field}-{secrets.token_hex(16)}.{extension}", upload
    )
    filename = Path(upload.name or "").name[-FILENAME_MAX:]
    token = signing.dumps({"field": field, "name": name, "filename": filename}, salt=KEPT_SALT)
    return KeptUpload(token=token, filename=filename)


def _kept_name(field: str, token: str) -> tuple[str, str] | None:
    """The stored name and the applicant's file name a token gives for ``field``, if valid."""
    try:
        data = signing.loads(token, salt=KEPT_SALT, max_age=KEPT_MAX_AGE)
    except signing.BadSignature:  # tampered with, or expired
        return None
    if not isinstance(data, dict) or data.get("field") != field:
        return None
    name = str(data.get("name", ""))
    if not name.startswith(f"{KEPT_FOLDER}/") or ".." in name or not private_storage.exists(name):
        return None
    return name, str(data.get("filename", ""))


def upload_restore(field: str, token: str) -> tuple[UploadedFile, KeptUpload] | None:
    """The kept document a token names, opened as an upload; None if the token is not good."""
    found = _kept_name(field, token)
    if found is None:
        return None
    name, filename = found
    handle = private_storage.open(name, "rb")
    upload = UploadedFile(
        file=handle,
        name=filename or Path(name).name,
        content_type=CONTENT_TYPES.get(sniff(handle) or "", "application/octet-stream"),
        size=handle.size,
    )
    return upload, KeptUpload(token=token, filename=filename)


def upload_keep_discard(field: str, token: str) -> None:
    """Delete the kept document once its submission was received."""
    found = _kept_name(field, token)
    if found:
        private_storage.delete(found[0])


def upload_keep_purge(*, now: dt.datetime) -> int:
    """Delete the kept documents older than ``KEPT_MAX_AGE``; how many were deleted."""
    try:
        _folders, names = private_storage.listdir(KEPT_FOLDER)
    except FileNotFoundError:  # nothing was ever kept on this disk
        return 0
    cutoff = now - dt.timedelta(seconds=KEPT_MAX_AGE)
    stale = [
        f"{KEPT_FOLDER}/{name}"
        for name in names
        if private_storage.get_modified_time(f"{KEPT_FOLDER}/{name}") < cutoff
    ]
    for name in stale:
        private_storage.delete(name)
    return len(stale)
