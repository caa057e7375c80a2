"""Plain helpers for the Talent Pool tests: an edition, valid documents, a complete form."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from championships.models import Championship
from talentpool.models import Application, TalentPoolEdition
from talentpool.services import application_submit
from tests.factories import make_championship

# Ages are measured on this day in the tests' edition: born 2000-01-01 to 2010-12-31 fits.
REFERENCE_DATE = dt.date(2026, 12, 31)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def make_edition(championship: Championship | None = None, **fields) -> TalentPoolEdition:
    now = timezone.now()
    defaults = {
        "year": 2026,
        "name": "Talent Pool 2026",
        "opens_at": now - dt.timedelta(days=10),
        "closes_at": now + dt.timedelta(days=30),
        "timezone": "Asia/Kuala_Lumpur",
        "assessment_venue": "Sepang International Circuit",
        "assessment_starts_on": dt.date(2026, 12, 8),
        "assessment_ends_on": dt.date(2026, 12, 10),
        "reference_date": REFERENCE_DATE,
        "places": 2,
        "prizes": "A season entry",
    }
    championship = championship or make_championship(year=2027)
    return TalentPoolEdition.objects.create(championship=championship, **{**defaults, **fields})


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (40, 50)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (180, 18, 27)).save(buffer, kind)
    return buffer.getvalue()


def pdf_file(name: str = "cv.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_file(name: str = "photo.png", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content or image_bytes("PNG"), content_type="image/png")


def jpeg_file(name: str = "scan.jpg", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content or image_bytes("JPEG"), content_type="image/jpeg")


def documents(**overrides) -> dict[str, SimpleUploadedFile]:
    return {"cv": pdf_file(), "licence_scan": jpeg_file(), "photo": png_file(), **overrides}


def form_data(**overrides) -> dict[str, object]:
    """A complete adult's application as the browser posts it, with one racing season."""
    data = {
        "first_name": "Mei",
        "last_name": "Tan",
        "date_of_birth": "2004-05-17",
        "nationality": "MY",
        "email": "mei.tan@example.com",
        "phone": "+60 12 345 6789",
        "licence_type": "intl_c",
        "licence_number": "MY-2024-0042",
        "fia_category": "",
        "motivation": "I won the national karting title and want to race cars.",
        "data_consent": "on",
        "website": "",
        "record-TOTAL_FORMS": "3",
        "record-INITIAL_FORMS": "0",
        "record-MIN_NUM_FORMS": "0",
        "record-MAX_NUM_FORMS": "15",
        "record-0-year": "2025",
        "record-0-series": "Rotax Max Challenge Malaysia",
        "record-0-position": "1",
        "record-0-wins": "4",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def minor_guardian(**overrides) -> dict[str, object]:
    return {
        "date_of_birth": "2010-03-01",
        "guardian_name": "Siew Lan Tan",
        "guardian_email": "siew.tan@example.com",
        "guardian_consent": "on",
        **overrides,
    }


def submit(edition: TalentPoolEdition, **applicant) -> Application:
    """An application stored through the service, with its three documents."""
    person = {
        "first_name": "Mei",
        "last_name": "Tan",
        "date_of_birth": dt.date(2004, 5, 17),
        "nationality": "MY",
        "email": "mei.tan@example.com",
        "phone": "+60 12 345 6789",
        "licence_type": "intl_c",
        "licence_number": "MY-1",
        "fia_category": "",
        "motivation": "Speed.",
        "guardian_name": "",
        "guardian_email": "",
        "guardian_consent": False,
        "data_consent": True,
        **applicant,
    }
    return application_submit(
        edition=edition,
        applicant=person,
        records=[{"year": 2025, "series": "Rotax", "position": 2, "wins": 1}],
        documents=documents(),
        language="en",
        status_url="http://testserver/talent-pool/status/",
    )


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
