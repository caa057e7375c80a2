"""Issue 14.9 and 14.15: classification versions are never deleted. A race whose classification
has versions (declared final or amended, or published provisional) is not deleted by the back
office, alone, with its round or with its championship, and the database protects it too; a
replaced season's versions are archived, still readable; the dry run of a replacement meets
every refusal the apply would meet."""

import datetime as dt
import shutil
from decimal import Decimal

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from championships.bundle import BundleError, season_import
from championships.models import (
    Championship,
    ClassificationState,
    ClassificationVersion,
    Meeting,
    Race,
)
from championships.services import classification_declare
from entries.models import DamageReport
from talentpool.models import Placement
from tests.factories import (
    EXAMPLE_SEASON,
    get_race,
    make_car,
    make_championship,
    make_edition,
    make_entry,
    make_meeting,
    make_race,
    make_result,
    management_form,
    submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def final_race() -> Race:
    championship = make_championship("kept-cup")
    race = make_race(make_meeting(championship))
    make_result(race, make_entry(championship, 7), position=1)
    classification_declare(race=race, state=ClassificationState.FINAL)
    return race


def test_the_database_protects_a_race_whose_classification_has_versions(final_race):
    with pytest.raises(ProtectedError):
        final_race.delete()

    assert final_race.classification_versions.count() == 2


# (A whole season is deleted on purpose, its versions archived: test_season_delete.py.)
@pytest.mark.parametrize(
    ("model", "of"),
    [
        ("race", lambda race: race),
        ("meeting", lambda race: race.meeting),
    ],
)
def test_the_back_office_refuses_to_delete_a_final_race_and_says_why(
    staff_client, final_race, model, of
):
    url = reverse(f"admin:championships_{model}_delete", args=[of(final_race).pk])

    page = staff_client.get(url)
    posted = staff_client.post(url, {"post": "yes"})

    assert page.status_code == posted.status_code == 200
    text = page.content.decode()
    assert "cannot be deleted: its classification was published (version 2, Final)" in text
    assert "Classification version:" not in text
    assert Race.objects.filter(pk=final_race.pk).exists()
    assert ClassificationVersion.objects.filter(race=final_race).count() == 2


def test_the_delete_action_of_the_race_list_refuses_them_too(staff_client, final_race):
    other = make_race(final_race.meeting, 2)

    page = staff_client.post(
        reverse("admin:championships_race_changelist"),
        {"action": "delete_selected", "_selected_action": [final_race.pk, other.pk], "post": "yes"},
    )

    assert page.status_code == 200
    assert "cannot be deleted" in page.content.decode()
    assert Race.objects.filter(pk__in=[final_race.pk, other.pk]).count() == 2


def test_a_race_never_published_is_still_deleted(staff_client, final_race):
    spare = make_race(final_race.meeting, 2)

    staff_client.post(reverse("admin:championships_race_delete", args=[spare.pk]), {"post": "yes"})

    assert not Race.objects.filter(pk=spare.pk).exists()


def test_a_race_ticked_for_deletion_under_its_round_is_refused(staff_client, final_race):
    meeting = final_race.meeting
    local = final_race.starts_at.astimezone(meeting.circuit.zone)
    data = {
        "championship": meeting.championship_id,
        "round": meeting.round,
        "circuit": meeting.circuit_id,
        "start_date": meeting.start_date,
        "end_date": meeting.end_date,
        "supporting_event_en": meeting.supporting_event_en or "",
        **management_form("races", total=1, initial=1),
        "races-0-id": final_race.pk,
        "races-0-meeting": meeting.pk,
        "races-0-number": 1,
        "races-0-starts_at_0": f"{local:%Y-%m-%d}",
        "races-0-starts_at_1": f"{local:%H:%M:%S}",
        "races-0-points_factor": final_race.points_factor,
        "races-0-DELETE": "on",
    }

    response = staff_client.post(
        reverse("admin:championships_meeting_change", args=[meeting.pk]), data
    )

    assert response.status_code == 200
    # Django's inline refuses it, naming the protecting versions.
    assert "would require deleting the following protected" in response.content.decode()
    assert Race.objects.filter(pk=final_race.pk).exists()


# Replacing a season --------------------------------------------------------------------------


def test_replacing_a_season_archives_its_versions_readably(pcca):
    race = get_race(pcca, 1, 2)
    declared = classification_declare(race=race, state=ClassificationState.FINAL)
    snapshot = declared.snapshot
    winner = snapshot["classification"][0]
    driver = str(pcca.entries.get(pk=winner["entry"]).driver)

    season_import(EXAMPLE_SEASON, replace=True)

    kept = ClassificationVersion.objects.order_by("number")
    assert [(v.number, v.state, v.race_id) for v in kept] == [
        (1, ClassificationState.PROVISIONAL, None),
        (2, ClassificationState.FINAL, None),
    ]
    archived = kept.last()
    assert archived.snapshot == snapshot
    assert (archived.archived_championship, archived.archived_round) == ("pcca-2024", 1)
    assert archived.archived_race_number == 2 and archived.archived_at is not None
    assert archived.archived_names[str(winner["entry"])] == driver
    assert "pcca-2024 R1-2 (archived)" in str(archived)


def test_the_replaced_seasons_versions_show_on_the_new_races_versions_page(pcca, staff_client):
    race = get_race(pcca, 1, 2)
    classification_declare(race=race, state=ClassificationState.FINAL, reason="Signed off")
    season_import(EXAMPLE_SEASON, replace=True)
    new = Race.objects.get(meeting__championship__slug="pcca-2024", meeting__round=1, number=2)

    page = staff_client.get(reverse("admin:championships_race_versions", args=[new.pk]))

    text = page.content.decode()
    assert "Versions of the replaced season" in text
    assert "Signed off" in text


def test_the_dry_run_of_a_replacement_meets_every_refusal_of_the_apply(pcca, tmp_path):
    meeting = Meeting.objects.get(championship=pcca, round=1)
    billed, placed = pcca.entries.order_by("car_number")[:2]
    DamageReport.objects.create(
        car=make_car(),
        meeting=meeting,
        description="Front splitter",
        repair_cost=Decimal(800),
        currency="CNY",
        billed_to=billed,
    )
    application = submit(make_edition(pcca))
    Placement.objects.create(application=application, entry=placed, placed_at=timezone.now())
    bundle = shutil.copytree(EXAMPLE_SEASON, tmp_path / "bundle")

    with pytest.raises(BundleError) as dry_run:
        season_import(bundle, replace=True, dry_run=True)
    with pytest.raises(BundleError) as apply:
        season_import(bundle, replace=True)

    assert [str(i) for i in dry_run.value.issues] == [str(i) for i in apply.value.issues]
    assert "still refer to it" in str(dry_run.value.issues[0])
    assert Championship.objects.get(slug="pcca-2024").pk == pcca.pk


def test_a_dry_run_writes_nothing_even_though_it_makes_the_write(pcca):
    before = (Championship.objects.count(), Race.objects.count(), pcca.tables_changed_at)

    summary = season_import(EXAMPLE_SEASON, replace=True, dry_run=True)

    pcca.refresh_from_db()
    assert summary.dry_run and summary.replaced
    assert (Championship.objects.count(), Race.objects.count(), pcca.tables_changed_at) == before
    assert Championship.objects.get(slug="pcca-2024").pk == pcca.pk


def test_an_import_by_a_user_is_logged_as_the_back_office_upload_logs_it(db, django_user_model):
    user = django_user_model.objects.create_user("importer", is_staff=True)

    summary = season_import(EXAMPLE_SEASON, user=user)

    log = LogEntry.objects.get()
    assert (log.user, log.action_flag, log.object_id) == (
        user,
        ADDITION,
        str(summary.championship_id),
    )
    assert not season_import(EXAMPLE_SEASON, replace=True, dry_run=True, user=user).championship_id
    assert LogEntry.objects.count() == 1


def test_the_archive_keeps_versions_of_races_with_results_from_the_start(pcca):
    # A race imported with the season gets version 1 at its first change, dated at its start.
    race = get_race(pcca, 2, 1)
    classification_declare(race=race, state=ClassificationState.FINAL)
    first = race.classification_versions.first()

    season_import(EXAMPLE_SEASON, replace=True)

    assert ClassificationVersion.objects.get(pk=first.pk).created_at == first.created_at
    assert first.created_at <= race.starts_at + dt.timedelta(seconds=1)
