"""Reminders: each approved entry's driver's document expiring before or during a coming
meeting is e-mailed to the team once, in its language; a dry run sends nothing; an e-mail the
mail server refuses is not recorded, so the next day's run sends it."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from paddock.models import ApplicationStatus, DocumentKind, DocumentReminder
from paddock.services.checks import document_reminders_send
from tests.factories import make_championship, make_meeting
from tests.paddock.factories import (
    make_account,
    make_application,
    make_entrant_team,
    make_window,
)
from tests.paddock.test_expiry import FIRST, LAST, enter

TEN_DAYS_BEFORE = FIRST - dt.timedelta(days=10)


@pytest.fixture
def season(db):
    championship = make_championship(year=2027)
    meeting = make_meeting(championship, 1, start_date=FIRST, end_date=LAST)
    return make_window(championship), meeting


@pytest.fixture
def account(db):
    return make_entrant_team(manager=make_account("boss@example.com"))


def approved(window, account, **expiry):
    entry, profile = enter(window.championship, account, **expiry)
    make_application(window, account, profile, status=ApplicationStatus.APPROVED, entry=entry)
    return entry, profile


def test_a_document_expiring_during_the_meeting_is_emailed_to_the_managers_once(season, account):
    window, meeting = season
    entry, profile = approved(window, account, licence=FIRST)

    first = document_reminders_send(today=TEN_DAYS_BEFORE)
    again = document_reminders_send(today=TEN_DAYS_BEFORE + dt.timedelta(days=1))

    assert [(r.driver, r.document.kind, r.meeting, r.sent) for r in first] == [
        (profile, DocumentKind.LICENCE, meeting, True)
    ]
    assert again == []
    (message,) = mail.outbox
    assert message.to == ["boss@example.com"]
    assert profile.full_name in message.subject
    assert "during" in message.body and f"car {entry.car_number}" in message.body
    assert DocumentReminder.objects.get().document.driver == profile


def test_each_expiring_document_has_its_own_email_and_the_valid_ones_none(season, account):
    window, _ = season
    approved(window, account, licence=dt.date(2027, 4, 1), medical=dt.date(2027, 4, 19))
    approved(window, account)  # in order

    reminders = document_reminders_send(today=TEN_DAYS_BEFORE)

    assert sorted(r.document.kind for r in reminders) == ["LICENCE", "MEDICAL"]
    assert len(mail.outbox) == 2
    assert "before" in mail.outbox[0].body


def test_the_email_is_in_the_teams_language(season, account):
    account.language = "zh-hans"
    account.save()
    approved(season[0], account, licence=FIRST)

    document_reminders_send(today=TEN_DAYS_BEFORE)

    # The month is Django's own translation: the body was rendered in Chinese.
    assert "四月" in mail.outbox[0].body


def test_a_dry_run_sends_and_records_nothing(season, account):
    approved(season[0], account, licence=FIRST)

    reminders = document_reminders_send(today=TEN_DAYS_BEFORE, dry_run=True)

    assert [r.sent for r in reminders] == [False]
    assert mail.outbox == []
    assert not DocumentReminder.objects.exists()


def test_a_refused_email_is_logged_not_recorded_and_sent_the_next_day(
    season, account, monkeypatch, caplog
):
    approved(season[0], account, licence=FIRST)

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    with monkeypatch.context() as patch:
        patch.setattr("paddock.emails.send_mail", refuse)
        failed = document_reminders_send(today=TEN_DAYS_BEFORE)

    assert [r.sent for r in failed] == [False]
    assert not DocumentReminder.objects.exists()
    assert "not sent" in caplog.text

    retried = document_reminders_send(today=TEN_DAYS_BEFORE + dt.timedelta(days=1))

    assert [r.sent for r in retried] == [True]
    assert len(mail.outbox) == 1
    assert DocumentReminder.objects.count() == 1


def test_only_meetings_within_the_windows_reminder_days_are_reminded(season, account):
    window, _ = season
    window.reminder_days = 5
    window.save()
    approved(window, account, licence=FIRST)

    assert document_reminders_send(today=FIRST - dt.timedelta(days=6)) == []
    assert len(document_reminders_send(today=FIRST - dt.timedelta(days=5))) == 1


def test_a_meeting_already_started_is_not_reminded(season, account):
    approved(season[0], account, licence=FIRST)

    assert document_reminders_send(today=LAST) == []


def test_a_championship_without_a_window_reminds_fourteen_days_before(season, account):
    window, meeting = season
    approved(window, account, licence=FIRST)
    window.delete()  # the applications stay, as the entries do

    assert document_reminders_send(today=FIRST - dt.timedelta(days=15)) == []
    assert len(document_reminders_send(today=FIRST - dt.timedelta(days=14))) == 1


def test_entries_not_approved_are_not_reminded(season, account):
    window, _ = season
    entry, profile = enter(window.championship, account, licence=FIRST)
    make_application(window, account, profile)  # submitted, no entry yet

    assert document_reminders_send(today=TEN_DAYS_BEFORE) == []


def test_a_guest_entry_is_reminded_of_its_own_meeting_only(season, account):
    window, meeting = season
    other = make_meeting(window.championship, 2, start_date=FIRST + dt.timedelta(days=3))
    entry, profile = enter(window.championship, account, licence=FIRST)
    make_application(
        window, account, profile, status=ApplicationStatus.APPROVED, entry=entry, meeting=other
    )

    reminders = document_reminders_send(today=TEN_DAYS_BEFORE)

    assert [r.meeting for r in reminders] == [other]


def test_a_missing_document_has_no_reminder_to_record(season, account):
    window, _ = season
    entry, profile = enter(window.championship, account, documents=False)
    make_application(window, account, profile, status=ApplicationStatus.APPROVED, entry=entry)

    assert document_reminders_send(today=TEN_DAYS_BEFORE) == []


def test_the_command_prints_what_it_sent(season, account, capsys):
    approved(season[0], account, licence=FIRST)

    call_command("paddock_remind", "--today", TEN_DAYS_BEFORE.isoformat(), "--dry-run")
    dry = capsys.readouterr().out
    call_command("paddock_remind", "--today", TEN_DAYS_BEFORE.isoformat())
    sent = capsys.readouterr().out

    assert "Would send" in dry and "none sent" in dry
    assert "Sent:" in sent and "1 of 1 reminder(s) sent" in sent
    assert len(mail.outbox) == 1


def test_the_command_refuses_a_day_it_cannot_read(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("paddock_remind", "--today", "tomorrow")
