"""The selection: status changes with who and when, placements, erasure and retention."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from championships.models import Championship
from demo.talentpool import edition_demo_ensure
from entries.models import Driver, Entry
from talentpool.models import (
    Application,
    ErasureRecord,
    Placement,
    StatusChange,
    TalentPoolEdition,
)
from talentpool.services import (
    PlacementPlan,
    SelectionError,
    add_months,
    application_transition,
    applications_erase,
    applications_purge,
    placements_create,
)
from tests.factories import (
    make_championship,
    make_class,
    make_driver,
    make_edition,
    make_entry,
    make_team,
    stored_files,
    submit,
)

PATH_TO_SELECTED = ["under_review", "shortlisted", "invited", "finalist", "selected"]


@pytest.fixture
def reviewer(django_user_model):
    return django_user_model.objects.create_user("reviewer", email="rev@example.com")


def select(application, by):
    for status in PATH_TO_SELECTED:
        application_transition(application=application, to_status=status, by=by)
    return application


def plan(championship, **fields):
    return PlacementPlan(
        team=fields.get("team") or make_team("Talent Pool Racing"),
        entry_class=fields.get("entry_class") or championship.classes.get(code="PRO"),
        default_category=fields.get("default_category", "SILVER"),
        first_car_number=fields.get("first_car_number", 70),
    )


# --- Status changes --------------------------------------------------------------------------


def test_each_transition_records_who_and_when(edition, reviewer):
    application = select(submit(edition), reviewer)

    changes = list(application.status_changes.values_list("from_status", "to_status", "changed_by"))
    assert changes == [
        ("", "submitted", None),
        ("submitted", "under_review", reviewer.pk),
        ("under_review", "shortlisted", reviewer.pk),
        ("shortlisted", "invited", reviewer.pk),
        ("invited", "finalist", reviewer.pk),
        ("finalist", "selected", reviewer.pk),
    ]
    assert Application.objects.get().status == "selected"
    assert all(c.changed_at for c in StatusChange.objects.all())


def test_a_skipped_step_is_refused_and_nothing_changes(edition, reviewer):
    application = submit(edition)

    with pytest.raises(SelectionError, match="cannot move from Submitted to Selected"):
        application_transition(application=application, to_status="selected", by=reviewer)
    assert Application.objects.get().status == "submitted"
    assert StatusChange.objects.count() == 1


def test_a_transition_may_email_the_applicant(edition, reviewer, mailoutbox):
    application = submit(edition)
    mailoutbox.clear()

    change = application_transition(
        application=application, to_status="under_review", by=reviewer, note="x", notify=True
    )

    (mail,) = mailoutbox
    assert "Under review" in mail.subject and mail.to == ["mei.tan@example.com"]
    assert "x" not in mail.body.split()  # the note stays internal
    change.refresh_from_db()
    assert change.email_sent and change.note == "x"


def test_the_invitation_email_names_the_assessment(edition, reviewer, mailoutbox):
    application = submit(edition)
    for status in ["under_review", "shortlisted"]:
        application_transition(application=application, to_status=status, by=reviewer)

    application_transition(application=application, to_status="invited", by=reviewer, notify=True)

    assert "Sepang International Circuit" in mailoutbox[-1].body


# --- Placement on the grid -------------------------------------------------------------------


def test_selected_applicants_become_drivers_with_scholarship_entries(edition, reviewer):
    first = select(submit(edition), reviewer)
    second = select(
        submit(edition, email="b@example.com", first_name="Ann", fia_category="BRONZE"), reviewer
    )
    championship = edition.championship
    make_entry(championship, car_number=70)

    entries = placements_create(
        applications=[first, second],
        plan=plan(championship, entry_class=championship.classes.get(code="PRO_AM")),
        by=reviewer,
    )

    assert [(e.car_number, e.driver.first_name, e.category) for e in entries] == [
        (71, "Ann", "BRONZE"),
        (72, "Mei", "SILVER"),
    ]
    entry = Entry.objects.get(driver__first_name="Mei")
    assert entry.arrive_and_drive and entry.rookie and not entry.guest
    assert entry.driver.date_of_birth == dt.date(2004, 5, 17) and entry.driver.nationality == "MY"
    placement = Placement.objects.get(application=first)
    assert placement.entry == entry and placement.scholarship and placement.entry_fee_waived
    assert placement.placed_by == reviewer
    assert Championship.objects.get().tables_changed_at > championship.tables_changed_at


def test_a_known_driver_keeps_their_record(edition, reviewer):
    driver = make_driver("Mei", "Tan", date_of_birth=dt.date(2004, 5, 17), category="SILVER")
    make_entry(make_championship(year=2025), driver=driver)

    (entry,) = placements_create(
        applications=[select(submit(edition), reviewer)],
        plan=plan(edition.championship),
        by=reviewer,
    )

    assert entry.driver == driver and not entry.rookie
    assert Driver.objects.count() == 1


def test_placement_refuses_everyone_if_one_is_not_selected(edition, reviewer):
    selected = select(submit(edition), reviewer)
    pending = submit(edition, email="b@example.com", first_name="Ann")

    with pytest.raises(SelectionError) as refused:
        placements_create(
            applications=[selected, pending], plan=plan(edition.championship), by=reviewer
        )

    assert refused.value.problems == [f"{pending.reference} is not selected."]
    assert Entry.objects.count() == 0 and Driver.objects.count() == 0


def test_placement_refuses_a_class_that_does_not_admit_the_category(edition, reviewer):
    application = select(submit(edition), reviewer)

    with pytest.raises(SelectionError, match="Class AM admits BRONZE, not SILVER"):
        placements_create(
            applications=[application],
            plan=plan(
                edition.championship, entry_class=edition.championship.classes.get(code="AM")
            ),
            by=reviewer,
        )
    assert Entry.objects.count() == 0


def test_placement_refuses_a_class_of_another_championship(edition, reviewer):
    other = make_class(make_championship(classes=False), "PRO", ["SILVER"])

    with pytest.raises(SelectionError, match="is not a class of"):
        placements_create(
            applications=[select(submit(edition), reviewer)],
            plan=plan(edition.championship, entry_class=other),
            by=reviewer,
        )


def test_an_applicant_is_placed_only_once(edition, reviewer):
    application = select(submit(edition), reviewer)
    placements_create(applications=[application], plan=plan(edition.championship), by=reviewer)

    with pytest.raises(SelectionError, match="already has an entry"):
        placements_create(applications=[application], plan=plan(edition.championship), by=reviewer)
    assert Entry.objects.count() == 1


# --- Erasure and retention -------------------------------------------------------------------


def test_erasing_an_application_removes_its_files_and_history(
    edition, reviewer, upload_root, django_capture_on_commit_callbacks
):
    application = submit(edition)
    kept = submit(edition, email="b@example.com", first_name="Ann")
    assert len(stored_files(upload_root)) == 6

    with django_capture_on_commit_callbacks(execute=True):
        applications_erase(applications=[application], by=reviewer)

    assert list(Application.objects.all()) == [kept]
    assert StatusChange.objects.filter(application_id=application.pk).count() == 0
    assert len(stored_files(upload_root)) == 3
    assert not (upload_root / "2026" / application.reference).exists()


def test_months_are_added_to_the_last_day_of_shorter_months():
    assert add_months(dt.date(2026, 12, 10), 12) == dt.date(2027, 12, 10)
    assert add_months(dt.date(2027, 3, 31), -1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 1, 15), -13) == dt.date(2025, 12, 15)


def test_the_retention_purge_erases_only_unsuccessful_applications_after_n_months(
    edition, reviewer, upload_root, django_capture_on_commit_callbacks
):
    winner = select(submit(edition), reviewer)
    loser = submit(edition, email="b@example.com", first_name="Ann")
    # The assessment ended on 2026-12-10: 12 months later is 2027-12-10.
    assert applications_purge(today=dt.date(2027, 12, 9), months=12, command="purge") == []

    with django_capture_on_commit_callbacks(execute=True):
        erased = applications_purge(today=dt.date(2027, 12, 10), months=12, command="purge")

    assert erased == [loser.reference]
    assert list(Application.objects.all()) == [winner]
    assert len(stored_files(upload_root)) == 3


def test_the_purge_command_reads_the_retention_setting_and_has_a_dry_run(edition, settings):
    settings.TALENTPOOL_RETENTION_MONTHS = 0
    application = submit(edition)
    TalentPoolEdition.objects.update(
        assessment_starts_on=dt.date(2020, 1, 1), assessment_ends_on=dt.date(2020, 1, 2)
    )
    out = io.StringIO()

    call_command("purge_talentpool", "--dry-run", stdout=out)
    assert (
        "Would erase 1 application kept" in out.getvalue()
        and application.reference in out.getvalue()
    )
    assert Application.objects.count() == 1
    call_command("purge_talentpool", "--months", "1", stdout=out)
    assert Application.objects.count() == 0
    record = ErasureRecord.objects.get()
    assert (record.reference, record.command, record.erased_by) == (
        application.reference,
        "purge_talentpool",
        None,
    )
    assert record.cause == "retention"


# --- Erasure records (issue 14.11) -----------------------------------------------------------


def test_an_erasure_in_the_back_office_records_who_erased_which_reference_and_when(
    edition, reviewer
):
    application = submit(edition)
    before = timezone.now()

    applications_erase(applications=[application], by=reviewer)

    record = ErasureRecord.objects.get()
    assert (record.reference, record.edition_year, record.cause) == (
        application.reference,
        2026,
        "back_office",
    )
    assert (record.erased_by, record.command) == (reviewer, "")
    assert record.erased_at >= before


def test_an_erasure_record_holds_no_personal_data(edition, reviewer):
    application = submit(
        edition,
        first_name="Xiulan",
        last_name="Quennell",
        email="xiulan.quennell@example.com",
        phone="+60 19 876 5432",
        licence_number="MY-LIC-778899",
        date_of_birth=dt.date(2009, 7, 23),
        guardian_name="Hong Quennell",
        guardian_email="hong.q@example.com",
        guardian_consent=True,
        motivation="Unmistakable motivation text",
    )
    personal = [
        "Xiulan",
        "Quennell",
        "xiulan",
        "876 5432",
        "MY-LIC-778899",
        "2009-07-23",
        "Hong",
        "Unmistakable",
    ]

    applications_erase(applications=[application], by=reviewer)

    row = ErasureRecord.objects.values().get()
    assert set(row) == {
        "id",
        "reference",
        "edition_year",
        "cause",
        "erased_by_id",
        "command",
        "erased_at",
    }
    values = " ".join(str(v) for k, v in row.items() if k != "id")
    for datum in personal:
        assert datum not in values, datum


def test_an_erasure_needs_exactly_one_actor(edition, reviewer):
    application = submit(edition)

    with pytest.raises(ValueError, match="either by a staff member or by a command"):
        applications_erase(applications=[application])
    with pytest.raises(ValueError, match="either by a staff member or by a command"):
        applications_erase(applications=[application], by=reviewer, command="purge_talentpool")
    assert Application.objects.count() == 1
    assert ErasureRecord.objects.count() == 0


# --- Demo ------------------------------------------------------------------------------------


def test_the_demo_edition_is_open_today_and_created_once(db):
    make_championship("pcca-2024")

    first = edition_demo_ensure(championship_slug="pcca-2024")
    again = edition_demo_ensure(championship_slug="pcca-2024")

    edition = TalentPoolEdition.objects.get()
    assert "created" in first and "left as it is" in again
    assert edition.is_open(timezone.now())
    assert edition.min_age == 16 and edition.max_age == 26


def test_a_closed_demo_edition_of_this_year_is_reopened(db):
    championship = make_championship("pcca-2024")
    make_edition(
        championship,
        year=timezone.localdate().year,
        opens_at=timezone.now() - dt.timedelta(days=90),
        closes_at=timezone.now() - dt.timedelta(days=1),
    )

    assert "reopened" in edition_demo_ensure(championship_slug="pcca-2024")
    assert TalentPoolEdition.objects.get().is_open(timezone.now())
