"""Loading the living demo (demo.living) into the database, idempotently.

Every season goes in through ``season_import``; the season's operation beyond the bundle goes
through the services staff use: the fleet's allocations and damage (entries.services), a
mid-season FIA category change (entries.fia_categories' revision import), each season's
status and the featured one (championships.services); the entrants' side through paddock's
services (demo.paddock). Run again the same day, nothing changes; run in a later season, the
new current seasons are loaded and the former ones archived (every published season of the two
demo series before this year's), and next year's draft Cup, which an earlier load made, is
replaced by this year's half-run one.

A season already there is left as it is: in a season year of 2023 or 2024, last year's Cup is
the 2023 archive or the fixed 2024 example (both loaded by ``load_demo`` before this), which
stay as they are; the demo is meant for days from 2026 on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.test.utils import override_settings

from championships.bundle import BundleError, season_import
from championships.models import Championship, Circuit, Meeting, Race, SeasonStatus, Series
from championships.services import season_feature, season_status_set, standings_invalidate
from demo.board import board_demo_ensure
from demo.live import live_demo_ensure
from demo.living import (
    CUP,
    CUP_SERIES,
    SPRINT_SERIES,
    SeasonBundle,
    bundle_write,
    current_bundles,
    season_year,
)
from demo.paddock import paddock_demo_ensure
from demo.seasons import demo_prizes_ensure
from demo.talentpool import edition_demo_ensure
from entries.fia_categories import fia_category_revision_import
from entries.models import (
    Car,
    CarStatus,
    Driver,
    Entry,
    Operator,
    PackageKind,
    PaymentStatus,
    SeatPackage,
)
from entries.services import car_allocate, damage_report, results_chassis_record
from talentpool.models import TalentPoolEdition

SERIES_POSITIONS = {CUP_SERIES: 1, SPRINT_SERIES: 2}
# What fans read in Simplified Chinese (championships/translation.py): a bundle carries the
# English names only, so the demo fills these in as staff would in the back office.
SERIES_CHINESE = {CUP_SERIES: "保时捷卡雷拉杯亚洲赛", SPRINT_SERIES: "保时捷中国冲刺挑战赛"}
UNNAMED = Q(name_zh_hans__isnull=True) | Q(name_zh_hans="")  # no Chinese name given
CIRCUITS_CHINESE = {
    "Bangsaen Street Circuit": "邦盛街道赛道",
    "Chang International Circuit": "武里南国际赛车场",
    "Chengdu Tianfu International Circuit": "成都天府国际赛车场",
    "Marina Bay Street Circuit": "滨海湾街道赛道",
    "Ningbo International Speedpark": "宁波国际赛道",
    "Sepang International Circuit": "雪邦国际赛车场",
    "Shanghai International Circuit": "上海国际赛车场",
    "Suzuka International Racing Course": "铃鹿国际赛车场",
    "Zhuhai International Circuit": "珠海国际赛车场",
    "Zhuzhou International Circuit": "株洲国际赛车场",
}
OPERATOR = "Arrive & Drive Asia"
FLEET = ("WP0ZZZ99ZRS700101", "WP0ZZZ99ZRS700102", "WP0ZZZ99ZRS700103", "WP0ZZZ99ZRS700104")
CURRENCY = "CNY"
# Omar Haddad's category after the FIA's review, this many days before today: between the
# second and third meetings, so that his PRO_AM entry is flagged for the series manager.
PROMOTED = ("Omar", "Haddad", dt.date(1979, 6, 23))
PROMOTION_DAYS_AGO = 90


class DemoError(Exception):
    """A demo bundle the import refused: a bug of the demo, never of the user's data."""


@dataclass(frozen=True)
class Loaded:
    championship: Championship
    created: bool


MAIL_TO_MEMORY = "django.core.mail.backends.locmem.EmailBackend"


