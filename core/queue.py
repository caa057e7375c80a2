"""The task queue: work done after the answer by `make worker`, tried again when it fails, and
kept as a ``FailedTask`` for the back office once it has failed for good.

The queue is huey (``huey.contrib.djhuey``, configured by ``TASK_QUEUE_URL`` in the settings):
Redis when several app servers and workers share it, a SQLite file on one machine, or at once
in the calling process (the tests). Each app defines its tasks with ``db_task`` beside the
operation they run, and its scheduled jobs with ``db_periodic_task`` in its ``tasks.py``
(the worker imports every app's ``tasks`` module).

Nothing here ever fails the request that queues: ``enqueue`` records a task the queue cannot
take (its Redis away) as failed, to be run again from the back office, and logs it.
E-mails go through the queue as a whole (``QueuedEmailBackend``, the site's ``EMAIL_BACKEND``):
a request hands its messages over after its commit; ``email_send`` delivers each through
``EMAIL_DELIVERY_BACKEND`` (SMTP), trying again 1, 2, 4… minutes later.
"""

from __future__ import annotations

import logging
import traceback as tb
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.files.storage import storages
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from huey.api import Task, TaskWrapper
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task, signal
from huey.signals import SIGNAL_ERROR, SIGNAL_INTERRUPTED

from core.models import FailedTask

__all__ = ["HUEY", "db_periodic_task", "db_task", "enqueue", "enqueue_after_commit"]

logger = logging.getLogger(__name__)


def enqueue(task: TaskWrapper, *args: Any, **kwargs: Any) -> None:
    """Queue ``task(*args, **kwargs)`` now; a queue that cannot take it records it as failed."""
    call = task.s(*args, **kwargs)
    try:
        HUEY.enqueue(call)
    except Exception as error:  # the queue's storage away: never the caller's failure
        logger.exception("Task %s could not be queued", call.name)
        failed_task_record(call, error, attempts=0)


def enqueue_after_commit(task: TaskWrapper, *args: Any, **kwargs: Any) -> None:
    """``enqueue`` once the current transaction commits (at once outside one): a transaction
    rolled back queues nothing."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs), robust=True)


def task_summary(call: Task) -> str:
    """What a task was, in words, for the back office's list of failed tasks."""
    message = call.args[0] if call.args else None
    if isinstance(message, EmailMessage):
        recipients = ", ".join([*message.to, *message.cc, *message.bcc])
        return f"{message.subject} → {recipients}"[:300]
    arguments = [repr(a) for a in call.args] + [f"{k}={v!r}" for k, v in call.kwargs.items()]
    return f"{call.name}({', '.join(arguments)})"[:300]


def failed_task_record(call: Task, error: BaseException | None, *, attempts: int) -> None:
    """Keep a task that failed for good (or was never queued) for the back office."""
    try:
        FailedTask.objects.create(
            task=f"{type(call).__module__}.{call.name}",
            summary=task_summary(call),
            error=f"{type(error).__name__}: {error}"[:2000] if error else "",
            traceback="".join(tb.format_exception(error)) if error else "",
            attempts=attempts,
            data=HUEY.serialize_task(call),
        )
    except Exception:  # the database away too: the log is all there is
        logger.exception("Failed task %s not recorded: %s", call.name, task_summary(call))


@signal(SIGNAL_ERROR)
def _failed_for_good(signal_name: str, call: Task, error: BaseException | None = None) -> None:
    """Called by the worker on every error; once no retry is left, the task is a dead letter."""
    if call.retries:
        return
    failed_task_record(call, error, attempts=(call.default_retries or 0) + 1)


@signal(SIGNAL_INTERRUPTED)
def _interrupted(signal_name: str, call: Task, *args: Any) -> None:
    """A worker stopping (a deploy) puts the task it was running back in the queue, for the
    next worker: run at least once (an e-mail cut off mid-send may go twice)."""
    try:
        HUEY.enqueue(call)
    except Exception as error:
        failed_task_record(call, error, attempts=0)


class RerunRefused(Exception):
    """The failed task is gone (run again already) or its task is unknown to this site."""


@transaction.atomic
def failed_task_rerun(failed: FailedTask) -> None:
    """Queue a failed task again, with its retries afresh; its record goes (a new failure
    makes a new one). Its row is locked and deleted first, so two clicks queue it once; a
    queue refusing it keeps the record."""
    locked = FailedTask.objects.select_for_update().filter(pk=failed.pk).first()
    if locked is None:
        raise RerunRefused(f"Failed task {failed.pk} was run again already.")
    try:
        call = HUEY.deserialize_task(bytes(locked.data))
    except Exception as error:
        raise RerunRefused(f"{locked.task}: {error}") from error
    call.retries = call.default_retries
    call.retry_delay = call.default_retry_delay
    locked.delete()
    HUEY.enqueue(call)  # raising rolls the deletion back


@db_task(retries=12, retry_delay=60, retry_backoff=2)
def file_delete(*, alias: str, name: str) -> None:
    """A file ``files_discard`` could not delete at once (the store away), tried again 1, 2,
    4… minutes later (about three days in all), then a failed task to run again."""
    storages[alias].delete(name)


# E-mail ----------------------------------------------------------------------------------


@db_task(
    retries=settings.EMAIL_RETRIES,
    retry_delay=settings.EMAIL_RETRY_SECONDS,
    retry_backoff=2,
)
def email_send(message: EmailMessage) -> None:
    """Deliver one message through ``EMAIL_DELIVERY_BACKEND``; an error is tried again."""
    with get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=False) as connection:
        connection.send_messages([message])


class QueuedEmailBackend(BaseEmailBackend):
    """The site's e-mail backend: each message goes to the queue after the commit, so neither
    a slow nor a failing mail server ever holds or fails a request."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            message.connection = None  # the worker opens its own
            enqueue_after_commit(email_send, message)
        return len(email_messages)
