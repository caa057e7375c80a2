"""Webhooks: signed POSTs to a subscriber's endpoint (a server on 127.0.0.1 started by the
test), retried with growing waits, failed after the last attempt, sent again by the command
when due, and their back office."""

import datetime as dt
import hashlib
import hmac
import io
import json

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import DeliveryStatus, WebhookDelivery, WebhookEvent, WebhookSubscription
from core.webhooks import (
    BACKOFF,
    MAX_ATTEMPTS,
    webhook_deliver,
    webhook_emit,
    webhook_retry,
    webhook_signature,
)
from staff.roles import RACE_CONTROL_GROUP, READ_ONLY_STAFF_GROUP, SERIES_MANAGER_GROUP
from tests.factories import role_client
from tests.webhook_endpoint import endpoint, refused_url

pytestmark = pytest.mark.django_db

FINAL = WebhookEvent.CLASSIFICATION_FINAL
PAYLOAD = {"championship": "pcca-2024", "round": 3, "race": {"id": 7, "number": 2}}


@pytest.fixture
def subscriber():
    with endpoint() as server:
        yield server


def subscribe(url: str, *events: str, **fields) -> WebhookSubscription:
    return WebhookSubscription.objects.create(
        name=fields.pop("name", "Motorsport Daily"),
        url=url,
        events=list(events or [FINAL]),
        **fields,
    )


def delivery_to(url: str, **fields) -> WebhookDelivery:
    return WebhookDelivery.objects.create(
        subscription=subscribe(url), event=FINAL, payload=PAYLOAD, **fields
    )


def emit_and_commit(django_capture_on_commit_callbacks, **fields) -> list[WebhookDelivery]:
    with django_capture_on_commit_callbacks(execute=True):
        deliveries = webhook_emit(FINAL, PAYLOAD, championship="pcca-2024", **fields)
    for delivery in deliveries:
        delivery.refresh_from_db()
    return deliveries


def waited(delivery: WebhookDelivery, before: dt.datetime) -> dt.timedelta:
    """The wait before ``delivery``'s next attempt, to the second."""
    return dt.timedelta(seconds=round((delivery.next_attempt_at - before).total_seconds()))


# Signing and sending ------------------------------------------------------------------------


def test_the_signature_is_an_hmac_sha256_of_the_timestamp_a_dot_and_the_body():
    expected = hmac.new(b"s3cret", b"1700000000.{}", hashlib.sha256).hexdigest()

    assert webhook_signature("s3cret", 1700000000, b"{}") == f"sha256={expected}"
    assert webhook_signature("s3cret", "1700000001", b"{}") != f"sha256={expected}"


def test_a_delivery_is_posted_as_json_signed_with_the_subscriptions_secret(
    subscriber, django_capture_on_commit_callbacks
):
    subscription = subscribe(subscriber.url)

    [delivery] = emit_and_commit(django_capture_on_commit_callbacks)

    [request] = subscriber.received
    headers = {name.lower(): value for name, value in request.headers.items()}
    timestamp = headers["x-cupmanager-timestamp"]
    signed = f"{timestamp}.".encode() + request.body
    mac = hmac.new(subscription.secret.encode(), signed, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["x-cupmanager-signature"], f"sha256={mac}")
    assert headers["content-type"] == "application/json"
    assert headers["x-cupmanager-event"] == "classification.final"
    assert headers["x-cupmanager-delivery"] == str(delivery.delivery_id)
    assert abs(int(timestamp) - timezone.now().timestamp()) < 60
    assert json.loads(request.body) == {
        "id": str(delivery.delivery_id),
        "event": "classification.final",
        "created_at": delivery.created_at.isoformat(),
        "data": PAYLOAD,
    }
    assert request.path == "/hooks/cupmanager"


def test_a_2xx_answer_marks_the_delivery_delivered(subscriber, django_capture_on_commit_callbacks):
    subscriber.status = 204
    subscribe(subscriber.url)

    [delivery] = emit_and_commit(django_capture_on_commit_callbacks)

    assert delivery.status == DeliveryStatus.DELIVERED
    assert (delivery.attempts, delivery.last_status_code, delivery.last_error) == (1, 204, "")
    assert delivery.delivered_at is not None


