"""Hypothesis-made bad Talent Pool submissions: the form answers with its errors (never a 500),
and nothing is stored, neither an application nor a document, unless the application is whole.

Each submission is a complete application with one to four fields replaced by a tricky value,
random text or left out, and sometimes a document swapped for random bytes under a random name
and type. Bounded and derandomized.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentpool.kept import KEPT_FOLDER as KEPT
from talentpool.models import Application, TalentPoolEdition
from tests.factories import documents, form_data, make_edition, stored_files

FIELDS = sorted(form_data())
DOCUMENTS = ["cv", "licence_scan", "photo"]
TRICKY = [
    "",
    "0",
    "-1",
    "1900-01-01",
    "2031-02-29",
    "9999-99-99",
    "ZZ",
    "not-an-email",
    "a@b",
    "+" + "9" * 40,
    "<script>alert(1)</script>",
    "'; DROP TABLE talentpool_application; --",
    "\x00",
    "🏎️" * 50,
    "x" * 10_000,
    "1000",
    "on",
]
CONTENT_TYPES = ["application/pdf", "image/png", "image/jpeg", "text/html", "application/zip"]
FUZZ = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def bad_submissions(draw) -> dict[str, object]:
    data = form_data()
    for field in draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=4, unique=True)):
        value = draw(st.sampled_from(TRICKY) | st.text(max_size=120) | st.none())
        if value is None:
            data.pop(field, None)
        else:
            data[field] = value
    files = documents()
    if draw(st.booleans()):
        name = draw(st.sampled_from(DOCUMENTS))
        files[name] = SimpleUploadedFile(
            draw(st.sampled_from(["cv.pdf", "photo.png", "x.exe", ".pdf", "a" * 300 + ".jpg"])),
            draw(st.binary(max_size=2000)),
            content_type=draw(st.sampled_from(CONTENT_TYPES)),
        )
    return {**data, **files}


@pytest.fixture
def open_edition(db, settings, upload_root) -> TalentPoolEdition:
    settings.TALENTPOOL_RATE_LIMIT = "100000/h"  # hundreds of posts from one address
    settings.TALENTPOOL_ATTEMPT_RATE_LIMIT = "100000/h"
    return make_edition()


@FUZZ
@given(submission=bad_submissions())
def test_a_bad_submission_gets_its_errors_and_stores_nothing(
    client, open_edition, settings, submission
):
    before = Application.objects.count()
    files_before = stored_files(settings.TALENTPOOL_UPLOAD_ROOT)

    response = client.post("/talent-pool/apply/", submission)

    assert response.status_code in (200, 302), response.status_code
    stored = Application.objects.count() - before
    if response.status_code == 200:  # the form again, with its errors
        assert stored == 0
        # Documents that passed their checks wait under pending/ for the corrected form
        # (talentpool/kept.py); nothing is filed as an application's document.
        filed = [p for p in stored_files(settings.TALENTPOOL_UPLOAD_ROOT) if KEPT not in p.parts]
        assert filed == [p for p in files_before if KEPT not in p.parts]
    else:
        assert response["Location"].endswith("/talent-pool/apply/thanks/")
        assert stored == 1  # the damage was harmless: a whole application
        Application.objects.all().delete()  # so the next example's email is not a duplicate


@FUZZ
@given(
    reference=st.sampled_from(TRICKY) | st.text(max_size=60),
    email=st.sampled_from(TRICKY) | st.emails() | st.text(max_size=60),
)
def test_a_bad_status_lookup_is_never_a_server_error(client, open_edition, reference, email):
    response = client.post("/talent-pool/status/", {"reference": reference, "email": email})

    assert response.status_code == 200
