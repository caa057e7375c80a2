"""A team's applications for its cars (a season, or one meeting as guests), and their
withdrawal.

Every car of a submission is checked first; any problem refuses them all and nothing is
stored: no driver, no document, no file. The checks read the rules that exist already:
``class_admission_problem`` for the class, ``Driver.category_on`` for the FIA category in
force on the first race day, ``person_key``/``drivers_by_person`` for who a driver is (name and
birth year, as the Talent Pool and the imports read it), ``document_problems`` for the
licence and medical certificate. The database's constraints stay the last word: a submission
that loses a race to another one is refused the same way, its files deleted.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from championships.models import Championship, ChampionshipClass, Meeting
from entries.eligibility import admission_day
from entries.models import Driver, Entry, class_admission_problem, drivers_by_person, person_key
from paddock import emails
from paddock.expiry import document_problems
from paddock.models import (
    ApplicationEvent,
    ApplicationStatus,
    DriverDocument,
    EntrantDriver,
    EntrantTeam,
    EntryApplication,
    EntryWindow,
    SeatRequest,
    new_application_reference,
)
from paddock.services.documents import document_write, files_delete

WITHDRAWABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.RESERVE)


class ApplicationRefused(Exception):
    """The submission is refused; ``problems`` says why, each naming its car."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class NewDriver:
    first_name: str
    last_name: str
    date_of_birth: dt.date
    nationality: str
    email: str = ""


@dataclass(frozen=True)
class DocumentUpload:
    kind: str
    upload: UploadedFile
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class CarRequest:
    """One car as the form gives it: ``driver`` (one of the team's) or ``new_driver``."""

    car_number: int
    entry_class: ChampionshipClass
    driver: EntrantDriver | None = None
    new_driver: NewDriver | None = None
    declared_category: str = ""
    seat: str = SeatRequest.NONE
    documents: list[DocumentUpload] = field(default_factory=list)


@dataclass(frozen=True)
class Declaration:
    """What the person applying typed and accepted, and from where."""

    name: str
    address: str
    regulations_version: str
    at: dt.datetime | None = None


@dataclass
class _Car:
    """A car being checked: the request with who its driver is."""

    number: int
    request: CarRequest
    first_name: str
    last_name: str
    date_of_birth: dt.date
    key: str
    driver: Driver | None = None
    category: str = ""

    def label(self) -> str:
        return _("Car %(n)s (#%(number)s)") % {"n": self.number, "number": self.request.car_number}


# --- The checks ------------------------------------------------------------------------------


def _person(request: CarRequest) -> tuple[str, str, dt.date]:
    source = request.driver or request.new_driver
    return source.first_name.strip(), source.last_name.strip(), source.date_of_birth


def _cars(requests: list[CarRequest]) -> list[_Car]:
    """Each car with its person key and the driver of the entry lists it names, if known."""
    people = [_person(request) for request in requests]
    known = drivers_by_person(people)
    linked_ids = {r.driver.driver_id for r in requests if r.driver and r.driver.driver_id}
    linked = Driver.objects.in_bulk(linked_ids)
    cars = []
    for number, (request, person) in enumerate(zip(requests, people, strict=True), start=1):
        key = person_key(*person)
        driver = linked.get(request.driver.driver_id) if request.driver else None
        cars.append(_Car(number, request, *person, key=key, driver=driver or known.get(key)))
    return cars


def season_days(
    championship: Championship, meeting: Meeting | None
) -> tuple[dt.date, dt.date, dt.date | None]:
    """The day the category and age are read on (``admission_day``: the season's first race
    day), and the days the documents must be valid through: that day for a season, the
    meeting's days for a guest."""
    first = admission_day(championship)
    if meeting is None:
        return first, first, None
    return first, meeting.start_date, meeting.end_date


