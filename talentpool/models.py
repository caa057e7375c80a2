"""The Talent Pool: a yearly edition, the applications of young drivers, reviews and selection.

Applicants include minors. Their documents are stored by ``talentpool.storage`` outside any
public URL, and nothing here is exposed to the public pages or the API.
"""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Avg, Count, F, FloatField, Q, Sum
from django.db.models.functions import Cast, Coalesce, Lower, NullIf
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from championships.models import Championship, FiaCategory, country_validator, validate_timezone
from core.documents import phone_validator, talentpool_documents
from entries.models import Entry, TyreSet, age_on

ADULT_AGE = 18
REVIEWER_PERMISSION = "talentpool.review_application"
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O or U


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier; 28 February when that year has no 29 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def latest_birth_date(reference: dt.date, age: int) -> dt.date:
    """The last date of birth of someone aged ``age`` or more on ``reference``."""
    day = years_before(reference, age)
    while age_on(day + dt.timedelta(days=1), reference) >= age:
        day += dt.timedelta(days=1)
    return day


class EditionQuerySet(models.QuerySet):
    def open_at(self, moment: dt.datetime) -> EditionQuerySet:
        return self.filter(opens_at__lte=moment, closes_at__gt=moment)

    def current(self, moment: dt.datetime) -> TalentPoolEdition | None:
        """The edition to present: the open one, else the next to open, else the latest."""
        return (
            self.open_at(moment).order_by("closes_at").first()
            or self.filter(opens_at__gt=moment).order_by("opens_at").first()
            or self.order_by("-closes_at").first()
        )


