import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from entries.models import Driver, age_on, class_admission_problem
from tests.factories import (
    make_championship,
    make_class,
    make_driver,
    make_entry,
    make_meeting,
    make_race,
)


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (dt.date(1974, 3, 10), dt.date(2024, 3, 9), 49),
        (dt.date(1974, 3, 10), dt.date(2024, 3, 10), 50),
        (dt.date(1980, 2, 29), dt.date(2023, 2, 28), 42),
        (dt.date(1980, 2, 29), dt.date(2023, 3, 1), 43),
    ],
)
def test_age_counts_whole_years_completed(born, day, age):
    assert age_on(born, day) == age


def test_a_drivers_slug_is_made_of_the_name_only():
    # Issue 14.12: never the birth year; namesakes get -2, -3 (tests/entries/test_driver_slugs.py)
    assert Driver.slug_for("Kai", "Lindqvist") == "kai-lindqvist"


@pytest.fixture
def masters(db):
    championship = make_championship()
    return make_class(championship, "MASTERS", ["SILVER", "BRONZE"], min_age=50)


def test_a_class_refuses_a_category_it_does_not_admit(masters):
    problem = class_admission_problem(
        masters, category="GOLD", date_of_birth=dt.date(1960, 1, 1), first_day=dt.date(2024, 4, 20)
    )

    assert problem == "Class MASTERS admits SILVER, BRONZE, not GOLD."


def test_a_class_refuses_a_driver_younger_than_its_minimum_age_on_the_first_race(masters):
    problem = class_admission_problem(
        masters,
        category="BRONZE",
        date_of_birth=dt.date(1974, 4, 21),
        first_day=dt.date(2024, 4, 20),
    )

    assert problem == (
        "Class MASTERS needs drivers aged 50 or more on 2024-04-20; this driver is 49."
    )


def test_a_class_admits_a_driver_who_turns_the_minimum_age_on_the_first_race(masters):
    problem = class_admission_problem(
        masters,
        category="BRONZE",
        date_of_birth=dt.date(1974, 4, 20),
        first_day=dt.date(2024, 4, 20),
    )

    assert problem is None


def test_entry_clean_reports_the_class_problem_on_the_class_field(masters):
    championship = masters.championship
    make_race(make_meeting(championship), starts_at=dt.datetime(2024, 4, 20, 2, 35, tzinfo=dt.UTC))
    entry = make_entry(
        championship,
        60,
        entry_class=masters,
        driver=make_driver(category="BRONZE", date_of_birth=dt.date(1990, 1, 1)),
    )

    with pytest.raises(ValidationError) as excinfo:
        entry.clean()

    assert "needs drivers aged 50 or more" in excinfo.value.message_dict["entry_class"][0]


def test_entry_clean_refuses_a_class_of_another_championship(masters):
    other = make_championship(year=2023)
    entry = make_entry(other, 7, class_code="PRO")
    entry.entry_class = masters

    with pytest.raises(ValidationError) as excinfo:
        entry.clean()

    assert excinfo.value.message_dict["entry_class"] == [
        "This class belongs to another championship."
    ]


def test_the_first_race_day_is_the_local_date_at_the_circuit(db):
    championship = make_championship()
    meeting = make_meeting(championship)
    # 23:30 UTC on 19 April is 07:30 on 20 April in Shanghai.
    make_race(meeting, 1, starts_at=dt.datetime(2024, 4, 19, 23, 30, tzinfo=dt.UTC))
    make_race(meeting, 2, starts_at=dt.datetime(2024, 4, 21, 6, 0, tzinfo=dt.UTC))

    assert championship.first_race_day() == dt.date(2024, 4, 20)
