"""Versions of a race's classification: what each holds, how two compare, and the season as
it was published at a given moment.

A version's ``snapshot`` is plain JSON: the results as recorded (times in microseconds, so
nothing is lost), the decisions counted, and the final classification of
STANDINGS_RULES.md section 1 computed by the standings rules themselves. Building one reads
the race in two queries; comparing two is pure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from championships.models import Championship, ClassificationVersion, Penalty, Race
from championships.standings import data, rules
from championships.standings.loader import season_load_as_of

Snapshot = dict[str, list[dict[str, Any]]]

# The fields of a classification line that a comparison lists, in this order.
LINE_FIELDS = data.RESULT_VALUES
_TIMES = ("total_time", "best_lap")


class ClassificationConflict(Exception):
    """Someone changed the race's classification since the editor (or the dry run) read it."""

    def __init__(self, race: Race, expected: int, latest: ClassificationVersion | None) -> None:
        self.race = race
        self.expected = expected
        self.latest = latest
        super().__init__(conflict_message(race, expected, latest))


def conflict_message(race: Race, expected: int, latest: ClassificationVersion | None) -> str:
    """Who changed the race, when, and what to do; shown as the refusal of a save."""
    if latest is None:
        return _("The classification of %(race)s changed since you opened it; reload it.") % {
            "race": race
        }
    who = latest.created_by.get_username() if latest.created_by else _("an import")
    return _(
        "Not saved: %(who)s changed the classification of %(race)s at %(when)s (version "
        "%(number)s: %(cause)s) after you opened version %(expected)s. Reload the race, check "
        "their change and make yours again."
    ) % {
        "who": who,
        "race": race,
        "when": latest.created_at.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "number": latest.number,
        "cause": latest.get_cause_display(),
        "expected": expected,
    }


# Snapshots ---------------------------------------------------------------------------------


def race_snapshot(race: Race) -> Snapshot:
    """The race as it stands: results as recorded, decisions counted, final classification."""
    cars = dict(race.meeting.championship.entries.values_list("id", "car_number"))
    results = race.results.order_by(F("position").asc(nulls_last=True), "entry__car_number")
    recorded = [data.Result(*row) for row in results.values_list(*_RESULT_COLUMNS)]
    counted = list(race.penalties.counted().order_by("id"))
    penalties = [
        data.Penalty(d.entry_id, d.kind, race.meeting.round, race.pk, d.value, d.reason)
        for d in counted
    ]
    held = data.Race(race.pk, race.meeting.round, race.number, race.factor, tuple(recorded))
    final = rules.final_classification(held, penalties)
    return {
        "results": [_line(result, cars) for result in recorded],
        "decisions": [_penalty(d, cars) for d in counted],
        "classification": [_line(result, cars) for result in final],
    }


_RESULT_COLUMNS = data.Result._fields


def _line(result: data.Result, cars: dict[int, int]) -> dict[str, Any]:
    line = {"entry": result.entry_id, "car": cars.get(result.entry_id), **result._asdict()}
    del line["entry_id"]
    for name in _TIMES:
        line[name] = _microseconds(line[name])
    return line


def _penalty(penalty: Any, cars: dict[int, int]) -> dict[str, Any]:
    return {
        "id": penalty.pk,
        "reference": str(penalty.reference),
        "kind": penalty.kind,
        "value": None if penalty.value is None else str(penalty.value),
        "entry": penalty.entry_id,
        "car": cars.get(penalty.entry_id),
        "reason": penalty.reason,
    }


def _microseconds(value: dt.timedelta | None) -> int | None:
    return None if value is None else value // dt.timedelta(microseconds=1)


def snapshot_results(snapshot: Snapshot, key: str = "results") -> tuple[data.Result, ...]:
    """A snapshot's lines back as the standings' results (``key``: results or classification)."""
    return tuple(
        data.Result(
            entry_id=line["entry"],
            position=line["position"],
            status=line["status"],
            laps=line["laps"],
            total_time=snapshot_duration(line["total_time"]),
            best_lap=snapshot_duration(line["best_lap"]),
            grid=line["grid"],
        )
        for line in snapshot.get(key, [])
    )


def snapshot_duration(microseconds: int | None) -> dt.timedelta | None:
    """A time as a version's snapshot stores it (whole microseconds) back as a duration."""
    return None if microseconds is None else dt.timedelta(microseconds=microseconds)


# Comparing two versions ----------------------------------------------------------------------


@dataclass(frozen=True)
class LineChange:
    car: int | None
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class VersionDiff:
    """How a version's final classification and decisions differ from the one before."""

    added: tuple[dict[str, Any], ...]
    removed: tuple[dict[str, Any], ...]
    changed: tuple[LineChange, ...]
    penalties_added: tuple[dict[str, Any], ...]
    penalties_removed: tuple[dict[str, Any], ...]

    @property
    def is_empty(self) -> bool:
        return not (
            self.added
            or self.removed
            or self.changed
            or self.penalties_added
            or self.penalties_removed
        )


