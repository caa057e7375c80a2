"""The documents CupManager draws itself and posts on the notice board: each classification
version, each decision, the entry list, a race's grid, each practice or qualifying
classification version and the standings after a meeting.

Each ``board_publish_<kind>`` gathers what the document shows into plain JSON (frozen in the
document's ``content``: names in both languages as ``{"en": ..., "zh-hans": ...}``, times as
the timing sheets write them) and publishes it through ``championships.board.board_publish``;
the PDFs are drawn from that content after the commit (``championships.board_pdf``), so the
same document is drawn the same whenever its PDF is missing.

Each posting supersedes the latest current document it corrects: a race's previous version
document, a decision's earlier document, the meeting's previous entry list or standings, the
race's previous grid.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from championships.board import BoardError, board_publish
from championships.board_pdf import meeting_header
from championships.models import (
    BoardDocument,
    BoardKind,
    ClassificationState,
    ClassificationVersion,
    FiaCategory,
    Issuer,
    Meeting,
    Penalty,
    PenaltyKind,
    Race,
    Session,
    SessionVersion,
    VersionCause,
)
from championships.race_sheet import race_sheet
from championships.sheets import number, race_rows, standings_rows
from championships.standings.data import DRIVERS
from championships.standings.loader import season_load
from championships.standings.tables import SeasonTables
from championships.table_choices import class_label
from championships.versions import season_as_published
from core.numbers import timing
from core.times import circuit_time
from entries.models import Entry

LANGUAGES = ("en", "zh-hans")


def both(text: Callable[[], str]) -> dict[str, str]:
    """``text()`` in each language: a translated text of the content."""
    found = {}
    for language in LANGUAGES:
        with translation.override(language):
            found[language] = str(text())
    return found


def translated(obj: Any, field: str) -> dict[str, str]:
    """A field django-modeltranslation translates, in both languages (Chinese may be empty:
    the drawing falls back to English)."""
    return {
        "en": getattr(obj, f"{field}_en") or "",
        "zh-hans": getattr(obj, f"{field}_zh_hans") or "",
    }


def _latest(documents: Any) -> BoardDocument | None:
    return documents.current().order_by("-number").first()


def _publish(
    *, meeting: Meeting, title: Callable[[], str], content: dict[str, Any], **fields: Any
) -> BoardDocument:
    titles = both(title)
    return board_publish(
        meeting=meeting,
        title_en=titles["en"],
        title_zh_hans=titles["zh-hans"],
        content={"meeting": meeting_header(meeting), **content},
        **fields,
    )


def _race_content(race: Race) -> dict[str, Any]:
    zone = race.meeting.circuit.timezone
    return {"number": race.number, "starts_at": circuit_time(race.starts_at, zone)}


def _decision_line(penalty: Penalty) -> dict[str, Any]:
    return {
        "reference": both(lambda: penalty.reference),
        "car": penalty.entry.car_number,
        "driver": penalty.entry.driver.full_name,
        "kind": both(penalty.get_kind_display),
        "value": number(penalty.value),
        "reason": translated(penalty, "reason"),
        "withdrawn": penalty.is_withdrawn,
    }


# Classification versions ---------------------------------------------------------------------


def _version_title(race: Race, version: ClassificationVersion) -> Callable[[], str]:
    def title() -> str:
        kind = {
            ClassificationState.PROVISIONAL: _("Provisional classification"),
            ClassificationState.FINAL: _("Final classification"),
            ClassificationState.AMENDED: _("Amended classification"),
        }[version.state]
        return _("Race %(race)s — %(kind)s (version %(version)s)") % {
            "race": race.number,
            "kind": kind,
            "version": version.number,
        }

    return title


def version_lines(race: Race, version: ClassificationVersion) -> list[dict[str, str]]:
    """The lines of the printable timing sheet as the site published them with ``version``."""
    championship = race.meeting.championship
    tables = SeasonTables(season_as_published(championship, version.created_at))
    held = next((r for r in tables.season.races if r.id == race.pk), None)
    lines = race_sheet(tables, held) if held else ()
    rows = race_rows(lines)
    for row in rows:
        row["CLASS"] = class_label(row["CLASS"])
        row.pop("DECISIONS", None)  # listed with both languages' reasons below
    return rows


def board_publish_version(*, version: ClassificationVersion, user: Any = None) -> BoardDocument:
    """Post a classification version (provisional, final or amended), superseding the race's
    previous version document."""
    if version.cause == VersionCause.BASELINE:
        raise BoardError(_("Results held before versions were kept are not posted."))
    race = Race.objects.select_related("meeting__championship", "meeting__circuit").get(
        pk=version.race_id
    )
    decisions = (
        Penalty.objects.filter(race=race)
        .counted_at(version.created_at)
        .select_related("entry__driver")
        .order_by("number", "id")
    )
    content = {
        "race": _race_content(race),
        "version": version.number,
        "state": version.state,
        "state_label": both(lambda: ClassificationState(version.state).label),
        "cause": both(lambda: VersionCause(version.cause).label),
        "reason": version.reason,
        "reference": version.reference,
        "lines": version_lines(race, version),
        "decisions": [_decision_line(penalty) for penalty in decisions],
    }
    provisional = version.state == ClassificationState.PROVISIONAL
    return _publish(
        meeting=race.meeting,
        title=_version_title(race, version),
        content=content,
        kind=BoardKind.PROVISIONAL_CLASSIFICATION
        if provisional
        else BoardKind.FINAL_CLASSIFICATION,
        issued_by=Issuer.TIMEKEEPING if provisional else Issuer.RACE_DIRECTOR,
        user=user,
        supersedes=_latest(
            BoardDocument.objects.filter(race=race, classification_version__isnull=False)
        ),
        race=race,
        version=version,
        template="board/pdf/classification.html",
        at=version.created_at,
    )


# Decisions ----------------------------------------------------------------------------------


def board_publish_decision(*, penalty: Penalty, user: Any = None) -> BoardDocument:
    """Post a stewards' decision, superseding the earlier document of the same decision (a
    withdrawn decision's document says so)."""
    penalty = Penalty.objects.select_related(
        "meeting__championship",
        "meeting__circuit",
        "race",
        "entry__driver",
        "entry__team",
        "grid_race",
    ).get(pk=penalty.pk)
    meeting = penalty.meeting
    zone = meeting.circuit.timezone
    withdrawn = penalty.is_withdrawn

    def title() -> str:
        if withdrawn:
            return _("%(reference)s — car %(car)s: withdrawn") % {
                "reference": penalty.reference,
                "car": penalty.entry.car_number,
            }
        return _("%(reference)s — car %(car)s: %(kind)s") % {
            "reference": penalty.reference,
            "car": penalty.entry.car_number,
            "kind": penalty.get_kind_display(),
        }

    content = {
        **_decision_line(penalty),
        "number": penalty.number,
        "team": penalty.entry.team.name,
        "race": _race_content(penalty.race) if penalty.race_id else None,
        "grid_race": penalty.grid_race.number if penalty.grid_race_id else None,
        "value_unit": both(lambda: _value_unit(penalty.kind)),
        "decided_at": circuit_time(penalty.decided_at, zone) if penalty.decided_at else "",
        "withdrawn_at": circuit_time(penalty.withdrawn_at, zone) if withdrawn else "",
        "withdrawn_reason": penalty.withdrawn_reason,
    }
    return _publish(
        meeting=meeting,
        title=title,
        content=content,
        kind=BoardKind.DECISION,
        issued_by=Issuer.STEWARDS,
        user=user,
        # On the round it is about now (a decision moved to another round starts its board's
        # line there; the first round's document stays as it was posted).
        supersedes=_latest(meeting.board.filter(decision=penalty)),
        race=penalty.race,
        decision=penalty,
        concerns=[penalty.entry],
        template="board/pdf/decision.html",
    )


