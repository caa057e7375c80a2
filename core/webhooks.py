"""Webhooks: signed POSTs telling media and apps what the season did.

An app below (``championships``) calls ``webhook_emit`` inside the transaction that writes
the event: one ``WebhookDelivery`` per active subscription that wants it is written in that
same transaction (an event rolled back is never told), and once it commits the deliveries are
sent (``webhook_send_soon``: by the task queue's worker unless ``WEBHOOKS_SEND_IN_BACKGROUND``
is off). A delivery that fails is tried again after ``BACKOFF`` by the queue's scheduled
``webhooks_due`` (every minute; ``manage.py deliver_webhooks`` does the same by hand); after
``MAX_ATTEMPTS`` it is failed, and stays in the log for the back office's "Retry now": the
delivery log is the webhooks' dead letters.
Nothing here ever raises into the request that caused the event.

What a subscriber receives (docs/OPERATIONS.md, "Webhooks")::

    POST <url>
    Content-Type: application/json
    X-CupManager-Event: classification.final
    X-CupManager-Delivery: <the delivery's uuid, the same on every attempt>
    X-CupManager-Timestamp: <Unix time of this attempt, in seconds>
    X-CupManager-Signature: sha256=<hex HMAC-SHA256, keyed with the secret, of
                            f"{timestamp}.{body}", body the exact bytes received>

    {"created_at": "...", "data": {...}, "event": "classification.final", "id": "<uuid>"}
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from core.queue import db_task, enqueue

logger = logging.getLogger(__name__)

# The wait after each failed attempt; the attempt after the last wait is the last one.
BACKOFF = (
    dt.timedelta(seconds=30),
    dt.timedelta(minutes=2),
    dt.timedelta(minutes=10),
    dt.timedelta(hours=1),
    dt.timedelta(hours=6),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
TIMEOUT_SECONDS = 5
# How many deliveries a sender claims at once; it keeps them from other senders for as long as
# posting them all may take (``TIMEOUT_SECONDS`` each) and ``LEASE`` more.
BATCH = 10
LEASE = dt.timedelta(minutes=1)
USER_AGENT = "CupManager-Webhooks/1"

Payload = dict[str, Any] | Callable[[], dict[str, Any]]


def webhook_signature(secret: str, timestamp: str | int, body: bytes) -> str:
    """The ``X-CupManager-Signature`` of ``body`` sent at ``timestamp``: ``sha256=`` and the
    hex HMAC-SHA256, keyed with ``secret``, of ``f"{timestamp}.{body}"``. A subscriber computes
    it over the bytes it received and compares with ``hmac.compare_digest``."""
    signed = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def webhook_wanted(event: str) -> bool:
    """Whether any active subscription wants ``event`` (of any championship): spares the
    caller building a payload nobody reads. One query."""
    subscribed = WebhookSubscription.objects.filter(active=True).values_list("events", flat=True)
    return any(event in events for events in subscribed)


def webhook_emit(event: str, payload: Payload, *, championship: str) -> list[WebhookDelivery]:
    """Tell ``event`` of ``championship`` (a slug) to every active subscription that wants it:
    one delivery each, written in the caller's transaction and sent once it commits.
    ``payload`` may be a function, called only if someone subscribed."""
    wanting = [
        subscription
        for subscription in WebhookSubscription.objects.filter(active=True)
        if subscription.wants(event, championship)
    ]
    if not wanting:
        return []
    data = payload() if callable(payload) else payload
    deliveries = [
        WebhookDelivery.objects.create(subscription=subscription, event=event, payload=data)
        for subscription in wanting
    ]
    _send_after_commit([delivery.pk for delivery in deliveries])
    return deliveries


def webhook_ping(*, subscription: WebhookSubscription) -> WebhookDelivery:
    """A test delivery (event ``ping``) to ``subscription``, active or not."""
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event=WebhookEvent.PING,
        payload={"subscription": subscription.name, "events": subscription.events},
    )
    _send_after_commit([delivery.pk])
    return delivery


def webhook_retry(*, deliveries: QuerySet[WebhookDelivery]) -> int:
    """Try ``deliveries`` again now (those not delivered yet); how many. A failed delivery
    gets one more attempt, and is failed again if it fails."""
    ids = list(deliveries.exclude(status=DeliveryStatus.DELIVERED).values_list("pk", flat=True))
    WebhookDelivery.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.PENDING, next_attempt_at=timezone.now()
    )
    _send_after_commit(ids)
    return len(ids)


def _send_after_commit(ids: list[int]) -> None:
    # robust: an error sending (there should be none) is logged, never raised to the caller.
    transaction.on_commit(lambda: webhook_send_soon(ids=ids), robust=True)


def webhook_send_soon(*, ids: list[int]) -> None:
    """``webhook_send`` of ``ids`` by the task queue's worker (``WEBHOOKS_SEND_IN_BACKGROUND``,
    the default), so that the request that caused them answers at once; else now."""
    if not settings.WEBHOOKS_SEND_IN_BACKGROUND:
        webhook_send(ids=ids, limit=len(ids))
        return
    enqueue(webhooks_send_task, ids=ids)


@db_task()
def webhooks_send_task(*, ids: list[int]) -> None:
    """The queue's task: a failure leaves them pending, for ``webhooks_due`` (core/tasks.py),
    which sends what is due every minute with the deliveries' own backoff."""
    webhook_send(ids=ids, limit=len(ids))


