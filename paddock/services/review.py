"""Staff's review of entry applications in the back office: approve (the entry, its driver
and team on the entry lists, the seat and the fees), put on the reserve list, refuse,
release an approved one, move the reserve list up when places free, and record fees.

Each step is atomic and keyword-only, locks the application, records an
``ApplicationEvent`` (who, why) and e-mails the team's managers in the team's language once
the step is committed (a step rolled back sends nothing, and no lock is held while the mail
server answers); a mail server that refuses never fails the step (the event says whether it
was sent). System steps keep no words of the acting staff member's language for the team:
a car moved up from the reserve list is told so by its e-mail, in the team's language; one
not moved up records why in the team's language (the team reads it on its page).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from championships.services import standings_invalidate
from entries.eligibility import admission_day
from entries.models import (
    ClassificationSource,
    Driver,
    DriverClassification,
    Entry,
    PackageKind,
    PaymentStatus,
    SeatPackage,
    Team,
    class_admission_problem,
    driver_slugs_free,
    drivers_by_person,
    person_key,
)
from entries.services import entry_enter
from paddock import emails
from paddock.models import (
    ApplicationEvent,
    ApplicationStatus,
    EntrantDriver,
    EntrantTeam,
    EntryApplication,
    EntryWindow,
    Fee,
    FeeKind,
    SeatRequest,
)

REVIEWABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.RESERVE)


# --- Reading ---------------------------------------------------------------------------------


def places_taken(window: EntryWindow) -> int:
    """The season places taken: approved season (not single-meeting) applications."""
    return EntryWindow.objects.with_places_taken().get(pk=window.pk).places_taken


def places_free(window: EntryWindow) -> int:
    return max(window.places - places_taken(window), 0)


def approval_problem(application: EntryApplication) -> str | None:
    """Why approving ``application`` now would be refused (other than its status); None if
    it would not. Read by the review page, so staff see why before approving."""
    championship = application.championship
    if application.is_season_entry:
        window = EntryWindow.objects.with_places_taken().filter(championship=championship).first()
        if window is not None and window.places_taken >= window.places:
            return _(
                "All %(places)s places are taken; put this application on the reserve list."
            ) % {"places": window.places}
    taken = Entry.objects.filter(championship=championship, car_number=application.car_number)
    if taken.exists():
        return _("Car number %(number)s is taken in %(championship)s.") % {
            "number": application.car_number,
            "championship": championship,
        }
    driver = application.driver.driver
    if driver is not None and driver.entries.filter(championship=championship).exists():
        return _("%(driver)s has an entry in %(championship)s already.") % {
            "driver": driver,
            "championship": championship,
        }
    return admission_problem(application)


def admission_problem(application: EntryApplication) -> str | None:
    """The class admission rule for the application's driver and class, in the category in
    force on the admission day (``category_in_force``), on that day."""
    return class_admission_problem(
        application.entry_class,
        category=category_in_force(application),
        date_of_birth=application.driver.date_of_birth,
        first_day=admission_day(application.championship),
    )


def category_in_force(application: EntryApplication) -> str:
    """The driver's FIA category on the admission day (``entries.eligibility.admission_day``):
    the one staff recorded on the entry lists for a driver known there (linked, or found by
    name and birth year); the category declared with the application when none is recorded
    by then."""
    driver = _known_driver(application.driver)
    if driver is not None:
        recorded = driver.category_on(admission_day(application.championship))
        if recorded:
            return recorded
    return application.category


def _known_driver(entrant_driver: EntrantDriver) -> Driver | None:
    """The driver of the entry lists: linked already, else found by the duplicate rule (name
    and birth year); None for a driver new to the entry lists."""
    if entrant_driver.driver_id:
        return entrant_driver.driver
    person = (entrant_driver.first_name, entrant_driver.last_name, entrant_driver.date_of_birth)
    return drivers_by_person([person]).get(person_key(*person))


def fee_problems(*, status: str, invoice_number: str, paid_on: dt.date | None) -> dict[str, str]:
    """What a fee in ``status`` lacks, by field (the constraints' rules, named)."""
    problems = {}
    if status == PaymentStatus.PAID and paid_on is None:
        problems["paid_on"] = _("A paid fee needs the day it was paid.")
    if status == PaymentStatus.INVOICED and not invoice_number.strip():
        problems["invoice_number"] = _("An invoiced fee needs its invoice number.")
    return problems


# --- Steps -----------------------------------------------------------------------------------


def _locked(application: EntryApplication) -> EntryApplication:
    return (
        EntryApplication.objects.select_for_update(of=("self",))
        .select_related("championship", "team", "driver", "entry_class", "meeting")
        .get(pk=application.pk)
    )


def _window(application: EntryApplication) -> EntryWindow:
    """The championship's window, locked before the application (as ``reserve_promote``
    locks it before each application it approves): places are counted one step at a time."""
    window = (
        EntryWindow.objects.select_for_update().filter(championship=application.championship_id)
    ).first()
    if window is None:
        raise ValidationError(_("This championship has no entry window."))
    return window


def _refuse_unless(application: EntryApplication, statuses: tuple[str, ...]) -> None:
    if application.status not in statuses:
        raise ValidationError(
            _("%(reference)s is %(status)s: this step is not possible from there.")
            % {
                "reference": application.reference,
                "status": application.get_status_display().lower(),
            }
        )


def _required(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: _("Give the reason; the team reads it.")})
    return reason


