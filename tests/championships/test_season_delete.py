"""Deleting a season: one deliberate service, and a back-office page that lists what goes,
offers the season bundle first and asks for the season's slug; never a PROTECT error."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from championships.models import (
    Championship,
    ChampionshipClass,
    ClassificationState,
    ClassificationVersion,
    Meeting,
    Penalty,
    Prize,
    Race,
    Result,
    SeasonStatus,
    VersionCause,
)
from championships.services import (
    classification_declare,
    classification_record,
    season_delete,
    season_deletion_blockers,
    season_deletion_summary,
)
from entries.models import (
    CarAllocation,
    DamageReport,
    EligibilityFlag,
    Entry,
    EntryClassChange,
    SeatPackage,
)
from talentpool.models import Placement
from tests.factories import (
    make_allocation,
    make_car,
    make_championship,
    make_classification,
    make_edition,
    make_entry,
    make_meeting,
    make_package,
    make_penalty,
    make_race,
    make_result,
    make_staff,
    submit,
)

CHANGELIST = reverse("admin:championships_championship_changelist")


def raced_season(slug: str) -> Championship:
    """A season with a row of every kind its deletion removes: two meetings of two races,
    results, a decision, a published classification (versions), three entries, one of them
    arrive-and-drive with its seat, chassis and a damage bill, a class move, an eligibility
    flag, a prize."""
    season = make_championship(slug)
    entries = [make_entry(season, n) for n in (7, 8)]
    seated = make_entry(season, 9, arrive_and_drive=True)
    entries.append(seated)
    car = make_car()
    for round_ in (1, 2):
        meeting = make_meeting(season, round_)
        for number in (1, 2):
            race = make_race(meeting, number)
            for position, entry in enumerate(entries, start=1):
                make_result(race, entry, position=position)
        make_allocation(meeting, car, seated)
    race = Race.objects.filter(meeting__championship=season).first()
    make_penalty(entries[0], race=race)
    classification_record(race=race, cause=VersionCause.IMPORT)
    make_package(seated)
    DamageReport.objects.create(
        car=car,
        meeting=race.meeting,
        race=race,
        description="Front wing",
        currency="CNY",
        repair_cost=Decimal("1200.00"),
        billed_to=seated,
    )
    move = season.classes.get(code="PRO_AM")
    EntryClassChange.objects.create(
        entry=entries[1], entry_class=move, from_date=dt.date(2024, 6, 1)
    )
    category = make_classification(entries[2].driver, "GOLD", dt.date(2024, 5, 1))
    EligibilityFlag.objects.create(entry=entries[2], classification=category, reason="Now Gold")
    Prize.objects.create(championship=season, award="Le Mans 24 Hours")
    return season


def rows_of(slug: str) -> dict[str, int]:
    """How many rows of each kind belong to the season ``slug``."""
    season = {"championship__slug": slug}
    return {
        "championships": Championship.objects.filter(slug=slug).count(),
        "classes": ChampionshipClass.objects.filter(**season).count(),
        "prizes": Prize.objects.filter(**season).count(),
        "meetings": Meeting.objects.filter(**season).count(),
        "races": Race.objects.filter(meeting__championship__slug=slug).count(),
        "results": Result.objects.filter(race__meeting__championship__slug=slug).count(),
        "decisions": Penalty.objects.filter(meeting__championship__slug=slug).count(),
        "versions": ClassificationVersion.objects.filter(
            race__meeting__championship__slug=slug
        ).count(),
        "entries": Entry.objects.filter(**season).count(),
        "class changes": EntryClassChange.objects.filter(entry__championship__slug=slug).count(),
        "flags": EligibilityFlag.objects.filter(entry__championship__slug=slug).count(),
        "seats": SeatPackage.objects.filter(entry__championship__slug=slug).count(),
        "allocations": CarAllocation.objects.filter(entry__championship__slug=slug).count(),
        "damage": DamageReport.objects.filter(meeting__championship__slug=slug).count(),
    }


NONE_LEFT = dict.fromkeys(
    [
        "championships",
        "classes",
        "prizes",
        "meetings",
        "races",
        "results",
        "decisions",
        "versions",
        "entries",
        "class changes",
        "flags",
        "seats",
        "allocations",
        "damage",
    ],
    0,
)


@pytest.fixture
def gone(db) -> Championship:
    return raced_season("cup-gone")


@pytest.fixture
def kept(db) -> Championship:
    return raced_season("cup-kept")


@pytest.fixture
def deleter(db, django_user_model):
    return make_staff(
        "deleter", "championships.view_championship", "championships.delete_championship"
    )


def delete_url(season: Championship) -> str:
    return reverse("admin:championships_championship_delete", args=[season.pk])


# The service ------------------------------------------------------------------------------


def test_the_summary_counts_each_kind_of_row_that_goes(gone):
    summary = dict(season_deletion_summary(gone))

    assert summary == {
        "meetings": 2,
        "races": 4,
        "results": 12,
        "decisions": 1,
        "entries": 3,
        "class changes": 1,
        "eligibility flags": 1,
        "classes": 3,
        "prizes": 1,
        "seat packages": 1,
        "car allocations": 2,
        "damage reports": 1,
        "classification versions (archived and kept, not deleted)": 1,
    }


def test_deleting_a_season_removes_every_row_under_it_and_leaves_the_other_untouched(
    gone, kept, deleter
):
    other = rows_of("cup-kept")

    season_delete(championship_id=gone.pk, by=deleter, confirm_name="cup-gone")

    assert rows_of("cup-gone") == NONE_LEFT
    assert rows_of("cup-kept") == other
    assert other["results"] == 12 and other["versions"] == 1


def test_the_deleted_seasons_classification_versions_are_archived_as_on_replacing(gone, deleter):
    season_delete(championship_id=gone.pk, by=deleter, confirm_name="cup-gone")

    archived = ClassificationVersion.objects.get(archived_championship="cup-gone")
    assert archived.race is None and archived.archived_at is not None
    assert (archived.archived_round, archived.archived_race_number) == (1, 1)


def test_who_deleted_the_season_is_in_the_admin_log_and_its_history(gone, deleter):
    season_delete(championship_id=gone.pk, by=deleter, confirm_name=" cup-gone ")

    log = LogEntry.objects.get(action_flag=DELETION, object_id=str(gone.pk))
    assert log.user == deleter and log.object_repr == str(gone)
    assert "results: 12" in log.change_message
    last = Championship.history.filter(id=gone.pk).latest("history_id")
    assert (last.history_type, last.history_user) == ("-", deleter)


def test_deleting_with_another_name_typed_deletes_nothing(gone, deleter):
    before = rows_of("cup-gone")

    with pytest.raises(ValidationError, match="Type the season's slug, cup-gone, to confirm"):
        season_delete(championship_id=gone.pk, by=deleter, confirm_name="Cup gone")

    assert rows_of("cup-gone") == before


def test_a_season_a_talent_pool_edition_with_applications_points_at_is_kept_naming_it(
    gone, deleter
):
    edition = make_edition(gone, name="Talent Pool 2025")
    submit(edition)
    before = rows_of("cup-gone")

    with pytest.raises(ValidationError) as refused:
        season_delete(championship_id=gone.pk, by=deleter, confirm_name="cup-gone")

    assert refused.value.messages == [
        "Talent Pool edition “Talent Pool 2025” refers to this season: change or delete it first."
    ]
    assert rows_of("cup-gone") == before
    assert not LogEntry.objects.filter(action_flag=DELETION).exists()


def test_an_edition_without_applications_keeps_the_season_too(gone, deleter):
    make_edition(gone, name="Talent Pool 2025")

    assert season_deletion_blockers(gone) == [
        "Talent Pool edition “Talent Pool 2025” refers to this season: change or delete it first."
    ]
    with pytest.raises(ValidationError):
        season_delete(championship_id=gone.pk, by=deleter, confirm_name="cup-gone")
    assert Championship.objects.filter(pk=gone.pk).exists()


def test_a_talent_pool_winners_placement_on_one_of_its_entries_keeps_the_season(
    gone, kept, deleter
):
    application = submit(make_edition(kept))
    placement = Placement.objects.create(
        application=application, entry=gone.entries.first(), placed_at=timezone.now()
    )

    assert season_deletion_blockers(gone) == [
        f"Placement “{placement}” refers to this season: change or delete it first."
    ]
    with pytest.raises(ValidationError):
        season_delete(championship_id=gone.pk, by=deleter, confirm_name="cup-gone")
    assert rows_of("cup-gone")["entries"] == 3


def test_a_damage_bill_of_another_season_on_its_entry_refuses_the_deletion_with_a_message(
    gone, kept, deleter
):
    bill = DamageReport.objects.create(
        car=make_car(),
        meeting=kept.meetings.first(),
        description="Mirror",
        currency="CNY",
        billed_to=gone.entries.first(),
    )  # not valid (clean() refuses it) but stored: the deletion must still not fail with a 500

    with pytest.raises(ValidationError) as refused:
        season_delete(championship_id=gone.pk, by=deleter, confirm_name="cup-gone")

    assert refused.value.messages == [
        f"Damage report “{bill}” refers to this season: change or delete it first."
    ]
    assert rows_of("cup-gone")["results"] == 12


# The back office --------------------------------------------------------------------------


def test_the_delete_page_lists_what_goes_and_offers_the_bundle_first(client, gone, deleter):
    client.force_login(deleter)

    response = client.get(delete_url(gone))

    page = response.content.decode()
    export = reverse("admin:championships_championship_export_bundle", args=[gone.pk])
    assert response.status_code == 200
    assert '<th scope="row">Results</th><td>12</td>' in page
    assert '<th scope="row">Decisions</th><td>1</td>' in page
    assert '<th scope="row">Car allocations</th><td>2</td>' in page
    assert f'id="season-export" href="{export}"' in page
    assert page.index("season-export") < page.index("season-delete-form")
    assert client.get(export)["Content-Type"] == "application/zip"


def test_the_delete_page_of_the_featured_season_says_what_the_site_shows_then(client, deleter):
    season = make_championship("cup-featured", featured=True)
    client.force_login(deleter)

    page = client.get(delete_url(season)).content.decode()
    response = client.post(delete_url(season), {"confirm_name": "cup-featured"})

    assert "This is the featured season: once it is deleted" in page
    assert response.status_code == 302
    assert not Championship.objects.filter(featured=True).exists()


def test_a_wrong_slug_typed_deletes_nothing_and_says_so(client, gone, deleter):
    client.force_login(deleter)
    before = rows_of("cup-gone")

    response = client.post(delete_url(gone), {"confirm_name": "cup-kept"})

    assert response.status_code == 200
    assert "Type the season&#x27;s slug, cup-gone, to confirm; nothing was deleted." in (
        response.content.decode()
    )
    assert rows_of("cup-gone") == before


def test_the_right_slug_deletes_the_season_and_nothing_else(client, gone, kept, deleter):
    client.force_login(deleter)
    other = rows_of("cup-kept")

    response = client.post(delete_url(gone), {"confirm_name": "cup-gone"})

    assert response.status_code == 302 and response["Location"] == CHANGELIST
    assert rows_of("cup-gone") == NONE_LEFT
    assert rows_of("cup-kept") == other
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == [f"The season {gone} was deleted, with everything under it."]


def test_a_season_whose_classification_was_declared_final_goes_its_versions_archived(
    client, deleter
):
    season = make_championship("cup-final")
    race = make_race(make_meeting(season))
    make_result(race, make_entry(season, 7), position=1)
    classification_declare(race=race, state=ClassificationState.FINAL)
    client.force_login(deleter)

    refused = client.post(delete_url(season), {"post": "yes"})  # Django's own confirmation
    assert refused.status_code == 200 and Race.objects.filter(pk=race.pk).exists()
    response = client.post(delete_url(season), {"confirm_name": "cup-final"})

    assert response.status_code == 302
    assert rows_of("cup-final") == NONE_LEFT
    assert ClassificationVersion.objects.filter(archived_championship="cup-final").count() == 2


def test_a_season_without_results_is_deleted_the_same_way(client, deleter):
    empty = make_championship("cup-empty", status=SeasonStatus.DRAFT)
    client.force_login(deleter)

    assert client.post(delete_url(empty), {"confirm_name": ""}).status_code == 200
    response = client.post(delete_url(empty), {"confirm_name": "cup-empty"})

    assert response.status_code == 302
    assert rows_of("cup-empty") == NONE_LEFT


def test_the_delete_page_names_what_keeps_the_season_and_offers_no_delete(client, gone, deleter):
    submit(make_edition(gone, name="Talent Pool 2025"))
    client.force_login(deleter)

    page = client.get(delete_url(gone)).content.decode()
    posted = client.post(delete_url(gone), {"confirm_name": "cup-gone"})

    assert "Talent Pool edition “Talent Pool 2025” refers to this season" in page
    assert "season-delete-form" not in page
    assert posted.status_code == 200
    assert "Talent Pool edition “Talent Pool 2025” refers to this season" in (
        posted.content.decode()
    )
    assert Championship.objects.filter(pk=gone.pk).exists()


def test_the_delete_page_is_refused_without_the_delete_permission(client, gone):
    client.force_login(
        make_staff("editor", "championships.view_championship", "championships.change_championship")
    )

    assert client.get(delete_url(gone)).status_code == 403
    assert client.post(delete_url(gone), {"confirm_name": "cup-gone"}).status_code == 403
    assert Championship.objects.filter(pk=gone.pk).exists()


def test_delete_selected_leads_one_season_to_its_delete_page(client, gone, kept, deleter):
    client.force_login(deleter)
    data = {"action": "delete_selected", "post": "yes"}

    one = client.post(CHANGELIST, {**data, "_selected_action": [gone.pk]})
    two = client.post(CHANGELIST, {**data, "_selected_action": [gone.pk, kept.pk]}, follow=True)

    assert one.status_code == 302 and one["Location"] == delete_url(gone)
    assert [str(m) for m in get_messages(two.wsgi_request)] == [
        "Select one season to delete: each deletion asks for its own slug."
    ]
    assert Championship.objects.filter(pk__in=[gone.pk, kept.pk]).count() == 2
