"""The back office's season bundle import (dry run, then apply) and export download.

The flow every upload shares (kept in the database, for its checker only, until it expires)
is tested in tests/core/test_check_then_apply.py."""

import io
import zipfile
from pathlib import Path

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.urls import reverse

from championships.bundle import season_import
from championships.models import Championship, Result
from core.models import CheckedUpload
from entries.models import Driver
from tests.factories import BUNDLE_IMPORT_URL, bundle_apply, bundle_check, zip_of


def staff_with(django_user_model, client, *codenames: str):
    user = django_user_model.objects.create_user("manager", password="pw-for-tests", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return client


def test_the_change_list_links_to_the_import(staff_client):
    response = staff_client.get(reverse("admin:championships_championship_changelist"))

    assert response.status_code == 200
    assert reverse(BUNDLE_IMPORT_URL) in response.content.decode()
    assert "Import season bundle" in response.content.decode()


def test_the_import_page_labels_every_field(staff_client):
    response = staff_client.get(reverse(BUNDLE_IMPORT_URL))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_bundle">' in page
    assert '<label for="id_replace">' in page
    assert 'enctype="multipart/form-data"' in page
    assert "admin/base_site.html" in [t.name for t in response.templates]


def test_checking_an_upload_shows_the_dry_run_and_writes_nothing(staff_client, bundle_zip):
    response = bundle_check(staff_client, bundle_zip)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Dry run" in page and "Apply import" in page
    assert "7 meetings, 16 races, 8 of them with results" in page
    assert "Shanghai International Circuit (CN)" in page
    assert "Race 1: 2024-04-20 10:35, 18 results" in page
    assert "Cyril Dubois (new)" in page
    assert not Championship.objects.exists()
    assert CheckedUpload.objects.get().data == bundle_zip


def test_applying_imports_the_checked_upload(staff_client, bundle_zip):
    checked = bundle_check(staff_client, bundle_zip)

    response = bundle_apply(staff_client, checked.context["token"])

    championship = Championship.objects.get(slug="pcca-2024")
    assert response.status_code == 302
    assert response.url == reverse(
        "admin:championships_championship_change", args=[championship.pk]
    )
    assert Result.objects.count() == 138
    assert not CheckedUpload.objects.exists()  # the kept upload is gone
    assert LogEntry.objects.get().object_id == str(championship.pk)
    follow = staff_client.get(response.url)
    assert "Imported pcca-2024" in follow.content.decode()


def test_a_bad_upload_lists_every_problem(staff_client, example_season_path, tmp_path):
    bad = Path(tmp_path / "bad")
    for path in example_season_path.rglob("*"):
        if path.is_file():
            target = bad / path.relative_to(example_season_path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    entries = bad / "entries.csv"
    entries.write_text(entries.read_text().replace("Harbour Racing,PRO,", "Harbour Racing,AM,", 1))
    (bad / "results" / "R1-1.csv").write_text("POS,NO\n1,55\n")

    response = bundle_check(staff_client, zip_of(bad))

    page = response.content.decode()
    assert "The bundle has 2 problems; nothing was imported." in page
    assert "entries.csv, line 2, column class: Class AM admits BRONZE, not GOLD." in page
    assert "results/R1-1.csv, line 1, column LAPS: is missing from the header" in page
    assert 'role="alert"' in page
    assert not Championship.objects.exists()


def test_an_upload_that_is_not_a_zip_is_reported(staff_client):
    response = bundle_check(staff_client, b"round,race\n")

    assert "pcca-2024.zip: is not a .zip archive" in response.content.decode()


def test_an_existing_slug_is_refused_unless_replace_is_ticked(
    staff_client, bundle_zip, example_season_path
):
    season_import(example_season_path)

    refused = bundle_check(staff_client, bundle_zip)
    checked = bundle_check(staff_client, bundle_zip, replace="on")
    applied = bundle_apply(staff_client, checked.context["token"])

    assert "pcca-2024 exists already" in refused.content.decode()
    assert "Replace the championship pcca-2024" in checked.content.decode()
    assert applied.status_code == 302
    assert Championship.objects.count() == 1
    assert Driver.objects.count() == 18


def test_a_forged_or_foreign_token_imports_nothing(
    staff_client, bundle_zip, django_user_model, client
):
    checked = bundle_check(staff_client, bundle_zip)
    forged = bundle_apply(staff_client, "forged")
    other = django_user_model.objects.create_superuser("other", "o@example.com", "pw-for-tests")
    client.force_login(other)

    foreign = bundle_apply(client, checked.context["token"])

    assert forged.status_code == foreign.status_code == 302
    assert forged.url == foreign.url == reverse(BUNDLE_IMPORT_URL)
    assert not Championship.objects.exists()


def test_a_kept_upload_that_changed_is_not_applied(staff_client, bundle_zip):
    checked = bundle_check(staff_client, bundle_zip)
    kept = CheckedUpload.objects.get()
    kept.file.storage.delete(kept.file.name)
    kept.file.storage.save(kept.file.name, ContentFile(b"something else"))

    response = bundle_apply(staff_client, checked.context["token"])

    assert response.status_code == 302
    assert not Championship.objects.exists()


def test_staff_who_may_not_add_championships_cannot_import(
    db, client, django_user_model, bundle_zip
):
    staff_with(django_user_model, client, "view_championship")

    assert client.get(reverse(BUNDLE_IMPORT_URL)).status_code == 403
    assert bundle_check(client, bundle_zip).status_code == 403


def test_replacing_needs_the_right_to_change_and_delete(
    db, client, django_user_model, bundle_zip, example_season_path
):
    season_import(example_season_path)
    staff_with(django_user_model, client, "view_championship", "add_championship")

    response = bundle_check(client, bundle_zip, replace="on")

    assert "You may not replace championships." in response.content.decode()
    assert not CheckedUpload.objects.exists()


def test_the_change_form_offers_the_export_which_downloads_the_bundle(
    staff_client, example_season_path
):
    championship = Championship.objects.get(pk=season_import(example_season_path).championship_id)
    export_url = reverse("admin:championships_championship_export_bundle", args=[championship.pk])

    form = staff_client.get(
        reverse("admin:championships_championship_change", args=[championship.pk])
    )
    response = staff_client.get(export_url)

    assert export_url in form.content.decode()
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="pcca-2024.zip"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert "pcca-2024/results/R1-1.csv" in archive.namelist()


def test_the_export_of_an_unknown_championship_is_not_found(staff_client):
    url = reverse("admin:championships_championship_export_bundle", args=[999])

    assert staff_client.get(url).status_code == 404


def test_the_export_needs_the_right_to_view(db, client, django_user_model, example_season_path):
    summary = season_import(example_season_path)
    staff_with(django_user_model, client, "view_series")
    url = reverse("admin:championships_championship_export_bundle", args=[summary.championship_id])

    assert client.get(url).status_code == 403


def test_the_export_action_downloads_the_selected_championships(
    staff_client, example_season_path, tmp_path
):
    first = season_import(example_season_path).championship_id
    toml = (example_season_path / "championship.toml").read_text()
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in example_season_path.rglob("*"):
        if path.is_file():
            (copy / path.relative_to(example_season_path)).parent.mkdir(exist_ok=True)
            (copy / path.relative_to(example_season_path)).write_bytes(path.read_bytes())
    (copy / "championship.toml").write_text(toml.replace("pcca-2024", "pcca-2024-b"))
    second = season_import(copy).championship_id
    changelist = reverse("admin:championships_championship_changelist")

    one = staff_client.post(
        changelist, {"action": "export_season_bundles", "_selected_action": [first]}
    )
    both = staff_client.post(
        changelist, {"action": "export_season_bundles", "_selected_action": [first, second]}
    )

    assert one["Content-Disposition"] == 'attachment; filename="pcca-2024.zip"'
    with zipfile.ZipFile(io.BytesIO(both.content)) as archive:
        assert sorted(archive.namelist()) == ["pcca-2024-b.zip", "pcca-2024.zip"]
