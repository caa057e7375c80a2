"""What the season tells webhook subscribers: each classification version recorded (published,
final, amended), each decision posted or withdrawn, and the tables changing (once per
championship and transaction, after it commits); a failing endpoint never fails the request."""

import datetime as dt
import json

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from championships.models import ClassificationState, Penalty, PenaltyKind, VersionCause
from championships.services import (
    classification_declare,
    classification_record,
    penalty_save,
    penalty_withdraw,
    standings_invalidate,
)
from core.models import DeliveryStatus, WebhookDelivery, WebhookEvent, WebhookSubscription
from staff.roles import RACE_CONTROL_GROUP
from tests.factories import (
    make_championship,
    make_entry,
    make_meeting,
    make_race,
    make_result,
    make_staff,
    role_client,
)
from tests.webhook_endpoint import endpoint, refused_url

pytestmark = pytest.mark.django_db

SLUG = "webhook-cup"
CLASSIFICATION_EVENTS = [
    WebhookEvent.CLASSIFICATION_PUBLISHED,
    WebhookEvent.CLASSIFICATION_FINAL,
    WebhookEvent.CLASSIFICATION_AMENDED,
]


@pytest.fixture
def cup():
    """Round 3 of ``webhook-cup``: race 2 with cars 1 and 2 classified."""
    championship = make_championship(SLUG)
    race = make_race(make_meeting(championship, 3), 2)
    cars = [make_entry(championship, n) for n in (1, 2)]
    for position, car in enumerate(cars, start=1):
        make_result(race, car, position)
    return race, cars


def subscribe(*events: str, url: str = "https://media.example.com/hooks", **fields):
    return WebhookSubscription.objects.create(
        name=fields.pop("name", "Media"), url=url, events=list(events), **fields
    )


def told(event: str | None = None) -> list[dict]:
    deliveries = WebhookDelivery.objects.order_by("pk")
    if event is not None:
        deliveries = deliveries.filter(event=event)
    return [delivery.payload for delivery in deliveries]


def events_told() -> list[str]:
    return list(WebhookDelivery.objects.order_by("pk").values_list("event", flat=True))


def decide(race, car, **fields) -> Penalty:
    fields.setdefault("decided_at", timezone.now())
    penalty = Penalty(
        meeting=race.meeting,
        race=race,
        entry=car,
        kind=PenaltyKind.TIME,
        value=5,
        reason="Causing a collision",
        **fields,
    )
    return penalty_save(penalty=penalty)


# Classifications ----------------------------------------------------------------------------


def test_a_provisional_version_is_told_as_published_with_where_to_read_it(cup):
    race, _cars = cup
    subscribe(*CLASSIFICATION_EVENTS)

    version = classification_declare(
        race=race, state=ClassificationState.PROVISIONAL, reason="After the race"
    )

    assert events_told() == [WebhookEvent.CLASSIFICATION_PUBLISHED]
    [payload] = told()
    assert payload == {
        "championship": SLUG,
        "round": 3,
        "race": {"id": race.pk, "number": 2},
        "version": {
            "number": version.number,
            "state": "PROVISIONAL",
            "cause": "STATE",
            "reason": "After the race",
            "decision": None,
            "published_at": version.created_at.isoformat(),
        },
        "urls": {
            "page": f"/championships/{SLUG}/rounds/3/",
            "board": f"/championships/{SLUG}/rounds/3/board/",
            "api": f"/api/v1/races/{race.pk}/versions/",
        },
    }


def test_declaring_the_classification_final_is_told_as_final(cup):
    race, _cars = cup
    subscribe(*CLASSIFICATION_EVENTS)

    classification_declare(race=race, state=ClassificationState.FINAL, reason="Confirmed")

    assert events_told() == [WebhookEvent.CLASSIFICATION_FINAL]
    assert told()[0]["version"]["state"] == "FINAL"


