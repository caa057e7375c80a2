"""Plain helpers for every test folder, in one place (fixtures are in the conftest.py files).

First the paths and files every folder reads; season bundles (a folder as a .zip, a refused
import's problems, the back office's check and apply, everything an import writes); the
outage tests' relay. Then ``make_*``: each creates one object in the database with sensible
defaults: staff and their clients, championships and their calendar, entries and drivers with
their FIA categories, the arrive-and-drive fleet, the Talent Pool. Then the Talent Pool's
documents and forms as a browser sends them, and the standings' plain data (no database): cars
double as entry ids, and points by rank are short so that every expected total in a test can
be worked out by hand from the rules. Last, hypothesis strategies that generate whole seasons
of that plain data.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import socket
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.db.models import QuerySet
from django.db.utils import load_backend
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import strategies as st
from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from championships.bundle import BundleError, BundleIssue, season_import
from championships.models import (
    BoardDocument,
    BoardKind,
    Championship,
    ChampionshipClass,
    Circuit,
    Issuer,
    Meeting,
    Penalty,
    PenaltyKind,
    Race,
    Result,
    ResultStatus,
    Series,
)
from championships.standings import data as season_data
from championships.standings.tables import DriverRow, SeasonTables, Table, TeamRow
from entries.models import (
    Car,
    CarAllocation,
    Driver,
    DriverClassification,
    Entry,
    Operator,
    PackageKind,
    SeatPackage,
    Team,
    driver_slugs_free,
)
from talentpool.models import Application, TalentPoolEdition
from talentpool.services import application_submit

_seq = itertools.count(1)

# The project, the example season the demo loads, and the published seasons kept for the tests.
PROJECT_DIR = Path(__file__).resolve().parent.parent
EXAMPLE_SEASON = PROJECT_DIR / "demo" / "data" / "pcca-2024"
F1_2015 = Path(__file__).resolve().parent / "data" / "f1-2015"
F1_1988 = Path(__file__).resolve().parent / "data" / "f1-1988"

# The example season's sheet of race 1-1, and the permissions an API write of each kind needs.
EXAMPLE_R1_1 = (EXAMPLE_SEASON / "results" / "R1-1.csv").read_text()
RESULT_PERMISSIONS = (
    "championships.add_result",
    "championships.change_result",
    "championships.delete_result",
)
ADD_CHAMPIONSHIP = "championships.add_championship"

# The example bundle's .toml and .csv files, by their path in the bundle.
EXAMPLE_BUNDLE_FILES = {
    path.relative_to(EXAMPLE_SEASON).as_posix(): path.read_bytes()
    for path in sorted(EXAMPLE_SEASON.rglob("*"))
    if path.is_file() and path.suffix in {".toml", ".csv"}
}


# Season bundles.


def zip_of(folder: Path, prefix: str = "", **replaced: str) -> bytes:
    """A season bundle folder as a .zip: its .csv and .toml files and its results, not the
    example's README and expected standings; ``replaced`` maps a file's name to new content."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(
            [*folder.glob("*.csv"), *folder.glob("*.toml"), *folder.glob("results/*")]
        ):
            name = path.relative_to(folder).as_posix()
            archive.writestr(prefix + name, replaced.get(name, path.read_bytes()))
    return buffer.getvalue()


BUNDLE_IMPORT_URL = "admin:championships_championship_import_bundle"


def bundle_check(client: Client, data: bytes, **fields: str) -> HttpResponse:
    """Uploads ``data`` to the back office's bundle import for its dry run (the check)."""
    upload = SimpleUploadedFile("pcca-2024.zip", data, content_type="application/zip")
    return client.post(reverse(BUNDLE_IMPORT_URL), {"bundle": upload, "preview": "1", **fields})


def bundle_apply(client: Client, token: str, *, follow: bool = False) -> HttpResponse:
    """Applies the upload that a check kept under ``token``."""
    return client.post(reverse(BUNDLE_IMPORT_URL), {"token": token, "apply": "1"}, follow=follow)


def row_counts() -> dict[str, int]:
    """Rows of every model of the apps an import writes to."""
    return {
        model._meta.label: model._default_manager.count()
        for label in ("championships", "entries")
        for model in apps.get_app_config(label).get_models()
    }


def rejected(source: Path | io.BytesIO, **options) -> list[BundleIssue]:
    """The problems reported for ``source``, having checked that nothing was written."""
    before = row_counts()
    with pytest.raises(BundleError) as refused:
        season_import(source, **options)
    assert row_counts() == before
    return refused.value.issues