def window_problems(
    window: EntryWindow, meeting: Meeting | None = None, now: dt.datetime | None = None
) -> list[str]:
    """Why ``window`` takes no application now (none when it does): the one rule of an open
    window, for the form and the submission. Open at ``now`` and its season published
    (``EntryWindow.objects.open_at``); for a guest entry, the meeting one of the window's
    championship and not started."""
    now = now or timezone.now()
    if not EntryWindow.objects.open_at(now).filter(pk=window.pk).exists():
        return [_("Entries to %(championship)s are closed.") % {"championship": window}]
    if meeting is not None and (
        meeting.championship_id != window.championship_id
        or meeting.start_date <= timezone.localdate(now)
    ):
        return [_("Guest entries to this meeting are closed: it has started.")]
    return []


def _submission_problems(cars: list[_Car]) -> list[str]:
    """Two cars of one submission with one number or one driver."""
    problems = []
    numbers = Counter(car.request.car_number for car in cars)
    keys = Counter(car.key for car in cars)
    for car in cars:
        if numbers[car.request.car_number] > 1:
            problems.append(
                _("%(car)s: another car of this application asks for the same number.")
                % {"car": car.label()}
            )
        if keys[car.key] > 1:
            problems.append(
                _("%(car)s: another car of this application has the same driver.")
                % {"car": car.label()}
            )
    return problems


def _taken_numbers(championship: Championship, numbers: set[int]) -> set[int]:
    entries = Entry.objects.filter(championship=championship, car_number__in=numbers)
    applied = EntryApplication.objects.active().filter(
        championship=championship, car_number__in=numbers
    )
    return set(entries.values_list("car_number", flat=True)) | set(
        applied.values_list("car_number", flat=True)
    )


def _held_numbers(window: EntryWindow, numbers: set[int], today: dt.date) -> dict[int, Driver]:
    """The numbers raced in the series' previous season, by their driver, while they are
    held for them (until ``numbers_held_until``, that day included)."""
    if window.numbers_held_until is None or today > window.numbers_held_until:
        return {}
    championship = window.championship
    entries = Entry.objects.filter(
        championship__series_id=championship.series_id,
        championship__year=championship.year - 1,
        car_number__in=numbers,
    ).select_related("driver")
    return {entry.car_number: entry.driver for entry in entries}


def _holds(car: _Car, holder: Driver) -> bool:
    if car.driver is not None and car.driver.pk == holder.pk:
        return True
    return car.key == person_key(holder.first_name, holder.last_name, holder.date_of_birth)


def _number_problems(window: EntryWindow, cars: list[_Car], today: dt.date) -> list[str]:
    numbers = {car.request.car_number for car in cars}
    taken = _taken_numbers(window.championship, numbers)
    held = _held_numbers(window, numbers - taken, today)
    problems = []
    for car in cars:
        number = car.request.car_number
        if number in taken:
            problems.append(
                _("%(car)s: number %(number)s is taken in this championship.")
                % {"car": car.label(), "number": number}
            )
        elif number in held and not _holds(car, held[number]):
            problems.append(
                _(
                    "%(car)s: number %(number)s is held until %(day)s for the driver who "
                    "raced it last season."
                )
                % {"car": car.label(), "number": number, "day": window.numbers_held_until}
            )
    return problems


def _driver_problems(championship: Championship, cars: list[_Car]) -> list[str]:
    """A driver with an active application (of any team: the same person by name and birth
    year, or the same driver of the entry lists), or an entry, in the championship."""
    active = EntryApplication.objects.active().filter(championship=championship)
    applied_keys = {
        person_key(d.first_name, d.last_name, d.date_of_birth): d.driver_id
        for d in EntrantDriver.objects.filter(pk__in=active.values("driver"))
    }
    applied_drivers = {pk for pk in applied_keys.values() if pk}
    known = {car.driver.pk for car in cars if car.driver}
    entered = set(
        Entry.objects.filter(championship=championship, driver_id__in=known).values_list(
            "driver_id", flat=True
        )
    )
    problems = []
    for car in cars:
        driver_id = car.driver.pk if car.driver else None
        if driver_id in entered:
            message = _("%(car)s: %(driver)s is entered in this championship already.")
        elif car.key in applied_keys or (driver_id and driver_id in applied_drivers):
            message = _("%(car)s: %(driver)s has an application for this championship already.")
        else:
            continue
        problems.append(
            message % {"car": car.label(), "driver": f"{car.first_name} {car.last_name}"}
        )
    return problems