def _value_unit(kind: str) -> str:
    return {
        PenaltyKind.TIME: _("seconds"),
        PenaltyKind.POINTS: _("points"),
        PenaltyKind.GRID: _("places"),
    }.get(kind, "")


# The entry list, grids and standings ----------------------------------------------------------


def board_publish_entry_list(*, meeting: Meeting, user: Any = None) -> BoardDocument:
    """Post the meeting's entry list: each car with its driver's FIA category in force on the
    meeting's first day, superseding the meeting's previous entry list."""
    meeting = Meeting.objects.select_related("championship", "circuit").get(pk=meeting.pk)
    day = meeting.start_date
    entries = (
        Entry.objects.filter(championship=meeting.championship)
        .with_people()
        .as_shown_on(day)
        .order_by("car_number")
    )
    cars = [
        {
            "car": entry.car_number,
            "driver": entry.driver.full_name,
            "nationality": entry.driver.nationality,
            "team": entry.team.name,
            "class": class_label(entry.class_in_force or ""),
            "category": both(lambda e=entry: FiaCategory(e.category_in_force).label),
            "guest": entry.guest,
            "rookie": entry.rookie,
        }
        for entry in entries
    ]
    return _publish(
        meeting=meeting,
        title=lambda: _("Entry list"),
        content={"day": day.isoformat(), "cars": cars},
        kind=BoardKind.ENTRY_LIST,
        issued_by=Issuer.SERIES,
        user=user,
        supersedes=_latest(meeting.board.filter(kind=BoardKind.ENTRY_LIST)),
        template="board/pdf/entry_list.html",
    )


