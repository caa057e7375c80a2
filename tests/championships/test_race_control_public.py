"""The public meeting page and the API: each race's classification state, the stewards'
decisions of the meeting, and the classification as published on a date."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from championships.models import ClassificationState, ClassificationVersion, Penalty, PenaltyKind
from championships.results_import import results_import
from championships.services import classification_declare, penalty_save, penalty_withdraw
from tests.factories import make_championship, make_entry, make_meeting, make_race, token_client

pytestmark = pytest.mark.django_db

RESULTS = "POS,NO,LAPS,TIME\n1,1,15,30:00.000\n2,2,15,30:01.000\n"
PAGE = "/championships/public-cup/rounds/1/"


@pytest.fixture
def cup():
    championship = make_championship("public-cup")
    cars = {n: make_entry(championship, n) for n in (1, 2)}
    race = make_race(make_meeting(championship))
    later = make_race(race.meeting, 2)
    return championship, race, later, cars


def dated(when: dt.datetime) -> None:
    """Date the latest version as if it had been published ``when``."""
    latest = ClassificationVersion.objects.order_by("-pk").first()
    ClassificationVersion.objects.filter(pk=latest.pk).update(created_at=when)


def decide(race, car, kind, **fields):
    fields.setdefault("race_id", race.pk)
    fields.setdefault("decided_at", timezone.now())
    penalty = Penalty(meeting_id=race.meeting_id, entry_id=car.pk, kind=kind, **fields)
    return penalty_save(penalty=penalty)


def test_the_meeting_page_shows_each_race_state_and_version(client, cup):
    _championship, race, _later, _cars = cup
    results_import(race=race, source=RESULTS, dry_run=False)
    classification_declare(race=race, state=ClassificationState.FINAL)

    page = client.get(PAGE).content.decode()

    state = page[page.index('id="race-1-state"') :]
    assert (
        state.index("Final classification") < state.index("version 2") < state.index("Timing sheet")
    )
    assert 'id="race-2-state"' in page and "Provisional classification" in page


def test_the_meeting_page_publishes_every_decision_with_its_number_and_withdrawals(client, cup):
    _championship, race, later, cars = cup
    results_import(race=race, source=RESULTS, dry_run=False)
    decide(race, cars[1], PenaltyKind.TIME, value=Decimal(5), number=1, reason="Jump start")
    decide(race, cars[2], PenaltyKind.REPRIMAND, number=2, reason="Unsafe release")
    decide(race, cars[2], PenaltyKind.WARNING, number=3, reason="Track limits")
    decide(
        race,
        cars[2],
        PenaltyKind.GRID,
        value=Decimal(3),
        grid_race_id=later.pk,
        number=4,
        reason="Causing a collision",
    )
    dsq = decide(race, cars[1], PenaltyKind.DSQ, number=5, reason="Underweight")
    penalty_withdraw(penalty=dsq, reason="Appeal upheld")

    page = client.get(PAGE).content.decode()

    penalties = page[page.index('id="stewards"') :]
    for text in (
        "Decision 1",
        "5 s time penalty",
        "Jump start",
        "Decision 2",
        "Reprimand",
        "Decision 3",
        "Warning",
        "3-place grid penalty",
        "applies to the grid of",
        "Decision 5",
        "Withdrawn on appeal",
        "Appeal upheld",
    ):
        assert text in penalties, text
    assert penalties.index("Decision 1") < penalties.index("Decision 5")


def test_the_meeting_page_as_published_on_a_date(client, cup):
    _championship, race, _later, cars = cup
    results_import(race=race, source=RESULTS, dry_run=False)
    dated(dt.datetime(2024, 4, 20, 12, tzinfo=dt.UTC))
    decide(
        race,
        cars[1],
        PenaltyKind.TIME,
        value=Decimal(5),
        number=1,
        reason="Jump start",
        decided_at=dt.datetime(2024, 4, 22, 9, tzinfo=dt.UTC),
    )
    dated(dt.datetime(2024, 4, 22, 9, tzinfo=dt.UTC))

    then = client.get(PAGE, {"at": "2024-04-21"}).content.decode()
    now = client.get(PAGE).content.decode()

    assert "as published at the end of 21 Apr 2024" in then
    assert "Jump start" not in then and "Jump start" in now
    race_1 = then[then.index("Race 1: final classification") :]
    assert race_1.index(str(cars[1].driver)) < race_1.index(str(cars[2].driver))
    race_1_now = now[now.index("Race 1: final classification") :]
    assert race_1_now.index(str(cars[2].driver)) < race_1_now.index(str(cars[1].driver))


def test_a_bad_date_on_the_meeting_page_is_a_400(client, cup):
    assert client.get(PAGE, {"at": "after Shanghai"}).status_code == 400


def test_the_as_published_meeting_page_has_a_fixed_query_count(
    client, cup, django_assert_num_queries
):
    _championship, race, later, _cars = cup
    results_import(race=race, source=RESULTS, dry_run=False)

    # 1 the championship, whole (its version is the kept page's key); 2-6 the season as
    # published; 7 meeting; 8 races; 9 their grids; 10 driver slugs; 11 sessions; 12 their
    # versions then; 13 the laps; 14 decisions; 15 states then; 16 the series menu.
    with django_assert_num_queries(16):
        client.get(PAGE, {"at": "2030-01-01"})
    results_import(race=later, source=RESULTS, dry_run=False)
    cache.clear()
    with django_assert_num_queries(16):
        client.get(PAGE, {"at": "2030-01-01"})


# API --------------------------------------------------------------------------------------


def test_the_race_endpoint_gives_the_state_and_the_versions_with_who_and_why(
    client, cup, django_user_model
):
    _championship, race, _later, cars = cup
    steward = django_user_model.objects.create_user(
        "steward-login", first_name="Ann", last_name="Marshal"
    )
    unnamed = django_user_model.objects.create_user("clerk-login")
    results_import(race=race, source=RESULTS, dry_run=False, user=steward, reason="Provisional")
    decide(race, cars[1], PenaltyKind.TIME, value=Decimal(5), number=7, reason="Jump start")
    classification_declare(race=race, state=ClassificationState.FINAL, user=unnamed)

    detail = client.get(f"/api/v1/races/{race.pk}/").json()
    response = client.get(f"/api/v1/races/{race.pk}/versions/")
    versions = response.json()

    assert (detail["classification_state"], detail["classification_version"]) == ("FINAL", 3)
    # Who, by name; the usernames that sign in to the back office are never published.
    assert [(v["number"], v["state"], v["cause"], v["by"]) for v in versions] == [
        (1, "PROVISIONAL", "IMPORT", "Ann Marshal"),
        (2, "PROVISIONAL", "DECISION", None),
        (3, "FINAL", "STATE", "staff"),
    ]
    assert b"-login" not in response.content
    assert versions[1]["reference"] == "Decision 7"
    first, second = versions[0]["classification"], versions[1]["classification"]
    assert [line["car_number"] for line in first] == [1, 2]
    assert [line["car_number"] for line in second] == [2, 1]
    assert first[0]["total_time"] == "30:00.000"


def test_a_decision_posted_to_the_api_versions_the_race_under_the_token_user(
    cup, django_user_model
):
    _championship, race, _later, cars = cup
    results_import(race=race, source=RESULTS, dry_run=False)
    steward = django_user_model.objects.create_user("api-steward", is_staff=True)
    api = token_client(steward, "championships.add_penalty", "championships.delete_penalty")

    created = api.post(
        "/api/v1/penalties/",
        {"race": race.pk, "entry": cars[1].pk, "kind": "DSQ", "reason": "Underweight"},
        format="json",
    )
    deleted = api.delete(created.json()["url"], HTTP_IF_MATCH=created["ETag"])

    assert (created.status_code, deleted.status_code) == (201, 204)
    causes = list(race.classification_versions.values_list("cause", "created_by__username"))
    assert causes == [("IMPORT", None), ("DECISION", "api-steward"), ("CORRECTION", "api-steward")]


def test_the_standings_page_as_published_on_a_date_with_its_exports(client, cup):
    _championship, race, later, _cars = cup
    results_import(race=race, source=RESULTS, dry_run=False)
    dated(dt.datetime(2024, 4, 20, 12, tzinfo=dt.UTC))
    results_import(race=later, source="POS,NO,LAPS\n1,2,15\n2,1,15\n", dry_run=False)

    then = client.get("/championships/public-cup/standings/", {"at": "2024-04-21"})
    now = client.get("/championships/public-cup/standings/")

    assert "The tables as published on" in then.content.decode()
    assert 'name="at"' in then.content.decode()
    assert [r.label for r in then.context["races"]] == ["R1-1"]
    assert len(now.context["races"]) == 2
    assert "Printable standings" in now.content.decode()
    assert client.get("/championships/public-cup/standings/", {"at": "x"}).status_code == 400
