"""The notice board of the living demo: the last meeting the Cup's current season held, with
its documents posted as staff and the stewards post them, through the services.

On that round's board: the entry list, race 1's provisional and final classifications, a
stewards' time penalty to a mid-field car of race 1 (its decision, in English and Chinese,
and the amended classification it makes), race 2's provisional classification, a bulletin of
the race director's uploaded as a PDF and its correction superseding it, and the drivers'
standings after the round; then practice 1's and qualifying 1's classifications and race 1's
grid published from qualifying. The demo team of demo/paddock.py, when it races in the season,
acknowledges the entry list and protests against a car in race 2's provisional
classification, within its time limit.

Posted once: a round whose board has documents is left as it is. The documents are dated
when the demo is loaded (the services publish "now"), so the team's protest is in time. Their
PDFs are drawn after the load commits (``championships.board.board_render``), as for any
publication; a drawing that failed is drawn again by ``manage.py board_render``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from championships.board import board_publish
from championships.board_documents import board_publish_entry_list, board_publish_standings
from championships.models import (
    BoardDocument,
    BoardKind,
    Championship,
    ClassificationState,
    Issuer,
    Meeting,
    Penalty,
    PenaltyKind,
    Race,
    Result,
    Session,
    SessionKind,
)
from championships.services import classification_declare, penalty_save
from championships.weekend import grid_publish, laps_import, session_import
from core.documents import validate_board_pdf
from core.numbers import timing
from demo.paddock import MANAGER_EMAIL, TEAM, pdf_bytes
from entries.models import Entry
from paddock.models import EntrantTeam, FilingKind
from paddock.services.notices import document_acknowledge
from paddock.services.protests import protest_file

BULLETIN = (
    "Race Director's bulletin 1: track limits",
    "赛事总监公告1：赛道界限",
    "Race Director - Bulletin 1 - Track limits at turns 1, 13 and 16",
)
CORRECTION = (
    "Race Director's bulletin 1 (corrected): track limits",
    "赛事总监公告1（更正）：赛道界限",
    "Race Director - Bulletin 1, corrected - Track limits at turns 1, 11 and 16",
)
PENALTY_SECONDS = Decimal("5")
PENALTY_REASON = (
    "Leaving the track and gaining a lasting advantage at turn 11",
    "在11号弯驶出赛道并获得持续优势",
)


def board_demo_ensure(*, championship: Championship, today: dt.date) -> list[str]:
    """The board of ``championship``'s last meeting held (with results) before ``today``,
    unless it has documents; what was done, a line each."""
    held = championship.meetings.filter(end_date__lt=today, races__results__isnull=False)
    meeting = held.distinct().select_related("circuit").order_by("-start_date").first()
    if meeting is None:
        return [f"Notice board: {championship.slug} has no meeting with results, no board."]
    where = f"round {meeting.round} at {meeting.circuit.name_en}"
    if meeting.board.exists():
        return [f"Notice board: {where} has its documents already, left as it is."]
    first, second = meeting.races.order_by("number")[:2]
    entry_list = board_publish_entry_list(meeting=meeting)
    bulletin = _bulletin_post(meeting, BULLETIN)
    _declare(first, ClassificationState.PROVISIONAL, ClassificationState.FINAL)
    penalty = _time_penalty(meeting, first)
    provisional = _declare(second, ClassificationState.PROVISIONAL)
    _bulletin_post(meeting, CORRECTION, supersedes=bulletin)
    board_publish_standings(meeting=meeting)
    sessions = _weekend_sessions(meeting, first)  # numbered last: the others' numbers stay
    count = meeting.board.count()
    return [
        f"Notice board: {where}, {count} documents (their PDFs drawn once the load commits); "
        f"decision {penalty.number} adds {PENALTY_SECONDS} seconds to car "
        f"{penalty.entry.car_number} in race {first.number}.",
        sessions,
        _team_files(meeting, entry_list, provisional, second),
    ]


def _weekend_sessions(meeting: Meeting, first: Race) -> str:
    """Practice 1 and qualifying 1 of the round, their classifications imported as a timing
    provider's files are, and race 1's grid published from qualifying: qualifying's order is
    race 1's recorded grid, so that the published grid and the race's GRID agree."""
    starters = list(first.results.filter(grid__isnull=False).order_by("grid"))
    if not starters:
        return "Sessions: race 1 has no grid recorded, no practice or qualifying."
    fastest = min((r.best_lap for r in first.results.all() if r.best_lap), default=None)
    base = (fastest or dt.timedelta(minutes=2, seconds=5)) - dt.timedelta(milliseconds=700)
    day = dt.datetime.combine(meeting.start_date, dt.time(2, 0), tzinfo=dt.UTC)
    practice = Session.objects.create(
        meeting=meeting, kind=SessionKind.PRACTICE, number=1, starts_at=day
    )
    qualifying = Session.objects.create(
        meeting=meeting,
        kind=SessionKind.QUALIFYING,
        number=1,
        starts_at=day + dt.timedelta(hours=4),
    )
    by_number = sorted(starters, key=lambda r: (r.entry.car_number * 7) % 31)
    session_import(
        session=practice,
        source=_session_file(by_number, base + dt.timedelta(milliseconds=900), 9),
        dry_run=False,
        reason="Practice 1 classification",
    )
    session_import(
        session=qualifying,
        source=_session_file(starters, base, 6),
        dry_run=False,
        reason="Qualifying classification",
    )
    document = grid_publish(race=first)
    laps = laps_import(subject=first, source=_race_laps(first), dry_run=False)
    return (
        f"Sessions: practice 1 and qualifying 1 ({len(starters)} cars) imported; race "
        f"{first.number}'s grid published from qualifying as document {document.number}; "
        f"its {laps.laps} laps imported (the lap chart)."
    )


def _race_laps(race: Race) -> str:
    """A lap export of ``race`` agreeing with its results: each car's laps add up to its total
    time (a retired car's to its laps at the winner's pace), a slow first lap, a pit stop."""
    results = list(race.results.select_related("entry"))
    timed = [r for r in results if r.total_time and r.laps]
    pace = min((r.total_time / r.laps for r in timed), default=dt.timedelta(minutes=2, seconds=6))
    lines = ["NUMBER;LAP_NUMBER;LAP_TIME;CROSSING_FINISH_LINE_IN_PIT"]
    for result in results:
        if not result.laps:
            continue
        total = result.total_time or pace * result.laps * 1.01
        extra = [dt.timedelta(seconds=6)] + [dt.timedelta(0)] * (result.laps - 1)
        if result.laps > 8 and result.entry.car_number % 5 == 0:
            extra[8] = dt.timedelta(seconds=24)  # a stop in the pit lane
        swing = [
            dt.timedelta(milliseconds=((result.entry.car_number * 37 + lap * 53) % 900) - 450)
            for lap in range(result.laps)
        ]
        base = (total - sum(extra, dt.timedelta(0)) - sum(swing, dt.timedelta(0))) / result.laps
        base = dt.timedelta(milliseconds=round(base / dt.timedelta(milliseconds=1)))
        total = dt.timedelta(milliseconds=round(total / dt.timedelta(milliseconds=1)))
        times = [base + extra[lap] + swing[lap] for lap in range(result.laps)]
        times[-1] += total - sum(times, dt.timedelta(0))  # the rounding, on the last lap
        for lap, time in enumerate(times, start=1):
            pit = "B" if extra[lap - 1] == dt.timedelta(seconds=24) else ""
            lines.append(f"{result.entry.car_number};{lap};{timing(time)};{pit}")
    return "\n".join(lines) + "\n"


def _session_file(results: list[Result], base: dt.timedelta, laps: int) -> str:
    """A timing export of a session: the cars in ``results``' order, each 0.083 s slower."""
    lines = ["POSITION;NUMBER;STATUS;LAPS;FL_TIME;SECOND_BEST"]
    for place, result in enumerate(results, start=1):
        best = base + dt.timedelta(milliseconds=83 * (place - 1) + (place * 37) % 19)
        second = best + dt.timedelta(milliseconds=120 + (place * 53) % 250)
        lines.append(
            f"{place};{result.entry.car_number};Classified;{laps};{timing(best)};{timing(second)}"
        )
    return "\n".join(lines) + "\n"


