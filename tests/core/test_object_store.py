"""Documents in an S3-compatible object store (SeaweedFS, as in CI): the Talent Pool's and the
entrants' documents, the notice board's PDFs and the checked uploads are written and read as
objects; deletion, erasure and retention remove them (seen by listing the bucket); while the
store is away an upload fails with a clear message and writes nothing, pages that need no
document keep working, and the service comes back by itself when the store does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from championships.board import board_publish
from championships.models import BoardKind, Championship, Issuer
from core.checked_uploads import checked_upload_keep
from core.models import CheckedUpload
from core.object_store import PrivateObjectStorage, storages_for
from paddock.models import DriverDocument
from paddock.services.documents import document_delete
from talentpool.kept import upload_keep, upload_keep_purge
from talentpool.models import Application, TalentPoolEdition
from talentpool.services import applications_erase, applications_purge
from tests import factories
from tests.factories import PDF, Relay, bundle_apply, bundle_check, documents, form_data, pdf_file
from tests.paddock.factories import (
    entrant_client,
    make_entrant_driver,
    make_entrant_team,
    manager_of,
)

pytestmark = pytest.mark.django_db

APPLY = "/talent-pool/apply/"
UNAVAILABLE = "Documents cannot be stored or read just now."


def document_url(application: Application, field: str) -> str:
    return f"/admin/talentpool/application/{application.pk}/document/{field}/"


def stored(application: Application) -> list[str]:
    return sorted(
        f"talentpool/{getattr(application, field).name}"
        for field in ("cv", "licence_scan", "photo")
    )


# The configuration ---------------------------------------------------------------------------


def test_the_object_store_url_puts_each_storage_under_its_prefix_of_one_bucket():
    found = storages_for(
        "s3://docs/cup?endpoint=http://store:9000&region=ap-southeast-1",
        {"talentpool": "talentpool", "board": "board"},
    )

    assert found["talentpool"] == {
        "BACKEND": "core.object_store.PrivateObjectStorage",
        "OPTIONS": {
            "bucket_name": "docs",
            "endpoint_url": "http://store:9000",
            "region_name": "ap-southeast-1",
            "location": "cup/talentpool",
        },
    }
    assert found["board"]["OPTIONS"]["location"] == "cup/board"
    assert storages_for("s3://docs", {"board": "board"})["board"]["OPTIONS"]["location"] == "board"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://docs.example.com/cup", "must look like s3://BUCKET/PREFIX"),
        ("s3:///cup", "must look like s3://BUCKET/PREFIX"),
        ("s3://docs?endpoint=http://store&acl=public-read", "unknown parameter 'acl'"),
    ],
)
def test_an_object_store_url_that_cannot_be_read_is_refused_saying_why(url, problem):
    with pytest.raises(ImproperlyConfigured, match=problem):
        storages_for(url, {"board": "board"})


def test_objects_have_no_url_and_are_never_public():
    storage = PrivateObjectStorage(bucket_name="docs", endpoint_url="http://127.0.0.1:1")

    with pytest.raises(ValueError, match="no public URL"):
        storage.url("talentpool/2027/cv.pdf")
    assert storage.default_acl is None and storage.file_overwrite is False


# Documents as objects --------------------------------------------------------------------------


def test_an_application_stores_its_documents_as_objects_streamed_to_reviewers(
    client, staff_client, edition, object_store_bucket
):
    response = client.post(APPLY, {**form_data(), **documents()})

    assert response.status_code == 302
    application = Application.objects.get()
    assert object_store_bucket.keys("talentpool") == stored(application)
    assert object_store_bucket.read(f"talentpool/{application.cv.name}") == PDF
    download = staff_client.get(document_url(application, "cv"))
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"


def test_erasing_an_application_deletes_its_objects(
    edition, object_store_bucket, django_capture_on_commit_callbacks
):
    erased = factories.submit(edition)
    kept = factories.submit(edition, email="ann@example.com", first_name="Ann")
    assert len(object_store_bucket.keys("talentpool")) == 6

    with django_capture_on_commit_callbacks(execute=True):
        applications_erase(applications=[erased], command="test")

    assert object_store_bucket.keys("talentpool") == stored(kept)


def test_the_retention_purge_deletes_the_objects_of_the_applications_it_erases(
    edition, object_store_bucket, django_capture_on_commit_callbacks
):
    factories.submit(edition)
    TalentPoolEdition.objects.update(
        assessment_starts_on=dt.date(2020, 1, 1), assessment_ends_on=dt.date(2020, 1, 2)
    )

    with django_capture_on_commit_callbacks(execute=True):
        erased = applications_purge(today=dt.date(2026, 12, 7), months=12, command="purge")

    assert len(erased) == 1
    assert object_store_bucket.keys("talentpool") == []


def test_documents_kept_across_a_refused_submission_are_purged_from_the_bucket(
    object_store_bucket,
):
    upload_keep("cv", pdf_file())
    assert len(object_store_bucket.keys("talentpool/pending")) == 1

    assert upload_keep_purge(now=timezone.now()) == 0
    assert upload_keep_purge(now=timezone.now() + dt.timedelta(hours=3)) == 1
    assert object_store_bucket.keys("talentpool") == []


def test_an_entrants_document_is_an_object_streamed_to_its_team_and_deleted_with_it(
    object_store_bucket, django_capture_on_commit_callbacks
):
    team = make_entrant_team("Red Lion Racing")
    driver = make_entrant_driver(team, "Mia", last_name="Tan")
    manager = entrant_client(manager_of(team))
    posted = manager.post(
        reverse("paddock:document-add", args=[driver.pk]),
        {
            "kind": "LICENCE",
            "file": pdf_file("licence.pdf"),
            "grade": "International C",
            "issued_by": "AAM",
            "number": "MY-123",
            "expires_on": (timezone.localdate() + dt.timedelta(days=365)).isoformat(),
        },
    )
    assert posted.status_code == 302
    document = DriverDocument.objects.get()
    assert object_store_bucket.keys("paddock") == [f"paddock/{document.file.name}"]

    download = manager.get(reverse("paddock:document", args=[document.pk]))
    assert b"".join(download.streaming_content) == PDF

    with django_capture_on_commit_callbacks(execute=True):
        document_delete(document=document)
    assert object_store_bucket.keys("paddock") == []


def test_a_notice_board_pdf_is_an_object_served_with_its_checksum(
    client, object_store_bucket, django_capture_on_commit_callbacks
):
    championship = factories.make_championship("pcca-store")
    meeting = factories.make_meeting(championship)
    with django_capture_on_commit_callbacks(execute=True):
        document = board_publish(
            meeting=meeting,
            kind=BoardKind.BULLETIN,
            title_en="Bulletin 1",
            issued_by=Issuer.RACE_DIRECTOR,
            pdf=PDF,
        )
    edition = document.editions.get()
    assert object_store_bucket.keys("board") == [f"board/{edition.file.name}"]

    response = client.get(
        reverse("championships:board-pdf", args=[championship.slug, 1, document.number, "en"])
    )
    assert b"".join(response.streaming_content) == PDF
    assert response["ETag"] == f'"{edition.sha256}"'


def test_a_checked_upload_waits_as_an_object_and_goes_once_applied_on_another_server(
    staff_client,
    bundle_zip,
    object_store_bucket,
    django_user_model,
    django_capture_on_commit_callbacks,
):
    token = bundle_check(staff_client, bundle_zip).context["token"]
    assert object_store_bucket.keys("uploads") == [f"uploads/{token}.upload"]
    assert object_store_bucket.read(f"uploads/{token}.upload") == bundle_zip

    elsewhere = Client()  # the same user on another app server: only the stores are shared
    elsewhere.force_login(django_user_model.objects.get(username="admin"))
    with django_capture_on_commit_callbacks(execute=True):
        bundle_apply(elsewhere, token)

    assert Championship.objects.filter(slug="pcca-2024").exists()
    assert object_store_bucket.keys("uploads") == []


def test_expired_checked_uploads_leave_the_bucket_at_the_next_check(
    object_store_bucket, django_user_model, django_capture_on_commit_callbacks
):
    user = django_user_model.objects.create_user("checker")
    old = checked_upload_keep(kind="test", user=user, file_name="a.csv", content=b"a\n")
    CheckedUpload.objects.update(created_at=timezone.now() - dt.timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        new = checked_upload_keep(kind="test", user=user, file_name="b.csv", content=b"b\n")

    assert old.file.name != new.file.name
    assert object_store_bucket.keys("uploads") == [f"uploads/{new.file.name}"]


# The store away ------------------------------------------------------------------------------


@pytest.fixture
def store_relay(settings, s3_endpoint, object_store_bucket):
    """Every document storage reached through a relay the test closes and reopens."""
    host, port = s3_endpoint.removeprefix("http://").split(":")
    relay = Relay((host, int(port)))
    relay.open()
    settings.STORAGES = {
        **settings.STORAGES,
        **object_store_bucket.storages(f"http://127.0.0.1:{relay.port}"),
    }
    yield relay
    relay.close()


def test_with_the_store_away_an_application_fails_clearly_writes_nothing_and_then_succeeds(
    client, edition, object_store_bucket, store_relay
):
    factories.make_championship("pcca-open")
    store_relay.close()

    refused = client.post(APPLY, {**form_data(), **documents()})
    other_page = client.get("/")

    assert refused.status_code == 503
    assert UNAVAILABLE in refused.content.decode()
    assert "Nothing you sent was saved" in refused.content.decode()
    assert refused["Retry-After"]
    assert Application.objects.count() == 0
    assert other_page.status_code == 200

    store_relay.open()  # the store is back: the same process serves again, nothing restarted
    accepted = client.post(APPLY, {**form_data(), **documents()})

    assert accepted.status_code == 302
    application = Application.objects.get()
    assert object_store_bucket.keys("talentpool") == stored(application)


def test_with_the_store_away_a_document_download_is_a_503_that_says_why(
    staff_client, edition, object_store_bucket, store_relay
):
    application = factories.submit(edition)
    store_relay.close()

    response = staff_client.get(document_url(application, "cv"))

    assert response.status_code == 503
    assert UNAVAILABLE in response.content.decode()


def test_with_the_store_away_a_check_keeps_no_upload(
    staff_client, bundle_zip, object_store_bucket, store_relay
):
    store_relay.close()

    response = bundle_check(staff_client, bundle_zip)

    assert response.status_code == 503
    assert not CheckedUpload.objects.exists()
    store_relay.open()
    assert object_store_bucket.keys() == []


def test_an_erasure_with_the_store_away_deletes_the_objects_once_it_is_back(
    edition, object_store_bucket, store_relay, task_queue, django_capture_on_commit_callbacks
):
    application = factories.submit(edition)
    store_relay.close()

    with django_capture_on_commit_callbacks(execute=True):
        applications_erase(applications=[application], command="test")

    assert not Application.objects.exists()  # erased: the rows go at once
    retries = task_queue.scheduled()
    assert sorted(task.name for task in retries) == ["file_delete"] * 3
    store_relay.open()
    for retry in retries:
        task_queue.storage.flush_schedule()
        retry.eta = None
        task_queue.execute(retry)  # the worker, a minute later
    assert object_store_bucket.keys("talentpool") == []


def test_a_document_missing_from_the_bucket_is_not_found(
    staff_client, edition, object_store_bucket
):
    application = factories.submit(edition)
    application.cv.storage.delete(application.cv.name)

    assert staff_client.get(document_url(application, "cv")).status_code == 404
