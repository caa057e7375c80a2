"""Documents kept across a refused submission (issue 14.13): the applicant corrects the form
without attaching the documents again; the files stay private and go away."""

import os
import re
import time

import pytest
from django.core import signing
from django.core.management import call_command

from talentpool.kept import KEPT_MAX_AGE, KEPT_SALT
from talentpool.models import Application
from tests.factories import documents, form_data, pdf_file, stored_files

APPLY = "/talent-pool/apply/"


def tokens(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="(\w+)_kept" value="([^"]+)"', html))


def pending(root) -> list:
    return [p for p in stored_files(root) if p.parent.name == "pending"]


def refused(client, **files):
    """A submission refused for its phone number, with the documents given."""
    data = {**form_data(phone="call me"), **documents(**files)}
    return client.post(APPLY, data)


def test_a_refused_submission_keeps_its_documents_privately(client, edition, upload_root):
    response = refused(client, cv=pdf_file("My CV.pdf"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Already attached: My CV.pdf" in html
    assert set(tokens(html)) == {"cv", "licence_scan", "photo"}
    assert len(pending(upload_root)) == 3
    assert Application.objects.count() == 0
    # No address of the file and not its stored name: only the signed token reaches the page.
    for path in pending(upload_root):
        assert path.name not in html
    assert "/pending/" not in html


def test_a_kept_document_is_not_asked_for_again_by_the_browser(client, edition):
    html = refused(client).content.decode()

    cv_input = re.search(r'<input type="file" name="cv"[^>]*>', html).group(0)
    assert "required" not in cv_input


def test_the_corrected_form_is_received_with_the_kept_documents(client, edition, upload_root):
    kept = tokens(refused(client).content.decode())

    response = client.post(APPLY, {**form_data(), **{f"{f}_kept": t for f, t in kept.items()}})

    assert response.status_code == 302
    application = Application.objects.get()
    assert application.cv.name.endswith(".pdf") and application.photo.name.endswith(".png")
    assert application.cv.read().startswith(b"%PDF-")
    assert pending(upload_root) == []
    assert len(stored_files(upload_root)) == 3


def test_a_newly_chosen_file_replaces_the_kept_one(client, edition):
    kept = tokens(refused(client).content.decode())
    new_cv = pdf_file(content=b"%PDF-1.7\nthe new one\n%%EOF\n")

    data = {**form_data(), **{f"{f}_kept": t for f, t in kept.items()}, "cv": new_cv}
    client.post(APPLY, data)

    assert b"the new one" in Application.objects.get().cv.read()


def test_a_refused_document_is_not_kept(client, edition, upload_root):
    html = refused(client, cv=pdf_file(content=b"not a pdf")).content.decode()

    assert set(tokens(html)) == {"licence_scan", "photo"}
    assert len(pending(upload_root)) == 2


@pytest.mark.parametrize(
    "token",
    [
        "forged",
        signing.dumps({"field": "cv", "name": "../../etc/passwd"}, salt=KEPT_SALT),
        signing.dumps({"field": "cv", "name": "pending/x.pdf"}, salt="another.salt"),
    ],
    ids=["forged", "outside-pending", "other-salt"],
)
def test_a_token_not_signed_for_a_kept_file_gives_nothing(client, edition, token):
    data = {**form_data(), **documents(), "cv_kept": token}
    del data["cv"]

    response = client.post(APPLY, data)

    assert response.context["form"].errors["cv"] == ["This field is required."]


def test_a_token_for_one_field_does_not_fill_another(client, edition):
    kept = tokens(refused(client).content.decode())
    data = {**form_data(), **documents(), "cv_kept": kept["photo"]}
    del data["cv"]

    response = client.post(APPLY, data)

    assert response.context["form"].errors["cv"] == ["This field is required."]


def test_an_expired_token_gives_nothing(client, edition, monkeypatch):
    kept = tokens(refused(client).content.decode())
    later = time.time() + KEPT_MAX_AGE + 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    data = {**form_data(), **documents(), "cv_kept": kept["cv"]}
    del data["cv"]

    response = client.post(APPLY, data)

    assert response.context["form"].errors["cv"] == ["This field is required."]


def test_the_purge_deletes_kept_documents_left_behind(client, edition, upload_root):
    refused(client)
    old, *recent = pending(upload_root)
    stale = time.time() - KEPT_MAX_AGE - 60
    os.utime(old, (stale, stale))

    call_command("purge_talentpool", stdout=open(os.devnull, "w"))

    assert pending(upload_root) == recent