def _team_problems(team: EntrantTeam, car: _Car) -> list[str]:
    request = car.request
    if request.driver is not None:
        if request.driver.team_id != team.pk:
            return [_("%(car)s: this driver is not one of your team's.") % {"car": car.label()}]
        return []
    same = team.drivers.annotate(first=Lower("first_name"), last=Lower("last_name")).filter(
        first=car.first_name.lower(), last=car.last_name.lower(), date_of_birth=car.date_of_birth
    )
    if same.exists():
        return [
            _("%(car)s: your team has entered this driver already: choose them in the list.")
            % {"car": car.label()}
        ]
    return []


def _category_problems(window: EntryWindow, car: _Car, first_day: dt.date) -> list[str]:
    """The category in force on the first race day (the one declared only when none is
    recorded), then the one class-admission rule, age included."""
    request = car.request
    recorded = car.driver.category_on(first_day) if car.driver else None
    # Kept on the car: the application stores the category it was admitted under.
    car.category = recorded or request.declared_category
    if not car.category:
        return [
            _("%(car)s: no FIA category is recorded for this driver: give their category.")
            % {"car": car.label()}
        ]
    if not window.classes.filter(pk=request.entry_class.pk).exists():
        return [_("%(car)s: this class is not offered.") % {"car": car.label()}]
    problem = class_admission_problem(
        request.entry_class,
        category=car.category,
        date_of_birth=car.date_of_birth,
        first_day=first_day,
    )
    return [f"{car.label()}: {problem}"] if problem else []


def _seat_problems(window: EntryWindow, meeting: Meeting | None, car: _Car) -> list[str]:
    seat = car.request.seat
    if seat == SeatRequest.NONE:
        return []
    offered = (
        window.seat_season_price is not None
        if seat == SeatRequest.FULL_SEASON and meeting is None
        else seat == SeatRequest.SINGLE_MEETING
        and meeting is not None
        and window.seat_meeting_price is not None
    )
    if offered:
        return []
    return [_("%(car)s: this arrive-and-drive seat is not offered.") % {"car": car.label()}]


def _uploaded(request: CarRequest) -> list[DriverDocument]:
    """The driver's current documents as they will be once the uploads replace theirs."""
    documents = {}
    if request.driver is not None:
        documents = {d.kind: d for d in request.driver.documents.current()}
    for upload in request.documents:
        documents[upload.kind] = DriverDocument(
            kind=upload.kind, expires_on=upload.details.get("expires_on")
        )
    return list(documents.values())


def _document_problems(car: _Car, days: tuple[dt.date, dt.date | None]) -> list[str]:
    return [
        f"{car.label()}: {problem.message}"
        for problem in document_problems(_uploaded(car.request), *days)
    ]


def applications_check(
    *,
    window: EntryWindow,
    team: EntrantTeam,
    cars: list[CarRequest],
    meeting: Meeting | None = None,
    now: dt.datetime | None = None,
) -> tuple[list[str], list[_Car]]:
    """Every problem of a submission, each naming its car; none when it may be stored."""
    now = now or timezone.now()
    problems = window_problems(window, meeting, now)
    if problems:
        return problems, []
    if not cars:
        return [_("Add at least one car.")], []
    checked = _cars(cars)
    first_day, *document_days = season_days(window.championship, meeting)
    for car in checked:
        problems += _team_problems(team, car)
        problems += _category_problems(window, car, first_day)
        problems += _seat_problems(window, meeting, car)
        problems += _document_problems(car, tuple(document_days))
    problems += _submission_problems(checked)
    problems += _number_problems(window, checked, timezone.localdate(now))
    problems += _driver_problems(window.championship, checked)
    return problems, checked


# --- The write -------------------------------------------------------------------------------


def _driver_write(team: EntrantTeam, car: _Car) -> EntrantDriver:
    request = car.request
    if request.driver is not None:
        if request.driver.driver_id is None and car.driver is not None:
            request.driver.driver = car.driver
            request.driver.save(update_fields=["driver"])
        return request.driver
    new = request.new_driver
    driver = EntrantDriver(
        team=team,
        first_name=car.first_name,
        last_name=car.last_name,
        date_of_birth=new.date_of_birth,
        nationality=new.nationality,
        email=new.email.strip().lower(),
        driver=car.driver,
    )
    driver.full_clean(validate_constraints=False)  # the constraints: the database's own
    driver.save()
    return driver


