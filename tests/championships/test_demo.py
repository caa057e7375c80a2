import datetime as dt
import filecmp
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from championships.models import Championship, Race
from demo.seasons import ARCHIVE_CALENDAR, ARCHIVE_ENTRIES, archive_bundle_write
from entries.models import Driver


def _load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_the_archive_bundle_is_the_same_every_time(tmp_path):
    first = archive_bundle_write(tmp_path / "a")
    second = archive_bundle_write(tmp_path / "b")

    comparison = filecmp.dircmp(first, second)
    assert not comparison.diff_files
    assert not filecmp.dircmp(first / "results", second / "results").diff_files
    assert len(list((first / "results").glob("R*-*.csv"))) == 2 * len(ARCHIVE_CALENDAR)


def test_load_demo_loads_a_complete_archive_season_and_the_example_season(db):
    _load_demo()

    archive = Championship.objects.get(slug="pcca-2023")
    example = Championship.objects.get(slug="pcca-2024")
    archive_races = Race.objects.filter(meeting__championship=archive)
    assert archive_races.count() == 2 * len(ARCHIVE_CALENDAR)
    assert archive_races.held().count() == archive_races.count()
    assert archive.entries.count() == len(ARCHIVE_ENTRIES)
    assert example.entries.count() == 18


def test_load_demo_twice_changes_nothing(db):
    _load_demo()
    before = (Championship.objects.count(), Race.objects.count(), Driver.objects.count())

    output = _load_demo()

    assert (Championship.objects.count(), Race.objects.count(), Driver.objects.count()) == before
    assert "pcca-2023: already loaded" in output
    assert "pcca-2024: already loaded" in output


def test_a_driver_of_both_demo_seasons_is_one_driver_with_the_latest_category(db):
    _load_demo()

    kai = Driver.objects.get(first_name="Kai", last_name="Lindqvist")
    assert sorted(kai.entries.values_list("championship__year", flat=True)) == [2023, 2024]
    assert kai.category_on(dt.date(2025, 1, 1)) == "GOLD"


def test_create_demo_staff_creates_the_superuser_once_and_prints_its_credentials(db, settings):
    settings.DEBUG = True  # as under `make run`; pytest-django turns it off
    out = StringIO()
    call_command("create_demo_staff", stdout=out)
    call_command("create_demo_staff", stdout=out)

    user = get_user_model().objects.get(username="demo")
    assert user.is_staff
    assert user.check_password("demo-cup-2024")
    assert out.getvalue().count("demo / demo-cup-2024") == 2
    assert get_user_model().objects.filter(username__startswith="demo").count() == 6
    assert get_user_model().objects.get(is_superuser=True) == user


def test_create_demo_staff_refuses_without_debug(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DJANGO_DEBUG off"):
        call_command("create_demo_staff", stdout=StringIO())

    assert not get_user_model().objects.exists()


def test_the_demo_season_offers_the_le_mans_prize_once(db):
    _load_demo()
    _load_demo()

    prizes = Championship.objects.get(slug="pcca-2024").prizes.all()
    assert [(p.table, p.after_round, p.award) for p in prizes if p.after_round] == [
        ("drivers", 4, "Le Mans 24 Hours")
    ]
    assert prizes.count() == 2
