"""The entrants' scheduled job, run by the task queue's worker (`make worker`, UTC)."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab

from core.queue import db_periodic_task
from paddock.services.checks import document_reminders_send


@db_periodic_task(crontab(minute="0", hour="1"))
def document_reminders() -> int:
    """What ``manage.py paddock_remind`` does, daily: each team told of its drivers' documents
    expiring before or during a coming meeting, once per document and meeting. How many."""
    return len(document_reminders_send(today=timezone.localdate()))