def assert_reported(
    issues: list[BundleIssue], file: str, line: int | None, column: str | int | None, fragment: str
) -> None:
    """One of ``issues`` is at that file, line and column, and its message says ``fragment``."""
    found = [i for i in issues if (i.file, i.line, i.column) == (file, line, column)]
    assert found, f"nothing at {file}, {line}, {column}; reported:\n" + "\n".join(map(str, issues))
    assert any(fragment in i.message for i in found), "\n".join(map(str, found))


def only_issue(issues: list[BundleIssue]) -> BundleIssue:
    """The one problem reported, failing with all of them if there are more."""
    assert len(issues) == 1, "\n".join(map(str, issues))
    return issues[0]


def imported_rows() -> dict[str, list[tuple]]:
    """Everything an import writes, by natural keys, without ids or timestamps."""
    return {
        "series": sorted(Series.objects.values_list("name", "slug")),
        "championships": sorted(
            Championship.objects.values_list(
                "series__name",
                "slug",
                "name",
                "year",
                "race_points",
                "pole_points",
                "fastest_lap_points",
                "dropped_results",
                "drop_disqualified",
                "tie_break",
                "positions",
                "team_cars_per_race",
                "dealer_cars_per_race",
                "rookies_race_points",
                "rookies_pole_points",
                "rookies_fastest_lap_points",
            ),
            key=str,
        ),
        "classes": sorted(
            (
                c.championship.slug,
                c.code,
                c.categories,
                c.min_age,
                c.race_points,
                c.pole_points,
                c.fastest_lap_points,
                c.sort_order,
            )
            for c in ChampionshipClass.objects.select_related("championship")
        ),
        "circuits": sorted(Circuit.objects.values_list("name", "country", "timezone")),
        "meetings": sorted(
            Meeting.objects.values_list(
                "championship__slug",
                "round",
                "circuit__name",
                "start_date",
                "end_date",
                "supporting_event",
            )
        ),
        "races": sorted(
            Race.objects.values_list(
                "meeting__championship__slug",
                "meeting__round",
                "number",
                "starts_at",
                "points_factor",
            )
        ),
        "drivers": sorted(
            Driver.objects.values_list(
                "slug", "first_name", "last_name", "nationality", "date_of_birth"
            )
        ),
        "categories": sorted(
            DriverClassification.objects.values_list(
                "driver__slug", "category", "effective_from", "source"
            )
        ),
        "teams": sorted(Team.objects.values_list("name", "slug")),
        "entries": sorted(
            Entry.objects.values_list(
                "championship__slug",
                "car_number",
                "driver__slug",
                "team__name",
                "entry_class__code",
                "rookie",
                "guest",
                "arrive_and_drive",
                "dealer_trophy",
            )
        ),
        "results": sorted(
            Result.objects.values_list(
                "race__meeting__round",
                "race__number",
                "entry__car_number",
                "position",
                "status",
                "laps",
                "total_time",
                "best_lap",
                "grid",
            ),
            key=str,
        ),
        "penalties": sorted(
            Penalty.objects.values_list(
                "meeting__round", "race__number", "entry__car_number", "kind", "value", "reason"
            ),
            key=str,
        ),
    }


def empty_the_database() -> None:
    """Deletes everything an import writes, children first (their foreign keys protect)."""
    Result.objects.all().delete()
    Penalty.objects.all().delete()
    Entry.objects.all().delete()
    Championship.objects.all().delete()
    for model in (Driver, Team, Circuit, Series):
        model.objects.all().delete()


# Outages: a relay to a server that the test closes and reopens, and another connection as the
# default database.


class Relay:
    """A TCP relay on loopback to the database server that can be closed and reopened."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self.sockets: list[socket.socket] = []

    def open(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self.port = listener.getsockname()[1]
        self.sockets = [listener]
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def close(self) -> None:
        for sock in self.sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.sockets = []

    def _accept(self, listener: socket.socket) -> None:
        with suppress(OSError):
            while True:
                client, _ = listener.accept()
                server = socket.create_connection(self.target, timeout=10)
                self.sockets += [client, server]
                for a, b in ((client, server), (server, client)):
                    threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


@contextmanager
def default_database(settings_dict: dict) -> Iterator[None]:
    """Serve requests from a database connection with these settings, then put back the test's."""
    original = connections["default"]
    replacement = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")
    connections["default"] = replacement
    try:
        yield
    finally:
        replacement.close()
        connections["default"] = original


