"""penalties.csv (optional): the stewards' decisions after the race."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext

from championships.bundle import fields
from championships.bundle.spec import PenaltySpec, RaceKey, ResultSpec
from championships.models import COUNTED_PENALTY_KINDS, PENALTY_SHAPES
from core.imports import Columns, IssueLog, RowCheck, read_csv

COLUMNS = Columns(required=("round", "race", "car_number", "kind", "value", "reason"))
# The kinds a bundle carries that may leave the race empty (points deducted in the round).
_RACELESS = ", ".join(k for k in COUNTED_PENALTY_KINDS if not PENALTY_SHAPES[k].needs_race)


@dataclass(frozen=True)
class Known:
    """What penalties refer to; None where the file saying it could not be read."""

    race_keys: set[RaceKey] | None
    car_numbers: dict[int, int] | None
    # Each race's results; None for a results file that could not be read.
    results: dict[RaceKey, list[ResultSpec] | None]


def parse_penalties(text: str, log: IssueLog, known: Known) -> list[PenaltySpec] | None:
    rows = read_csv(text, COLUMNS, log)
    if rows is None:
        return None
    penalties = []
    for row in rows:
        check = RowCheck(row, log)
        penalty = _penalty(check)
        if penalty:
            _check_references(check, penalty, known)
        if check.ok:
            penalties.append(penalty)
    return penalties


def _penalty(check: RowCheck) -> PenaltySpec | None:
    kind = check.get("kind", _kind)
    penalty = PenaltySpec(
        line=check.line,
        round=check.get("round", lambda v: fields.whole_number(v, low=1, high=999)),
        race=check.get("race", lambda v: fields.whole_number(v, low=1, high=99), optional=True),
        car_number=check.get("car_number", fields.car_number),
        kind=kind,
        value=_value(check, kind),
        reason=check.get("reason", lambda v: fields.text(v, max_length=300)),
    )
    if kind and PENALTY_SHAPES[kind].needs_race and check.raw("race") == "":
        message = gettext("a %(kind)s penalty needs the race; only %(raceless)s may leave it empty")
        check.fail("race", message % {"kind": kind, "raceless": _RACELESS})
    return penalty if check.ok else None


def _value(check: RowCheck, kind: str | None) -> Decimal | None:
    if kind is None:
        return None
    unit = PENALTY_SHAPES[kind].unit
    if unit is None:
        if check.raw("value"):
            message = gettext("expected no value for a %(kind)s, not %(value)r")
            check.fail("value", message % {"kind": kind, "value": check.raw("value")})
        return None
    return check.get(
        "value", lambda v: fields.positive_decimal(v, unit=unit, places=3, max_digits=8)
    )


def _check_references(check: RowCheck, penalty: PenaltySpec, known: Known) -> None:
    if known.car_numbers is not None and penalty.car_number not in known.car_numbers:
        message = gettext("car %(car)s is not in entries.csv")
        check.fail("car_number", message % {"car": penalty.car_number})
    if known.race_keys is None:
        return
    if penalty.round not in {round_number for round_number, _ in known.race_keys}:
        message = gettext("round %(round)s is not in calendar.csv")
        check.fail("round", message % {"round": penalty.round})
    elif penalty.race and (penalty.round, penalty.race) not in known.race_keys:
        message = gettext("calendar.csv has no race %(race)s in round %(round)s")
        check.fail("race", message % {"race": penalty.race, "round": penalty.round})
    elif PENALTY_SHAPES[penalty.kind].needs_race and check.ok:
        _check_car_raced(check, penalty, known)


def _check_car_raced(check: RowCheck, penalty: PenaltySpec, known: Known) -> None:
    key = (penalty.round, penalty.race)
    name = f"results/R{penalty.round}-{penalty.race}.csv"
    if key not in known.results:
        message = gettext("%(file)s is missing: a %(kind)s penalty is for a race held")
        check.fail("race", message % {"file": name, "kind": penalty.kind})
        return
    results = known.results[key]
    if results is not None and all(r.car_number != penalty.car_number for r in results):
        message = gettext("car %(car)s has no result in %(file)s")
        check.fail("car_number", message % {"car": penalty.car_number, "file": name})


def _kind(value: str) -> str:
    # A bundle carries the decisions that count (time, DSQ, points); not reprimands and the like.
    if value.upper() not in COUNTED_PENALTY_KINDS:
        kinds = ", ".join(COUNTED_PENALTY_KINDS)
        raise ValueError(gettext("expected a penalty kind: %(kinds)s") % {"kinds": kinds})
    return value.upper()
