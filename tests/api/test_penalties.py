"""Penalties through the API: model permissions on every write, the model's checks, tables."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from championships.models import Championship, Penalty, Race
from entries.models import Entry
from tests import factories
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

URL = "/api/v1/penalties/"


@pytest.fixture
def r1_1(pcca) -> Race:
    return Race.objects.get(meeting__championship=pcca, meeting__round=1, number=1)


@pytest.fixture
def car_55(pcca) -> Entry:
    return Entry.objects.get(championship=pcca, car_number=55)


def time_penalty(race: Race, entry: Entry, **fields) -> dict:
    return {"race": race.pk, "entry": entry.pk, "kind": "TIME", "value": 10} | {
        "reason": "Track limits",
        **fields,
    }


def changed_at(championship: Championship):
    return Championship.objects.get(pk=championship.pk).tables_changed_at


def test_anyone_reads_penalties(api, pcca):
    assert api.get(URL).status_code == 200


def test_anonymous_writes_are_401(api, pcca, r1_1, car_55):
    penalty = Penalty.objects.first()

    assert api.post(URL, time_penalty(r1_1, car_55), format="json").status_code == 401
    assert api.delete(f"{URL}{penalty.pk}/").status_code == 401
    assert Penalty.objects.count() == 3


@pytest.mark.parametrize("method", ["post", "patch", "delete"])
def test_staff_without_the_permission_get_403(pcca, staff, r1_1, car_55, method):
    client = token_client(staff, "championships.view_penalty")
    url = URL if method == "post" else f"{URL}{Penalty.objects.first().pk}/"

    response = getattr(client, method)(url, time_penalty(r1_1, car_55), format="json")

    assert response.status_code == 403
    assert Penalty.objects.count() == 3


def test_staff_with_the_permission_give_a_penalty_and_the_tables_change(pcca, staff, r1_1, car_55):
    client = token_client(staff, "championships.add_penalty")
    before = changed_at(pcca)

    response = client.post(URL, time_penalty(r1_1, car_55), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["championship"], body["round"], body["race_number"]) == ("pcca-2024", 1, 1)
    assert (body["car_number"], body["kind"], body["value"]) == (55, "TIME", 10.0)
    penalty = Penalty.objects.get(pk=body["id"])
    assert penalty.meeting == r1_1.meeting and penalty.value == Decimal(10)
    assert changed_at(pcca) > before


def test_a_penalty_moves_the_car_in_the_race_classification(api, pcca, staff, r1_1, car_55):
    token_client(staff, "championships.add_penalty").post(
        URL, time_penalty(r1_1, car_55, value=12), format="json"
    )

    rows = api.get(f"/api/v1/races/{r1_1.pk}/").json()["classification"]

    row = next(row for row in rows if row["car_number"] == 55)
    assert row["position"] > 2 and row["penalties"] == ["12 s time penalty: Track limits"]


def test_change_and_withdraw_need_their_own_permissions(pcca, staff):
    penalty = Penalty.objects.get(kind="POINTS")
    client = token_client(staff, "championships.change_penalty", "championships.delete_penalty")
    before = changed_at(pcca)

    changed = client.patch(f"{URL}{penalty.pk}/", {"value": 5}, format="json")
    assert changed.status_code == 200 and changed.json()["value"] == 5.0
    assert changed_at(pcca) > before

    withdrawn = client.delete(f"{URL}{penalty.pk}/")
    assert withdrawn.status_code == 204 and not Penalty.objects.filter(pk=penalty.pk).exists()


def test_a_session_of_staff_may_write_too(client, pcca, staff, r1_1, car_55):
    token_client(staff, "championships.add_penalty")
    client.force_login(staff)

    response = client.post(URL, time_penalty(r1_1, car_55), content_type="application/json")

    assert response.status_code == 201


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "DSQ"}, "value"),  # a disqualification has no value
        ({"value": 0}, "value"),
        ({"value": None}, "value"),
        ({"race": None}, "meeting"),  # neither round nor race
        ({"reason": ""}, "reason"),
        ({"kind": "CAUTION"}, "kind"),
        ({"entry": 999999}, "entry"),
    ],
)
def test_a_penalty_that_does_not_fit_is_a_400_naming_the_field(
    pcca, staff, r1_1, car_55, change, field
):
    client = token_client(staff, "championships.add_penalty")
    data = time_penalty(r1_1, car_55) | change

    response = client.post(URL, data, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert Penalty.objects.count() == 3


def test_the_entry_must_be_of_the_races_championship(pcca, staff, r1_1):
    other = factories.make_entry(factories.make_championship("other-cup"), 55)
    client = token_client(staff, "championships.add_penalty")

    response = client.post(URL, time_penalty(r1_1, other), format="json")

    assert response.status_code == 400
    assert response.json() == {"entry": ["This entry belongs to another championship."]}


def test_the_race_must_be_of_the_round(pcca, staff, r1_1, car_55):
    round_2 = Race.objects.get(meeting__championship=pcca, meeting__round=2, number=1).meeting
    client = token_client(staff, "championships.add_penalty")

    response = client.post(URL, time_penalty(r1_1, car_55, meeting=round_2.pk), format="json")

    assert response.status_code == 400
    assert response.json() == {"race": ["This race is not part of the chosen round."]}


def test_a_time_penalty_needs_the_race(pcca, staff, r1_1, car_55):
    client = token_client(staff, "championships.add_penalty")
    data = time_penalty(r1_1, car_55) | {"race": None, "meeting": r1_1.meeting_id}

    response = client.post(URL, data, format="json")

    assert response.status_code == 400
    assert response.json() == {"race": ["A time penalty or a disqualification needs the race."]}


def test_a_points_deduction_needs_only_the_round(pcca, staff, car_55):
    meeting = Race.objects.filter(meeting__championship=pcca).first().meeting
    client = token_client(staff, "championships.add_penalty")
    data = {"meeting": meeting.pk, "entry": car_55.pk, "kind": "POINTS", "value": 2.5}

    response = client.post(URL, data | {"reason": "Unsafe release"}, format="json")

    assert response.status_code == 201
    assert response.json()["race"] is None


def test_a_write_with_a_stale_token_is_refused():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")

    assert client.post(URL, {}, format="json").status_code == 401
