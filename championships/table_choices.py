"""The tables a championship has, as the standings page, home page and archive name them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from championships.standings.data import DEALERS, DRIVERS, ROOKIES, TEAMS, class_table_key


@dataclass(frozen=True)
class TableChoice:
    """One table: ``value`` is what the standings page's ``table`` parameter says."""

    value: str
    table: str
    class_code: str | None
    label: str | Promise


def class_label(code: str) -> str:
    """PRO_AM reads PRO-AM."""
    return code.replace("_", "-")


def table_choices(class_codes: Sequence[str]) -> list[TableChoice]:
    """Drivers, each class, rookies, teams and dealer trophy, in that order."""
    classes = [
        TableChoice(
            class_table_key(code),
            DRIVERS,
            code,
            _("%(code)s class") % {"code": class_label(code)},
        )
        for code in class_codes
    ]
    return [
        TableChoice(DRIVERS, DRIVERS, None, _("Drivers")),
        *classes,
        TableChoice(ROOKIES, ROOKIES, None, _("Rookies")),
        TableChoice(TEAMS, TEAMS, None, _("Teams")),
        TableChoice(DEALERS, DEALERS, None, _("Dealer trophy")),
    ]


def choice_for(class_codes: Sequence[str], value: str) -> TableChoice | None:
    return next((c for c in table_choices(class_codes) if c.value == value), None)