def demo_load(*, today: dt.date, workdir: Path) -> list[str]:
    """Load the living demo for ``today``; what was done, a line each."""
    said: list[str] = []
    # The entrants' steps e-mail their teams once the load commits: to memory, not to anyone;
    # the notice board's PDFs are drawn (and their e-mails sent) before the override ends.
    with (
        override_settings(EMAIL_BACKEND=MAIL_TO_MEMORY, BOARD_DRAW_IN_BACKGROUND=False),
        transaction.atomic(),
    ):
        loaded = {b.slug: _season_ensure(b, workdir, said) for b in current_bundles(today)}
        year = season_year(today)
        cup = loaded[CUP.slug(year)]
        following = loaded[CUP.slug(year + 1)]
        if cup.created:
            said.append(_fleet_run(cup.championship, today))
            said.append(_promotion_record(today))
        if following.created:
            season_status_set(championship_id=following.championship.pk, status=SeasonStatus.DRAFT)
            said.append(f"{following.championship.slug}: a draft, for staff only.")
        said.extend(_former_seasons_archive(year))
        if cup.championship.status == SeasonStatus.PUBLISHED and not cup.championship.featured:
            season_feature(championship_id=cup.championship.pk)
            said.append(f"{cup.championship.slug}: featured on the site's own pages.")
        _series_order()
        said.extend(_chinese_names_fill())
        said.extend(_stale_note(cup.championship, today))
        said.append(demo_prizes_ensure(championship_slug=cup.championship.slug))
        said.append(
            edition_demo_ensure(
                championship_slug=following.championship.slug, today=today, year=year + 1
            )
        )
        said.extend(paddock_demo_ensure(championship=cup.championship, today=today))
        said.extend(board_demo_ensure(championship=cup.championship, today=today))
        said.extend(live_demo_ensure(championship=cup.championship))
    return said


def _season_ensure(bundle: SeasonBundle, workdir: Path, said: list[str]) -> Loaded:
    """Import the season unless it is there. Next year's draft Cup, made by an earlier load,
    becomes this year's season when the year comes: replaced by the half-run one."""
    existing = Championship.objects.filter(slug=bundle.slug).first()
    if existing is not None and not _draft_to_replace(existing, bundle):
        said.append(f"{bundle.slug}: already loaded, left as it is.")
        return Loaded(existing, created=False)
    path = bundle_write(workdir / bundle.slug, bundle)
    editions: list[int] = []
    if existing is not None:  # its editions PROTECT it: held by another season meanwhile
        editions = _editions_of(existing)
        _editions_move(editions, _any_other(existing))
    try:
        summary = season_import(path, replace=existing is not None)
    except BundleError as error:
        raise DemoError(f"{bundle.slug}: the demo bundle is invalid:\n{error}") from error
    championship = Championship.objects.get(pk=summary.championship_id)
    _editions_move(editions, championship)
    said.append(f"Loaded {summary}.")
    return Loaded(championship, created=True)


def _draft_to_replace(existing: Championship, bundle: SeasonBundle) -> bool:
    """A draft with no result, which this bundle fills (it has entries and results)."""
    return (
        existing.status == SeasonStatus.DRAFT
        and bundle.with_entries
        and not Race.objects.filter(meeting__championship=existing, results__isnull=False).exists()
    )


def _stale_note(championship: Championship, today: dt.date) -> list[str]:
    """A season loaded on an earlier day is left as it is; say so once its calendar is run."""
    if championship.meetings.filter(start_date__gte=today).exists():
        return []
    return [
        f"{championship.slug} was loaded on an earlier day and has no meeting ahead any more: "
        "for a fresh demo, start from an empty database (remove db.sqlite3) and run it again."
    ]


def _editions_of(championship: Championship) -> list[int]:
    """The Talent Pool editions whose winners join ``championship``."""
    return list(
        TalentPoolEdition.objects.filter(championship=championship).values_list("pk", flat=True)
    )


def _any_other(championship: Championship) -> Championship:
    return Championship.objects.exclude(pk=championship.pk).order_by("-year").first()


def _editions_move(pks: list[int], championship: Championship) -> None:
    TalentPoolEdition.objects.filter(pk__in=pks).update(championship=championship)


def _former_seasons_archive(year: int) -> list[str]:
    """The demo series' seasons of earlier years that are still published: archived."""
    former = Championship.objects.filter(
        series__name__in=SERIES_POSITIONS, year__lt=year, status=SeasonStatus.PUBLISHED
    )
    said = []
    for championship in former.order_by("year", "slug"):
        season_status_set(championship_id=championship.pk, status=SeasonStatus.ARCHIVED)
        said.append(f"{championship.slug}: archived.")
    return said


def _series_order() -> None:
    for name, position in SERIES_POSITIONS.items():
        Series.objects.filter(name=name).exclude(position=position).update(position=position)


def _chinese_names_fill() -> list[str]:
    """The Chinese names of the demo's series, seasons and circuits, where none is given yet;
    the seasons of a series whose names changed are invalidated, as a back-office save does."""
    filled: set[int] = set()
    for english, chinese in SERIES_CHINESE.items():
        seasons = Championship.objects.filter(UNNAMED, series__name_en=english)
        for championship in seasons:
            Championship.objects.filter(pk=championship.pk).update(
                name_zh_hans=f"{chinese} {championship.year}"
            )
            filled.add(championship.pk)
        if Series.objects.filter(UNNAMED, name_en=english).update(name_zh_hans=chinese):
            filled.update(
                Championship.objects.filter(series__name_en=english).values_list("pk", flat=True)
            )
    for english, chinese in CIRCUITS_CHINESE.items():
        if Circuit.objects.filter(UNNAMED, name_en=english).update(name_zh_hans=chinese):
            at = Meeting.objects.filter(circuit__name_en=english)
            filled.update(at.values_list("championship_id", flat=True))
    for pk in sorted(filled):
        standings_invalidate(championship_id=pk)
    return [f"Chinese names given to {len(filled)} seasons' pages."] if filled else []