# Staff accounts and API clients.


def make_staff(name: str, *permissions: str, roles: tuple[str, ...] = (), **fields) -> AbstractUser:
    """A staff account (password "pw" unless given) with each permission and role (group)."""
    user = get_user_model().objects.create_user(
        name, **{"password": "pw", "is_staff": True, **fields}
    )
    grant(user, *permissions)
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    return user


def role_client(client: Client, role: str | None = None, *, name: str = "staffer") -> Client:
    """``client`` logged in as the staff member ``name``, holding ``role`` (a group) if given."""
    client.force_login(make_staff(name, roles=(role,) if role else ()))
    return client


def granted(group: Group) -> set[tuple[str, str]]:
    """The (app label, codename) of each permission the group holds."""
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def get_changelist(client: Client, app_label: str, model_name: str) -> HttpResponse:
    """The back office's list of a model, as ``client`` opens it."""
    return client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))


class FormReader(HTMLParser):
    """What a browser posts from the page's form whose id or one of whose fields is ``key``:
    inputs (checked boxes only, no files or buttons), selected options, text areas."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key, self.forms, self.select, self.textarea = key, [], None, None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append((found.get("id", ""), []))
        elif tag == "input" and self.forms and "name" in found:
            kind = found.get("type", "text")
            if kind not in {"file", "submit", "button", "image", "reset"} and (
                kind not in {"checkbox", "radio"} or "checked" in found
            ):
                self.forms[-1][1].append((found["name"], found.get("value", "")))
        elif tag == "select" and self.forms:
            self.select = found.get("name")
        elif tag == "option" and self.select and "selected" in found:
            self.forms[-1][1].append((self.select, found.get("value", "")))
        elif tag == "textarea" and self.forms:
            self.textarea = found.get("name")
            self.forms[-1][1].append((self.textarea, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            name, text = self.forms[-1][1].pop()
            self.forms[-1][1].append((name, text + data.removeprefix("\n") * (not text)))

    def fields(self) -> dict[str, list[str]]:
        form = next(f for f in self.forms if self.key in (f[0], *(n for n, _ in f[1])))
        data: dict[str, list[str]] = {}
        for name, value in form[1]:
            data.setdefault(name, []).append(value)
        return data


def form_fields(client: Client, url: str, key: str) -> dict[str, list[str]]:
    """What a browser would post from the form ``key`` (``FormReader``) of the page at ``url``."""
    page = client.get(url)
    assert page.status_code == 200
    reader = FormReader(key)
    reader.feed(page.content.decode())
    return reader.fields()


def posted_back(client: Client, url: str, key: str) -> HttpResponse:
    """The form of the page at ``url`` posted back as it was filled in."""
    return client.post(url, form_fields(client, url, key))


def grant(user: AbstractUser, *permissions: str) -> None:
    """Give the user each permission, named "app_label.codename"."""
    for name in permissions:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def token_client(user: AbstractUser, *permissions: str) -> APIClient:
    """A client sending the user's token; ``permissions`` as "app_label.codename"."""
    grant(user, *permissions)
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


# Championships and their calendar.


def make_series(name: str = "Porsche Carrera Cup Asia") -> Series:
    series, _ = Series.objects.get_or_create(
        name=name, defaults={"slug": name.lower().replace(" ", "-")}
    )
    return series


def make_championship(
    slug: str | None = None, *, year: int = 2024, classes: bool = True, **fields
) -> Championship:
    n = next(_seq)
    championship = Championship.objects.create(
        series=fields.pop("series", None) or make_series(),
        slug=slug or f"cup-{year}-{n}",
        name=fields.pop("name", f"Cup {year} #{n}"),
        year=year,
        **fields,
    )
    if classes:
        make_class(championship, "PRO", ["PLATINUM", "GOLD", "SILVER"])
        make_class(championship, "PRO_AM", ["SILVER", "BRONZE"])
        make_class(championship, "AM", ["BRONZE"])
    return championship


def make_class(
    championship: Championship, code: str, categories: list[str], **fields
) -> ChampionshipClass:
    return ChampionshipClass.objects.create(
        championship=championship, code=code, categories=categories, **fields
    )


def make_circuit(name: str = "Shanghai International Circuit", **fields) -> Circuit:
    circuit, _ = Circuit.objects.get_or_create(
        name=name,
        defaults={
            "country": fields.get("country", "CN"),
            "timezone": fields.get("timezone", "Asia/Shanghai"),
        },
    )
    return circuit