def _subject(status: str, reference: str) -> Callable[[], str]:
    def subject() -> str:
        return _("Your entry %(reference)s: %(status)s") % {
            "reference": reference,
            "status": ApplicationStatus(status).label,
        }

    return subject


def _step(
    application: EntryApplication,
    *,
    by: AbstractBaseUser | None,
    note: str = "",
    template: str | None,
    context: dict | None = None,
) -> ApplicationEvent:
    """Record the step the application just took, and tell the team (if ``template``) once
    the step is committed; the event then says whether the e-mail was sent."""
    event = ApplicationEvent.objects.create(
        application=application, status=application.status, note=note, by=by
    )
    if template:
        subject = _subject(application.status, application.reference)
        context = {"application": application, "event": event, **(context or {})}

        def send() -> None:
            event.emailed = emails.team_send(
                application.team, subject=subject, template=template, context=context
            )
            if event.emailed:
                ApplicationEvent.objects.filter(pk=event.pk).update(emailed=True)

        transaction.on_commit(send, robust=True)
    return event


def _status_set(application: EntryApplication, status: str, reason: str = "") -> None:
    application.status, application.status_reason = status, reason
    application.save(update_fields=["status", "status_reason", "entry", "category"])


@transaction.atomic
def application_approve(
    *, application: EntryApplication, by: AbstractBaseUser | None, note: str = ""
) -> EntryApplication:
    """Enter the car: its team and driver on the entry lists (found or made), the entry (a
    guest for a single meeting, arrive-and-drive with a seat), the seat package and the fees,
    in the driver's category in force on the admission day (``category_in_force``, written
    back to the application). ValidationError, with nothing written, when it cannot be
    approved."""
    return _approve(application, by=by, note=note, moved_up=False)


def _approve(
    application: EntryApplication, *, by: AbstractBaseUser | None, note: str, moved_up: bool
) -> EntryApplication:
    window = _window(application)
    application = _locked(application)
    _refuse_unless(application, REVIEWABLE)
    problem = approval_problem(application)
    if problem:
        raise ValidationError(problem)
    application.category = category_in_force(application)
    team = _team_for(application.team)
    driver = _driver_for(application.driver, application.category, application.reference)
    entry = entry_enter(
        championship=application.championship,
        car_number=application.car_number,
        driver=driver,
        team=team,
        entry_class=application.entry_class,
        category=application.category,
        guest=not application.is_season_entry,
        arrive_and_drive=bool(application.seat),
    )
    seat_price = _seat_sell(application, window, entry)
    _fees_owed(application, window, seat_price)
    application.entry = entry
    _status_set(application, ApplicationStatus.APPROVED)
    fees = list(application.fees.all())
    _step(
        application,
        by=by,
        note=note,
        template="paddock/review_approved_email.txt",
        context={"fees": fees, "entry": entry, "moved_up": moved_up},
    )
    return application