def test_nothing_is_sent_before_the_transaction_commits(subscriber):
    subscribe(subscriber.url)

    [delivery] = webhook_emit(FINAL, PAYLOAD, championship="pcca-2024")  # never committed

    delivery.refresh_from_db()
    assert subscriber.received == []
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)


def test_an_event_rolled_back_leaves_no_delivery(subscriber):
    subscribe(subscriber.url)

    with pytest.raises(RuntimeError), transaction.atomic():
        webhook_emit(FINAL, PAYLOAD, championship="pcca-2024")
        raise RuntimeError("the write that caused the event failed")

    assert not WebhookDelivery.objects.exists()


def test_only_active_subscriptions_to_the_event_and_championship_get_a_delivery(subscriber):
    everything = subscribe(subscriber.url, name="Every championship")
    this_one = subscribe(subscriber.url, name="This one", championship="pcca-2024")
    subscribe(subscriber.url, name="Another championship", championship="pcca-2025")
    subscribe(subscriber.url, name="Inactive", active=False)
    subscribe(subscriber.url, WebhookEvent.DECISION_POSTED, name="Decisions only")

    deliveries = webhook_emit(FINAL, PAYLOAD, championship="pcca-2024")

    assert {d.subscription for d in deliveries} == {everything, this_one}


def test_a_payload_function_is_called_only_when_someone_subscribed(subscriber):
    calls = []

    def payload() -> dict:
        calls.append(1)
        return PAYLOAD

    webhook_emit(FINAL, payload, championship="pcca-2024")
    subscribe(subscriber.url)
    webhook_emit(FINAL, payload, championship="pcca-2024")

    assert calls == [1]
    assert WebhookDelivery.objects.get().payload == PAYLOAD


# Retries --------------------------------------------------------------------------------------


def test_a_500_answer_is_tried_again_after_30_seconds_then_2_minutes(subscriber):
    subscriber.status = 500
    delivery = delivery_to(subscriber.url)

    before = timezone.now()
    assert webhook_deliver(delivery) is False
    first = waited(delivery, before)
    before = timezone.now()
    webhook_deliver(delivery)

    delivery.refresh_from_db()
    assert (first, waited(delivery, before)) == (dt.timedelta(seconds=30), dt.timedelta(minutes=2))
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 2)
    assert delivery.last_status_code == 500
    assert delivery.last_error.startswith("HTTP 500")
    assert delivery.delivered_at is None


def test_a_refused_connection_is_tried_again_after_30_seconds():
    delivery = delivery_to(refused_url())

    before = timezone.now()
    webhook_deliver(delivery)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert delivery.last_status_code is None
    assert "refused" in delivery.last_error.lower()
    assert waited(delivery, before) == dt.timedelta(seconds=30)


def test_a_redirect_is_not_followed_nor_taken_for_a_delivery(subscriber):
    subscriber.status = 302
    delivery = delivery_to(subscriber.url)

    webhook_deliver(delivery)

    assert (delivery.status, delivery.last_status_code) == (DeliveryStatus.PENDING, 302)
    assert len(subscriber.received) == 1


def test_the_waits_grow_and_the_sixth_failed_attempt_is_the_last(subscriber):
    subscriber.status = 503
    delivery = delivery_to(subscriber.url)
    waits = []

    for _attempt in range(MAX_ATTEMPTS):
        before = timezone.now()
        webhook_deliver(delivery)
        if delivery.status == DeliveryStatus.PENDING:
            waits.append(waited(delivery, before))

    delivery.refresh_from_db()
    assert waits == [
        dt.timedelta(seconds=30),
        dt.timedelta(minutes=2),
        dt.timedelta(minutes=10),
        dt.timedelta(hours=1),
        dt.timedelta(hours=6),
    ]
    assert list(BACKOFF) == waits
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 6)
    assert len(subscriber.received) == 6


def test_a_failed_delivery_retried_gets_one_more_attempt(
    subscriber, django_capture_on_commit_callbacks
):
    delivery = delivery_to(subscriber.url, status=DeliveryStatus.FAILED, attempts=MAX_ATTEMPTS)

    with django_capture_on_commit_callbacks(execute=True):
        count = webhook_retry(deliveries=WebhookDelivery.objects.all())

    delivery.refresh_from_db()
    assert count == 1
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, MAX_ATTEMPTS + 1)


