"""The "check, then apply" flow every back-office upload shares (core.check_then_apply): the
checked file waits in the database for the user who checked it, until it is applied or
expires. Driven through the season bundle upload, which used to keep it on the local disk."""

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.utils import timezone

from championships.models import Championship
from core.checked_uploads import (
    UploadGone,
    UploadOfAnother,
    checked_upload_keep,
    checked_upload_take,
)
from core.models import CHECKED_UPLOAD_MAX_AGE, CheckedUpload
from tests.factories import bundle_apply, bundle_check


@pytest.fixture
def temp_dir(tmp_path, monkeypatch, settings) -> Path:
    """The machine's temporary folder (Python's and Django's uploads'), empty."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


def same_user_elsewhere(django_user_model) -> Client:
    """The staff client's user on a client of its own, as on another app server: only the
    database is shared."""
    other = Client()
    other.force_login(django_user_model.objects.get(username="admin"))
    return other


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_the_check_keeps_the_upload_in_the_database_and_writes_no_file(
    staff_client, bundle_zip, temp_dir, django_user_model
):
    token = bundle_check(staff_client, bundle_zip).context["token"]

    response = bundle_apply(same_user_elsewhere(django_user_model), token, follow=True)

    assert list(temp_dir.iterdir()) == []
    assert response.redirect_chain[-1][1] == 302
    assert Championship.objects.filter(slug="pcca-2024").exists()
    assert not CheckedUpload.objects.exists()


def test_another_user_cannot_apply_it_and_it_still_waits_for_its_checker(
    staff_client, bundle_zip, django_user_model
):
    token = bundle_check(staff_client, bundle_zip).context["token"]
    other = Client()
    other.force_login(django_user_model.objects.create_superuser("other", "o@x.org", "pw-x"))

    refused = bundle_apply(other, token, follow=True)
    applied = bundle_apply(staff_client, token, follow=True)

    assert "The checked upload has expired; upload the bundle again." in messages_of(refused)
    assert any("Imported pcca-2024" in message for message in messages_of(applied))
    assert Championship.objects.count() == 1


def test_an_expired_upload_is_refused_and_the_next_check_deletes_it(staff_client, bundle_zip):
    token = bundle_check(staff_client, bundle_zip).context["token"]
    too_old = timezone.now() - CHECKED_UPLOAD_MAX_AGE - dt.timedelta(seconds=1)
    CheckedUpload.objects.update(created_at=too_old)

    refused = bundle_apply(staff_client, token, follow=True)
    bundle_check(staff_client, bundle_zip)

    assert "The checked upload has expired; upload the bundle again." in messages_of(refused)
    assert not Championship.objects.exists()
    assert CheckedUpload.objects.get().created_at > too_old


def test_an_upload_is_applied_once(staff_client, bundle_zip):
    token = bundle_check(staff_client, bundle_zip).context["token"]

    bundle_apply(staff_client, token, follow=True)
    again = bundle_apply(staff_client, token, follow=True)

    assert "The checked upload has expired; upload the bundle again." in messages_of(again)


# The service on its own --------------------------------------------------------------------


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("checker")


def keep(user, **fields) -> CheckedUpload:
    return checked_upload_keep(
        kind="test", user=user, file_name="f.csv", content=b"a,b\n", **fields
    )


def take(upload: CheckedUpload | str, user, **fields) -> CheckedUpload:
    upload_id = upload if isinstance(upload, str) else str(upload.pk)
    with transaction.atomic():
        return checked_upload_take(upload_id=upload_id, kind="test", user=user, **fields)


def test_taking_an_upload_hands_back_its_bytes_and_options_and_deletes_it(user):
    kept = keep(user, subject="7", options={"reason": "why"})

    taken = take(kept, user, subject="7")

    assert (taken.data, taken.file_name, taken.options) == (b"a,b\n", "f.csv", {"reason": "why"})
    assert not CheckedUpload.objects.exists()


def test_an_apply_that_fails_leaves_the_upload_waiting(user):
    kept = keep(user)

    with pytest.raises(RuntimeError), transaction.atomic():
        checked_upload_take(upload_id=str(kept.pk), kind="test", user=user)
        raise RuntimeError("the import refused the file")

    assert CheckedUpload.objects.filter(pk=kept.pk).exists()


@pytest.mark.parametrize("upload_id", ["forged", "", "00000000-0000-0000-0000-000000000000"])
def test_a_forged_id_is_refused(user, upload_id):
    keep(user)

    with pytest.raises(UploadGone):
        take(upload_id, user)


def test_an_upload_of_another_kind_or_altered_is_refused(user):
    kept = keep(user)

    with pytest.raises(UploadGone), transaction.atomic():
        checked_upload_take(upload_id=str(kept.pk), kind="other", user=user)
    kept.file.storage.delete(kept.file.name)
    kept.file.storage.save(kept.file.name, ContentFile(b"a,c\n"))
    with pytest.raises(UploadGone):
        take(kept, user)


def test_an_upload_of_another_user_or_for_another_object_is_refused(user, django_user_model):
    kept = keep(user, subject="7")
    stranger = django_user_model.objects.create_user("stranger")

    with pytest.raises(UploadOfAnother):
        take(kept, stranger, subject="7")
    with pytest.raises(UploadOfAnother):
        take(kept, user, subject="8")
    assert CheckedUpload.objects.filter(pk=kept.pk).exists()
