"""Penalties through the API: model permissions on every write, the model's checks, tables."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from championships.models import Championship, Penalty, Race
from championships.services import penalty_change, penalty_save
from entries.models import Entry
from tests import factories
from tests.factories import get_race, token_client

pytestmark = pytest.mark.django_db

URL = "/api/v1/penalties/"


@pytest.fixture
def r1_1(pcca) -> Race:
    return get_race(pcca, 1, 1)


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


def etag_of(penalty: Penalty) -> str:
    """The ETag a client reads with the penalty."""
    return APIClient().get(f"{URL}{penalty.pk}/")["ETag"]


def editor(user) -> APIClient:
    return token_client(user, "championships.change_penalty", "championships.delete_penalty")


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

    changed = client.patch(
        f"{URL}{penalty.pk}/", {"value": 5}, format="json", HTTP_IF_MATCH=etag_of(penalty)
    )
    assert changed.status_code == 200 and changed.json()["value"] == 5.0
    assert changed_at(pcca) > before

    withdrawn = client.delete(f"{URL}{penalty.pk}/", HTTP_IF_MATCH=changed["ETag"])
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
    round_2 = get_race(pcca, 2, 1).meeting
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


# No lost update (issue 14.10): changes and deletions send the ETag they read as If-Match.


@pytest.fixture
def points(pcca) -> Penalty:
    return Penalty.objects.get(kind="POINTS")


@pytest.fixture
def alice(django_user_model) -> APIClient:
    """Another steward who edits the same penalty."""
    return editor(django_user_model.objects.create_user("alice", is_staff=True))


def test_a_penalty_is_read_with_the_etag_of_its_latest_change(api, points):
    response = api.get(f"{URL}{points.pk}/")

    assert response.status_code == 200
    assert response["ETag"] == f'"penalty-{points.pk}-c{penalty_change(penalty_id=points.pk)}"'


def test_a_change_with_the_etag_read_is_saved_and_answers_the_new_etag(staff, points):
    read = etag_of(points)

    response = editor(staff).put(
        f"{URL}{points.pk}/",
        {"meeting": points.meeting_id, "entry": points.entry_id, "kind": "POINTS", "value": 4}
        | {"reason": "Unsafe release"},
        format="json",
        HTTP_IF_MATCH=read,
    )

    assert response.status_code == 200, response.content
    assert response["ETag"] != read and response["ETag"] == etag_of(points)
    assert Penalty.objects.get(pk=points.pk).value == Decimal(4)


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_change_after_someone_elses_is_412_naming_them_and_writes_nothing(
    staff, points, alice, method
):
    read = etag_of(points)  # the steward opens the penalty...
    alice.patch(f"{URL}{points.pk}/", {"value": 3}, format="json", HTTP_IF_MATCH=read)
    data = {"meeting": points.meeting_id, "entry": points.entry_id, "kind": "POINTS"}
    body = data | {"value": 7, "reason": points.reason}

    # ...and saves after alice: without the check, her 3 points would silently go.
    response = getattr(editor(staff), method)(
        f"{URL}{points.pk}/", body, format="json", HTTP_IF_MATCH=read
    )

    assert response.status_code == 412
    assert "alice" in response.json()["detail"]
    assert Penalty.objects.get(pk=points.pk).value == Decimal(3)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize("header", [{}, {"HTTP_IF_MATCH": "*"}])
def test_a_change_or_deletion_without_if_match_is_428_and_writes_nothing(
    staff, points, method, header
):
    before = etag_of(points)
    body = {"value": 7} if method != "delete" else None

    response = getattr(editor(staff), method)(f"{URL}{points.pk}/", body, format="json", **header)

    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    assert etag_of(points) == before
    assert Penalty.objects.get(pk=points.pk).value == points.value


@pytest.mark.parametrize("if_match", ['"penalty-999999-c1"', '"race-1-v1"', "rubbish"])
def test_an_etag_that_is_not_of_this_penalty_is_412(staff, points, if_match):
    response = editor(staff).patch(
        f"{URL}{points.pk}/", {"value": 7}, format="json", HTTP_IF_MATCH=if_match
    )

    assert response.status_code == 412
    assert Penalty.objects.get(pk=points.pk).value == points.value


def test_a_deletion_after_someone_elses_change_is_412_and_deletes_nothing(staff, points, alice):
    read = etag_of(points)
    alice.patch(f"{URL}{points.pk}/", {"value": 3}, format="json", HTTP_IF_MATCH=read)

    response = editor(staff).delete(f"{URL}{points.pk}/", HTTP_IF_MATCH=read)

    assert response.status_code == 412
    assert "alice" in response.json()["detail"]
    assert Penalty.objects.get(pk=points.pk).value == Decimal(3)


def test_a_deletion_with_the_etag_read_deletes(staff, points):
    response = editor(staff).delete(f"{URL}{points.pk}/", HTTP_IF_MATCH=etag_of(points))

    assert response.status_code == 204
    assert not Penalty.objects.filter(pk=points.pk).exists()


def test_a_back_office_change_makes_the_apis_etag_stale(staff, points, django_user_model):
    read = etag_of(points)
    points.value = Decimal(2)
    bob = django_user_model.objects.create_user("bob", is_staff=True)
    penalty_save(penalty=points, user=bob, expected_change=penalty_change(penalty_id=points.pk))

    response = editor(staff).patch(
        f"{URL}{points.pk}/", {"value": 9}, format="json", HTTP_IF_MATCH=read
    )

    assert response.status_code == 412 and "bob" in response.json()["detail"]
    assert Penalty.objects.get(pk=points.pk).value == Decimal(2)


def test_giving_a_penalty_needs_no_precondition_and_answers_its_etag(staff, r1_1, car_55):
    client = token_client(staff, "championships.add_penalty", "championships.delete_penalty")

    created = client.post(URL, time_penalty(r1_1, car_55), format="json")

    assert created.status_code == 201
    penalty = Penalty.objects.get(pk=created.json()["id"])
    assert created["ETag"] == etag_of(penalty)
    assert client.delete(created.json()["url"], HTTP_IF_MATCH=created["ETag"]).status_code == 204


def test_the_schema_documents_if_match_and_its_answers(api):
    paths = api.get("/api/v1/schema/", {"format": "json"}).json()["paths"]

    for method in ("put", "patch", "delete"):
        operation = paths["/api/v1/penalties/{id}/"][method]
        headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
        assert headers["If-Match"]["required"] is True, method
        assert {"412", "428"} <= set(operation["responses"]), method
    creating = paths["/api/v1/penalties/"]["post"]
    assert "If-Match" not in [p["name"] for p in creating.get("parameters", [])]
