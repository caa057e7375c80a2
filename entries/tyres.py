"""Tyres at a meeting: sets received into an operator's stock, scanned out to a car and back
in, and the stock as the back office shows it.

The rules of a scan (docs/ARCHITECTURE.md, "Tyres"):

- a set is scanned at the round it was allocated for, for an entry of that championship;
- a set is new until its first scan out; that scan counts against the car's quota of new sets
  at the meeting (``TyreQuota``, else 4), and from then on the set is that car's: it is never
  fitted to another car;
- a set kept for one car (a Talent Pool prize) is fitted to that car only;
- a set goes out, comes back in, and may go out again to the same car; it is not scanned out
  twice, nor in twice, and a set never fitted is not scanned in.

``tyre_scan`` checks all of them under a lock of the car's entry and of the set, so two
scanners at once cannot take one car over its quota or one set for two cars; the database
holds what one row or one index can (one first fitting a set, valid choices, the barcode's
form). Each refusal is a ``TyreRefused`` whose message says why. A set's scans are in the
order they were written (their ids: one set's are written one at a time, under its lock).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from championships.models import Meeting
from entries.models import (
    BARCODE_PATTERN,
    Entry,
    Operator,
    TyreCompound,
    TyreDirection,
    TyreScan,
    TyreSet,
    barcode_normalised,
    new_sets_quota,
    stock_problem,
)


class TyreRefused(ValidationError):
    """A scan, a receipt or a delivery the rules refuse; the message says why."""


def _when(moment: dt.datetime, meeting: Meeting) -> dict[str, str]:
    """A moment as the paddock reads it: time and day at the circuit."""
    local = timezone.localtime(moment, meeting.circuit.zone)
    return {"time": date_format(local, "H:i"), "day": date_format(local, "j M")}


def new_sets_fitted(*, entry: Entry, meeting: Meeting) -> int:
    """How many sets the car took new at the meeting: its first fittings there."""
    return TyreScan.objects.filter(entry=entry, meeting=meeting, first_fitting=True).count()


# --- Scans ---------------------------------------------------------------------------------


@transaction.atomic
def tyre_scan(
    *,
    barcode: str,
    car_number: int | None,
    meeting: Meeting,
    direction: str,
    user: AbstractBaseUser | None,
) -> TyreScan:
    """Record a set scanned out to car ``car_number`` (fitted) or back in (returned) at
    ``meeting``; ``car_number`` may be None for a return (the set's own car). Raises
    ``TyreRefused`` with the reason, writing nothing, for every rule it breaks."""
    code = barcode_normalised(barcode)
    if not code:
        raise TyreRefused(_("Scan or type the set's barcode."))
    if direction not in TyreDirection.values:
        raise TyreRefused(_("Choose Out (fitted to the car) or In (returned)."))
    entry = _car(meeting, car_number, direction)
    tyre_set = _tyre_set(code, meeting)
    scans = list(tyre_set.scans.select_related("entry").order_by("pk"))
    first = next((scan for scan in scans if scan.first_fitting), None)
    last = scans[-1] if scans else None
    if direction == TyreDirection.OUT:
        _check_out(tyre_set, entry, meeting, first, last)
    else:
        entry = _check_in(tyre_set, entry, meeting, first, last)
    scan = TyreScan(
        tyre_set=tyre_set,
        entry=entry,
        meeting=meeting,
        direction=direction,
        first_fitting=direction == TyreDirection.OUT and first is None,
        scanned_by=user,
    )
    try:
        with transaction.atomic():
            scan.save()
    except IntegrityError as error:  # another scanner took the set new in the meantime
        raise TyreRefused(
            _("Set %(barcode)s was scanned by someone else at the same moment: scan it again.")
            % {"barcode": code}
        ) from error
    return scan


def _car(meeting: Meeting, car_number: int | None, direction: str) -> Entry | None:
    """The entry scanned, locked so that its quota is counted by one scanner at a time."""
    if car_number is None:
        if direction == TyreDirection.OUT:
            raise TyreRefused(_("Give the car number: a set is fitted to one car."))
        return None
    entry = (
        Entry.objects.select_for_update()
        .filter(championship_id=meeting.championship_id, car_number=car_number)
        .first()
    )
    if entry is None:
        raise TyreRefused(
            _("Car #%(car)s is not an entry of this championship.") % {"car": car_number}
        )
    return entry


def _tyre_set(code: str, meeting: Meeting) -> TyreSet:
    tyre_set = (
        TyreSet.objects.select_for_update(of=("self",))
        .select_related("meeting__championship", "kept_for")
        .filter(barcode=code)
        .first()
    )
    if tyre_set is None:
        raise TyreRefused(
            _("No tyre set has barcode %(barcode)s: check the code or receive the set first.")
            % {"barcode": code}
        )
    allocated = tyre_set.meeting
    if allocated.pk == meeting.pk:
        return tyre_set
    if allocated.championship_id == meeting.championship_id:
        message = _("Set %(barcode)s was allocated to round %(round)s, not this round.")
    else:
        message = _(
            "Set %(barcode)s was allocated to round %(round)s of %(championship)s, not this "
            "championship."
        )
    raise TyreRefused(
        message
        % {"barcode": code, "round": allocated.round, "championship": allocated.championship}
    )


def _check_out(
    tyre_set: TyreSet,
    entry: Entry,
    meeting: Meeting,
    first: TyreScan | None,
    last: TyreScan | None,
) -> None:
    code = tyre_set.barcode
    if first is not None and first.entry_id != entry.pk:
        raise TyreRefused(
            _(
                "Set %(barcode)s is car #%(owner)s's (fitted at %(time)s on %(day)s): a set "
                "used by one car is never fitted to another."
            )
            % {"barcode": code, "owner": first.entry.car_number, **_when(first.scanned_at, meeting)}
        )
    kept_for = tyre_set.kept_for
    if kept_for is not None and kept_for.pk != entry.pk:
        raise TyreRefused(
            _(
                "Set %(barcode)s is kept for car #%(car)s (a prize set): it is fitted to that "
                "car only."
            )
            % {"barcode": code, "car": kept_for.car_number}
        )
    if last is not None and last.direction == TyreDirection.OUT:
        raise TyreRefused(
            _(
                "Set %(barcode)s is on car #%(car)s already (scanned out at %(time)s on %(day)s): "
                "scan it in before fitting it again."
            )
            % {"barcode": code, "car": entry.car_number, **_when(last.scanned_at, meeting)}
        )
    if first is None:
        quota = new_sets_quota(meeting.championship_id)
        used = new_sets_fitted(entry=entry, meeting=meeting)
        if used >= quota:
            message = ngettext(
                "Car #%(car)s has fitted its %(used)s new sets at this round: the quota is "
                "%(quota)s new set a car.",
                "Car #%(car)s has fitted its %(used)s new sets at this round: the quota is "
                "%(quota)s new sets a car.",
                quota,
            )
            raise TyreRefused(message % {"car": entry.car_number, "used": used, "quota": quota})


def _check_in(
    tyre_set: TyreSet,
    entry: Entry | None,
    meeting: Meeting,
    first: TyreScan | None,
    last: TyreScan | None,
) -> Entry:
    """The car the set comes back from."""
    code = tyre_set.barcode
    if first is None or last is None:
        raise TyreRefused(
            _("Set %(barcode)s has never been fitted to a car: only a fitted set is scanned in.")
            % {"barcode": code}
        )
    if entry is not None and entry.pk != first.entry_id:
        raise TyreRefused(
            _("Set %(barcode)s is car #%(owner)s's, not car #%(car)s's: check the car number.")
            % {"barcode": code, "owner": first.entry.car_number, "car": entry.car_number}
        )
    if last.direction == TyreDirection.IN:
        raise TyreRefused(
            _(
                "Set %(barcode)s was scanned in already at %(time)s on %(day)s: scan it out "
                "before returning it again."
            )
            % {"barcode": code, **_when(last.scanned_at, meeting)}
        )
    return first.entry


@transaction.atomic
def tyre_scan_cancel(*, scan: TyreScan) -> None:
    """Delete a mistaken scan: only the latest of its set, so that the set's story stays
    whole. A first fitting cancelled gives the set back new and the car its quota."""
    TyreSet.objects.select_for_update().filter(pk=scan.tyre_set_id).first()
    latest = TyreScan.objects.filter(tyre_set_id=scan.tyre_set_id).order_by("-pk").first()
    if latest is None or latest.pk != scan.pk:
        raise TyreRefused(
            _("Only the latest scan of set %(barcode)s is cancelled: cancel the later ones first.")
            % {"barcode": scan.tyre_set.barcode}
        )
    scan.delete()


def latest_scans(meeting: Meeting, count: int = 8) -> list[TyreScan]:
    """The meeting's latest scans, the newest first, in one query."""
    scans = TyreScan.objects.filter(meeting=meeting).select_related("tyre_set", "entry")
    return list(scans.order_by("-scanned_at", "-pk")[:count])


def current_meeting(
    today: dt.date | None = None, *, now: dt.datetime | None = None
) -> Meeting | None:
    """The round to scan at: the one under way today (``today``, else the day it is ``now`` at
    each circuit: Friday morning in Shanghai is still Thursday in UTC), else the latest begun,
    else the next."""
    meetings = Meeting.objects.with_circuit()
    if today is None:
        now = now or timezone.now()
        day = dt.timedelta(days=1)
        near = meetings.filter(start_date__lte=now.date() + day, end_date__gte=now.date() - day)
        for meeting in near.order_by("start_date"):
            local = now.astimezone(meeting.circuit.zone).date()
            if meeting.start_date <= local <= meeting.end_date:
                return meeting
        today = now.date()
    return (
        meetings.filter(start_date__lte=today, end_date__gte=today).order_by("start_date").first()
        or meetings.filter(start_date__lte=today).order_by("-start_date").first()
        or meetings.order_by("start_date").first()
    )


# --- Receipts ------------------------------------------------------------------------------


def barcodes_of(text: str) -> list[str]:
    """The barcodes of a pasted list: one a line (commas and spaces also separate them)."""
    return [code for code in re.split(r"[\s,;]+", text) if code.strip()]


@transaction.atomic
def tyre_sets_receive(
    *,
    operator: Operator,
    meeting: Meeting,
    compound: str,
    barcodes: Iterable[str],
    user: AbstractBaseUser | None,
) -> list[TyreSet]:
    """Put the sets of ``barcodes`` in ``operator``'s stock for ``meeting``. Every barcode is
    checked first (its form, once in the list, not received before); if any is refused,
    nothing is written and ``TyreRefused`` lists each problem."""
    codes = [code for code in (barcode_normalised(b) for b in barcodes) if code]
    if not codes:
        raise TyreRefused(_("Give at least one barcode, one a line."))
    problems = []
    if compound not in TyreCompound.values:
        problems.append(_("Choose the sets' compound."))
    problem = stock_problem(operator, meeting)
    if problem:
        problems.append(problem)
    problems += _receipt_problems(codes)
    if problems:
        raise TyreRefused(problems)
    now = timezone.now()
    sets = [
        TyreSet(
            barcode=code,
            compound=compound,
            operator=operator,
            meeting=meeting,
            received_at=now,
            received_by=user,
        )
        for code in codes
    ]
    try:
        with transaction.atomic():
            return TyreSet.objects.bulk_create(sets)
    except IntegrityError as error:
        raise TyreRefused(
            _("Some of these sets were received by someone else at the same moment: try again.")
        ) from error


def _receipt_problems(codes: list[str]) -> list[str]:
    problems = [
        _("“%(barcode)s” is not a barcode: letters, digits and hyphens only.") % {"barcode": c}
        for c in dict.fromkeys(codes)
        if not re.match(BARCODE_PATTERN, c)
    ]
    longest = TyreSet._meta.get_field("barcode").max_length
    problems += [
        _("%(barcode)s is longer than %(max)s characters.") % {"barcode": c, "max": longest}
        for c in dict.fromkeys(codes)
        if len(c) > longest
    ]
    problems += [
        _("%(barcode)s is listed %(times)s times.") % {"barcode": code, "times": times}
        for code, times in Counter(codes).items()
        if times > 1
    ]
    received = TyreSet.objects.filter(barcode__in=codes).select_related(
        "operator", "meeting__circuit"
    )
    problems += [
        _("%(barcode)s was received already: %(operator)s, %(meeting)s.")
        % {"barcode": tyre_set.barcode, "operator": tyre_set.operator, "meeting": tyre_set.meeting}
        for tyre_set in received.order_by("barcode")
    ]
    return problems


# --- Stock ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CarTyres:
    """One car's tyres at the meeting."""

    entry: Entry
    new_sets: int  # sets it took new at this meeting
    quota: int
    on_car: tuple[str, ...]  # barcodes scanned out and not back in
    returned: tuple[str, ...]  # its sets scanned back in

    @property
    def left(self) -> int:
        return max(self.quota - self.new_sets, 0)


@dataclass(frozen=True)
class OperatorStock:
    """One operator's sets for the meeting."""

    operator: Operator
    received: int
    new: int  # never fitted
    on_cars: int  # fitted and not returned
    returned: int  # fitted, then scanned back in
    kept: int  # prize sets kept for one car, still new
    by_compound: tuple[tuple[str, int, int], ...]  # (compound's label, received, new)
    per_car: tuple[tuple[Entry, int], ...]  # each car that used its sets, how many


@dataclass(frozen=True)
class TyreStock:
    meeting: Meeting
    quota: int
    operators: list[OperatorStock]
    cars: list[CarTyres]  # every entry of the championship, by car number


def _sets_with_state(meeting: Meeting) -> list[TyreSet]:
    """The meeting's sets, each with ``last_direction`` (None if never scanned) and
    ``owner_id`` (the entry it was first fitted to), in one query."""
    scans = TyreScan.objects.filter(tyre_set=OuterRef("pk"))
    return list(
        TyreSet.objects.filter(meeting=meeting)
        .select_related("operator")
        .annotate(
            last_direction=Subquery(scans.order_by("-pk").values("direction")[:1]),
            owner_id=Subquery(scans.filter(first_fitting=True).values("entry_id")[:1]),
        )
        .order_by("operator__name", "barcode")
    )


def tyre_stock(meeting: Meeting) -> TyreStock:
    """Each operator's stock for the meeting and each car's new sets against the quota, in
    four queries however many sets and cars."""
    quota = new_sets_quota(meeting.championship_id)
    sets = _sets_with_state(meeting)
    entries = list(
        Entry.objects.filter(championship_id=meeting.championship_id)
        .select_related("driver")
        .order_by("car_number")
    )
    fitted_new = dict(
        TyreScan.objects.filter(meeting=meeting, first_fitting=True)
        .values("entry_id")
        .annotate(sets=Count("pk"))
        .values_list("entry_id", "sets")
    )
    by_operator: dict[int, list[TyreSet]] = defaultdict(list)
    on_car: dict[int, list[str]] = defaultdict(list)
    returned: dict[int, list[str]] = defaultdict(list)
    for tyre_set in sets:
        by_operator[tyre_set.operator_id].append(tyre_set)
        if tyre_set.last_direction == TyreDirection.OUT:
            on_car[tyre_set.owner_id].append(tyre_set.barcode)
        elif tyre_set.last_direction == TyreDirection.IN:
            returned[tyre_set.owner_id].append(tyre_set.barcode)
    by_pk = {entry.pk: entry for entry in entries}
    cars = [
        CarTyres(
            entry=entry,
            new_sets=fitted_new.get(entry.pk, 0),
            quota=quota,
            on_car=tuple(on_car[entry.pk]),
            returned=tuple(returned[entry.pk]),
        )
        for entry in entries
    ]
    operators = [_operator_stock(group, by_pk) for group in by_operator.values()]
    return TyreStock(meeting=meeting, quota=quota, operators=operators, cars=cars)


def _operator_stock(sets: list[TyreSet], entries: dict[int, Entry]) -> OperatorStock:
    new = [s for s in sets if s.owner_id is None]
    per_car = Counter(s.owner_id for s in sets if s.owner_id is not None)
    compounds = [
        (
            label,
            sum(s.compound == value for s in sets),
            sum(s.compound == value for s in new),
        )
        for value, label in TyreCompound.choices
    ]
    return OperatorStock(
        operator=sets[0].operator,
        received=len(sets),
        new=len(new),
        on_cars=sum(s.last_direction == TyreDirection.OUT for s in sets),
        returned=sum(s.last_direction == TyreDirection.IN for s in sets),
        kept=sum(s.kept_for_id is not None for s in new),
        by_compound=tuple((str(label), r, n) for label, r, n in compounds if r),
        per_car=tuple(
            sorted(
                ((entries[pk], count) for pk, count in per_car.items() if pk in entries),
                key=lambda item: item[0].car_number,
            )
        ),
    )
