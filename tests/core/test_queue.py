"""The task queue (core/queue.py, huey): e-mails handed over after the commit and delivered by
the worker, retried with backoff when the mail server refuses, then kept as a failed task the
back office reads and runs again; a queue that cannot take a task never fails the request;
webhooks and the board's PDFs through the queue; the scheduled jobs and their times; and a
real worker (`manage.py run_huey`, what `make worker` starts) delivering a queued e-mail."""

from __future__ import annotations

import datetime as dt
import os
import smtplib
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail import EmailMessage, send_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from core import queue
from core.models import FailedTask
from core.queue import email_send, enqueue, failed_task_rerun
from tests.factories import documents, form_data

pytestmark = pytest.mark.django_db

APPLY = "/talent-pool/apply/"
REFUSING = "tests.core.test_queue.RefusingBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses everything."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("the mail server went away")


@pytest.fixture
def queued_mail(settings):
    """E-mail as the site sends it: through the queue, delivered to Django's test outbox."""
    settings.EMAIL_BACKEND = "core.queue.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = LOCMEM
    return settings


def message(subject: str = "Hello") -> EmailMessage:
    return EmailMessage(subject, "Body.", "cup@example.com", ["mei@example.com"])


def test_an_email_waits_for_the_commit_then_the_worker_delivers_it(
    queued_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_mail("Hello", "Body.", "cup@example.com", ["mei@example.com"])
    assert mail.outbox == []  # handed over, not sent: the transaction has not committed

    for callback in callbacks:
        callback()

    assert [m.subject for m in mail.outbox] == ["Hello"]


def test_a_refusing_mail_server_never_fails_the_request_and_the_email_is_retried(
    client, edition, queued_mail, task_queue, upload_root, django_capture_on_commit_callbacks
):
    queued_mail.EMAIL_DELIVERY_BACKEND = REFUSING

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(APPLY, {**form_data(), **documents()})

    assert response.status_code == 302
    assert response["Location"].endswith("/talent-pool/apply/thanks/")
    retry = task_queue.scheduled()
    assert [task.name for task in retry] == ["email_send"]
    assert retry[0].retries == 5  # EMAIL_RETRIES (6), one spent
    assert not FailedTask.objects.exists()


def test_retries_back_off_then_the_email_is_a_failed_task(queued_mail, task_queue, settings):
    settings.EMAIL_DELIVERY_BACKEND = REFUSING
    enqueue(email_send, message("Licence expiring"))
    delays = []

    while scheduled := task_queue.scheduled():
        (retry,) = scheduled
        delays.append(retry.retry_delay)
        task_queue.storage.flush_schedule()
        retry.eta = None  # its time has come: the worker runs it
        task_queue.execute(retry)
        assert len(delays) < 10, "retried for ever"

    failed = FailedTask.objects.get()
    # Each retry carries the wait before the one after it, doubled each time: the waits are
    # 1, 2, 4, 8, 16 and 32 minutes (about an hour), and the seventh failure is the last.
    assert delays == [120, 240, 480, 960, 1920, 3840]
    assert failed.attempts == 7
    assert failed.task == "core.queue.email_send"
    assert failed.summary == "Licence expiring → mei@example.com"
    assert failed.error == "SMTPServerDisconnected: the mail server went away"
    assert "Traceback" in failed.traceback


def test_running_a_failed_task_again_delivers_it_and_clears_it(queued_mail, task_queue, settings):
    settings.EMAIL_DELIVERY_BACKEND = REFUSING
    call = email_send.s(message("Summons"))
    call.retries = 0
    task_queue.enqueue(call)
    failed = FailedTask.objects.get()

    settings.EMAIL_DELIVERY_BACKEND = LOCMEM  # the mail server is back
    failed_task_rerun(failed)

    assert [m.subject for m in mail.outbox] == ["Summons"]
    assert not FailedTask.objects.exists()


def test_a_queue_that_cannot_take_a_task_records_it_and_raises_nothing(monkeypatch, task_queue):
    def away(task):
        raise ConnectionError("Redis went away")

    monkeypatch.setattr(task_queue, "enqueue", away)

    enqueue(email_send, message("Entry approved"))

    failed = FailedTask.objects.get()
    assert (failed.attempts, failed.summary) == (0, "Entry approved → mei@example.com")
    assert failed.error == "ConnectionError: Redis went away"


def test_the_back_office_lists_failed_tasks_and_runs_one_again(
    staff_client, queued_mail, task_queue, settings
):
    settings.EMAIL_DELIVERY_BACKEND = REFUSING
    call = email_send.s(message("Decision 12"))
    call.retries = 0
    task_queue.enqueue(call)
    failed = FailedTask.objects.get()

    listing = staff_client.get("/admin/core/failedtask/").content.decode()
    detail = staff_client.get(f"/admin/core/failedtask/{failed.pk}/change/").content.decode()
    settings.EMAIL_DELIVERY_BACKEND = LOCMEM
    staff_client.post(
        "/admin/core/failedtask/",
        {"action": "run_again", "_selected_action": [failed.pk]},
    )

    assert "Decision 12 → mei@example.com" in listing and "SMTPServerDisconnected" in listing
    assert "the mail server went away" in detail and "Traceback" in detail
    assert [m.subject for m in mail.outbox] == ["Decision 12"]
    assert not FailedTask.objects.exists()


def test_staff_without_the_permission_cannot_run_a_failed_task_again(
    client, queued_mail, task_queue, settings
):
    from tests.factories import make_staff

    settings.EMAIL_DELIVERY_BACKEND = REFUSING
    call = email_send.s(message("Decision 12"))
    call.retries = 0
    task_queue.enqueue(call)
    failed = FailedTask.objects.get()
    client.force_login(make_staff("reader", "core.view_failedtask"))
    settings.EMAIL_DELIVERY_BACKEND = LOCMEM

    page = client.get("/admin/core/failedtask/").content.decode()
    client.post("/admin/core/failedtask/", {"action": "run_again", "_selected_action": [failed.pk]})

    assert "Decision 12" in page and "run_again" not in page
    assert mail.outbox == [] and FailedTask.objects.filter(pk=failed.pk).exists()


def test_a_failed_task_is_run_again_once_however_often_it_is_asked(queued_mail, task_queue):
    call = email_send.s(message("Once"))
    queue.failed_task_record(call, RuntimeError("down"), attempts=7)
    failed = FailedTask.objects.get()

    failed_task_rerun(failed)
    with pytest.raises(queue.RerunRefused):
        failed_task_rerun(failed)

    assert [m.subject for m in mail.outbox] == ["Once"]


def test_a_failed_scheduled_job_is_run_again_from_the_back_office(task_queue):
    from core.tasks import records_prune

    old = FailedTask.objects.create(
        task="t",
        summary="old",
        error="e",
        attempts=1,
        data=b"",
        failed_at=timezone.now() - dt.timedelta(days=40),
    )
    queue.failed_task_record(records_prune.s(), RuntimeError("database away"), attempts=1)
    failed = FailedTask.objects.exclude(pk=old.pk).get()

    failed_task_rerun(failed)  # the web process knows every app's tasks, not the worker alone

    assert not FailedTask.objects.exists()  # the job ran: the old record pruned, its own gone


def test_webhooks_are_sent_by_the_queue(monkeypatch, settings, task_queue):
    settings.WEBHOOKS_SEND_IN_BACKGROUND = True
    sent, queued = [], []
    monkeypatch.setattr("core.webhooks.webhook_send", lambda *, ids, limit: sent.append(ids))
    real_enqueue = task_queue.enqueue
    monkeypatch.setattr(
        task_queue, "enqueue", lambda call: queued.append(call.name) or real_enqueue(call)
    )
    from core.webhooks import webhook_send_soon

    webhook_send_soon(ids=[4, 5])

    assert queued == ["webhooks_send_task"]
    assert sent == [[4, 5]]


# The scheduled jobs ---------------------------------------------------------------------------


def periodic(name: str):
    from huey.contrib.djhuey import HUEY

    (task,) = [t for t in HUEY._registry._periodic_tasks if t.__name__ == name]
    return task


@pytest.mark.parametrize(
    ("name", "due", "not_due"),
    [
        ("webhooks_due", dt.datetime(2026, 12, 7, 10, 41), None),
        (
            "checked_uploads_expired",
            dt.datetime(2026, 12, 7, 10, 45),
            dt.datetime(2026, 12, 7, 10, 46),
        ),
        ("document_reminders", dt.datetime(2026, 12, 7, 1, 0), dt.datetime(2026, 12, 7, 2, 0)),
        ("talentpool_purge", dt.datetime(2026, 12, 7, 3, 0), dt.datetime(2026, 12, 7, 3, 1)),
        ("records_prune", dt.datetime(2026, 12, 7, 3, 30), dt.datetime(2026, 12, 7, 4, 30)),
        ("board_undrawn", dt.datetime(2026, 12, 7, 10, 7), dt.datetime(2026, 12, 7, 10, 8)),
    ],
)
def test_each_scheduled_job_runs_from_the_queue_at_its_time(name, due, not_due):
    import championships.tasks  # noqa: F401
    import core.tasks  # noqa: F401  (the worker imports every app's tasks module)
    import paddock.tasks  # noqa: F401
    import talentpool.tasks  # noqa: F401

    task = periodic(name)()  # an instance, as the worker makes each minute

    assert task.validate_datetime(due)
    if not_due is not None:
        assert not task.validate_datetime(not_due)


def test_old_failed_tasks_are_pruned(task_queue):
    from core.tasks import records_prune

    old = FailedTask.objects.create(
        task="t",
        summary="old",
        error="e",
        attempts=1,
        data=b"",
        failed_at=timezone.now() - dt.timedelta(days=31),
    )
    recent = FailedTask.objects.create(task="t", summary="new", error="e", attempts=1, data=b"")

    records_prune.call_local()

    assert list(FailedTask.objects.all()) == [recent]
    assert not FailedTask.objects.filter(pk=old.pk).exists()


# A real worker -----------------------------------------------------------------------------


def test_make_worker_delivers_an_email_queued_by_another_process(tmp_path):
    """Two processes and a SQLite queue: `manage.py sendtestemail` queues (the site's e-mail
    backend), `manage.py run_huey` (what `make worker` runs) delivers on its console."""
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "TASK_QUEUE_URL": f"sqlite:///{tmp_path / 'queue.sqlite3'}",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "worker-test",
        "DJANGO_HTTPS": "0",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    manage = [sys.executable, str(root / "manage.py")]
    worker = subprocess.Popen(
        [*manage, "run_huey", "--no-periodic", "--workers", "1"],
        env=env,
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(worker.stdout), daemon=True)
    reader.start()
    try:
        subprocess.run(
            [*manage, "sendtestemail", "mei@example.com"],
            env=env,
            cwd=root,
            check=True,
            capture_output=True,
            timeout=60,
        )
        deadline = time.monotonic() + 60
        while "To: mei@example.com\n" not in lines and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        reader.join(timeout=10)

    output = "".join(lines)
    assert "To: mei@example.com" in output
    assert "Test email from" in output
