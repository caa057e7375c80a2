"""The living demo over the years (a demo loaded last year, run again), and its staff accounts.

Apart from tests/site/test_demo.py, whose demo is loaded once for the module and would be
underneath these.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from championships.models import Championship, Race, SeasonStatus
from entries.models import DamageReport
from staff.roles import ROLES
from talentpool.models import TalentPoolEdition

pytestmark = pytest.mark.django_db


def load_demo(today: dt.date) -> str:
    out = StringIO()
    call_command("load_demo", "--today", today.isoformat(), stdout=out)
    return out.getvalue()


# --- A later year ---------------------------------------------------------------------------


def test_a_demo_loaded_last_year_gets_this_years_seasons_and_archives_the_former_ones():
    load_demo(dt.date(2026, 6, 30))
    former_edition = TalentPoolEdition.objects.get(year=2027)

    output = load_demo(dt.date(2027, 6, 30))

    current = Championship.objects.get(slug="pcca-2027")  # last year's draft, now run
    assert current.status == SeasonStatus.PUBLISHED and current.featured
    assert Race.objects.filter(meeting__championship=current).held().count() == 8
    assert Championship.objects.get(slug="pcca-2026").status == SeasonStatus.ARCHIVED
    assert Championship.objects.get(slug="pscc-2026").status == SeasonStatus.ARCHIVED
    assert Championship.objects.get(slug="pscc-2027").status == SeasonStatus.PUBLISHED
    assert Championship.objects.get(slug="pcca-2028").status == SeasonStatus.DRAFT
    former_edition.refresh_from_db()
    assert former_edition.championship_id == current.pk  # its winners joined it
    assert TalentPoolEdition.objects.get(year=2028).championship.slug == "pcca-2028"
    assert DamageReport.objects.filter(meeting__championship=current).count() == 1
    assert "pcca-2026: archived." in output


# --- Staff accounts -------------------------------------------------------------------------


def test_create_demo_staff_makes_one_account_per_role_and_prints_each(settings):
    settings.DEBUG = True  # as under `make run`; pytest-django turns it off
    out = StringIO()

    call_command("create_demo_staff", stdout=out)
    call_command("create_demo_staff", stdout=out)

    users = get_user_model().objects
    assert users.count() == 1 + len(ROLES)
    for role in ROLES:
        user = users.get(groups__name=role)
        assert user.is_staff and not user.is_superuser
        assert user.check_password("demo-cup-2024")
        assert [group.name for group in user.groups.all()] == [role]
        assert out.getvalue().count(f"{user.username} / demo-cup-2024 / {role}") == 2
    assert users.get(username="demo").is_superuser


def test_a_demo_whose_calendar_has_run_out_is_left_as_it_is_and_says_how_to_start_again():
    load_demo(dt.date(2027, 6, 30))
    before = Race.objects.count()

    output = load_demo(dt.date(2027, 9, 8))  # the same season, its last meeting behind

    assert Race.objects.count() == before
    assert "pcca-2027 was loaded on an earlier day and has no meeting ahead" in output
    assert "no meeting ahead" not in load_demo(dt.date(2027, 7, 30))


def test_load_demo_refuses_a_day_that_is_not_a_date_and_loads_nothing():
    with pytest.raises(CommandError, match="--today"):
        call_command("load_demo", "--today", "2027-02-30", stdout=StringIO())

    assert not Championship.objects.exists()
