"""Operations that write the Talent Pool. Each is atomic and shared by views, admin and commands.

Uploaded documents are written only inside the transaction that stores their application,
and deleted again if that transaction fails, so that a refused application leaves nothing.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from championships.models import ChampionshipClass
from championships.services import standings_invalidate
from core.documents import EXTENSIONS, files_discard, sniff
from core.documents import talentpool_storage as private_storage
from entries.models import (
    ClassificationSource,
    Driver,
    DriverClassification,
    Entry,
    Team,
    TyreScan,
    TyreSet,
    barcode_normalised,
    class_admission_problem,
    driver_slugs_free,
    drivers_by_person,
    person_key,
)
from entries.services import entry_enter
from entries.tyres import TyreRefused
from talentpool import emails
from talentpool.models import (
    DOCUMENT_FIELDS,
    Application,
    ApplicationStatus,
    ErasureCause,
    ErasureRecord,
    Placement,
    PrizeTyreDelivery,
    RacingRecord,
    StatusChange,
    TalentPoolEdition,
    new_reference,
)


class DuplicateApplication(Exception):
    """A second application by the same person (same email, or same name and date of birth)
    in the same edition; ``existing`` is the one on file."""

    def __init__(self, existing: Application | None) -> None:
        super().__init__(existing.reference if existing else "")
        self.existing = existing


class SelectionError(Exception):
    """A status change or placement that the rules refuse; ``problems`` says why, one a line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


# --- Submission ------------------------------------------------------------------------------


def _document_save(application: Application, field: str, upload: UploadedFile) -> str:
    """Store one document under a random name; the applicant's file name is not kept."""
    extension = EXTENSIONS[sniff(upload)]
    name = f"{application.edition.year}/{application.reference}/{field}-{secrets.token_hex(8)}"
    return private_storage.save(f"{name}.{extension}", upload)


def _files_delete(names: Iterable[str]) -> None:
    files_discard(private_storage, names)


@transaction.atomic
def _application_write(
    application: Application,
    records: list[Mapping[str, Any]],
    documents: Mapping[str, UploadedFile],
    written: list[str],
) -> None:
    for field in DOCUMENT_FIELDS:
        written.append(_document_save(application, field, documents[field]))
        setattr(application, field, written[-1])
    application.save()
    RacingRecord.objects.bulk_create(
        RacingRecord(application=application, **record) for record in records
    )
    StatusChange.objects.create(
        application=application,
        to_status=ApplicationStatus.SUBMITTED,
        changed_at=application.submitted_at,
    )


def _application_on_file(
    edition: TalentPoolEdition, applicant: Mapping[str, Any]
) -> Application | None:
    """The edition's application by the same email, or by the same name and date of birth."""
    same_person = Application.objects.same_person(
        edition=edition,
        first_name=applicant["first_name"],
        last_name=applicant["last_name"],
        date_of_birth=applicant["date_of_birth"],
    )
    by_email = Application.objects.filter(edition=edition, email=applicant["email"].strip().lower())
    return (by_email | same_person).select_related("edition").order_by("submitted_at").first()


def application_submit(
    *,
    edition: TalentPoolEdition,
    applicant: Mapping[str, Any],
    records: list[Mapping[str, Any]],
    documents: Mapping[str, UploadedFile],
    language: str,
    status_url: str,
) -> Application:
    """Store a validated application with its racing record and documents, then confirm it.

    Raises ``DuplicateApplication`` for a person who already applied to the edition.
    """
    on_file = _application_on_file(edition, applicant)
    if on_file is not None:
        raise DuplicateApplication(on_file)
    minor = edition.is_minor(applicant["date_of_birth"])
    guardian = (
        {} if minor else {"guardian_name": "", "guardian_email": "", "guardian_consent": False}
    )
    application = Application(
        edition=edition,
        reference=new_reference(edition.year),
        language=language,
        submitted_at=timezone.now(),
        minor=minor,
        # Adults' guardian fields are not kept: the less stored about people, the better.
        **{**applicant, "email": applicant["email"].strip().lower(), **guardian},
    )
    written: list[str] = []
    try:
        _application_write(application, records, documents, written)
    except IntegrityError as exc:  # the same person, submitting twice at the same moment
        _files_delete(written)
        raise DuplicateApplication(_application_on_file(edition, applicant)) from exc
    except BaseException:
        _files_delete(written)
        raise
    emails.confirmation_send(application, status_url=status_url)
    return application


