"""The Talent Pool prize's tyre sets (issue 20): delivered to a placed winner from the
operator's stock, counted against the edition's allowance, kept for the winner's car; each
refusal with its reason, nothing written when anything is refused."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from entries.models import TyreCompound, TyreSet
from entries.tyres import TyreRefused, tyre_scan, tyre_sets_receive
from staff.roles import RACE_CONTROL_GROUP, READ_ONLY_STAFF_GROUP, SERIES_MANAGER_GROUP
from talentpool.models import Application, Placement, PrizeTyreDelivery
from talentpool.services import prize_tyres_deliver, prize_tyres_of
from tests.factories import (
    edition_form_data,
    make_championship,
    make_edition,
    make_entry,
    make_meeting,
    make_operator,
    role_client,
    submit,
)

WINNERS = "/admin/talentpool/winner/"


@pytest.fixture
def prize_edition(db):
    """An edition whose winners receive 8 tyre sets."""
    return make_edition(prize_tyre_sets=8)


@pytest.fixture
def meeting(prize_edition):
    return make_meeting(prize_edition.championship, 1, start_date=dt.date(2027, 4, 17))


@pytest.fixture
def winner(prize_edition):
    """A selected applicant placed in the championship as car #77."""
    application = submit(prize_edition)
    Application.objects.filter(pk=application.pk).update(status="selected")
    entry = make_entry(prize_edition.championship, 77, arrive_and_drive=True)
    Placement.objects.create(application=application, entry=entry, placed_at=timezone.now())
    return Application.objects.get(pk=application.pk)


def receive(meeting, *barcodes):
    operator = make_operator("Cup Operations", meeting.championship.series)
    return tyre_sets_receive(
        operator=operator,
        meeting=meeting,
        compound=TyreCompound.DRY,
        barcodes=barcodes,
        user=None,
    )


def codes(first: int, last: int) -> list[str]:
    return [f"TP-{n:03}" for n in range(first, last + 1)]


def deliver(winner, *barcodes):
    return prize_tyres_deliver(winner=winner, barcodes=barcodes, user=None)


def refusal(winner, *barcodes) -> list[str]:
    with pytest.raises(TyreRefused) as refused:
        deliver(winner, *barcodes)
    return refused.value.messages


def test_prize_sets_delivered_are_counted_against_the_winner_and_kept_for_their_car(
    winner, meeting
):
    receive(meeting, *codes(1, 3))

    delivered = deliver(winner, "tp-001", "TP-002", "TP-003")

    assert [d.tyre_set.barcode for d in delivered] == ["TP-001", "TP-002", "TP-003"]
    prize = prize_tyres_of(winner)
    assert (prize.allowance, prize.delivered, prize.left) == (8, 3, 5)
    assert set(TyreSet.objects.values_list("kept_for__car_number", flat=True)) == {77}


def test_the_allowance_refuses_a_set_once_the_winner_has_all_their_prize_sets(winner, meeting):
    receive(meeting, *codes(1, 9))
    deliver(winner, *codes(1, 8))

    assert refusal(winner, "TP-009") == ["The winner has received 8 of 8 prize sets."]
    assert PrizeTyreDelivery.objects.count() == 8
    assert TyreSet.objects.get(barcode="TP-009").kept_for is None


def test_the_allowance_refuses_a_delivery_that_would_go_over_it_and_says_how_many_are_left(
    winner, meeting
):
    receive(meeting, *codes(1, 9))
    deliver(winner, *codes(1, 6))

    assert refusal(winner, *codes(7, 9)) == [
        "The winner has received 6 of 8 prize sets: 2 more may be delivered, not 3."
    ]
    assert PrizeTyreDelivery.objects.count() == 6


def test_an_edition_without_prize_sets_refuses_every_delivery(winner, meeting):
    winner.edition.prize_tyre_sets = 0
    winner.edition.save()
    receive(meeting, "TP-001")

    assert refusal(winner, "TP-001") == ["Talent Pool 2026 gives no prize tyre sets."]


def test_an_unknown_set_is_refused_with_each_other_problem_and_nothing_is_delivered(
    winner, meeting
):
    receive(meeting, "TP-001")

    assert refusal(winner, "TP-001", "TP-404") == [
        "No tyre set has barcode TP-404: check the code or receive the set first."
    ]
    assert not PrizeTyreDelivery.objects.exists()


def test_a_set_already_fitted_is_not_a_prize(winner, meeting):
    receive(meeting, "TP-001")
    make_entry(meeting.championship, 5)
    tyre_scan(barcode="TP-001", car_number=5, meeting=meeting, direction="OUT", user=None)

    assert refusal(winner, "TP-001") == [
        "Set TP-001 has been fitted to a car: only a new set is a prize."
    ]


def test_a_set_already_delivered_is_refused(winner, meeting):
    receive(meeting, "TP-001")
    (delivery,) = deliver(winner, "TP-001")
    PrizeTyreDelivery.objects.filter(pk=delivery.pk).update(
        delivered_at=dt.datetime(2027, 4, 17, 3, 0, tzinfo=dt.UTC)
    )

    assert refusal(winner, "TP-001") == [
        f"Set TP-001 was delivered to {winner.reference} on 17 Apr 2027 already."
    ]


def test_a_set_kept_for_another_car_is_refused(winner, meeting):
    (tyre_set,) = receive(meeting, "TP-001")
    other = make_entry(meeting.championship, 5)
    TyreSet.objects.filter(pk=tyre_set.pk).update(kept_for=other)

    assert refusal(winner, "TP-001") == ["Set TP-001 is kept for car #5 already."]