def make_meeting(championship: Championship, round: int = 1, **fields) -> Meeting:
    start = fields.pop("start_date", dt.date(championship.year, 4, 20))
    return Meeting.objects.create(
        championship=championship,
        round=round,
        circuit=fields.pop("circuit", None) or make_circuit(),
        start_date=start,
        end_date=fields.pop("end_date", start + dt.timedelta(days=1)),
        **fields,
    )


def make_race(meeting: Meeting, number: int = 1, **fields) -> Race:
    default_start = dt.datetime.combine(
        meeting.start_date, dt.time(10, 35), tzinfo=dt.UTC
    ) + dt.timedelta(days=number - 1)
    return Race.objects.create(
        meeting=meeting, number=number, starts_at=fields.pop("starts_at", default_start), **fields
    )


def get_race(championship: Championship, round_: int, number: int) -> Race:
    """Race ``number`` of round ``round_`` of the championship, as stored."""
    return Race.objects.get(
        meeting__championship=championship, meeting__round=round_, number=number
    )


def race_form(race: Race, day: str, time: str) -> dict[str, object]:
    """The race's back-office change form, its start set to ``day`` and ``time`` (local to
    the circuit), with no result or penalty rows."""
    return {
        "meeting": race.meeting_id,
        "number": race.number,
        "starts_at_0": day,
        "starts_at_1": time,
        "points_factor": race.points_factor,
        "seen_version": race.classification_version,
        **management_form("results", total=0),
        **management_form("penalties", total=0),
    }


# Entries, their drivers and the drivers' FIA categories.

# The day a driver made with a ``category`` holds it from, before every season of the tests.
CATEGORY_SINCE = dt.date(2000, 1, 1)
# The day of round 2 of the silver_season fixture (tests/conftest.py), not held yet there.
ROUND_2_DAY = dt.date(2025, 5, 18)


def make_driver(first_name: str = "Kai", last_name: str | None = None, **fields) -> Driver:
    """A driver with their ``category`` (GOLD) recorded from ``CATEGORY_SINCE``; ``None``
    records none."""
    last_name = last_name or f"Driver{next(_seq)}"
    dob = fields.pop("date_of_birth", dt.date(2000, 1, 1))
    category = fields.pop("category", "GOLD")
    driver = Driver.objects.create(
        first_name=first_name,
        last_name=last_name,
        slug=fields.pop("slug", None) or driver_slugs_free([(first_name, last_name)])[0],
        nationality=fields.pop("nationality", "SE"),
        date_of_birth=dob,
        **fields,
    )
    if category is not None:
        make_classification(driver, category, CATEGORY_SINCE)
    return driver


def make_classification(
    driver: Driver, category: str, effective_from: dt.date, **fields
) -> DriverClassification:
    """One record of a driver's FIA category, from the FIA list unless ``source`` says."""
    return DriverClassification.objects.create(
        driver=driver,
        category=category,
        effective_from=effective_from,
        source=fields.pop("source", "FIA_LIST"),
        **fields,
    )


def recorded() -> QuerySet[DriverClassification]:
    """The FIA categories a test recorded, without the one ``make_driver`` gives each driver."""
    return DriverClassification.objects.exclude(effective_from=CATEGORY_SINCE)


def driver_form_inlines(driver: Driver | None = None, *new: dict[str, str]) -> dict[str, object]:
    """The driver admin form's two category inlines: the history as it is (notes only) and
    the ``new`` records to add (each a dict of category, effective_from, source, ...)."""
    records = list(driver.classifications.latest_first()) if driver else []
    data: dict[str, object] = management_form(
        "classifications", total=len(records), initial=len(records)
    )
    for i, record in enumerate(records):
        data |= {f"classifications-{i}-id": record.pk, f"classifications-{i}-note": record.note}
        data[f"classifications-{i}-driver"] = driver.pk
    data |= management_form("classifications-2", total=len(new))
    for i, fields in enumerate(new):
        data |= {f"classifications-2-{i}-{name}": value for name, value in fields.items()}
    return data


def management_form(prefix: str, *, total: int, initial: int = 0) -> dict[str, object]:
    """The management form of a back-office formset (``prefix``) as the page posts it."""
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def make_team(name: str | None = None) -> Team:
    name = name or f"Team {next(_seq)}"
    team, _ = Team.objects.get_or_create(
        name=name, defaults={"slug": name.lower().replace(" ", "-")}
    )
    return team