class TalentPoolEdition(models.Model):
    """One year's selection: who may apply, when, and what the winners get."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2999)]
    )
    name = models.CharField(_("name"), max_length=160)
    championship = models.ForeignKey(
        Championship,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("championship"),
        help_text=_("The championship the winners join."),
    )
    opens_at = models.DateTimeField(_("applications open"))
    closes_at = models.DateTimeField(_("applications close"))
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Asia/Shanghai",
        validators=[validate_timezone],
        help_text=_("The opening and closing times are typed and shown in this time zone."),
    )
    assessment_venue = models.CharField(_("assessment venue"), max_length=160)
    assessment_starts_on = models.DateField(_("assessment first day"))
    assessment_ends_on = models.DateField(_("assessment last day"))
    reference_date = models.DateField(
        _("reference date"), help_text=_("Applicants' ages are measured on this day.")
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=16)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), default=26)
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    prizes = models.TextField(_("prizes"), blank=True)
    prize_tyre_sets = models.PositiveSmallIntegerField(
        _("prize tyre sets"),
        default=0,
        help_text=_(
            "Tyre sets each winner receives, delivered from the operator's stock and counted "
            "against the winner (Talent Pool winners → a winner → Prize tyre sets)."
        ),
    )

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Talent Pool edition")
        verbose_name_plural = _("Talent Pool editions")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="talentpool_edition_window_order"
            ),
            models.CheckConstraint(
                condition=Q(min_age__gte=1) & Q(max_age__gte=F("min_age")),
                name="talentpool_edition_age_limits",
            ),
            models.CheckConstraint(
                condition=Q(assessment_ends_on__gte=F("assessment_starts_on")),
                name="talentpool_edition_assessment_order",
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="talentpool_edition_places"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def is_open(self, moment: dt.datetime) -> bool:
        return self.opens_at <= moment < self.closes_at

    def birth_date_range(self) -> tuple[dt.date, dt.date]:
        """The first and last dates of birth of an applicant within the age limits."""
        earliest = latest_birth_date(self.reference_date, self.max_age + 1) + dt.timedelta(days=1)
        return earliest, latest_birth_date(self.reference_date, self.min_age)

    def age_problem(self, date_of_birth: dt.date) -> str | None:
        age = age_on(date_of_birth, self.reference_date)
        if self.min_age <= age <= self.max_age:
            return None
        earliest, latest = self.birth_date_range()
        return _(
            "Applicants must be aged %(min)s to %(max)s on %(day)s, that is born between "
            "%(earliest)s and %(latest)s. On that day you will be %(age)s."
        ) % {
            "min": self.min_age,
            "max": self.max_age,
            "day": date_format(self.reference_date),
            "earliest": date_format(earliest),
            "latest": date_format(latest),
            "age": age,
        }

    def is_minor(self, date_of_birth: dt.date) -> bool:
        return age_on(date_of_birth, self.reference_date) < ADULT_AGE


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    INVITED = "invited", _("Invited to the assessment")
    FINALIST = "finalist", _("Finalist")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


_S = ApplicationStatus
# Forward one step at a time; "not selected" may be reconsidered, "withdrawn" is final.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    _S.SUBMITTED: (_S.UNDER_REVIEW, _S.NOT_SELECTED, _S.WITHDRAWN),
    _S.UNDER_REVIEW: (_S.SHORTLISTED, _S.NOT_SELECTED, _S.WITHDRAWN),
    _S.SHORTLISTED: (_S.INVITED, _S.NOT_SELECTED, _S.WITHDRAWN),
    _S.INVITED: (_S.FINALIST, _S.NOT_SELECTED, _S.WITHDRAWN),
    _S.FINALIST: (_S.SELECTED, _S.NOT_SELECTED, _S.WITHDRAWN),
    _S.SELECTED: (_S.WITHDRAWN,),
    _S.NOT_SELECTED: (_S.UNDER_REVIEW,),
    _S.WITHDRAWN: (),
}
SHORTLIST_STATUSES = (_S.SHORTLISTED, _S.INVITED, _S.FINALIST, _S.SELECTED)


class LicenceType(models.TextChoices):
    KARTING = "karting", _("Karting")
    NATIONAL = "national", _("National")
    INTERNATIONAL_D = "intl_d", _("International D")
    INTERNATIONAL_C = "intl_c", _("International C")
    INTERNATIONAL_B = "intl_b", _("International B")
    INTERNATIONAL_A = "intl_a", _("International A")


SCORE_FIELDS = ("racing_record", "lap_times", "technical_feedback", "fitness", "media", "attitude")


def _overall_average() -> Cast:
    """All scores of all reviews, averaged: the sum of the scores over how many were given."""
    total = sum((Coalesce(Sum(f"reviews__{f}"), 0) for f in SCORE_FIELDS), start=0)
    given = sum((Count(f"reviews__{f}") for f in SCORE_FIELDS), start=0)
    return Cast(total, FloatField()) / Cast(NullIf(given, 0), FloatField())


class ApplicationQuerySet(models.QuerySet):
    def same_person(
        self, *, edition: TalentPoolEdition, first_name: str, last_name: str, date_of_birth: dt.date
    ) -> ApplicationQuerySet:
        return self.filter(
            edition=edition,
            first_name__iexact=first_name.strip(),
            last_name__iexact=last_name.strip(),
            date_of_birth=date_of_birth,
        )

    def with_scores(self) -> ApplicationQuerySet:
        averages = {f"avg_{f}": Avg(f"reviews__{f}") for f in SCORE_FIELDS}
        return self.annotate(
            review_count=Count("reviews", distinct=True),
            overall=_overall_average(),
            **averages,
        )

    def ranked(self) -> ApplicationQuerySet:
        return self.with_scores().order_by(F("overall").desc(nulls_last=True), "submitted_at", "id")

    def unsuccessful_after(self, last_day: dt.date) -> ApplicationQuerySet:
        """Everyone not selected in the editions whose assessment ended by ``last_day``."""
        return self.filter(edition__assessment_ends_on__lte=last_day).exclude(
            status=ApplicationStatus.SELECTED
        )


def new_reference(year: int) -> str:
    """An unguessable code such as TP26-7K3M-9QXD, for the applicant to quote."""
    token = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"TP{year % 100:02d}-{token[:4]}-{token[4:]}"


class Application(models.Model):
    edition = models.ForeignKey(
        TalentPoolEdition,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("edition"),
    )
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    date_of_birth = models.DateField(_("date of birth"))
    nationality = models.CharField(_("nationality"), max_length=2, validators=[country_validator])
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=32, validators=[phone_validator])
    licence_type = models.CharField(_("licence type"), max_length=10, choices=LicenceType.choices)
    licence_number = models.CharField(_("licence number"), max_length=40)
    fia_category = models.CharField(
        _("FIA category"), max_length=10, choices=FiaCategory.choices, blank=True
    )
    motivation = models.TextField(_("motivation"), max_length=3000)
    cv = models.FileField(_("CV"), storage=talentpool_documents, max_length=200)
    licence_scan = models.FileField(_("licence scan"), storage=talentpool_documents, max_length=200)
    photo = models.FileField(_("photo"), storage=talentpool_documents, max_length=200)
    minor = models.BooleanField(
        _("minor"), default=False, help_text=_("Under 18 on the edition's reference date.")
    )
    guardian_name = models.CharField(_("guardian name"), max_length=160, blank=True)
    guardian_email = models.EmailField(_("guardian email"), blank=True)
    guardian_consent = models.BooleanField(_("guardian consent"), default=False)
    data_consent = models.BooleanField(_("consent to the processing of the data"), default=False)
    language = models.CharField(_("language"), max_length=10, default="en")
    submitted_at = models.DateTimeField(_("submitted"))

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at"]
        permissions = [("review_application", "Talent Pool reviewer")]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "email"], name="talentpool_application_email_unique"
            ),
            models.UniqueConstraint(
                "edition",
                Lower("first_name"),
                Lower("last_name"),
                "date_of_birth",
                name="talentpool_application_person_unique",
            ),
            models.CheckConstraint(
                condition=Q(email=Lower("email")), name="talentpool_application_email_lower"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values),
                name="talentpool_application_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(data_consent=True), name="talentpool_application_data_consent"
            ),
            models.CheckConstraint(
                condition=Q(minor=False)
                | (Q(guardian_consent=True) & ~Q(guardian_name="") & ~Q(guardian_email="")),
                name="talentpool_application_minor_has_guardian",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.full_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def age(self) -> int:
        return age_on(self.date_of_birth, self.edition.reference_date)

    def next_statuses(self) -> tuple[str, ...]:
        return TRANSITIONS[self.status]

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]

    def status_since(self) -> dt.datetime | None:
        """When the application reached its current status."""
        last = self.status_changes.order_by("-changed_at", "-id").first()
        return last.changed_at if last else None

    def document_names(self) -> list[str]:
        return [name for name in (self.cv.name, self.licence_scan.name, self.photo.name) if name]


DOCUMENT_FIELDS = ("cv", "licence_scan", "photo")


class RacingRecord(models.Model):
    """One season of the applicant's racing record, as they declare it."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="racing_record",
        verbose_name=_("application"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2999)]
    )
    series = models.CharField(_("series"), max_length=120)
    position = models.PositiveSmallIntegerField(
        _("championship position"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    wins = models.PositiveSmallIntegerField(_("wins"), default=0)

    class Meta:
        verbose_name = _("racing record season")
        verbose_name_plural = _("racing record")
        ordering = ["application", "-year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(position__isnull=True) | Q(position__gte=1),
                name="talentpool_record_position_positive",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2999), name="talentpool_record_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.series}"


class StatusChange(models.Model):
    """Who moved an application to which status, and when; the first one is the submission."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("application"),
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=ApplicationStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=ApplicationStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Empty for the applicant's own submission."),
    )
    changed_at = models.DateTimeField(_("when"))
    note = models.TextField(_("note"), blank=True)
    email_sent = models.BooleanField(_("applicant emailed"), default=False)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["application", "changed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_status__in=ApplicationStatus.values)
                & Q(from_status__in=[*ApplicationStatus.values, ""]),
                name="talentpool_status_change_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.from_status or '—'} → {self.to_status}"


def _score_field(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )


class Review(models.Model):
    """One reviewer's scores of one application, 1 to 10 for each part of the rubric."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("application")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    racing_record = _score_field(_("racing record"))
    lap_times = _score_field(_("assessment lap times"))
    technical_feedback = _score_field(_("technical feedback"))
    fitness = _score_field(_("fitness"))
    media = _score_field(_("media"))
    attitude = _score_field(_("attitude"))
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application", "reviewer"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="talentpool_review_one_per_reviewer"
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{f}__isnull": True}) | Q(**{f"{f}__range": (1, 10)}),
                    name=f"talentpool_review_{f}_1_to_10",
                )
                for f in SCORE_FIELDS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference} · {self.reviewer}"

    @property
    def average(self) -> float | None:
        scores = [getattr(self, f) for f in SCORE_FIELDS if getattr(self, f) is not None]
        return sum(scores) / len(scores) if scores else None