def version_diff(before: Snapshot | None, after: Snapshot) -> VersionDiff:
    """The lines added, removed and changed (field by field), and the decisions that came
    and went, from ``before`` (None for a first version) to ``after``."""
    old = {line["entry"]: line for line in (before or {}).get("classification", [])}
    new = {line["entry"]: line for line in after.get("classification", [])}
    old_penalties = {d["id"]: d for d in (before or {}).get("decisions", [])}
    new_penalties = {d["id"]: d for d in after.get("decisions", [])}
    return VersionDiff(
        added=tuple(line for entry, line in new.items() if entry not in old),
        removed=tuple(line for entry, line in old.items() if entry not in new),
        changed=tuple(
            change for entry in new if entry in old for change in _changes(old[entry], new[entry])
        ),
        penalties_added=tuple(d for i, d in new_penalties.items() if i not in old_penalties),
        penalties_removed=tuple(d for i, d in old_penalties.items() if i not in new_penalties),
    )


def _changes(before: dict[str, Any], after: dict[str, Any]) -> list[LineChange]:
    return [
        LineChange(after.get("car"), name, before.get(name), after.get(name))
        for name in LINE_FIELDS
        if before.get(name) != after.get(name)
    ]


# As published ---------------------------------------------------------------------------------


def season_as_published(championship: Championship, at: dt.datetime) -> data.Season:
    """The season's data as the site published it at ``at``: each race's latest version by
    then and the decisions in force then.

    Loaded each time, never kept: every moment is a valid ``?at=``, so keeping one season per
    moment let a crowd of distinct values fill the cache, and the moments at
    which the answer changes (versions, decisions, withdrawals) are only known by asking.
    """
    return season_load_as_of(championship, at, results_of=snapshot_results)


def states_at(race_ids: list[int], at: dt.datetime) -> dict[int, tuple[int, str]]:
    """Each race's classification version and state at ``at`` (its latest version by then)."""
    rows = (
        ClassificationVersion.objects.filter(race_id__in=race_ids, created_at__lte=at)
        .order_by("race_id", "number")
        .values_list("race_id", "number", "state")
    )
    return {race_id: (number, state) for race_id, number, state in rows}


def published_at(value: str | None) -> dt.datetime | None:
    """``?at=``: a date (the end of that day, UTC) or an ISO date and time (UTC if naive).

    None when not given; ValueError when it does not read as either.
    """
    if not value:
        return None
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return dt.datetime.combine(day, dt.time.max, tzinfo=dt.UTC)
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(_("Give a date YYYY-MM-DD or a time YYYY-MM-DDTHH:MM.")) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def published_version(race: Race, at: dt.datetime | None) -> tuple[int, str]:
    """The race's version number and state, now or as published at ``at`` (0 before any)."""
    if at is None:
        return race.classification_version, race.classification_state
    latest = (
        ClassificationVersion.objects.filter(race=race, created_at__lte=at)
        .order_by("-number")
        .values_list("number", "state")
        .first()
    )
    return latest or (0, race.classification_state if not race.classification_version else "")


# The meeting page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Publication:
    """A race's classification as the page shows it: its version and state, now or then.

    A race never versioned (results from a season bundle) shows its state with version 0; a
    race whose first version came after ``at`` has no state then.
    """

    version: int
    state: str


@dataclass(frozen=True)
class PenaltyLine:
    penalty: Penalty
    withdrawn: bool


def meeting_publication(
    meeting_id: int, races: list[Race], at: dt.datetime | None
) -> dict[str, Any]:
    """The stewards' decisions of a meeting (two queries: the decisions and the filings that
    produced or withdrew them; those decided after ``at`` left out, those withdrawn by then
    marked) and each race's published version and state (one more query with ``at``)."""
    penalties = (
        Penalty.objects.filter(meeting_id=meeting_id)
        .select_related("entry__driver", "race", "grid_race")
        # The protest whose hearing produced each, the appeal that withdrew it (the entrants'
        # side's reverse accessor, named only: one query for all of them).
        .prefetch_related("protests")
    )
    if at is not None:
        penalties = penalties.exclude(decided_at__gt=at)
    return {
        "decisions": [
            PenaltyLine(d, d.withdrawn_at is not None and (at is None or d.withdrawn_at <= at))
            for d in penalties.order_by("number", "decided_at", "id")
        ],
        "published": _publications(races, at),
        "at": at,
    }


def _publications(races: list[Race], at: dt.datetime | None) -> dict[int, Publication]:
    if at is None:
        return {r.pk: Publication(r.classification_version, r.classification_state) for r in races}
    states = states_at([race.pk for race in races], at)
    return {
        race.pk: Publication(*states[race.pk])
        if race.pk in states
        else Publication(0, "" if race.classification_version else race.classification_state)
        for race in races
    }