def test_a_correction_after_the_final_classification_is_told_as_amended(cup):
    race, _cars = cup
    subscribe(*CLASSIFICATION_EVENTS)
    classification_declare(race=race, state=ClassificationState.FINAL)

    classification_record(race=race, cause=VersionCause.CORRECTION, reason="Timing error")

    assert events_told() == [WebhookEvent.CLASSIFICATION_FINAL, WebhookEvent.CLASSIFICATION_AMENDED]
    assert told()[1]["version"]["reason"] == "Timing error"


def test_a_subscriber_of_final_classifications_hears_of_nothing_provisional(cup):
    race, _cars = cup
    subscribe(WebhookEvent.CLASSIFICATION_FINAL)

    classification_declare(race=race, state=ClassificationState.PROVISIONAL)
    classification_declare(race=race, state=ClassificationState.FINAL)

    assert events_told() == [WebhookEvent.CLASSIFICATION_FINAL]


def test_no_delivery_for_an_inactive_or_another_championships_subscription(cup):
    race, _cars = cup
    subscribe(*CLASSIFICATION_EVENTS, active=False)
    subscribe(*CLASSIFICATION_EVENTS, championship="another-cup")
    ours = subscribe(*CLASSIFICATION_EVENTS, championship=SLUG)

    classification_declare(race=race, state=ClassificationState.FINAL)

    assert [d.subscription for d in WebhookDelivery.objects.all()] == [ours]


# Decisions ------------------------------------------------------------------------------------


def test_a_decision_posted_is_told_with_its_car_and_reference(cup):
    race, cars = cup
    subscribe(WebhookEvent.DECISION_POSTED)

    penalty = decide(race, cars[0])

    [payload] = told(WebhookEvent.DECISION_POSTED)
    assert payload["championship"] == SLUG
    assert payload["race"] == {"id": race.pk, "number": 2}
    assert payload["decision"]["id"] == penalty.pk
    assert payload["decision"]["reference"] == str(penalty.reference)
    assert (payload["decision"]["car"], payload["decision"]["kind"]) == (1, "TIME")
    assert payload["decision"]["withdrawn"] is False
    assert payload["urls"]["api"] == f"/api/v1/penalties/{penalty.pk}/"


def test_a_decision_also_tells_of_the_classification_version_it_makes(cup):
    race, cars = cup
    subscribe(WebhookEvent.DECISION_POSTED, *CLASSIFICATION_EVENTS)
    classification_declare(race=race, state=ClassificationState.FINAL)

    penalty = decide(race, cars[0])

    assert events_told() == [
        WebhookEvent.CLASSIFICATION_FINAL,
        WebhookEvent.DECISION_POSTED,
        WebhookEvent.CLASSIFICATION_AMENDED,
    ]
    assert told()[-1]["version"]["decision"] == str(penalty.reference)


def test_a_decision_withdrawn_on_appeal_is_told_as_withdrawn(cup):
    race, cars = cup
    subscribe(WebhookEvent.DECISION_POSTED)
    penalty = decide(race, cars[0])

    penalty_withdraw(penalty=penalty, reason="Appeal upheld")

    first, withdrawn = told(WebhookEvent.DECISION_POSTED)
    assert first["decision"]["withdrawn"] is False
    assert withdrawn["decision"]["withdrawn"] is True
    assert withdrawn["decision"]["withdrawn_reason"] == "Appeal upheld"


def test_a_decision_not_posted_by_the_stewards_is_not_told(cup):
    race, cars = cup
    subscribe(WebhookEvent.DECISION_POSTED)

    decide(race, cars[0], decided_at=None)  # as a season's import brings it

    assert told() == []


# The tables -----------------------------------------------------------------------------------


def test_the_tables_changing_is_told_once_per_transaction_after_it_commits(
    cup, django_capture_on_commit_callbacks
):
    race, _cars = cup
    subscribe(WebhookEvent.STANDINGS_CHANGED)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            for _change in range(3):
                standings_invalidate(championship_id=race.meeting.championship_id)
        assert told() == []  # not before the commit
    for callback in callbacks:
        callback()

    [payload] = told(WebhookEvent.STANDINGS_CHANGED)
    race.meeting.championship.refresh_from_db()
    assert payload == {
        "championship": SLUG,
        "changed_at": race.meeting.championship.tables_changed_at.isoformat(),
        "urls": {
            "page": f"/championships/{SLUG}/standings/",
            "api": f"/api/v1/championships/{SLUG}/standings/",
        },
    }


