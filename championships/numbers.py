"""How the site writes a number: points, seconds and factors without needless decimals."""

from __future__ import annotations

from decimal import Decimal


def plain(value: Decimal | float | int) -> str:
    """12.5 for 12.50, 30 for 30.000, never the exponent form ``3E+1`` of ``normalize()``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)
