"""POST /api/v1/season-bundles/: the back office's season import, by token."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from championships.models import Championship
from tests.factories import (
    ADD_CHAMPIONSHIP,
    EXAMPLE_SEASON,
    token_client,
    zip_of,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/season-bundles/"
REPLACE = ("championships.change_championship", "championships.delete_championship")


def post(client, body: bytes, query: str = ""):
    return client.post(f"{URL}?{query}", body, content_type="application/zip")


def test_anonymous_cannot_import_a_season(api, db):
    assert post(api, zip_of(EXAMPLE_SEASON)).status_code == 401


def test_staff_without_the_add_permission_get_403(staff):
    client = token_client(staff, "championships.change_championship")

    assert post(client, zip_of(EXAMPLE_SEASON)).status_code == 403
    assert not Championship.objects.exists()


def test_a_dry_run_answers_the_summary_and_writes_nothing(staff):
    response = post(token_client(staff, ADD_CHAMPIONSHIP), zip_of(EXAMPLE_SEASON), "dry_run=1")

    assert response.status_code == 200
    body = response.json()
    assert (body["slug"], body["dry_run"], body["championship_id"]) == ("pcca-2024", True, None)
    assert (body["entries"], body["races"], body["penalties"]) == (18, 16, 3)
    assert body["meeting_previews"][0]["races"][0]["local_start"].endswith("+08:00")
    assert not Championship.objects.exists()


def test_an_import_writes_the_season(staff):
    response = post(token_client(staff, ADD_CHAMPIONSHIP), zip_of(EXAMPLE_SEASON))

    assert response.status_code == 201
    championship = Championship.objects.get(slug="pcca-2024")
    assert response.json()["championship_id"] == championship.pk


def test_a_bundle_can_be_sent_as_a_form_field(staff):
    upload = SimpleUploadedFile("pcca.zip", zip_of(EXAMPLE_SEASON), content_type="application/zip")

    response = token_client(staff, ADD_CHAMPIONSHIP).post(f"{URL}?dry_run=true", {"file": upload})

    assert response.status_code == 200


def test_a_bad_bundle_is_a_400_listing_every_error_with_file_line_and_column(staff):
    entries = (EXAMPLE_SEASON / "entries.csv").read_text().splitlines()
    entries[2] = entries[2].replace(",no,", ",perhaps,", 1)
    results = (EXAMPLE_SEASON / "results" / "R1-1.csv").read_text().replace("1,99,", "1,777,")
    body = zip_of(
        EXAMPLE_SEASON, **{"entries.csv": "\n".join(entries), "results/R1-1.csv": results}
    )

    response = post(token_client(staff, ADD_CHAMPIONSHIP), body)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {(e["file"], e["line"], e["column"]) for e in errors} == {
        ("entries.csv", 3, "guest"),
        ("results/R1-1.csv", 2, "NO"),
    }
    assert not Championship.objects.exists()


def test_not_a_zip_is_a_400(staff):
    response = post(token_client(staff, ADD_CHAMPIONSHIP), b"PK not really")

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "is not a .zip archive"


def test_replacing_needs_change_and_delete_too(staff):
    post(token_client(staff, ADD_CHAMPIONSHIP), zip_of(EXAMPLE_SEASON))

    refused = post(token_client(staff), zip_of(EXAMPLE_SEASON), "replace=1")
    replaced = post(token_client(staff, *REPLACE), zip_of(EXAMPLE_SEASON), "replace=1")

    assert refused.status_code == 403
    assert replaced.status_code == 201 and replaced.json()["replaced"] is True


def test_an_existing_slug_without_replace_is_a_400_naming_the_key(staff):
    client = token_client(staff, ADD_CHAMPIONSHIP)
    post(client, zip_of(EXAMPLE_SEASON))

    response = post(client, zip_of(EXAMPLE_SEASON))

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["file"], error["column"]) == ("championship.toml", "slug")