def test_two_championships_changed_in_one_transaction_are_told_once_each(
    cup, django_capture_on_commit_callbacks
):
    race, _cars = cup
    other = make_championship("other-cup")
    subscribe(WebhookEvent.STANDINGS_CHANGED)

    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            for championship_id in (race.meeting.championship_id, other.pk) * 2:
                standings_invalidate(championship_id=championship_id)

    assert sorted(p["championship"] for p in told()) == ["other-cup", SLUG]


def test_each_transaction_tells_of_its_own_change(cup, django_capture_on_commit_callbacks):
    race, _cars = cup
    subscribe(WebhookEvent.STANDINGS_CHANGED)

    for _transaction in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            standings_invalidate(championship_id=race.meeting.championship_id)

    assert len(told(WebhookEvent.STANDINGS_CHANGED)) == 2


def test_tables_changed_in_a_transaction_rolled_back_are_not_told(
    cup, django_capture_on_commit_callbacks
):
    race, _cars = cup
    subscribe(WebhookEvent.STANDINGS_CHANGED)

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            standings_invalidate(championship_id=race.meeting.championship_id)
            raise RuntimeError("rolled back")

    assert told() == []


def test_a_decision_tells_of_the_tables_once(cup, django_capture_on_commit_callbacks):
    race, cars = cup
    subscribe(WebhookEvent.STANDINGS_CHANGED)

    with django_capture_on_commit_callbacks(execute=True):
        decide(race, cars[1])  # its version and the decision both mark the tables

    assert events_told() == [WebhookEvent.STANDINGS_CHANGED]


# Sending, after the request's commit ----------------------------------------------------------


def test_a_subscriber_receives_the_events_of_a_decision_after_the_commit(
    cup, django_capture_on_commit_callbacks
):
    race, cars = cup
    with endpoint() as server:
        subscribe(WebhookEvent.DECISION_POSTED, *CLASSIFICATION_EVENTS, url=server.url)

        with django_capture_on_commit_callbacks(execute=True):
            decide(race, cars[0])

    received = [json.loads(request.body)["event"] for request in server.received]
    assert sorted(received) == ["classification.published", "decision.posted"]
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_a_failing_endpoint_never_fails_the_api_post_of_a_decision(
    client, cup, django_capture_on_commit_callbacks
):
    race, cars = cup
    subscribe(*WebhookEvent.values, url=refused_url())
    user = make_staff("official", roles=(RACE_CONTROL_GROUP,))
    token = Token.objects.create(user=user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/penalties/",
            {"race": race.pk, "entry": cars[0].pk, "kind": "TIME", "value": 5, "reason": "Pit"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token.key}",
        )

    assert response.status_code == 201, response.content
    deliveries = WebhookDelivery.objects.all()
    assert {d.event for d in deliveries} == {
        "decision.posted",
        "classification.published",
        "standings.changed",
    }
    assert {(d.status, d.attempts, d.last_status_code) for d in deliveries} == {
        (DeliveryStatus.PENDING, 1, None)
    }
    assert all(d.next_attempt_at > timezone.now() + dt.timedelta(seconds=20) for d in deliveries)


def test_a_failing_endpoint_never_fails_the_back_offices_declaration(
    client, cup, django_capture_on_commit_callbacks
):
    race, _cars = cup
    with endpoint() as server:
        server.status = 500
        subscribe(*CLASSIFICATION_EVENTS, url=server.url)
        client = role_client(client, RACE_CONTROL_GROUP)

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("admin:championships_race_versions", args=[race.pk]),
                {"state": ClassificationState.FINAL, "reason": "Confirmed", "seen_version": 0},
            )

    assert response.status_code == 302
    delivery = WebhookDelivery.objects.get()
    assert (delivery.event, delivery.last_status_code) == ("classification.final", 500)
    assert len(server.received) == 1
