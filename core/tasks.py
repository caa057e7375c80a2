"""Core's scheduled jobs, run by the task queue's worker (`make worker`; times in UTC).

The worker imports each app's ``tasks`` module; importing ``core.queue`` and ``core.webhooks``
here registers their tasks (e-mails, webhook sends) with it too.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from huey import crontab

from core.checked_uploads import checked_uploads_expire
from core.models import DeliveryStatus, FailedTask, WebhookDelivery
from core.queue import db_periodic_task
from core.webhooks import webhooks_send_due

logger = logging.getLogger(__name__)

# How long the back office keeps failed tasks and the webhooks' delivery log.
KEEP_FAILED = dt.timedelta(days=30)


@db_periodic_task(crontab(minute="*"))
def webhooks_due() -> int:
    """Send the webhook deliveries that are due (retries after their wait, and new ones whose
    first sending did not happen); what ``manage.py deliver_webhooks`` does."""
    return len(webhooks_send_due())


@db_periodic_task(crontab(minute="*/15"))
def checked_uploads_expired() -> int:
    """Delete the checked uploads nobody applied in time, rows and bytes."""
    return checked_uploads_expire()


@db_periodic_task(crontab(minute="30", hour="3"))
def records_prune() -> int:
    """Failed tasks and finished webhook deliveries older than ``KEEP_FAILED`` go: a failed
    e-mail holds an address and its text, which the site keeps no longer than it needs."""
    before = timezone.now() - KEEP_FAILED
    failed, _ = FailedTask.objects.filter(failed_at__lt=before).delete()
    deliveries, _ = (
        WebhookDelivery.objects.filter(created_at__lt=before)
        .exclude(status=DeliveryStatus.PENDING)
        .delete()
    )
    return failed + deliveries
