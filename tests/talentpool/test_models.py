"""Rules about one edition or one application, and the database's own guards."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from talentpool.models import (
    Application,
    ApplicationStatus,
    Review,
    TalentPoolEdition,
    latest_birth_date,
    new_reference,
)
from tests.factories import make_championship, make_edition, submit

D = dt.date


def _edition(reference: dt.date, min_age: int = 16, max_age: int = 26) -> TalentPoolEdition:
    return TalentPoolEdition(reference_date=reference, min_age=min_age, max_age=max_age)


@pytest.mark.parametrize(
    ("born", "fits"),
    [
        (D(2010, 12, 31), True),  # 16 on the reference day itself
        (D(2011, 1, 1), False),  # 15: one day too young
        (D(2000, 1, 1), True),  # 26 until the day after the reference date
        (D(1999, 12, 31), False),  # 27 on the reference day: one day too old
    ],
)
def test_ages_are_measured_on_the_reference_date_both_limits_inclusive(born, fits):
    edition = _edition(D(2026, 12, 31))

    assert (edition.age_problem(born) is None) is fits


def test_the_age_message_says_the_dates():
    problem = _edition(D(2026, 12, 31)).age_problem(D(2011, 1, 1))

    assert "16 to 26" in problem
    assert "Dec. 31, 2026" in problem
    assert "Jan. 1, 2000" in problem and "Dec. 31, 2010" in problem
    assert "you will be 15" in problem


def test_the_birth_date_range_matches_the_age_rule():
    assert _edition(D(2026, 12, 31)).birth_date_range() == (D(2000, 1, 1), D(2010, 12, 31))


def test_a_leap_day_birthday_counts_on_the_first_of_march():
    # Born 29 February 2000: still 26 on 28 February 2027, 27 from 1 March 2027.
    born = D(2000, 2, 29)

    assert _edition(D(2027, 2, 28)).age_problem(born) is None
    assert _edition(D(2027, 3, 1)).age_problem(born) is not None


def test_a_leap_day_birthday_reaches_the_minimum_age_on_the_first_of_march():
    born = D(2009, 2, 28)
    leap_born = D(2008, 2, 29)

    assert _edition(D(2025, 2, 28), min_age=17).age_problem(leap_born) is not None
    assert _edition(D(2025, 3, 1), min_age=17).age_problem(leap_born) is None
    assert _edition(D(2026, 2, 28), min_age=17).age_problem(born) is None


def test_a_leap_day_reference_date_ends_the_range_on_the_same_leap_day():
    assert latest_birth_date(D(2028, 2, 29), 16) == D(2012, 2, 29)
    assert _edition(D(2028, 2, 29)).birth_date_range() == (D(2001, 3, 1), D(2012, 2, 29))


@pytest.mark.parametrize(
    ("born", "reference", "minor"),
    [
        (D(2008, 12, 31), D(2026, 12, 31), False),  # 18 that day
        (D(2009, 1, 1), D(2026, 12, 31), True),  # 17
        (D(2008, 2, 29), D(2026, 2, 28), True),  # leap-day birthday not reached yet
        (D(2008, 2, 29), D(2026, 3, 1), False),
    ],
)
def test_minors_are_under_18_on_the_reference_date(born, reference, minor):
    assert _edition(reference).is_minor(born) is minor


def test_references_are_unguessable_codes_with_the_year():
    references = {new_reference(2026) for _ in range(200)}

    assert len(references) == 200
    assert all(r.startswith("TP26-") and len(r) == 14 for r in references)
    assert not any(set(r) & set("ILOU") for r in references)


def test_statuses_move_forward_one_step_and_withdrawn_is_final():
    application = Application(status=ApplicationStatus.SUBMITTED)

    assert application.can_move_to(ApplicationStatus.UNDER_REVIEW)
    assert not application.can_move_to(ApplicationStatus.SELECTED)
    application.status = ApplicationStatus.WITHDRAWN
    assert application.next_statuses() == ()


def test_the_current_edition_is_the_open_one_else_the_next_else_the_latest(db):
    now = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    championship = make_championship()
    past = make_edition(
        championship,
        year=2025,
        opens_at=now.replace(year=2025),
        closes_at=now.replace(year=2025, month=7),
    )
    assert TalentPoolEdition.objects.current(now) == past
    future = make_edition(
        championship,
        year=2027,
        opens_at=now.replace(year=2027),
        closes_at=now.replace(year=2027, month=7),
    )
    assert TalentPoolEdition.objects.current(now) == future
    open_now = make_edition(
        championship, opens_at=now.replace(month=5), closes_at=now.replace(month=7)
    )
    assert TalentPoolEdition.objects.current(now) == open_now


# --- Database guards -----------------------------------------------------------------------


def _refused(**changes) -> bool:
    try:
        with transaction.atomic():
            Application.objects.filter(pk=changes.pop("pk")).update(**changes)
    except IntegrityError:
        return True
    return False


def test_the_database_refuses_a_second_application_with_the_same_email(db):
    edition = make_edition()
    submit(edition)

    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            **{
                f.attname: getattr(Application.objects.get(), f.attname)
                for f in Application._meta.concrete_fields
                if not f.primary_key
            }
            | {"reference": "TP26-XXXX-XXXX", "first_name": "Other"}
        )


def test_the_database_refuses_the_same_person_twice_whatever_the_case(db):
    edition = make_edition()
    submit(edition)
    other = submit(edition, email="second@example.com", first_name="Ann")

    assert _refused(pk=other.pk, first_name="MEI")


def test_the_database_refuses_upper_case_emails_and_missing_consents(db):
    application = submit(make_edition())

    assert _refused(pk=application.pk, email="Mei.Tan@example.com")
    assert _refused(pk=application.pk, data_consent=False)
    assert _refused(pk=application.pk, minor=True)  # a minor without a guardian
    assert _refused(pk=application.pk, status="hired")


def test_the_database_refuses_scores_outside_1_to_10(db, django_user_model):
    application = submit(make_edition())
    reviewer = django_user_model.objects.create_user("rev")

    for bad in (0, 11):
        with pytest.raises(IntegrityError), transaction.atomic():
            Review.objects.create(application=application, reviewer=reviewer, fitness=bad)
    Review.objects.create(application=application, reviewer=reviewer, fitness=10, media=1)


def test_scores_average_per_criterion_and_overall(db, django_user_model):
    application = submit(make_edition())
    a, b = (django_user_model.objects.create_user(n) for n in ("a", "b"))
    Review.objects.create(application=application, reviewer=a, racing_record=8, fitness=6)
    Review.objects.create(application=application, reviewer=b, racing_record=6, attitude=10)

    scored = Application.objects.with_scores().get()

    assert scored.review_count == 2
    assert scored.avg_racing_record == 7
    assert scored.avg_media is None
    assert scored.overall == pytest.approx((8 + 6 + 6 + 10) / 4)
