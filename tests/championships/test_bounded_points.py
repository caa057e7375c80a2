"""Issue 14.4: points are bounded where they are stored, whatever wrote them: the database
refuses bonuses beyond what the columns hold, the model refuses points by rank out of bounds."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction

from championships.models import Championship, validate_points_list


@pytest.mark.parametrize(
    "field",
    ["pole_points", "fastest_lap_points", "rookies_pole_points", "rookies_fastest_lap_points"],
)
def test_the_database_refuses_championship_bonus_points_beyond_9999_99(championship, field):
    # SQLite refuses by the check constraint; PostgreSQL already by the numeric(6, 2) column.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Championship.objects.filter(pk=championship.pk).update(**{field: Decimal("10000.00")})


@pytest.mark.parametrize(
    "points",
    [[10**400], [10000], [25, 12.345], [1] * 1000, [float("inf")], [True], "25, 20", None],
)
def test_points_by_rank_out_of_bounds_are_refused_by_the_model(points):
    with pytest.raises(ValidationError):
        validate_points_list(points)


@pytest.mark.parametrize("points", [[], [25, 20, 17], [9999.99, 0], [12.5] * 999])
def test_points_by_rank_within_bounds_pass(points):
    validate_points_list(points)
