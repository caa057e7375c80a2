"""Formatting for the public pages: numbers and times as fans read them; no rules here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from championships.live import live_name as _live_name
from championships.models import FiaCategory, Race
from championships.standings.data import Penalty, Result
from championships.standings.data import Race as HeldRace
from championships.standings.payload import WHY_WORDS, number, why
from championships.standings.payload import result_label as _result_label
from championships.standings.progress import Row, row_label
from championships.standings.tables import BestOf, DriverRow, RaceLine
from championships.standings.ties import Tie, tie_sentence
from championships.table_choices import class_label as _class_label
from core.numbers import plain, timing

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
def race_cells(row: DriverRow, races: Sequence[HeldRace] = ()) -> SafeString:
    """A driver row's cells of the standings grid, one per race: the points (struck through
    when dropped), then the result after penalties with pole, fastest lap and penalty marks.

    With the table's ``races``, a race missing from the row (rule 7: the entry was in another
    class that day) is an empty cell."""
    marks, words = cell_marks(), why_words()  # translated once for the whole row
    cells = ((race_cell(line, marks, words),) for line in _race_lines(row, races))
    return format_html_join("", "{}", cells)


def cell_marks() -> dict[str, SafeString]:
    """The marks a race cell may carry, in the visitor's language."""
    return {
        "dropped": format_html('<span class="visually-hidden"> {}</span>', _("(dropped)")),
        "pole": format_html(' <abbr title="{}">{}</abbr>', _("Pole position"), _("PP")),
        "fastest_lap": format_html(' <abbr title="{}">FL</abbr>', _("Fastest lap")),
        "penalised": format_html(' <abbr title="{}">*</abbr>', _("Penalised by the stewards")),
    }


def race_cell(
    line: RaceLine | None, marks: dict[str, SafeString], words: dict[str, str]
) -> SafeString:
    """One race's cell; its title is the API's "why" of the race, in the visitor's language."""
    if line is None:
        return format_html('<td class="{}"></td>', "num race-cell")
    score = line.score
    shown = points(score.points)
    if line.dropped:
        shown = format_html("<del>{}</del>{}", shown, marks["dropped"])
    return format_html(
        '<td class="num race-cell" title="{}">{}<span class="result-label">{}{}{}{}</span></td>',
        why(line, number(score.points), words),
        shown,
        result_label(score.result),
        marks["pole"] if score.pole else "",
        marks["fastest_lap"] if score.fastest_lap else "",
        marks["penalised"] if line.notes else "",
    )


def _race_lines(row: DriverRow, races: Sequence[HeldRace]) -> Sequence[RaceLine | None]:
    """The row's lines, one per race of ``races`` when the row misses some (rule 7)."""
    if not races or len(row.races) == len(races):
        return row.races
    by_race = {line.score.race.id: line for line in row.races}
    return [by_race.get(race.id) for race in races]


def why_words() -> dict[str, str]:
    """The words of a race line's "why" (``payload.WHY_WORDS``) in the visitor's language,
    looked up once for a whole row."""
    return {key: _(words) for key, words in WHY_WORDS.items()}


@register.simple_tag
def row_why(row: DriverRow, best_of: BestOf | None = None) -> SafeString:
    """A driver row's total explained, as the API's "why" says it: which results count
    (rule 3.2), then each race's score and each deduction, as a paragraph and a list."""
    words = why_words()
    races = (
        (line.score.race.label, why(line, number(line.score.points), words)) for line in row.races
    )
    deductions = ((deduction_text(penalty),) for penalty in row.deductions)
    return format_html(
        "{}<ul>{}{}</ul>",
        format_html("<p>{}</p>", row_best_of(row, best_of)) if best_of else "",
        format_html_join("", "<li>{}: {}</li>", races),
        format_html_join("", "<li>{}</li>", deductions),
    )


def row_best_of(row: DriverRow, best_of: BestOf) -> str:
    """Rule 3.2 for one row: "best 11 of 16 count: these 2 are dropped: R1-1, R3-1"."""
    dropped = row.dropped
    values = {"kept": best_of.kept, "scoring": best_of.scoring, "count": len(dropped)}
    if not dropped:
        return _("best %(kept)s of %(scoring)s count: none is dropped yet") % values
    values["races"] = ", ".join(line.score.race.label for line in dropped)
    return (
        ngettext(
            "best %(kept)s of %(scoring)s count: this one is dropped: %(races)s",
            "best %(kept)s of %(scoring)s count: these %(count)s are dropped: %(races)s",
            len(dropped),
        )
        % values
    )


def deduction_text(penalty: Penalty) -> str:
    """A points deduction as the page lists it: "2 points deducted in round 3 (reason)"."""
    value = points(penalty.value or Decimal(0))
    said = _("%(value)s points deducted in round %(round)s") % {
        "value": value,
        "round": penalty.round,
    }
    return f"{said} ({penalty.reason})"


@register.filter
def best_of_text(best_of: BestOf) -> str:
    """Rule 3.2 for a whole table, for its legend."""
    return _(
        "Each driver counts only their best %(kept)s results of the %(scoring)s scoring races."
    ) % {"kept": best_of.kept, "scoring": best_of.scoring}


@register.filter
def tie_text(tie: Tie) -> str:
    """A tie's story in the visitor's language; the API says it in English."""
    return tie_sentence(tie, _)


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


@register.filter
def live_name(subject: Any) -> str:
    """A race's or a session's part of its live page's address: race-1, qualifying-1-a."""
    return _live_name(subject)