def test_a_failed_delivery_failing_again_stays_failed(
    subscriber, django_capture_on_commit_callbacks
):
    subscriber.status = 500
    delivery = delivery_to(subscriber.url, status=DeliveryStatus.FAILED, attempts=MAX_ATTEMPTS)

    with django_capture_on_commit_callbacks(execute=True):
        webhook_retry(deliveries=WebhookDelivery.objects.all())

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, MAX_ATTEMPTS + 1)


# The command ----------------------------------------------------------------------------------


def test_the_command_sends_the_due_pending_deliveries_only(subscriber):
    now = timezone.now()
    due = delivery_to(subscriber.url, next_attempt_at=now - dt.timedelta(seconds=1))
    later = delivery_to(subscriber.url, next_attempt_at=now + dt.timedelta(minutes=5))
    delivered = delivery_to(
        subscriber.url, status=DeliveryStatus.DELIVERED, delivered_at=now, attempts=1
    )
    failed = delivery_to(subscriber.url, status=DeliveryStatus.FAILED, attempts=MAX_ATTEMPTS)
    out = io.StringIO()

    call_command("deliver_webhooks", stdout=out)

    assert [json.loads(r.body)["id"] for r in subscriber.received] == [str(due.delivery_id)]
    statuses = dict(WebhookDelivery.objects.values_list("pk", "status"))
    assert statuses == {
        due.pk: DeliveryStatus.DELIVERED,
        later.pk: DeliveryStatus.PENDING,
        delivered.pk: DeliveryStatus.DELIVERED,
        failed.pk: DeliveryStatus.FAILED,
    }
    assert "1 delivered, 0 to try again, 0 failed" in out.getvalue()


def test_the_command_run_twice_sends_nothing_twice(subscriber):
    delivery_to(subscriber.url)

    call_command("deliver_webhooks", stdout=io.StringIO())
    call_command("deliver_webhooks", stdout=io.StringIO())

    assert len(subscriber.received) == 1


def test_the_command_reports_a_failing_endpoint_and_leaves_it_for_later():
    delivery = delivery_to(refused_url())
    out = io.StringIO()

    call_command("deliver_webhooks", stdout=out)

    delivery.refresh_from_db()
    assert "0 delivered, 1 to try again, 0 failed" in out.getvalue()
    assert delivery.next_attempt_at > timezone.now()


# The database's rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "lost"},
        {"attempts": -1},
        {"event": "race.started"},
        {"status": DeliveryStatus.DELIVERED},  # without delivered_at
        {"delivered_at": dt.datetime(2024, 5, 1, tzinfo=dt.UTC)},  # but pending
    ],
)
def test_the_database_refuses_an_impossible_delivery(fields):
    subscription = subscribe("https://example.com/hooks")

    with pytest.raises(IntegrityError), transaction.atomic():
        WebhookDelivery.objects.create(subscription=subscription, **{"event": FINAL, **fields})


def test_the_database_refuses_a_subscription_url_that_is_not_http():
    with pytest.raises(IntegrityError), transaction.atomic():
        subscribe("ftp://example.com/hooks")


def test_each_subscription_gets_its_own_long_secret():
    one, other = subscribe("https://a.example/h"), subscribe("https://b.example/h")

    assert len(one.secret) == 64
    assert one.secret != other.secret


# The back office ----------------------------------------------------------------------------

SUBSCRIPTIONS = "admin:core_webhooksubscription_changelist"
ADD = "admin:core_webhooksubscription_add"
LOG = "admin:core_webhookdelivery_changelist"


def admin_pages(delivery: WebhookDelivery) -> list[str]:
    return [
        reverse(SUBSCRIPTIONS),
        reverse(ADD),
        reverse("admin:core_webhooksubscription_change", args=[delivery.subscription_id]),
        reverse(LOG),
        f"{reverse(LOG)}?status=failed&event=classification.final",
        f"{reverse(LOG)}?subscription__id__exact={delivery.subscription_id}",
        reverse("admin:core_webhookdelivery_change", args=[delivery.pk]),
    ]


def test_a_superuser_opens_every_webhook_page(staff_client):
    delivery = delivery_to("https://example.com/hooks")

    statuses = {url: staff_client.get(url).status_code for url in admin_pages(delivery)}

    assert set(statuses.values()) == {200}, statuses