def webhook_send(*, ids: Iterable[int] | None = None, limit: int = BATCH) -> list[WebhookDelivery]:
    """Send the due pending deliveries (of ``ids``, else all), at most ``limit``; each is
    claimed first, so two senders at once never send one delivery twice."""
    rows = (
        WebhookDelivery.objects.all()
        if ids is None
        else WebhookDelivery.objects.filter(pk__in=list(ids))
    )
    claimed = webhook_claim(rows, limit=limit)
    for delivery in claimed:
        webhook_deliver(delivery)
    return claimed


def webhooks_send_due(*, max_batches: int = 100) -> list[WebhookDelivery]:
    """Every delivery that is due, a batch at a time (each batch's deliveries are due no more
    once tried; ``max_batches`` bounds one run): the queue's ``webhooks_due`` every minute,
    and ``manage.py deliver_webhooks``."""
    sent: list[WebhookDelivery] = []
    for _batch in range(max_batches):
        claimed = webhook_send()
        sent += claimed
        if len(claimed) < BATCH:
            break
    return sent


def webhook_claim(rows: QuerySet[WebhookDelivery], *, limit: int) -> list[WebhookDelivery]:
    """The due pending ``rows`` (at most ``limit``), locked (rows another sender holds are
    skipped, where the database can) and their next attempt put off while they are sent, so
    that no other sender takes them; a sender that dies leaves them due again soon after."""
    now = timezone.now()
    due = rows.due(now).select_related("subscription").order_by("next_attempt_at", "pk")
    features = connection.features
    if features.has_select_for_update_skip_locked:
        of = ("self",) if features.has_select_for_update_of else ()
        due = due.select_for_update(skip_locked=True, of=of)
    with transaction.atomic():
        claimed = list(due[:limit])
        sending = dt.timedelta(seconds=TIMEOUT_SECONDS * len(claimed)) + LEASE
        WebhookDelivery.objects.filter(pk__in=[d.pk for d in claimed]).update(
            next_attempt_at=now + sending
        )
    return claimed


def webhook_body(delivery: WebhookDelivery) -> bytes:
    """What is posted for ``delivery``: the same bytes on every attempt."""
    document = {
        "id": str(delivery.delivery_id),
        "event": delivery.event,
        "created_at": delivery.created_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def webhook_deliver(delivery: WebhookDelivery) -> bool:
    """POST ``delivery`` to its subscription's URL once and record how it went: delivered on a
    2xx answer, else tried again after the next wait of ``BACKOFF``, failed after
    ``MAX_ATTEMPTS``. True if delivered. Never raises for the endpoint's sake."""
    body = webhook_body(delivery)
    timestamp = str(int(time.time()))
    request = urllib.request.Request(
        delivery.subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-CupManager-Event": delivery.event,
            "X-CupManager-Delivery": str(delivery.delivery_id),
            "X-CupManager-Timestamp": timestamp,
            "X-CupManager-Signature": webhook_signature(
                delivery.subscription.secret, timestamp, body
            ),
        },
    )
    status_code, error = _post(request)
    _record(delivery, status_code, error)
    return delivery.status == DeliveryStatus.DELIVERED


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a delivery: urllib would follow it with a GET."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _post(request: urllib.request.Request) -> tuple[int | None, str]:
    """The endpoint's status code (None if it never answered) and what went wrong, if any."""
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, ""
    except urllib.error.HTTPError as answer:
        answer.close()
        return answer.code, f"HTTP {answer.code} {answer.reason}"
    except Exception as error:  # refused, timed out, a bad certificate, a malformed URL…
        reason = getattr(error, "reason", None) or error
        return None, f"{type(error).__name__}: {reason}"


def _record(delivery: WebhookDelivery, status_code: int | None, error: str) -> None:
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_status_code = status_code
    delivery.last_error = error[:300]
    if status_code is not None and 200 <= status_code < 300:
        delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, now
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
    else:
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
    delivery.save(
        update_fields=[
            "attempts",
            "last_status_code",
            "last_error",
            "status",
            "delivered_at",
            "next_attempt_at",
        ]
    )