def _declare(race: Race, *states: str) -> BoardDocument:
    """``race``'s classification declared in each of ``states`` in turn (each version posted
    by the service); its last version's document."""
    for state in states:
        version = classification_declare(race=race, state=state)
    return BoardDocument.objects.get(classification_version=version)


def _bulletin_post(
    meeting: Meeting, texts: tuple[str, str, str], supersedes: BoardDocument | None = None
) -> BoardDocument:
    """An uploaded PDF, checked as the back office's form checks it, then published."""
    title_en, title_zh_hans, line = texts
    pdf = pdf_bytes(line)
    validate_board_pdf(SimpleUploadedFile("bulletin.pdf", pdf, content_type="application/pdf"))
    return board_publish(
        meeting=meeting,
        kind=BoardKind.BULLETIN,
        title_en=title_en,
        title_zh_hans=title_zh_hans,
        issued_by=Issuer.RACE_DIRECTOR,
        supersedes=supersedes,
        pdf=pdf,
        pdf_language="en",
    )


def _time_penalty(meeting: Meeting, race: Race) -> Penalty:
    """Seconds added to the car classified mid-field in ``race``, decided now."""
    classified = list(
        Result.objects.filter(race=race, position__isnull=False)
        .select_related("entry")
        .order_by("position")
    )
    entry = classified[len(classified) // 2].entry
    numbers = meeting.penalties.exclude(number=None).values_list("number", flat=True)
    penalty = Penalty(
        meeting=meeting,
        race=race,
        entry=entry,
        kind=PenaltyKind.TIME,
        value=PENALTY_SECONDS,
        reason_en=PENALTY_REASON[0],
        reason_zh_hans=PENALTY_REASON[1],
        number=max(numbers, default=0) + 1,
        decided_at=timezone.now(),
    )
    return penalty_save(penalty=penalty)


def _team_files(
    meeting: Meeting, entry_list: BoardDocument, provisional: BoardDocument, race: Race
) -> str:
    """The demo team acknowledges the entry list and protests in ``race``, if it raced."""
    team = EntrantTeam.objects.filter(name__iexact=TEAM).first()
    manager = get_user_model().objects.filter(email__iexact=MANAGER_EMAIL).first()
    if team is None or manager is None:
        return (
            f"Notice board: no acknowledgement nor protest: the demo team account {TEAM} "
            "is not there (see the paddock's line above)."
        )
    ours = set(
        team.racing_entries()
        .filter(championship_id=meeting.championship_id)
        .values_list("pk", flat=True)
    )
    results = list(
        Result.objects.filter(race=race, position__isnull=False)
        .select_related("entry")
        .order_by("position")
    )
    mine = next((r for r in results if r.entry_id in ours), None)
    if mine is None:
        return (
            f"Notice board: no acknowledgement nor protest: none of {TEAM}'s cars raced "
            f"in round {meeting.round} of {meeting.championship.slug}."
        )
    document_acknowledge(team=team, document=entry_list, user=manager)
    against = _car_beside(results, mine, ours)
    protest = protest_file(
        team=team,
        user=manager,
        kind=FilingKind.PROTEST,
        document=provisional,
        entry=mine.entry,
        against=against,
        race=race,
        incident=f"Race {race.number}, lap 9, turn 14: contact under braking.",
        rule="Sporting Regulations, article 18.2 (driving standards)",
        grounds=(
            f"Car {against.car_number} moved under braking into turn 14 and hit the left rear "
            f"of our car {mine.entry.car_number}, which lost two places. We ask the stewards "
            "to review the onboard footage."
        ),
    )
    return (
        f"Notice board: {TEAM} acknowledged document {entry_list.number} and filed protest "
        f"{protest.number} against car {against.car_number} about document "
        f"{provisional.number}."
    )


def _car_beside(results: list[Result], mine: Result, ours: set[int]) -> Entry:
    """The car of another team classified just ahead of ``mine`` (else just behind)."""
    at = results.index(mine)
    ahead = [r.entry for r in reversed(results[:at]) if r.entry_id not in ours]
    behind = [r.entry for r in results[at + 1 :] if r.entry_id not in ours]
    return (ahead or behind)[0]
