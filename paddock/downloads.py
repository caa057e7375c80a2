"""A driver's document streamed to someone allowed to read it: the one response of the
entrant's download (public/views/paddock_documents.py) and the back office's open view
(paddock/documents_admin.py). The caller checks who may read it first; this never does.

``core.downloads.attachment`` answers content held in memory; a document is streamed from
the private storage instead, so it has its own response here."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.utils.text import slugify

from paddock.models import DriverDocument


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
    try:
        stored = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        stored,
        content_type=document.content_type,
        as_attachment=not inline_images or document.content_type == "application/pdf",
        filename=document_filename(document),
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
