"""The FIA category revision import: its dry run, its write, and files it refuses."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from championships.bundle import BundleError
from entries.fia_categories import fia_category_revision_import
from entries.models import Driver, EligibilityFlag
from tests.factories import (
    make_championship,
    make_classification,
    make_driver,
    make_entry,
    recorded,
)

HEADER = "driver,category,effective_date,source,published_on,note\n"
REVISION = HEADER + (
    "anna-berg,BRONZE,2025-01-01,FIA_LIST,2024-11-20,\n"
    "ben-chen,GOLD,2025-01-01,FIA_LIST,2024-11-20,\n"
    "cai-dong,GOLD,2025-01-01,FIA_LIST,2024-11-20,\n"
    "dan-ek,bronze,2025-01-01,fia_list,,unchanged category\n"
)


@pytest.fixture
def season(db):
    """Four drivers; three of them entered in 2025 (and Anna in 2024 too)."""
    championship = make_championship(year=2025)
    drivers = {
        "anna": make_driver("Anna", "Berg", category="GOLD", date_of_birth=dt.date(1990, 1, 1)),
        "ben": make_driver("Ben", "Chen", category="SILVER", date_of_birth=dt.date(1995, 1, 1)),
        "cai": make_driver("Cai", "Dong", category="SILVER", date_of_birth=dt.date(2001, 1, 1)),
        "dan": make_driver("Dan", "Ek", category="BRONZE", date_of_birth=dt.date(1970, 1, 1)),
    }
    entries = {
        "anna": make_entry(championship, 1, driver=drivers["anna"], class_code="PRO"),
        "ben": make_entry(championship, 2, driver=drivers["ben"], class_code="PRO_AM"),
        "cai": make_entry(championship, 3, driver=drivers["cai"], class_code="PRO"),
        "anna-2024": make_entry(make_championship(year=2024), 1, driver=drivers["anna"]),
    }
    return drivers, entries


def run(text: str, **options):
    return fia_category_revision_import(text.encode(), **options)


def test_the_dry_run_lists_who_moves_up_or_down_and_the_entries_affected(season):
    summary = run(REVISION, dry_run=True)

    moves = {c.spec.driver.first_name: (c.before, c.spec.category, c.move) for c in summary.changes}
    assert moves == {
        "Anna": ("GOLD", "BRONZE", "down"),
        "Ben": ("SILVER", "GOLD", "up"),
        "Cai": ("SILVER", "GOLD", "up"),
        "Dan": ("BRONZE", "BRONZE", "same"),
    }
    impacts = {
        c.spec.driver.first_name: [(i.entry.car_number, i.problem) for i in c.impacts]
        for c in summary.changes
    }
    assert impacts == {
        "Anna": [(1, "Class PRO admits PLATINUM, GOLD, SILVER, not BRONZE.")],
        "Ben": [(2, "Class PRO_AM admits SILVER, BRONZE, not GOLD.")],
        "Cai": [(3, None)],
        "Dan": [],
    }
    assert [c.spec.driver.first_name for c in summary.moves_down] == ["Anna"]
    assert summary.flagged_count == 2


def test_the_dry_run_writes_nothing(season):
    run(REVISION, dry_run=True)

    assert not recorded().exists()
    assert not EligibilityFlag.objects.exists()
    assert Driver.objects.get(slug="anna-berg").category_on(dt.date(2025, 1, 2)) == "GOLD"


def test_the_import_records_every_row_and_flags_the_entries_that_no_longer_fit(season):
    drivers, entries = season

    summary = run(REVISION)

    assert recorded().count() == 4
    flagged = EligibilityFlag.objects.order_by("entry__car_number")
    assert [(f.entry, f.classification.category) for f in flagged] == [
        (entries["anna"], "BRONZE"),
        (entries["ben"], "GOLD"),
    ]
    assert summary.flagged_count == 2 and not summary.dry_run


def test_the_import_changes_no_entry_and_the_new_categories_are_in_force_from_their_day(season):
    drivers, entries = season

    run(REVISION)

    entries["anna"].refresh_from_db()
    assert (entries["anna"].entry_class.code, entries["anna"].category) == ("PRO", "GOLD")
    assert drivers["anna"].category_on(dt.date(2025, 1, 2)) == "BRONZE"


def test_the_note_and_publication_day_are_kept(season):
    run(REVISION)

    dan = recorded().get(driver__first_name="Dan")
    anna = recorded().get(driver__first_name="Anna")
    assert (dan.note, dan.source, dan.published_on) == ("unchanged category", "FIA_LIST", None)
    assert anna.published_on == dt.date(2024, 11, 20)


def test_a_row_recorded_already_is_left_as_it_is(season):
    run(REVISION)

    summary = run(REVISION)

    assert summary.changes == [] and summary.unchanged == [2, 3, 4, 5]
    assert recorded().count() == 4


def test_every_problem_is_reported_with_its_line_and_column_and_nothing_is_written(season):
    text = HEADER + (
        "anna-berg,BRONZE,2025-01-01,FIA_LIST,,\n"
        "nobody-1999,GOLD,2025-01-01,FIA_LIST,,\n"
        "ben-chen,WOOD,2025-01-01,FIA_LIST,,\n"
        "cai-dong,GOLD,2025-13-01,FIA_LIST,,\n"
        "dan-ek,GOLD,2025-01-01,RUMOUR,,\n"
        "anna-berg,SILVER,2025-01-01,FIA_LIST,,\n"
    )

    with pytest.raises(BundleError) as error:
        run(text, file_name="fia-2025.csv")

    assert [str(issue) for issue in error.value.issues] == [
        "fia-2025.csv, line 3, column driver: expected a driver's slug, not 'nobody-1999'",
        "fia-2025.csv, line 4, column category: expected a driver category: "
        "PLATINUM, GOLD, SILVER, BRONZE, not 'WOOD'",
        "fia-2025.csv, line 5, column effective_date: expected a date YYYY-MM-DD "
        "from 1900 to 2999, not '2025-13-01'",
        "fia-2025.csv, line 6, column source: expected a source: FIA_LIST, FIA_REVIEW, "
        "SERIES, not 'RUMOUR'",
        "fia-2025.csv, line 7, column effective_date: anna-berg has a FIA_LIST row for "
        "2025-01-01 on line 2",
    ]
    assert not recorded().exists()
    assert not EligibilityFlag.objects.exists()


def test_a_row_that_contradicts_a_recorded_classification_is_refused(season):
    drivers, _ = season
    make_classification(drivers["anna"], "SILVER", dt.date(2025, 1, 1))

    with pytest.raises(BundleError) as error:
        run(REVISION)

    assert [str(issue) for issue in error.value.issues] == [
        "revision.csv, line 2, column category: anna-berg is recorded as SILVER from "
        "2025-01-01 by FIA_LIST already; record a correction as a review or series decision"
    ]
    assert recorded().count() == 1


def test_a_header_without_a_required_column_is_reported_on_line_1(season):
    with pytest.raises(BundleError) as error:
        run("driver,category,source\nanna-berg,BRONZE,FIA_LIST\n")

    assert [str(issue) for issue in error.value.issues] == [
        "revision.csv, line 1, column effective_date: is missing from the header; expected "
        "driver, category, effective_date, source, published_on, note"
    ]


def test_a_file_that_is_not_utf8_is_refused(season):
    with pytest.raises(BundleError) as error:
        fia_category_revision_import(HEADER.encode() + "Åsa,GOLD\n".encode("latin-1"))

    assert "line 2: is not UTF-8" in str(error.value.issues[0])


def test_a_file_without_rows_is_refused(season):
    with pytest.raises(BundleError) as error:
        run(HEADER)

    assert [str(issue) for issue in error.value.issues] == [
        "revision.csv: has no classification rows"
    ]


def test_a_later_row_for_the_same_driver_moves_from_the_earlier_one(season):
    text = HEADER + (
        "ben-chen,GOLD,2025-01-01,FIA_LIST,,\nben-chen,PLATINUM,2025-07-01,FIA_REVIEW,,\n"
    )

    summary = run(text, dry_run=True)

    assert [(c.before, c.spec.category) for c in summary.changes] == [
        ("SILVER", "GOLD"),
        ("GOLD", "PLATINUM"),
    ]


# --- The command and the back office share the import --------------------------------------


def test_the_command_dry_run_prints_the_moves_and_writes_nothing(season, tmp_path, capsys):
    path = tmp_path / "fia-2025.csv"
    path.write_text(REVISION)

    call_command("import_classifications", str(path), "--dry-run")

    out = capsys.readouterr().out
    assert "line 2: Anna Berg GOLD -> BRONZE (down) from 2025-01-01 [FIA_LIST]" in out
    assert "FLAGGED: Class PRO admits PLATINUM, GOLD, SILVER, not BRONZE." in out
    assert "Dry run, nothing written." in out
    assert not recorded().exists()


def test_the_command_reports_each_problem_on_stderr(season, tmp_path, capsys):
    path = tmp_path / "fia-2025.csv"
    path.write_text(HEADER + "nobody-1999,GOLD,2025-01-01,FIA_LIST,,\n")

    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_classifications", str(path))

    err = capsys.readouterr().err
    assert "fia-2025.csv, line 2, column driver: expected a driver's slug" in err


def upload(client, text: str):
    url = reverse("admin:entries_driverclassification_import")
    file = SimpleUploadedFile("fia-2025.csv", text.encode(), content_type="text/csv")
    return client.post(url, {"revision": file, "preview": "1"})


def test_the_admin_upload_shows_the_dry_run_then_applies_it(season, staff_client):
    preview = upload(staff_client, REVISION)

    assert preview.status_code == 200
    assert "Class PRO_AM admits SILVER, BRONZE, not GOLD." in preview.content.decode()
    assert not recorded().exists()
    token = preview.context["token"]

    applied = staff_client.post(
        reverse("admin:entries_driverclassification_import"), {"token": token, "apply": "1"}
    )

    assert applied.status_code == 302
    assert recorded().count() == 4
    assert EligibilityFlag.objects.count() == 2


def test_the_admin_upload_lists_every_problem(season, staff_client):
    response = upload(staff_client, HEADER + "nobody-1999,WOOD,2025-01-01,FIA_LIST,,\n")

    issues = [str(issue) for issue in response.context["issues"]]
    assert issues == [
        "fia-2025.csv, line 2, column category: expected a driver category: "
        "PLATINUM, GOLD, SILVER, BRONZE, not 'WOOD'"
    ]
    assert "nothing was imported" in response.content.decode()


def test_a_forged_token_imports_nothing(season, staff_client):
    response = staff_client.post(
        reverse("admin:entries_driverclassification_import"), {"token": "forged", "apply": "1"}
    )

    assert response.status_code == 302
    assert not recorded().exists()


def test_another_users_token_imports_nothing(season, staff_client, django_user_model, client):
    token = upload(staff_client, REVISION).context["token"]
    other = django_user_model.objects.create_superuser("other", "o@example.com", "pw-for-tests")
    client.force_login(other)

    response = client.post(
        reverse("admin:entries_driverclassification_import"), {"token": token, "apply": "1"}
    )

    assert response.status_code == 302
    assert not recorded().exists()
