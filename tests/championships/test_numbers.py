from decimal import Decimal

import pytest

from championships.standings.data import Penalty
from championships.standings.tables import penalty_note
from core.numbers import plain


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("30.000"), "30"),
        (Decimal("12.50"), "12.5"),
        (Decimal("0.5"), "0.5"),
        (Decimal("100"), "100"),
        (25.0, "25"),
        (7, "7"),
    ],
)
def test_numbers_are_written_without_needless_decimals_or_exponents(value, text):
    assert plain(value) == text


def test_a_time_penalty_note_gives_whole_seconds_plainly():
    penalty = Penalty(1, "TIME", 1, 10, Decimal("30.000"), "Causing a collision")

    assert penalty_note(penalty) == "30 s time penalty: Causing a collision"
