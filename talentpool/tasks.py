"""The Talent Pool's scheduled job, run by the task queue's worker (`make worker`, UTC)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from huey import crontab

from core.queue import db_periodic_task
from talentpool.kept import upload_keep_purge
from talentpool.services import applications_purge


@db_periodic_task(crontab(minute="0", hour="3"))
def talentpool_purge() -> int:
    """What ``manage.py purge_talentpool`` does, daily: unsuccessful applications erased
    ``TALENTPOOL_RETENTION_MONTHS`` after their assessment, with their documents, and the
    documents kept from refused submissions once expired. How many applications went."""
    erased = applications_purge(
        today=timezone.localdate(),
        months=settings.TALENTPOOL_RETENTION_MONTHS,
        command="purge_talentpool",  # recorded as who erased them
    )
    upload_keep_purge(now=timezone.now())
    return len(erased)