class Placement(models.Model):
    """A winner's scholarship: the entry they were given, with its entry fee waived."""

    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="placement",
        verbose_name=_("application"),
    )
    entry = models.OneToOneField(
        Entry, on_delete=models.PROTECT, related_name="+", verbose_name=_("entry")
    )
    scholarship = models.BooleanField(_("scholarship"), default=True)
    entry_fee_waived = models.BooleanField(_("entry fee waived"), default=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("placed by"),
    )
    placed_at = models.DateTimeField(_("placed"))

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-placed_at"]

    def __str__(self) -> str:
        return f"{self.application.reference} → {self.entry}"


class ErasureCause(models.TextChoices):
    BACK_OFFICE = "back_office", _("Erased in the back office")
    RETENTION = "retention", _("Retention period over")


class ErasureRecord(models.Model):
    """That an application was erased: its reference, by whom or by which command, and when.

    Nothing about the applicant: the reference is a random code, meaningless once the
    application is gone, and the record is never changed or deleted from the back office.
    """

    reference = models.CharField(_("reference"), max_length=20, editable=False)
    edition_year = models.PositiveSmallIntegerField(_("edition"), editable=False)
    cause = models.CharField(_("cause"), max_length=20, choices=ErasureCause.choices)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erased by"),
    )
    command = models.CharField(
        _("command"),
        max_length=60,
        blank=True,
        help_text=_("The management command that erased it, for an automatic purge."),
    )
    erased_at = models.DateTimeField(_("erased"))

    class Meta:
        verbose_name = _("erasure record")
        verbose_name_plural = _("erasure records")
        ordering = ["-erased_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(erased_by__isnull=False) & Q(command=""))
                | (Q(erased_by__isnull=True) & ~Q(command="")),
                name="talentpool_erasure_one_actor",
            ),
            models.CheckConstraint(
                condition=Q(cause__in=ErasureCause.values), name="talentpool_erasure_cause_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def actor(self) -> str:
        return str(self.erased_by) if self.erased_by_id else self.command


class Winner(Application):
    """The selected applicants, as the series manager enters them in a championship: their
    names, nationality and category, never their contact details or documents."""

    class Meta:
        proxy = True
        verbose_name = _("Talent Pool winner")
        verbose_name_plural = _("Talent Pool winners")
        default_permissions = ("view",)


class PrizeTyreDelivery(models.Model):
    """A tyre set delivered to a winner as part of the edition's prize, counted against the
    edition's ``prize_tyre_sets``. Written only by ``talentpool.services.prize_tyres_deliver``,
    which keeps the set for the winner's car (``TyreSet.kept_for``)."""

    winner = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="prize_tyre_deliveries",
        verbose_name=_("winner"),
    )
    tyre_set = models.OneToOneField(
        TyreSet,
        on_delete=models.PROTECT,
        related_name="prize_delivery",
        verbose_name=_("tyre set"),
    )
    delivered_at = models.DateTimeField(_("delivered"), default=timezone.now)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delivered by"),
    )

    class Meta:
        verbose_name = _("prize tyre set delivery")
        verbose_name_plural = _("prize tyre set deliveries")
        ordering = ["delivered_at", "pk"]

    def __str__(self) -> str:
        return f"{self.tyre_set} → {self.winner}"