def application_receive(
    *,
    edition: TalentPoolEdition,
    applicant: Mapping[str, Any],
    records: list[Mapping[str, Any]],
    documents: Mapping[str, UploadedFile],
    language: str,
    status_url: str,
) -> Application | None:
    """What the public form does with a valid submission: store it (and confirm it by email),
    or, for a person who already applied, explain by email to the address on file and store
    nothing. The caller answers both alike, so that the form never tells anyone whether a
    person applied; None for the second case."""
    try:
        return application_submit(
            edition=edition,
            applicant=applicant,
            records=records,
            documents=documents,
            language=language,
            status_url=status_url,
        )
    except DuplicateApplication as exc:
        if exc.existing is not None:
            emails.duplicate_send(exc.existing, status_url=status_url)
        return None


# --- Selection -------------------------------------------------------------------------------


def _transition_problems(applications: list[Application], to_status: str) -> list[str]:
    label = ApplicationStatus(to_status).label
    return [
        _("%(reference)s cannot move from %(from)s to %(to)s.")
        % {"reference": a.reference, "from": a.get_status_display(), "to": label}
        for a in applications
        if not a.can_move_to(to_status)
    ]


def applications_transition(
    *,
    applications: Iterable[Application],
    to_status: str,
    by: AbstractBaseUser,
    note: str = "",
    notify: bool = False,
) -> list[StatusChange]:
    """Move every application to ``to_status``, recording who and when; all or none."""
    with transaction.atomic():
        ids = [a.pk for a in applications]
        locked = list(Application.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        problems = _transition_problems(locked, to_status)
        if problems:
            raise SelectionError(problems)
        now = timezone.now()
        changes = StatusChange.objects.bulk_create(
            StatusChange(
                application=a,
                from_status=a.status,
                to_status=to_status,
                changed_by=by,
                changed_at=now,
                note=note,
            )
            for a in locked
        )
        Application.objects.filter(pk__in=ids).update(status=to_status)
    if notify:
        _status_emails_send(locked, changes, to_status)
    return changes


def _status_emails_send(
    applications: list[Application], changes: list[StatusChange], to_status: str
) -> None:
    for application, change in zip(applications, changes, strict=True):
        application.status = to_status
        if emails.status_send(application):
            StatusChange.objects.filter(pk=change.pk).update(email_sent=True)


def application_transition(
    *,
    application: Application,
    to_status: str,
    by: AbstractBaseUser,
    note: str = "",
    notify: bool = False,
) -> StatusChange:
    """Move one application; see ``applications_transition``."""
    (change,) = applications_transition(
        applications=[application], to_status=to_status, by=by, note=note, notify=notify
    )
    application.status = to_status
    return change


# --- Placement on the grid -------------------------------------------------------------------


@dataclass(frozen=True)
class PlacementPlan:
    """What the back office chose for the winners' entries."""

    team: Team
    entry_class: ChampionshipClass
    default_category: str
    first_car_number: int


def _driver_for(application: Application) -> Driver:
    """The applicant's driver record if they raced here before (same name and birth year),
    else a new one, given its slug when it is saved."""
    person = (application.first_name, application.last_name, application.date_of_birth)
    driver = drivers_by_person([person]).get(person_key(*person))
    return driver or Driver(
        first_name=application.first_name,
        last_name=application.last_name,
        nationality=application.nationality,
        date_of_birth=application.date_of_birth,
    )


def _placement_refusal(application: Application, plan: PlacementPlan) -> str | None:
    """Why this applicant cannot be entered at all, whatever their category."""
    championship = application.edition.championship
    if application.status != ApplicationStatus.SELECTED:
        return _("%(reference)s is not selected.") % {"reference": application.reference}
    if hasattr(application, "placement"):
        return _("%(reference)s already has an entry.") % {"reference": application.reference}
    if plan.entry_class.championship_id != championship.pk:
        return _("Class %(code)s is not a class of %(championship)s.") % {
            "code": plan.entry_class.code,
            "championship": championship,
        }
    return None


def _placement_problem(
    application: Application, plan: PlacementPlan, first_day: dt.date | None
) -> str | None:
    refusal = _placement_refusal(application, plan)
    if refusal:
        return refusal
    championship = application.edition.championship
    driver = _driver_for(application)
    if driver.pk and driver.entries.filter(championship=championship).exists():
        return _("%(reference)s: %(driver)s already has an entry in %(championship)s.") % {
            "reference": application.reference,
            "driver": driver,
            "championship": championship,
        }
    problem = class_admission_problem(
        plan.entry_class,
        category=application.fia_category or plan.default_category,
        date_of_birth=application.date_of_birth,
        first_day=first_day,
    )
    return f"{application.reference}: {problem}" if problem else None


def _free_car_numbers(championship_id: int, first: int) -> Iterable[int]:
    taken = set(
        Entry.objects.filter(championship_id=championship_id).values_list("car_number", flat=True)
    )
    return (n for n in range(first, 1000) if n not in taken)


def _placement_write(
    application: Application, plan: PlacementPlan, car_number: int, by: AbstractBaseUser
) -> Entry:
    category = application.fia_category or plan.default_category
    driver = _driver_for(application)
    rookie = driver.pk is None or not driver.entries.exists()
    if driver.pk is None:
        # The public slug is from the name only, never the date of birth.
        (driver.slug,) = driver_slugs_free([(driver.first_name, driver.last_name)])
        driver.save()
        # A driver's category is a dated record; a new one holds it from today.
        DriverClassification.objects.create(
            driver=driver,
            category=category,
            effective_from=timezone.localdate(),
            source=ClassificationSource.SERIES,
            note=f"Talent Pool {application.reference}",
        )
    entry = entry_enter(
        championship=application.edition.championship,
        car_number=car_number,
        driver=driver,
        team=plan.team,
        entry_class=plan.entry_class,
        category=category,
        rookie=rookie,
        arrive_and_drive=True,
    )
    Placement.objects.create(
        application=application, entry=entry, placed_by=by, placed_at=timezone.now()
    )
    return entry


def placements_create(
    *, applications: Iterable[Application], plan: PlacementPlan, by: AbstractBaseUser
) -> list[Entry]:
    """Turn selected applicants into drivers with arrive-and-drive scholarship entries.

    Every applicant is checked first (selected, not yet placed, admitted by the class); if
    any is refused, nothing is written.
    """
    with transaction.atomic():
        chosen = list(
            Application.objects.select_for_update(of=("self",))
            .select_related("edition__championship", "placement")
            .filter(pk__in=[a.pk for a in applications])
            .order_by("last_name", "first_name")
        )
        # The one season whose age rule applies: an applicant for another is refused first.
        first_day = plan.entry_class.championship.first_race_day()
        problems = [p for p in (_placement_problem(a, plan, first_day) for a in chosen) if p]
        if problems:
            raise SelectionError(problems)
        championship_id = plan.entry_class.championship_id
        numbers = _free_car_numbers(championship_id, plan.first_car_number)
        entries = [_placement_write(a, plan, next(numbers), by) for a in chosen]
        standings_invalidate(championship_id=championship_id)
    return entries


# --- Erasure and retention -------------------------------------------------------------------


def applications_erase(
    *,
    applications: Iterable[Application],
    by: AbstractBaseUser | None = None,
    command: str = "",
) -> int:
    """Delete applications with their reviews, history and documents; files go on commit.

    Each erasure leaves an ``ErasureRecord``: the reference, who (``by``) or which management
    command (``command``) erased it, and when; never anything about the applicant.
    """
    if (by is None) == (not command):
        raise ValueError("An erasure is made either by a staff member or by a command.")
    with transaction.atomic():
        chosen = list(
            Application.objects.select_related("edition").filter(
                pk__in=[a.pk for a in applications]
            )
        )
        names = [name for a in chosen for name in a.document_names()]
        ErasureRecord.objects.bulk_create(_erasure_records(chosen, by, command))
        Application.objects.filter(pk__in=[a.pk for a in chosen]).delete()
        transaction.on_commit(lambda: _files_delete(names))
    return len(chosen)


def _erasure_records(
    applications: list[Application], by: AbstractBaseUser | None, command: str
) -> list[ErasureRecord]:
    now = timezone.now()
    cause = ErasureCause.RETENTION if command else ErasureCause.BACK_OFFICE
    return [
        ErasureRecord(
            reference=a.reference,
            edition_year=a.edition.year,
            cause=cause,
            erased_by=by,
            command=command,
            erased_at=now,
        )
        for a in applications
    ]


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months``, on the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def applications_purge(
    *, today: dt.date, months: int, command: str, dry_run: bool = False
) -> list[str]:
    """Erase the unsuccessful applications of editions whose assessment ended ``months`` ago;
    ``command`` (the management command's name) is recorded as the actor."""
    due = Application.objects.unsuccessful_after(add_months(today, -months))
    references = list(due.values_list("reference", flat=True))
    if not dry_run:
        applications_erase(applications=due, command=command)
    return references


# --- Prize tyre sets -------------------------------------------------------------------------


@dataclass(frozen=True)
class PrizeTyres:
    """A winner's prize tyre sets: the edition's allowance and the sets delivered."""

    allowance: int
    deliveries: list[PrizeTyreDelivery]

    @property
    def delivered(self) -> int:
        return len(self.deliveries)

    @property
    def left(self) -> int:
        return max(self.allowance - self.delivered, 0)


def prize_tyres_of(winner: Application) -> PrizeTyres:
    deliveries = winner.prize_tyre_deliveries.select_related(
        "tyre_set__meeting__circuit", "tyre_set__operator", "delivered_by"
    )
    return PrizeTyres(winner.edition.prize_tyre_sets, list(deliveries.order_by("delivered_at")))


@transaction.atomic
def prize_tyres_deliver(
    *, winner: Application, barcodes: Iterable[str], user: AbstractBaseUser | None
) -> list[PrizeTyreDelivery]:
    """Deliver the sets of ``barcodes`` to a placed winner as part of the edition's prize: each
    is counted against the edition's ``prize_tyre_sets`` and kept for the winner's car
    (``TyreSet.kept_for``). Every set is checked first (received, new, not delivered, kept for
    no other car, for a round of the winner's championship) and the allowance with them; if
    anything is refused, nothing is written and ``TyreRefused`` lists each problem."""
    winner = (
        Application.objects.select_for_update(of=("self",))
        .select_related("edition", "placement__entry")
        .get(pk=winner.pk)
    )
    codes = list(dict.fromkeys(c for c in (barcode_normalised(b) for b in barcodes) if c))
    if not codes:
        raise TyreRefused(_("Give at least one barcode, one a line."))
    entry = _prize_entry(winner)
    sets = _prize_sets(codes)
    problems = [p for p in (_prize_set_problem(c, sets.get(c), entry) for c in codes) if p]
    allowance = _allowance_problem(winner, len(codes))
    if allowance:
        problems.append(allowance)
    if problems:
        raise TyreRefused(problems)
    now = timezone.now()
    deliveries = PrizeTyreDelivery.objects.bulk_create(
        PrizeTyreDelivery(winner=winner, tyre_set=sets[c], delivered_at=now, delivered_by=user)
        for c in codes
    )
    TyreSet.objects.filter(pk__in=[sets[c].pk for c in codes]).update(kept_for=entry)
    return deliveries


def _prize_entry(winner: Application) -> Entry:
    if winner.status != ApplicationStatus.SELECTED:
        raise TyreRefused(
            _("%(reference)s is not a winner: prize tyre sets go to selected applicants only.")
            % {"reference": winner.reference}
        )
    placement = getattr(winner, "placement", None)
    if placement is None:
        raise TyreRefused(
            _(
                "%(name)s has no entry yet: enter the winner in the championship before "
                "delivering prize tyre sets."
            )
            % {"name": winner.full_name}
        )
    return placement.entry


def _prize_sets(codes: list[str]) -> dict[str, TyreSet]:
    sets = (
        TyreSet.objects.select_for_update(of=("self",))
        .filter(barcode__in=codes)
        .select_related("meeting__championship", "kept_for", "prize_delivery__winner")
        .annotate(fitted=Exists(TyreScan.objects.filter(tyre_set=OuterRef("pk"))))
    )
    return {tyre_set.barcode: tyre_set for tyre_set in sets}


def _prize_set_problem(code: str, tyre_set: TyreSet | None, entry: Entry) -> str | None:
    if tyre_set is None:
        return _(
            "No tyre set has barcode %(barcode)s: check the code or receive the set first."
        ) % {"barcode": code}
    delivery = getattr(tyre_set, "prize_delivery", None)
    if delivery is not None:
        return _("Set %(barcode)s was delivered to %(winner)s on %(day)s already.") % {
            "barcode": code,
            "winner": delivery.winner.reference,
            "day": date_format(timezone.localtime(delivery.delivered_at), "j M Y"),
        }
    if tyre_set.fitted:
        return _("Set %(barcode)s has been fitted to a car: only a new set is a prize.") % {
            "barcode": code
        }
    if tyre_set.kept_for_id is not None:
        return _("Set %(barcode)s is kept for car #%(car)s already.") % {
            "barcode": code,
            "car": tyre_set.kept_for.car_number,
        }
    meeting = tyre_set.meeting
    if meeting.championship_id != entry.championship_id:
        return _(
            "Set %(barcode)s is allocated to round %(round)s of %(championship)s, not to the "
            "winner's championship."
        ) % {"barcode": code, "round": meeting.round, "championship": meeting.championship}
    return None


def _allowance_problem(winner: Application, asked: int) -> str | None:
    allowance = winner.edition.prize_tyre_sets
    delivered = winner.prize_tyre_deliveries.count()
    if delivered + asked <= allowance:
        return None
    if allowance == 0:
        return _("%(edition)s gives no prize tyre sets.") % {"edition": winner.edition}
    values = {"delivered": delivered, "allowance": allowance, "left": allowance - delivered}
    if delivered >= allowance:
        return (
            ngettext(
                "The winner has received %(delivered)s of %(allowance)s prize set.",
                "The winner has received %(delivered)s of %(allowance)s prize sets.",
                allowance,
            )
            % values
        )
    return ngettext(
        "The winner has received %(delivered)s of %(allowance)s prize set: %(left)s more "
        "may be delivered, not %(asked)s.",
        "The winner has received %(delivered)s of %(allowance)s prize sets: %(left)s more "
        "may be delivered, not %(asked)s.",
        allowance,
    ) % {**values, "asked": asked}