def make_entry(championship: Championship, car_number: int | None = None, **fields) -> Entry:
    entry_class = fields.pop("entry_class", None) or championship.classes.get(
        code=fields.pop("class_code", "PRO")
    )
    driver = fields.pop("driver", None) or make_driver()
    return Entry.objects.create(
        championship=championship,
        car_number=car_number or next(_seq) % 999 + 1,
        driver=driver,
        category=fields.pop("category", None)
        or driver.category_on(dt.date(championship.year, 1, 1)),
        team=fields.pop("team", None) or make_team(),
        entry_class=entry_class,
        **fields,
    )


# Results and stewards' decisions, and a whole raced championship.


def make_result(race: Race, entry: Entry, position: int | None = None, **fields) -> Result:
    status = fields.pop("status", ResultStatus.CLASSIFIED if position else ResultStatus.DNF)
    return Result.objects.create(
        race=race,
        entry=entry,
        position=position,
        status=status,
        laps=fields.pop("laps", 15),
        total_time=fields.pop("total_time", None),
        best_lap=fields.pop("best_lap", None),
        grid=fields.pop("grid", None),
        **fields,
    )


def make_penalty(
    entry: Entry, kind: str = PenaltyKind.TIME, *, race: Race | None = None, **fields
) -> Penalty:
    meeting = fields.pop("meeting", None) or race.meeting
    value = fields.pop("value", None if kind == PenaltyKind.DSQ else Decimal(5))
    return Penalty.objects.create(
        meeting=meeting,
        race=race,
        entry=entry,
        kind=kind,
        value=value,
        reason=fields.pop("reason", "Causing a collision"),
        **fields,
    )


def build_championship(entries: int, rounds: int, **fields) -> Championship:
    """A championship in the database: ``entries`` cars racing two races a round.

    Cars finish in number order in odd races and reversed in even ones; every round has a
    time penalty, a disqualification and a points deduction, so each query has rows to load.
    """
    championship = make_championship(**fields)
    cars = [make_entry(championship, n, rookie=n % 3 == 0) for n in range(1, entries + 1)]
    for round_ in range(1, rounds + 1):
        meeting = make_meeting(championship, round_)
        for number in (1, 2):
            race_ = make_race(meeting, number)
            order_ = cars if number == 1 else cars[::-1]
            Result.objects.bulk_create(
                Result(race=race_, entry=car, position=p, laps=10, grid=p)
                for p, car in enumerate(order_, start=1)
            )
        make_penalty(cars[0], PenaltyKind.TIME, race=race_, value=Decimal(1))
        make_penalty(cars[-1], PenaltyKind.DSQ, race=race_)
        make_penalty(cars[1], PenaltyKind.POINTS, meeting=meeting, value=Decimal(2))
    return championship


# The arrive-and-drive fleet.


def make_operator(name: str = "Cup Operations", series: Series | None = None) -> Operator:
    operator, _ = Operator.objects.get_or_create(
        name=name, defaults={"series": series or make_series()}
    )
    return operator


def make_car(chassis_number: str | None = None, **fields) -> Car:
    return Car.objects.create(
        operator=fields.pop("operator", None) or make_operator(),
        chassis_number=chassis_number or f"WP0ZZZ99Z{next(_seq):05}",
        **fields,
    )


def make_package(entry: Entry, meeting: Meeting | None = None, **fields) -> SeatPackage:
    kind = PackageKind.SINGLE_MEETING if meeting else PackageKind.FULL_SEASON
    return SeatPackage.objects.create(
        entry=entry,
        kind=fields.pop("kind", kind),
        meeting=meeting,
        price=fields.pop("price", Decimal("185000.00")),
        currency=fields.pop("currency", "CNY"),
        **fields,
    )


def make_allocation(meeting: Meeting, car: Car, entry: Entry) -> CarAllocation:
    return CarAllocation.objects.create(meeting=meeting, car=car, entry=entry)


# The Talent Pool: an edition, valid documents, a complete form.

# Ages are measured on this day in the tests' edition: born 2000-01-01 to 2010-12-31 fits.
REFERENCE_DATE = dt.date(2026, 12, 31)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def make_edition(championship: Championship | None = None, **fields) -> TalentPoolEdition:
    now = timezone.now()
    defaults = {
        "year": 2026,
        "name": "Talent Pool 2026",
        "opens_at": now - dt.timedelta(days=10),
        "closes_at": now + dt.timedelta(days=30),
        "timezone": "Asia/Kuala_Lumpur",
        "assessment_venue": "Sepang International Circuit",
        "assessment_starts_on": dt.date(2026, 12, 8),
        "assessment_ends_on": dt.date(2026, 12, 10),
        "reference_date": REFERENCE_DATE,
        "places": 2,
        "prizes": "A season entry",
    }
    championship = championship or make_championship(year=2027)
    return TalentPoolEdition.objects.create(championship=championship, **{**defaults, **fields})


