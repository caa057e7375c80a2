"""The entrants' side of the demo (demo/paddock.py) on the days it is not made: DEBUG off
(its accounts share the staff's demo password) and a demo built around a past day (the entry
services read the real clock).

Apart from tests/site/test_demo_paddock.py, whose demo is loaded once for the module and would
be underneath these.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from paddock.models import EntrantTeam, EntryApplication, EntryWindow

pytestmark = pytest.mark.django_db


def load_demo(today: dt.date) -> str:
    out = StringIO()
    call_command("load_demo", "--today", today.isoformat(), stdout=out)
    return out.getvalue()


def test_without_debug_no_entrant_account_is_made(db, settings):
    settings.DEBUG = False
    output = load_demo(timezone.localdate())

    assert not get_user_model().objects.filter(email__endswith="@example.com").exists()
    assert not EntryWindow.objects.exists()
    assert "no demo entrant accounts with DJANGO_DEBUG off" in output
    assert "Notice board: no acknowledgement nor protest" in output  # the board, without them


def test_a_demo_built_around_a_past_day_has_accounts_but_no_applications(db, settings):
    settings.DEBUG = True
    output = load_demo(timezone.localdate() - dt.timedelta(days=30))

    assert get_user_model().objects.filter(email="demo-team@example.com").exists()
    assert not EntryApplication.objects.exists() and not EntryWindow.objects.exists()
    assert not EntrantTeam.objects.exists()
    assert "a past day" in output


def test_a_demo_built_around_a_later_day_opens_its_window_before_now(settings):
    settings.DEBUG = True
    load_demo(timezone.localdate() + dt.timedelta(days=200))

    window = EntryWindow.objects.get()
    assert window.opens_at < timezone.now() < window.closes_at
    statuses = EntryApplication.objects.values_list("status", flat=True)
    assert sorted(statuses) == ["APPROVED", "REFUSED", "SUBMITTED"]