def test_a_set_for_another_championship_is_refused(winner, meeting):
    other = make_championship(year=2027, name="Sprint Cup", series=meeting.championship.series)
    receive(make_meeting(other, 2), "TP-001")

    assert refusal(winner, "TP-001") == [
        "Set TP-001 is allocated to round 2 of Sprint Cup, not to the winner's championship."
    ]


def test_a_winner_not_yet_entered_receives_no_prize_set(prize_edition, meeting):
    application = submit(prize_edition)
    Application.objects.filter(pk=application.pk).update(status="selected")
    receive(meeting, "TP-001")

    assert refusal(Application.objects.get(pk=application.pk), "TP-001") == [
        "Mei Tan has no entry yet: enter the winner in the championship before delivering "
        "prize tyre sets."
    ]


def test_an_applicant_not_selected_receives_no_prize_set(prize_edition, meeting):
    application = submit(prize_edition)
    receive(meeting, "TP-001")

    assert refusal(application, "TP-001") == [
        f"{application.reference} is not a winner: prize tyre sets go to selected applicants only."
    ]


def test_a_prize_set_is_fitted_to_the_winners_car_only(winner, meeting):
    receive(meeting, "TP-001")
    deliver(winner, "TP-001")
    make_entry(meeting.championship, 5)

    with pytest.raises(TyreRefused) as refused:
        tyre_scan(barcode="TP-001", car_number=5, meeting=meeting, direction="OUT", user=None)
    fitted = tyre_scan(barcode="TP-001", car_number=77, meeting=meeting, direction="OUT", user=None)

    assert refused.value.messages == [
        "Set TP-001 is kept for car #77 (a prize set): it is fitted to that car only."
    ]
    assert fitted.first_fitting  # and it counts against the car's quota at the round


def test_the_database_refuses_a_set_delivered_twice(winner, meeting):
    (tyre_set,) = receive(meeting, "TP-001")
    deliver(winner, "TP-001")

    with pytest.raises(IntegrityError), transaction.atomic():
        PrizeTyreDelivery.objects.create(winner=winner, tyre_set=tyre_set)


def test_a_delivered_set_is_protected_from_deletion(winner, meeting):
    (tyre_set,) = receive(meeting, "TP-001")
    deliver(winner, "TP-001")

    with pytest.raises(IntegrityError), transaction.atomic():
        TyreSet.objects.filter(pk=tyre_set.pk).delete()


# --- The back office -------------------------------------------------------------------------


@pytest.fixture
def manager(client, db):
    return role_client(client, SERIES_MANAGER_GROUP, name="manager")


def test_the_series_manager_delivers_prize_sets_on_the_winners_page(manager, winner, meeting):
    receive(meeting, *codes(1, 2))
    url = f"{WINNERS}{winner.pk}/prize-tyres/"

    before = manager.get(url)
    response = manager.post(url, {"barcodes": "TP-001\r\nTP-002\r\n"})
    after = manager.get(url)

    assert "0 of 8 prize sets delivered" in before.content.decode()
    assert response.status_code == 302
    assert PrizeTyreDelivery.objects.filter(delivered_by__username="manager").count() == 2
    assert "2 of 8 prize sets delivered" in after.content.decode()
    assert "TP-001" in after.content.decode()


def test_a_refused_delivery_shows_each_reason_and_delivers_nothing(manager, winner, meeting):
    receive(meeting, *codes(1, 8))
    deliver(winner, *codes(1, 8))
    receive(meeting, "TP-009")

    response = manager.post(f"{WINNERS}{winner.pk}/prize-tyres/", {"barcodes": "TP-009\nTP-404"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="delivery-refused" role="alert"' in html
    assert response.context["problems"] == [
        "No tyre set has barcode TP-404: check the code or receive the set first.",
        "The winner has received 8 of 8 prize sets.",
    ]
    assert PrizeTyreDelivery.objects.count() == 8


def test_the_winners_page_shows_the_prize_sets_delivered_against_the_allowance(
    manager, winner, meeting
):
    receive(meeting, "TP-001")
    deliver(winner, "TP-001")

    listing = manager.get(WINNERS).content.decode()
    page = manager.get(f"{WINNERS}{winner.pk}/change/").content.decode()

    assert "1 of 8 delivered" in listing
    assert "1 of 8 delivered" in page and "TP-001" in page


@pytest.mark.parametrize("role", [RACE_CONTROL_GROUP, READ_ONLY_STAFF_GROUP])
def test_other_roles_neither_see_nor_deliver_prize_sets(client, winner, meeting, role):
    receive(meeting, "TP-001")
    client = role_client(client, role)
    url = f"{WINNERS}{winner.pk}/prize-tyres/"

    assert client.get(url).status_code == 403
    assert client.post(url, {"barcodes": "TP-001"}).status_code == 403
    assert not PrizeTyreDelivery.objects.exists()


def test_the_editions_prize_tyre_sets_are_set_on_its_form(staff_client, prize_edition):
    url = f"/admin/talentpool/talentpooledition/{prize_edition.pk}/change/"

    staff_client.post(url, edition_form_data(prize_edition, prize_tyre_sets=6))
    prize_edition.refresh_from_db()
    assert prize_edition.prize_tyre_sets == 6

    staff_client.post(url, edition_form_data(prize_edition))  # left empty: none
    prize_edition.refresh_from_db()
    assert prize_edition.prize_tyre_sets == 0