def _team_for(entrant_team: EntrantTeam) -> Team:
    """The team of the entry lists the account races as: linked already, else the one of
    the same name (whatever its case), else a new one."""
    if entrant_team.team_id:
        return entrant_team.team
    team = Team.objects.filter(name__iexact=entrant_team.name).order_by("pk").first()
    if team is None:
        team = Team.objects.create(name=entrant_team.name, slug=_team_slug_free(entrant_team.name))
    entrant_team.team = team
    entrant_team.save(update_fields=["team"])
    return team


def _team_slug_free(name: str) -> str:
    base = slugify(name)[:110] or "team"
    taken = set(Team.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _driver_for(entrant_driver: EntrantDriver, category: str, reference: str) -> Driver:
    """The driver of the entry lists: linked already, else found by the duplicate rule (name
    and birth year), else a new one, whose category is recorded from today (its note the
    application's reference, the same in every language)."""
    if entrant_driver.driver_id:
        return entrant_driver.driver
    driver = _known_driver(entrant_driver)
    if driver is None:
        (slug,) = driver_slugs_free([(entrant_driver.first_name, entrant_driver.last_name)])
        driver = Driver.objects.create(
            first_name=entrant_driver.first_name,
            last_name=entrant_driver.last_name,
            slug=slug,
            nationality=entrant_driver.nationality,
            date_of_birth=entrant_driver.date_of_birth,
        )
        DriverClassification.objects.create(
            driver=driver,
            category=category,
            effective_from=timezone.localdate(),
            source=ClassificationSource.SERIES,
            note=reference,
        )
    entrant_driver.driver = driver
    entrant_driver.save(update_fields=["driver"])
    return driver


def _seat_sell(application: EntryApplication, window: EntryWindow, entry: Entry) -> Decimal | None:
    """The arrive-and-drive seat asked for, at the window's price; None without a seat."""
    if not application.seat:
        return None
    if application.seat == SeatRequest.FULL_SEASON:
        kind, meeting, price = PackageKind.FULL_SEASON, None, window.seat_season_price
    else:
        kind, meeting, price = (
            PackageKind.SINGLE_MEETING,
            application.meeting,
            window.seat_meeting_price,
        )
    if price is None:
        raise ValidationError(
            {"seat": _("The entry window offers no such seat; give it a price first.")}
        )
    package = SeatPackage(
        entry=entry, kind=kind, meeting=meeting, price=price, currency=window.currency
    )
    package.full_clean()
    package.save()
    return price


def _fees_owed(
    application: EntryApplication, window: EntryWindow, seat_price: Decimal | None
) -> None:
    if application.is_season_entry:
        owed = [(FeeKind.SEASON, window.season_fee, "")]
    else:
        owed = [(FeeKind.MEETING, window.meeting_fee, "")]  # pages name application.meeting
    if window.deposit > 0:
        owed.append((FeeKind.DEPOSIT, window.deposit, ""))
    if seat_price is not None:
        owed.append((FeeKind.SEAT, seat_price, ""))
    Fee.objects.bulk_create(
        Fee(
            application=application,
            kind=kind,
            amount=amount,
            description=description[:200],
            currency=window.currency,
        )
        for kind, amount, description in owed
    )


@transaction.atomic
def application_refuse(
    *, application: EntryApplication, by: AbstractBaseUser | None, reason: str
) -> EntryApplication:
    """Refuse a submitted application or one on the reserve list, saying why."""
    reason = _required(reason)
    application = _locked(application)
    _refuse_unless(application, REVIEWABLE)
    _status_set(application, ApplicationStatus.REFUSED, reason)
    _step(application, by=by, note=reason, template="paddock/review_refused_email.txt")
    return application


@transaction.atomic
def application_reserve(
    *, application: EntryApplication, by: AbstractBaseUser | None, note: str = ""
) -> EntryApplication:
    """Put a submitted application on the reserve list (the places are full)."""
    application = _locked(application)
    _refuse_unless(application, (ApplicationStatus.SUBMITTED,))
    _status_set(application, ApplicationStatus.RESERVE, note)
    _step(application, by=by, note=note, template="paddock/review_reserve_email.txt")
    return application


@transaction.atomic
def application_release(
    *, application: EntryApplication, by: AbstractBaseUser | None, reason: str
) -> EntryApplication:
    """Withdraw an approved application (the team pulls out): its entry is deleted, unless
    it has raced, and the reserve list moves up into the place freed."""
    reason = _required(reason)
    window = _window(application)
    application = _locked(application)
    _refuse_unless(application, (ApplicationStatus.APPROVED,))
    entry = application.entry
    if entry is not None:
        _entry_remove(entry)
    application.entry = None
    _status_set(application, ApplicationStatus.WITHDRAWN, reason)
    _step(application, by=by, note=reason, template="paddock/review_released_email.txt")
    if application.is_season_entry:
        reserve_promote(window=window, by=by)
    return application


def _entry_remove(entry: Entry) -> None:
    if entry.results.exists():
        raise ValidationError(
            _("%(entry)s has raced (it has results), so its entry stays.") % {"entry": entry}
        )
    championship_id = entry.championship_id
    try:
        with transaction.atomic():
            entry.seat_packages.all().delete()
            entry.delete()
    except ProtectedError:
        raise ValidationError(
            _(
                "%(entry)s is referred to by the season's records (decisions, damage bills), so "
                "its entry stays."
            )
            % {"entry": entry}
        ) from None
    standings_invalidate(championship_id=championship_id)


@transaction.atomic
def reserve_promote(*, window: EntryWindow, by: AbstractBaseUser | None) -> list[EntryApplication]:
    """While season places are free, approve the reserve list's season applications, first
    come first served. One that cannot be approved (its number taken since...) stays on the
    list, with a step saying why. The applications moved up, in order."""
    window = EntryWindow.objects.select_for_update().get(pk=window.pk)
    promoted = []
    waiting = (
        EntryApplication.objects.filter(
            championship_id=window.championship_id, meeting__isnull=True
        )
        .select_related("team")
        .reserve_order()
    )
    for candidate in list(waiting):
        if places_free(window) <= 0:
            break
        # The team reads why on its page: the words in its language, not the acting staff's.
        with translation.override(candidate.team.language):
            try:
                with transaction.atomic():
                    promoted.append(_approve(candidate, by=by, note="", moved_up=True))
            except ValidationError as error:
                why = " ".join(error.messages)
                ApplicationEvent.objects.create(
                    application=candidate,
                    status=candidate.status,
                    note=_("Not moved up from the reserve list: %(why)s") % {"why": why},
                    by=by,
                )
    return promoted


# --- Fees ------------------------------------------------------------------------------------


@transaction.atomic
def fee_record(
    *,
    fee: Fee,
    status: str,
    invoice_number: str = "",
    invoiced_on: dt.date | None = None,
    paid_on: dt.date | None = None,
    by: AbstractBaseUser | None,
) -> Fee:
    """Record what was invoiced and paid of a fee (no card is processed here); a step of the
    application says so. A seat's fee and the entry's seat package are one payment: the
    package takes the fee's status."""
    if status not in PaymentStatus.values:
        raise ValidationError({"status": _("Choose a payment status.")})
    invoice_number = (invoice_number or "").strip()
    problems = fee_problems(status=status, invoice_number=invoice_number, paid_on=paid_on)
    if problems:
        raise ValidationError(problems)
    fee = Fee.objects.select_for_update().select_related("application").get(pk=fee.pk)
    fee.status, fee.invoice_number = status, invoice_number
    fee.invoiced_on, fee.paid_on = invoiced_on, paid_on
    fee.full_clean()
    fee.save(update_fields=["status", "invoice_number", "invoiced_on", "paid_on"])
    application = fee.application
    if fee.kind == FeeKind.SEAT and application.entry_id:
        SeatPackage.objects.filter(
            entry_id=application.entry_id, meeting_id=application.meeting_id
        ).update(payment_status=status)
    ApplicationEvent.objects.create(
        application=fee.application,
        status=fee.application.status,
        note=_("%(fee)s: %(status)s")
        % {"fee": fee.get_kind_display(), "status": fee.get_status_display()},
        by=by,
    )
    return fee
