"""A driver's document or a filing's attachment streamed to someone allowed to read it: the
one response of the entrant's downloads (public/views/paddock_documents.py,
public/views/paddock_protests.py) and the back office's (paddock/documents_admin.py,
paddock/protests_admin.py). The caller checks who may read it first; this never does.

``core.downloads.attachment`` answers content held in memory; a document is streamed from
the private storage instead, so it has its own response here."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.text import slugify

from paddock.models import DriverDocument, ProtestAttachment


def document_filename(document: DriverDocument) -> str:
    """A safe name to save it under, made by the site (the uploader's name is never kept):
    the driver's name as ASCII, the kind, the id and the stored extension."""
    extension = document.file.name.rsplit(".", 1)[-1]
    person = slugify(document.driver.full_name) or f"driver-{document.driver_id}"
    return f"{person}-{document.kind.lower()}-{document.pk}.{extension}"


def document_response(document: DriverDocument, *, inline_images: bool = False) -> FileResponse:
    """The file, private and never cached nor sniffed; a download, or for ``inline_images``
    an image shown in the browser (a PDF is always a download). A file missing from the
    storage is a 404."""
    return private_file_response(
        document.file,
        content_type=document.content_type,
        filename=document_filename(document),
        as_attachment=not inline_images or document.content_type == "application/pdf",
    )


def attachment_filename(attachment: ProtestAttachment) -> str:
    """A safe name made by the site: the filing's round and number, the id and the stored
    extension (the uploader's name is shown on the pages, never used as a file name)."""
    extension = attachment.file.name.rsplit(".", 1)[-1]
    protest = attachment.protest
    base = slugify(f"protest r{protest.meeting.round} {protest.number}") or "protest"
    return f"{base}-{attachment.pk}.{extension}"


def attachment_response(attachment: ProtestAttachment) -> FileResponse:
    """A filing's attachment, private and never cached nor sniffed, always a download."""
    return private_file_response(
        attachment.file,
        content_type=attachment.content_type,
        filename=attachment_filename(attachment),
        as_attachment=True,
    )


def private_file_response(
    file: FieldFile, *, content_type: str, filename: str, as_attachment: bool
) -> FileResponse:
    """A stored file, private and never cached nor sniffed; missing from the storage: 404."""
    try:
        stored = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        stored, content_type=content_type, as_attachment=as_attachment, filename=filename
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