# The application form's labels, as the applicant reads them: a contract with the design.
CONTRACT_LABELS = [
    "First name",
    "Last name",
    "Date of birth",
    "Nationality",
    "Email",
    "Phone",
    "Licence number",
    "Motivation",
    "CV",
    "Licence scan",
    "Photo",
    "Guardian name",
    "Guardian email",
    "Guardian consent",
    "I agree to the processing of my data",
]


def edition_form_data(edition: TalentPoolEdition, **overrides) -> dict[str, object]:
    """The edition's back-office form as posted: 2026 open all year, in the edition's zone."""
    return {
        "year": 2026,
        "name": "TP",
        "championship": edition.championship_id,
        "timezone": "Asia/Kuala_Lumpur",
        "opens_at_0": "2026-01-01",
        "opens_at_1": "09:00",
        "closes_at_0": "2026-12-31",
        "closes_at_1": "23:59",
        "assessment_venue": "Sepang",
        "assessment_starts_on": "2026-12-08",
        "assessment_ends_on": "2026-12-10",
        "reference_date": "2026-12-31",
        "min_age": 16,
        "max_age": 26,
        "places": 2,
        "prizes": "",
        **overrides,
    }


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (40, 50)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (180, 18, 27)).save(buffer, kind)
    return buffer.getvalue()