# --- The arrive-and-drive fleet -----------------------------------------------------------


def _fleet_run(championship: Championship, today: dt.date) -> str:
    """Seats, a chassis for each arrive-and-drive entry at every meeting up to the next one,
    and the damage of the third meeting: its car out of service, a spare car from then on."""
    operator, _ = Operator.objects.get_or_create(
        name=OPERATOR, defaults={"series": championship.series}
    )
    # Last season's damaged cars were repaired over the winter.
    operator.cars.filter(status=CarStatus.DAMAGED).update(status=CarStatus.AVAILABLE)
    cars = [Car.objects.get_or_create(operator=operator, chassis_number=c)[0] for c in FLEET]
    entries = list(championship.entries.filter(arrive_and_drive=True).order_by("car_number"))
    meetings = _meetings_until_next(championship, today)
    _seats_sell(entries, meetings, today)
    for number, meeting in enumerate(meetings, start=1):
        for entry in entries:
            car_allocate(meeting=meeting, car=_spare(cars, meeting), entry=entry)
        if number == 3:
            _damage(meeting, entries[-1])
        if meeting.end_date < today:
            results_chassis_record(meeting=meeting)
    return (
        f"Fleet: {len(cars)} cars of {operator}, {len(entries)} arrive-and-drive entries "
        f"allocated at {len(meetings)} meetings, one damage report."
    )


def _meetings_until_next(championship: Championship, today: dt.date) -> list[Meeting]:
    meetings = list(championship.meetings.order_by("start_date"))
    held = [m for m in meetings if m.start_date < today]
    return meetings[: len(held) + 1]


def _spare(cars: list[Car], meeting: Meeting) -> Car:
    taken = set(meeting.car_allocations.values_list("car_id", flat=True))
    statuses = dict(Car.objects.filter(pk__in=[c.pk for c in cars]).values_list("pk", "status"))
    return next(c for c in cars if c.pk not in taken and statuses[c.pk] == CarStatus.AVAILABLE)


def _damage(meeting: Meeting, entry: Entry) -> None:
    allocation = meeting.car_allocations.get(entry=entry)
    race = meeting.races.order_by("number").first()
    damage_report(
        car=allocation.car,
        meeting=meeting,
        race=race,
        description="Contact at turn 2 on the first lap: front splitter, radiator, left wheel.",
        repair_cost=Decimal("38500.00"),
        currency=CURRENCY,
        billed_to=entry,
    )


def _seats_sell(entries: list[Entry], meetings: list[Meeting], today: dt.date) -> None:
    """The first entry bought the season; the others buy a meeting at a time."""
    season, *weekly = entries
    packages = [
        SeatPackage(
            entry=season,
            kind=PackageKind.FULL_SEASON,
            price=Decimal("1450000.00"),
            currency=CURRENCY,
            payment_status=PaymentStatus.PAID,
        ),
        *(
            SeatPackage(
                entry=entry,
                kind=PackageKind.SINGLE_MEETING,
                meeting=meeting,
                price=Decimal("260000.00"),
                currency=CURRENCY,
                payment_status=(
                    PaymentStatus.PAID if meeting.start_date < today else PaymentStatus.INVOICED
                ),
            )
            for entry in weekly
            for meeting in meetings
        ),
    ]
    for package in packages:  # no service writes seats: the model's own checks, as the admin's
        package.full_clean()
        package.save()


# --- FIA categories -------------------------------------------------------------------------


def _promotion_record(today: dt.date) -> str:
    """Omar Haddad moves from Silver to Gold mid-season, through the revision import."""
    first, last, born = PROMOTED
    driver = Driver.objects.get(first_name=first, last_name=last, date_of_birth=born)
    day = today - dt.timedelta(days=PROMOTION_DAYS_AGO)
    revision = (
        "driver,category,effective_date,source,published_on,note\n"
        f"{driver.slug},GOLD,{day:%Y-%m-%d},FIA_REVIEW,{day:%Y-%m-%d},"
        "Mid-season review of his lap times\n"
    )
    summary = fia_category_revision_import(revision.encode(), file_name="demo-revision.csv")
    return f"FIA categories: {summary}."
