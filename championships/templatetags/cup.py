"""Formatting for the public pages: numbers and times as fans read them; no rules here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from html import escape
from typing import Any

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from championships.models import FiaCategory, Race
from championships.numbers import plain, timing
from championships.standings.data import COUNTBACK, Result
from championships.standings.order import Tie, ordinal
from championships.standings.payload import result_label as _result_label
from championships.standings.progress import Row, row_label
from championships.standings.rules import NO_RANK
from championships.standings.tables import DriverRow
from championships.tablechoice import class_label as _class_label

register = template.Library()


@register.filter
def points(value: Decimal | int | None) -> str:
    """25 for 25.00, 12.5 for 12.50; an en dash for none."""
    if value is None:
        return "–"
    return plain(Decimal(value))


@register.filter
def laptime(value: dt.timedelta | None) -> str:
    """A lap or race time: 1:58.452, 30:01.632 or 1:02:03.456."""
    return timing(value)


@register.filter
def gap(value: dt.timedelta) -> str:
    """The time behind the winner: +1.346, or +1:02.500 beyond a minute."""
    millis = round(value / dt.timedelta(milliseconds=1))
    if millis < 60_000:
        return f"+{millis // 1000}.{millis % 1000:03d}"
    return f"+{laptime(value)}"


@register.filter
def fia_category(code: str | None) -> str:
    """A category code as its label (Gold, …), in the page's language."""
    return FiaCategory(code).label if code in FiaCategory.values else ""


@register.filter
def row_name(row: Row) -> str:
    return row_label(row)


@register.filter
def result_label(result: Result | None) -> str:
    """P3 for third after penalties, DNF, DSQ, …; nothing for no result."""
    return _result_label(result) or ""


@register.simple_tag
def race_cells(row: DriverRow) -> str:
    """A driver row's cells of the standings grid, one per race: the points (struck through
    when dropped), then the result after penalties with pole, fastest lap and penalty marks.

    Written here rather than as template markup, and with the standard library's escape
    rather than format_html for each cell: the grid has a cell per driver and race, and
    either way took most of the uncached standings page's time."""
    # Translated apart from the markup: makemessages does not read calls inside f-strings.
    dropped_words, pole_words, pole_mark = _("(dropped)"), _("Pole position"), _("PP")
    fastest_words, penalty_words = _("Fastest lap"), _("Penalised by the stewards")
    dropped = f'<span class="visually-hidden"> {escape(dropped_words)}</span>'
    pole = f' <abbr title="{escape(pole_words)}">{escape(pole_mark)}</abbr>'
    fastest_lap = f' <abbr title="{escape(fastest_words)}">FL</abbr>'
    penalised = f' <abbr title="{escape(penalty_words)}">*</abbr>'
    cells = []
    for line in row.races:
        score = line.score
        shown = escape(points(score.points))
        if line.dropped:
            shown = f"<del>{shown}</del>{dropped}"
        marks = (
            (pole if score.pole else "")
            + (fastest_lap if score.fastest_lap else "")
            + (penalised if line.notes else "")
        )
        label = f'<span class="result-label">{escape(result_label(score.result))}{marks}</span>'
        cells.append(f'<td class="num race-cell">{shown}{label}</td>')
    return mark_safe("".join(cells))  # noqa: S308 - every value above is escaped


# A tie's sentence by (kind, which side, detail): the side is ahead (True) or behind, except
# for a shared position; the detail is "more" or "fewer" on countback, the tie-break if shared.
TIE_SENTENCES = {
    ("shared", None, COUNTBACK): gettext_lazy(
        "shares the position with %(other)s: equal on every tie-break"
    ),
    ("shared", None, "none"): gettext_lazy(
        "shares the position with %(other)s: equal on points (tie_break none)"
    ),
    # Not checked as python-format: Chinese says %(rank)s where English says %(ordinal)s.
    ("countback", True, "more"): gettext_lazy(  # xgettext:no-python-format
        "ahead of %(other)s on countback: more %(ordinal)s places (%(mine)s to %(theirs)s)"
    ),
    ("countback", True, "fewer"): gettext_lazy(  # xgettext:no-python-format
        "ahead of %(other)s on countback: fewer %(ordinal)s places (%(mine)s to %(theirs)s)"
    ),
    ("countback", False, "more"): gettext_lazy(  # xgettext:no-python-format
        "behind %(other)s on countback: more %(ordinal)s places (%(mine)s to %(theirs)s)"
    ),
    ("countback", False, "fewer"): gettext_lazy(  # xgettext:no-python-format
        "behind %(other)s on countback: fewer %(ordinal)s places (%(mine)s to %(theirs)s)"
    ),
    ("recent", True, None): gettext_lazy(
        "ahead of %(other)s on the most recent race where they differ, %(race)s: "
        "%(mine)s to %(theirs)s"
    ),
    ("recent", False, None): gettext_lazy(
        "behind %(other)s on the most recent race where they differ, %(race)s: "
        "%(mine)s to %(theirs)s"
    ),
    ("listed", True, None): gettext_lazy("ahead of %(other)s"),
    ("listed", False, None): gettext_lazy("behind %(other)s"),
}


@register.filter
def tie_text(tie: Tie) -> str:
    """A tie's story in the visitor's language; the API keeps the English of ``str(tie)``."""
    words = {"other": tie.other, "rank": tie.rank, "ordinal": ordinal(tie.rank), "race": tie.race}
    if tie.kind == "shared":
        key = ("shared", None, tie.how)
    elif tie.kind == "countback":
        key = ("countback", tie.ahead, "more" if tie.mine > tie.theirs else "fewer")
    else:
        key = (tie.kind, tie.ahead, None)
    if tie.kind == "recent":
        words |= {"mine": _rank_words(tie.mine), "theirs": _rank_words(tie.theirs)}
    else:
        words |= {"mine": tie.mine, "theirs": tie.theirs}
    return str(TIE_SENTENCES[key]) % words


def _rank_words(rank: int) -> str:
    return _("no rank") if rank == NO_RANK else _("rank %(rank)s") % {"rank": rank}


@register.filter
def lookup(mapping: Mapping[Any, Any], key: Any) -> Any:
    return mapping.get(key)


@register.filter
def class_label(code: str) -> str:
    return _class_label(code)


@register.inclusion_tag("championships/race_start.html")
def race_start(race: Race) -> dict[str, Any]:
    """A race's start at the circuit, the zone named, marked up for the visitor's own time."""
    circuit = race.meeting.circuit
    return {
        "race": race,
        "local": race.starts_at.astimezone(circuit.zone),
        "zone": circuit.timezone,
    }