def board_publish_grid(*, race: Race, user: Any = None) -> BoardDocument:
    """Post ``race``'s starting grid, two cars a row, pole on the left: the grid published by
    ``grid_publish`` (its ``GridSlot`` rows), else the GRID positions of its recorded results;
    ``BoardError`` naming the race when it has neither."""
    race = Race.objects.select_related("meeting__championship", "meeting__circuit").get(pk=race.pk)
    slots = _grid_slots(race)
    if not slots:
        raise BoardError(
            _(
                "%(race)s has no grid: publish its grid from qualifying (Race → Grid) or "
                "record the results' GRID first."
            )
            % {"race": race}
        )
    rows = [slots[i : i + 2] for i in range(0, len(slots), 2)]
    return _publish(
        meeting=race.meeting,
        title=lambda: _("Race %(race)s — Starting grid") % {"race": race.number},
        content={"race": _race_content(race), "rows": rows},
        kind=BoardKind.GRID,
        issued_by=Issuer.RACE_DIRECTOR,
        user=user,
        supersedes=_latest(race.meeting.board.filter(kind=BoardKind.GRID, race=race)),
        race=race,
        template="board/pdf/grid.html",
    )


def _grid_slots(race: Race) -> list[dict[str, Any]]:
    penalties = Penalty.objects.grid_of(race).select_related("entry").order_by("number", "id")
    places: dict[int, list[dict[str, Any]]] = {}
    for penalty in penalties:
        places.setdefault(penalty.entry_id, []).append(
            {
                "reference": both(lambda p=penalty: p.reference),
                "places": number(penalty.value),
                "reason": translated(penalty, "reason"),
            }
        )
    published = race.grid_slots.select_related("entry__driver", "entry__team").order_by("position")
    if published:
        cars = [(slot.position, slot.entry, timing(slot.time)) for slot in published]
    else:
        results = race.results.filter(grid__isnull=False).select_related(
            "entry__driver", "entry__team"
        )
        cars = [(result.grid, result.entry, "") for result in results.order_by("grid")]
    return [
        {
            "grid": position,
            "car": entry.car_number,
            "driver": entry.driver.full_name,
            "team": entry.team.name,
            "time": time,
            "penalties": places.get(entry.pk, []),
        }
        for position, entry, time in cars
    ]


# Practice and qualifying ---------------------------------------------------------------------


def board_publish_session(*, version: SessionVersion, user: Any = None) -> BoardDocument:
    """Post a practice or qualifying classification version, superseding the session's
    previous one."""
    session = Session.objects.select_related("meeting__championship", "meeting__circuit").get(
        pk=version.session_id
    )
    zone = session.meeting.circuit.timezone
    content = {
        "session": {
            "label": both(lambda: session.label),
            "starts_at": circuit_time(session.starts_at, zone),
        },
        "version": version.number,
        "reason": version.reason,
        "lines": version.lines,
    }
    return _publish(
        meeting=session.meeting,
        title=lambda: (
            _("%(session)s — Classification (version %(version)s)")
            % {"session": session.label, "version": version.number}
        ),
        content=content,
        kind=BoardKind.PROVISIONAL_CLASSIFICATION,
        issued_by=Issuer.TIMEKEEPING,
        user=user,
        supersedes=_latest(session.meeting.board.filter(session=session)),
        session=session,
        template="board/pdf/session.html",
        at=version.created_at,
    )


def board_publish_standings(*, meeting: Meeting, user: Any = None) -> BoardDocument:
    """Post the drivers' standings after ``meeting``'s round, with the points of each race."""
    meeting = Meeting.objects.select_related("championship", "circuit").get(pk=meeting.pk)
    tables = SeasonTables(season_load(meeting.championship))
    table = tables.table(DRIVERS, None, meeting.round)
    races = [race for race in tables.season.races if race.round <= meeting.round]
    labels = [race.label for race in races]
    _columns, rows = standings_rows(table, races)
    lines = [
        {
            "position": row["POS"],
            "car": row["NO"],
            "driver": row["DRIVER"],
            "team": row["TEAM"],
            "class": class_label(row["CLASS"]),
            "points": row["POINTS"],
            "races": [row.get(label, "") for label in labels],
            "deductions": row["DEDUCTIONS"],
        }
        for row in rows
    ]
    return _publish(
        meeting=meeting,
        title=lambda: _("Drivers' standings after round %(round)s") % {"round": meeting.round},
        content={"races": labels, "rows": lines},
        kind=BoardKind.STANDINGS,
        issued_by=Issuer.SERIES,
        user=user,
        supersedes=_latest(meeting.board.filter(kind=BoardKind.STANDINGS)),
        template="board/pdf/standings.html",
    )