def _application_write(
    *,
    window: EntryWindow,
    team: EntrantTeam,
    car: _Car,
    meeting: Meeting | None,
    declaration: Declaration,
    by: AbstractBaseUser,
    language: str,
    written: list[str],
) -> EntryApplication:
    driver = _driver_write(team, car)
    for upload in car.request.documents:
        document_write(
            driver=driver,
            kind=upload.kind,
            upload=upload.upload,
            details=upload.details,
            by=by,
            written=written,
        )
    application = EntryApplication.objects.create(
        reference=new_application_reference(window.championship.year),
        championship=window.championship,
        meeting=meeting,
        team=team,
        driver=driver,
        car_number=car.request.car_number,
        entry_class=car.request.entry_class,
        category=car.category,
        seat=car.request.seat,
        regulations_version=declaration.regulations_version,
        declared_name=declaration.name.strip(),
        declared_at=declaration.at or timezone.now(),
        declared_from=declaration.address,
        submitted_by=by,
        language=language,
    )
    ApplicationEvent.objects.create(
        application=application, status=ApplicationStatus.SUBMITTED, by=by
    )
    return application


def _received_send(team: EntrantTeam, applications: list[EntryApplication]) -> None:
    championship = applications[0].championship
    sent = emails.team_send(
        team,
        subject=lambda: (
            _("Applications received: %(championship)s") % {"championship": championship}
        ),
        template="paddock/application_received_email.txt",
        context={"applications": applications, "championship": championship},
    )
    if sent:
        ApplicationEvent.objects.filter(application__in=applications).update(emailed=True)


def applications_submit(
    *,
    window: EntryWindow,
    team: EntrantTeam,
    cars: list[CarRequest],
    declaration: Declaration,
    meeting: Meeting | None = None,
    by: AbstractBaseUser,
    language: str,
) -> list[EntryApplication]:
    """Store one application per car, SUBMITTED, and tell the team's managers; raises
    ``ApplicationRefused`` (and stores nothing, files included) if any car has a problem."""
    problems, checked = applications_check(window=window, team=team, cars=cars, meeting=meeting)
    if not problems and not declaration.name.strip():
        problems = [_("Type your full name to sign the declaration.")]
    if problems:
        raise ApplicationRefused(problems)
    written: list[str] = []
    try:
        with transaction.atomic():
            applications = [
                _application_write(
                    window=window,
                    team=team,
                    car=car,
                    meeting=meeting,
                    declaration=declaration,
                    by=by,
                    language=language,
                    written=written,
                )
                for car in checked
            ]
    except IntegrityError as exc:  # another submission took a number or a driver meanwhile
        files_delete(written)
        problems, _checked = applications_check(
            window=window, team=team, cars=cars, meeting=meeting
        )
        raise ApplicationRefused(
            problems
            or [_("Another application took one of these numbers or drivers at the same moment.")]
        ) from exc
    except BaseException:
        files_delete(written)
        raise
    _received_send(team, applications)
    return applications


def application_withdraw(
    *, application: EntryApplication, by: AbstractBaseUser, note: str = ""
) -> EntryApplication:
    """The team withdraws a submitted or reserve application; the step is recorded."""
    with transaction.atomic():
        locked = EntryApplication.objects.select_for_update().get(pk=application.pk)
        if locked.status not in WITHDRAWABLE:
            raise ApplicationRefused(
                [
                    _("Application %(reference)s is %(status)s: it cannot be withdrawn.")
                    % {"reference": locked.reference, "status": locked.get_status_display()}
                ]
            )
        locked.status = ApplicationStatus.WITHDRAWN
        locked.save(update_fields=["status"])
        ApplicationEvent.objects.create(
            application=locked, status=ApplicationStatus.WITHDRAWN, by=by, note=note
        )
    return locked