class AssessmentSession(models.Model):
    """A track session of an edition's assessment (at Sepang in December): which applicant
    drives which car, and every lap each did, imported from the timing system's lap export."""

    edition = models.ForeignKey(
        TalentPoolEdition,
        on_delete=models.CASCADE,
        related_name="assessment_sessions",
        verbose_name=_("Talent Pool edition"),
    )
    name = models.CharField(_("name"), max_length=120, help_text=_("e.g. Day 1, session 2"))
    starts_at = models.DateTimeField(_("start"))

    class Meta:
        verbose_name = _("assessment session")
        verbose_name_plural = _("assessment sessions")
        ordering = ["edition", "starts_at", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "name"], name="talentpool_assessment_session_name_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.edition} · {self.name}"


class AssessmentCar(models.Model):
    """The car an applicant drives in an assessment session: its number is the lap export's."""

    session = models.ForeignKey(
        AssessmentSession, on_delete=models.CASCADE, related_name="cars", verbose_name=_("session")
    )
    number = models.PositiveSmallIntegerField(_("car number"))
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="assessment_cars",
        verbose_name=_("applicant"),
    )

    class Meta:
        verbose_name = _("assessment car")
        verbose_name_plural = _("assessment cars")
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"], name="talentpool_assessment_car_number_unique"
            ),
            models.UniqueConstraint(
                fields=["session", "application"], name="talentpool_assessment_one_car_each"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="talentpool_assessment_car_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number} · {self.application.reference}"

    def clean(self) -> None:
        if self.session_id and self.application_id:
            if self.application.edition_id != self.session.edition_id:
                raise ValidationError(
                    {"application": _("This applicant applied to another edition.")}
                )


class AssessmentLap(models.Model):
    """One lap of one applicant in an assessment session."""

    session = models.ForeignKey(
        AssessmentSession, on_delete=models.CASCADE, related_name="laps", verbose_name=_("session")
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="assessment_laps",
        verbose_name=_("applicant"),
    )
    number = models.PositiveSmallIntegerField(_("lap"))
    time = models.DurationField(_("lap time"))
    pit = models.BooleanField(_("in the pit lane"), default=False)

    class Meta:
        verbose_name = _("assessment lap")
        verbose_name_plural = _("assessment laps")
        ordering = ["session", "application", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "application", "number"],
                name="talentpool_assessment_lap_unique",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="talentpool_assessment_lap_number_positive"
            ),
            models.CheckConstraint(
                condition=Q(time__gt=dt.timedelta(0)), name="talentpool_assessment_lap_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.application.reference} · {self.number}"