@pytest.mark.parametrize(
    ("role", "expected"),
    [(SERIES_MANAGER_GROUP, 200), (RACE_CONTROL_GROUP, 403), (READ_ONLY_STAFF_GROUP, 403)],
)
def test_only_the_series_manager_role_opens_the_webhook_pages(client, role, expected):
    delivery = delivery_to("https://example.com/hooks")
    client = role_client(client, role)

    statuses = {url: client.get(url).status_code for url in admin_pages(delivery)}

    assert set(statuses.values()) == {expected}, statuses


def test_the_subscription_page_shows_its_secret_for_the_subscriber(staff_client):
    subscription = subscribe("https://example.com/hooks")

    page = staff_client.get(
        reverse("admin:core_webhooksubscription_change", args=[subscription.pk])
    )

    assert subscription.secret in page.content.decode()


def test_the_add_form_saves_a_subscription_with_its_events_and_a_secret(staff_client):
    response = staff_client.post(
        reverse(ADD),
        {
            "name": "Timing app",
            "url": "https://app.example.com/cupmanager",
            "events": [FINAL, WebhookEvent.STANDINGS_CHANGED],
            "championship": "pcca-2024",
            "active": "on",
        },
    )

    assert response.status_code == 302
    saved = WebhookSubscription.objects.get()
    assert saved.events == [FINAL, WebhookEvent.STANDINGS_CHANGED]
    assert (saved.championship, len(saved.secret)) == ("pcca-2024", 64)


def test_the_add_form_refuses_an_address_that_is_not_http(staff_client):
    response = staff_client.post(
        reverse(ADD), {"name": "Files", "url": "ftp://files.example.com/", "events": [FINAL]}
    )

    assert response.status_code == 200
    assert "url" in response.context["adminform"].form.errors
    assert not WebhookSubscription.objects.exists()


def test_the_ping_action_sends_a_signed_ping(
    staff_client, subscriber, django_capture_on_commit_callbacks
):
    subscription = subscribe(subscriber.url)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse(SUBSCRIPTIONS),
            {"action": "send_test_ping", "_selected_action": [subscription.pk]},
        )

    assert response.status_code == 302
    [request] = subscriber.received
    assert json.loads(request.body)["event"] == "ping"
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED


def test_the_retry_action_sends_a_failed_delivery_again(
    client, subscriber, django_capture_on_commit_callbacks
):
    delivery = delivery_to(subscriber.url, status=DeliveryStatus.FAILED, attempts=MAX_ATTEMPTS)
    client = role_client(client, SERIES_MANAGER_GROUP)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(LOG), {"action": "retry_now", "_selected_action": [delivery.pk]}
        )

    delivery.refresh_from_db()
    assert response.status_code == 302
    assert delivery.status == DeliveryStatus.DELIVERED


def test_the_log_is_read_only(staff_client):
    delivery = delivery_to("https://example.com/hooks")

    page = staff_client.get(reverse("admin:core_webhookdelivery_change", args=[delivery.pk]))
    posted = staff_client.post(
        reverse("admin:core_webhookdelivery_change", args=[delivery.pk]), {"status": "failed"}
    )

    assert page.context["has_change_permission"] is False
    assert posted.status_code == 403
    assert staff_client.get(reverse("admin:core_webhookdelivery_add")).status_code == 403


def test_the_log_reads_a_set_number_of_queries(staff_client, django_assert_num_queries):
    delivery_to("https://example.com/hooks")
    with CaptureQueriesContext(connection) as one:
        staff_client.get(reverse(LOG))
    for number in range(5):
        delivery_to(f"https://example.com/hooks/{number}")

    with django_assert_num_queries(len(one.captured_queries)):
        staff_client.get(reverse(LOG))


def test_the_subscriptions_read_a_set_number_of_queries(staff_client, django_assert_num_queries):
    subscribe("https://example.com/hooks")
    with CaptureQueriesContext(connection) as one:
        staff_client.get(reverse(SUBSCRIPTIONS))
    for number in range(5):
        subscribe(f"https://example.com/hooks/{number}")

    with django_assert_num_queries(len(one.captured_queries)):
        staff_client.get(reverse(SUBSCRIPTIONS))