def pdf_file(name: str = "cv.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_file(name: str = "photo.png", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content or image_bytes("PNG"), content_type="image/png")


def jpeg_file(name: str = "scan.jpg", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content or image_bytes("JPEG"), content_type="image/jpeg")


def documents(**overrides) -> dict[str, SimpleUploadedFile]:
    return {"cv": pdf_file(), "licence_scan": jpeg_file(), "photo": png_file(), **overrides}


def form_data(**overrides) -> dict[str, object]:
    """A complete adult's application as the browser posts it, with one racing season."""
    data = {
        "first_name": "Mei",
        "last_name": "Tan",
        "date_of_birth": "2004-05-17",
        "nationality": "MY",
        "email": "mei.tan@example.com",
        "phone": "+60 12 345 6789",
        "licence_type": "intl_c",
        "licence_number": "MY-2024-0042",
        "fia_category": "",
        "motivation": "I won the national karting title and want to race cars.",
        "data_consent": "on",
        "website": "",
        "record-TOTAL_FORMS": "3",
        "record-INITIAL_FORMS": "0",
        "record-MIN_NUM_FORMS": "0",
        "record-MAX_NUM_FORMS": "15",
        "record-0-year": "2025",
        "record-0-series": "Rotax Max Challenge Malaysia",
        "record-0-position": "1",
        "record-0-wins": "4",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def minor_guardian(**overrides) -> dict[str, object]:
    return {
        "date_of_birth": "2010-03-01",
        "guardian_name": "Siew Lan Tan",
        "guardian_email": "siew.tan@example.com",
        "guardian_consent": "on",
        **overrides,
    }


def submit(edition: TalentPoolEdition, **applicant) -> Application:
    """An application stored through the service, with its three documents."""
    person = {
        "first_name": "Mei",
        "last_name": "Tan",
        "date_of_birth": dt.date(2004, 5, 17),
        "nationality": "MY",
        "email": "mei.tan@example.com",
        "phone": "+60 12 345 6789",
        "licence_type": "intl_c",
        "licence_number": "MY-1",
        "fia_category": "",
        "motivation": "Speed.",
        "guardian_name": "",
        "guardian_email": "",
        "guardian_consent": False,
        "data_consent": True,
        **applicant,
    }
    return application_submit(
        edition=edition,
        applicant=person,
        records=[{"year": 2025, "series": "Rotax", "position": 2, "wins": 1}],
        documents=documents(),
        language="en",
        status_url="http://testserver/talent-pool/status/",
    )


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# The standings' plain data, no database (cars double as entry ids).

POINTS = (Decimal(10), Decimal(6), Decimal(4), Decimal(3), Decimal(2), Decimal(1))


def scheme(
    *points: int | str, pole: int | str = 0, fastest_lap: int | str = 0
) -> season_data.Scheme:
    by_rank = tuple(Decimal(str(p)) for p in points) if points else POINTS
    return season_data.Scheme(by_rank, Decimal(str(pole)), Decimal(str(fastest_lap)))


def entry(car: int, *, team: str = "", cls: str = "PRO", **flags: bool) -> season_data.Entry:
    return season_data.Entry(car, car, f"Driver {car}", team or f"Team {car}", cls, **flags)


def seconds(value: int | str | None) -> dt.timedelta | None:
    if value is None:
        return None
    return dt.timedelta(microseconds=int(Decimal(str(value)) * 1_000_000))


def result(
    car: int, position: int | None = None, *, status: str = "DNF", **fields
) -> season_data.Result:
    """A classified result when ``position`` is given, else one of ``status``."""
    for name in ("total_time", "best_lap"):
        if name in fields:
            fields[name] = seconds(fields[name])
    status = season_data.CLASSIFIED if position is not None else status
    return season_data.Result(car, position, status, **{"laps": 10, **fields})


def race(
    round_: int, *results: season_data.Result, number: int = 1, factor: str = "1"
) -> season_data.Race:
    return season_data.Race(round_ * 100 + number, round_, number, Decimal(factor), tuple(results))


def finish(round_: int, *cars: int, number: int = 1, factor: str = "1") -> season_data.Race:
    """A race that the ``cars`` finished in that order, with no grid and no lap times."""
    results = (result(car, position) for position, car in enumerate(cars, start=1))
    return race(round_, *results, number=number, factor=factor)


def penalty(
    car: int, kind: str, race_: season_data.Race | None = None, **fields
) -> season_data.Penalty:
    round_ = fields.pop("round", race_.round if race_ else 1)
    value = fields.pop("value", None)
    return season_data.Penalty(
        entry_id=car,
        kind=kind,
        round=round_,
        race_id=race_.id if race_ else None,
        value=None if value is None else Decimal(str(value)),
        reason=fields.pop("reason", "Stewards' decision"),
    )


def season(
    *races: season_data.Race,
    entries: tuple[season_data.Entry, ...] | None = None,
    penalties: tuple[season_data.Penalty, ...] = (),
    schemes: dict[str, season_data.Scheme] | None = None,
    **settings,
) -> season_data.Season:
    """A season of ``races``; entries default to every car that appears, in class PRO."""
    if entries is None:
        cars = sorted({r.entry_id for race_ in races for r in race_.results})
        entries = tuple(entry(car) for car in cars)
    codes = tuple(sorted({c for e in entries for c in (e.class_code, *_moved_to(e))}))
    base = {"drivers": scheme(), "rookies": scheme()}
    base |= {season_data.class_table_key(code): scheme() for code in codes}
    return season_data.Season(
        slug="test",
        races=races,
        entries=entries,
        penalties=penalties,
        schemes=base | (schemes or {}),
        settings=season_data.Settings(**settings),
        class_codes=codes,
    )


def _moved_to(entry_: season_data.Entry) -> list[str]:
    return [move.class_code for move in entry_.class_moves]


def table(
    season_: season_data.Season,
    name: str = "drivers",
    cls: str | None = None,
    after: int | None = None,
) -> Table:
    return SeasonTables(season_).table(name, cls, after)


def totals(
    season_: season_data.Season,
    name: str = "drivers",
    cls: str | None = None,
    after: int | None = None,
) -> dict[int | str, Decimal]:
    """{car number or team: points} of a table."""
    return {_ident(row): row.points for row in table(season_, name, cls, after).rows}


def order(
    season_: season_data.Season,
    name: str = "drivers",
    cls: str | None = None,
    after: int | None = None,
) -> list[tuple[int, int | str]]:
    """[(position, car number or team)] of a table, in table order."""
    return [(row.position, _ident(row)) for row in table(season_, name, cls, after).rows]


def _ident(row: DriverRow | TeamRow) -> int | str:
    return row.entry.car_number if hasattr(row, "entry") else row.team


# Generated seasons (hypothesis): any mix of entries, results, penalties, schemes and settings.

_STATUSES = ("DNF", "DNS", "DSQ", "NC")


@st.composite
def _entries(draw) -> tuple[season_data.Entry, ...]:
    count = draw(st.integers(2, 8))
    return tuple(
        season_data.Entry(
            id=car,
            car_number=car,
            driver=f"Driver {car}",
            team=draw(st.sampled_from(("Alpha", "Beta", "Gamma"))),
            class_code=draw(st.sampled_from("AB")),
            rookie=draw(st.booleans()),
            guest=draw(st.integers(0, 5)) == 0,
            dealer_trophy=draw(st.booleans()),
        )
        for car in range(1, count + 1)
    )


@st.composite
def _race_results(draw, cars: list[int]) -> tuple[season_data.Result, ...]:
    starters = draw(st.permutations(cars))[: draw(st.integers(0, len(cars)))]
    classified = draw(st.integers(0, len(starters)))
    grids = draw(st.permutations(range(1, len(starters) + 1)))
    results = []
    for index, car in enumerate(starters):
        on_time = index < classified
        results.append(
            season_data.Result(
                entry_id=car,
                position=index + 1 if on_time else None,
                status=season_data.CLASSIFIED if on_time else draw(st.sampled_from(_STATUSES)),
                laps=20,
                total_time=seconds(1800 + 2 * index) if on_time else None,
                best_lap=seconds(draw(st.sampled_from(("90", "90.5", "91")))),
                grid=grids[index] if draw(st.integers(0, 6)) else None,
            )
        )
    return tuple(results)


@st.composite
def seasons(draw) -> season_data.Season:
    """A whole season of 2-8 cars over 1-4 rounds, with penalties, schemes and settings drawn."""
    cast = draw(_entries())
    cars = [entry.car_number for entry in cast]
    races = tuple(
        season_data.Race(
            round_ * 10 + number, round_, number, draw(st.sampled_from(_FACTORS)), results
        )
        for round_ in range(1, draw(st.integers(1, 4)) + 1)
        for number in range(1, draw(st.integers(1, 2)) + 1)
        for results in [draw(_race_results(cars))]
    )
    return season(
        *races,
        entries=cast,
        penalties=draw(_penalties(races, cars)),
        schemes=draw(_schemes()),
        dropped_results=draw(st.integers(0, 2)),
        tie_break=draw(st.sampled_from(("countback", "none"))),
        positions=draw(st.sampled_from(("standard", "dense"))),
        team_cars_per_race=draw(st.integers(1, 3)),
        dealer_cars_per_race=draw(st.integers(1, 2)),
    )


_FACTORS = (Decimal(1), Decimal(1), Decimal("0.5"), Decimal(0))


@st.composite
def _penalties(draw, races: tuple[season_data.Race, ...], cars: list[int]) -> tuple:
    decisions = []
    for _ in range(draw(st.integers(0, 4))):
        race_ = draw(st.sampled_from(races))
        car = draw(st.sampled_from(cars))
        kind = draw(st.sampled_from(("TIME", "DSQ", "POINTS")))
        value = draw(st.sampled_from((1, "2.5", 10))) if kind != "DSQ" else None
        decisions.append(
            penalty(car, kind, None if kind == "POINTS" else race_, round=race_.round, value=value)
        )
    return tuple(decisions)


@st.composite
def _schemes(draw) -> dict:
    points = st.lists(st.sampled_from((10, 6, 4, "2.5", 1, 0)), min_size=1, max_size=5)
    bonus = st.sampled_from((0, 1, 2))
    return {
        key: scheme(
            *sorted(draw(points), key=Decimal, reverse=True),
            pole=draw(bonus),
            fastest_lap=draw(bonus),
        )
        for key in ("drivers", "rookies", "class-A", "class-B")
    }


def make_season_with_calendar(
    slug: str, series: Series, *, year: int = 2026, status: str = "published", **fields
) -> Championship:
    """A season of ``status`` with one of everything the API lists, each its own: a meeting at
    a circuit of its own, a race with a result, an entry (its own driver and team), a penalty."""
    championship = make_championship(slug, year=year, series=series, status=status, **fields)
    circuit = make_circuit(f"Circuit of {slug}")
    meeting = make_meeting(championship, circuit=circuit)
    race = make_race(meeting)
    entry = make_entry(
        championship, 7, driver=make_driver(slug=f"driver-of-{slug}"), team=make_team(slug)
    )
    make_result(race, entry, 1)
    make_penalty(entry, race=race)
    return championship


def make_board_document(meeting: Meeting, title: str = "Bulletin 1", **fields) -> BoardDocument:
    """An uploaded notice board document (the tiny PDF above) in ``meeting``, numbered next."""
    from championships.board import board_publish

    fields.setdefault("kind", BoardKind.BULLETIN)
    fields.setdefault("issued_by", Issuer.RACE_DIRECTOR)
    fields.setdefault("pdf", PDF)
    return board_publish(meeting=meeting, title_en=title, **fields)
