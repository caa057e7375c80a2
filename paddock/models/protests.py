"""What teams do with the notice board: acknowledge its documents, and file protests, requests
for review and appeals, each on the clock of the document it is about.

The clock (``paddock.deadlines``) starts at the publication time of that document; an appeal
follows its notice of intention and counts from the notice. Each championship sets its own
limits and deposits (``HearingRules``); a championship without them uses the defaults below,
those of the FIA's International Sporting Code.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from championships.models import BoardDocument, Championship, Meeting, Penalty, Race
from core.documents import paddock_documents
from entries.models import Entry, currency_validator, money_checks
from paddock.models.teams import EntrantTeam

MINUTES_IN_A_YEAR = 366 * 24 * 60


class FilingKind(models.TextChoices):
    PROTEST = "PROTEST", _("Protest")
    REVIEW = "REVIEW", _("Request for review")
    APPEAL_NOTICE = "NOTICE", _("Notice of intention to appeal")
    APPEAL = "APPEAL", _("Appeal")


class FilingStatus(models.TextChoices):
    FILED = "FILED", _("Filed")
    SUMMONED = "SUMMONED", _("Hearing called")
    UPHELD = "UPHELD", _("Upheld")
    DISMISSED = "DISMISSED", _("Dismissed")
    WITHDRAWN = "WITHDRAWN", _("Withdrawn")


OPEN_STATUSES = frozenset({FilingStatus.FILED, FilingStatus.SUMMONED})
DECIDED_STATUSES = frozenset({FilingStatus.UPHELD, FilingStatus.DISMISSED})


def _minutes(default: int, label: str, help_text: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        label,
        default=default,
        validators=[MinValueValidator(1), MaxValueValidator(MINUTES_IN_A_YEAR)],
        help_text=help_text,
    )


def _deposit(label: str) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )


class HearingRules(models.Model):
    """A championship's time limits (in minutes) and deposits for protests and appeals."""

    championship = models.OneToOneField(
        Championship,
        on_delete=models.CASCADE,
        related_name="hearing_rules",
        verbose_name=_("championship"),
    )
    protest_minutes = _minutes(
        30,
        _("protest time limit (minutes)"),
        _("After the publication of the document protested, e.g. 30 for a classification."),
    )
    review_minutes = _minutes(
        14 * 24 * 60,
        _("request for review time limit (minutes)"),
        _("After the publication of the decision to review (14 days: 20160)."),
    )
    appeal_notice_minutes = _minutes(
        60,
        _("notice of intention to appeal time limit (minutes)"),
        _("After the publication of the decision appealed."),
    )
    appeal_minutes = _minutes(
        96 * 60,
        _("appeal time limit (minutes)"),
        _("After the notice of intention to appeal (96 hours: 5760)."),
    )
    protest_deposit = _deposit(_("protest deposit"))
    review_deposit = _deposit(_("request for review deposit"))
    appeal_deposit = _deposit(_("appeal deposit"))
    currency = models.CharField(
        _("currency"), max_length=3, default="USD", validators=[currency_validator]
    )

    class Meta:
        verbose_name = _("protest and appeal rules")
        verbose_name_plural = _("protest and appeal rules")
        constraints = [
            *money_checks("paddock_hearing_protest", "protest_deposit"),
            *money_checks("paddock_hearing_review", "review_deposit"),
            *money_checks("paddock_hearing_appeal", "appeal_deposit"),
            models.CheckConstraint(
                condition=Q(protest_minutes__gte=1, protest_minutes__lte=MINUTES_IN_A_YEAR)
                & Q(review_minutes__gte=1, review_minutes__lte=MINUTES_IN_A_YEAR)
                & Q(appeal_notice_minutes__gte=1, appeal_notice_minutes__lte=MINUTES_IN_A_YEAR)
                & Q(appeal_minutes__gte=1, appeal_minutes__lte=MINUTES_IN_A_YEAR),
                name="paddock_hearing_limits_bounded",
            ),
        ]

    def __str__(self) -> str:
        return str(self.championship)

    def minutes_for(self, kind: str) -> int:
        return {
            FilingKind.PROTEST: self.protest_minutes,
            FilingKind.REVIEW: self.review_minutes,
            FilingKind.APPEAL_NOTICE: self.appeal_notice_minutes,
            FilingKind.APPEAL: self.appeal_minutes,
        }[kind]

    def deposit_for(self, kind: str) -> Decimal:
        return {
            FilingKind.PROTEST: self.protest_deposit,
            FilingKind.REVIEW: self.review_deposit,
            FilingKind.APPEAL_NOTICE: Decimal("0"),
            FilingKind.APPEAL: self.appeal_deposit,
        }[kind]


class Acknowledgement(models.Model):
    """A team's receipt of a notice board document: who acknowledged it and when."""

    document = models.ForeignKey(
        BoardDocument,
        on_delete=models.PROTECT,
        related_name="acknowledgements",
        verbose_name=_("document"),
    )
    team = models.ForeignKey(
        EntrantTeam,
        on_delete=models.CASCADE,
        related_name="acknowledgements",
        verbose_name=_("team"),
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), default=timezone.now)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        ordering = ["document", "team"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "team"], name="paddock_acknowledged_once_per_team"
            )
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.document}"


class ProtestQuerySet(models.QuerySet):
    def visible_to(self, user: object) -> ProtestQuerySet:
        """The filings of the teams ``user`` runs as manager or team staff."""
        return self.filter(team__in=EntrantTeam.objects.run_by(user))

    def open(self) -> ProtestQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Protest(models.Model):
    """A protest, a request for review, a notice of intention to appeal or an appeal: filed by
    a team for one of its cars about one notice board document, within that document's time
    limit; heard by the stewards, whose decision (a ``Penalty``) it links to."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="protests", verbose_name=_("round")
    )
    number = models.PositiveIntegerField(_("number"), help_text=_("Unique in the round."))
    kind = models.CharField(
        _("kind"), max_length=8, choices=FilingKind.choices, default=FilingKind.PROTEST
    )
    document = models.ForeignKey(
        BoardDocument,
        on_delete=models.PROTECT,
        related_name="protests",
        verbose_name=_("about document"),
    )
    notice = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeal",
        verbose_name=_("notice of intention"),
        help_text=_("For an appeal: the notice of intention it follows."),
    )
    team = models.ForeignKey(
        EntrantTeam, on_delete=models.PROTECT, related_name="protests", verbose_name=_("team")
    )
    entry = models.ForeignKey(
        Entry,
        on_delete=models.PROTECT,
        related_name="protests_filed",
        verbose_name=_("filed for car"),
    )
    against = models.ForeignKey(
        Entry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="protests_against",
        verbose_name=_("against car"),
    )
    race = models.ForeignKey(
        Race,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="protests",
        verbose_name=_("race"),
    )
    incident = models.CharField(
        _("incident"), max_length=300, help_text=_("Where and when: lap, corner, time.")
    )
    rule = models.CharField(_("rule breached"), max_length=200, blank=True)
    grounds = models.TextField(_("grounds"), max_length=5000)
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("filed by"),
    )
    deadline = models.DateTimeField(
        _("time limit"), help_text=_("The end of the time limit it was filed within.")
    )
    deposit = models.DecimalField(
        _("deposit due"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(
        _("currency"), max_length=3, default="USD", validators=[currency_validator]
    )
    deposit_paid_on = models.DateField(_("deposit paid on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FilingStatus.choices, default=FilingStatus.FILED
    )
    hearing_at = models.DateTimeField(_("hearing at"), null=True, blank=True)
    hearing_place = models.CharField(_("hearing place"), max_length=120, blank=True)
    summons = models.ForeignKey(
        BoardDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="summoned_protests",
        verbose_name=_("summons"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    outcome = models.TextField(_("the stewards' findings"), blank=True)
    decision = models.ForeignKey(
        Penalty,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="protests",
        verbose_name=_("decision"),
        help_text=_(
            "The decision the hearing produced; for an appeal upheld, the decision withdrawn."
        ),
    )
    outcome_document = models.ForeignKey(
        BoardDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_protests",
        verbose_name=_("decision document"),
    )

    objects = ProtestQuerySet.as_manager()

    class Meta:
        verbose_name = _("protest or appeal")
        verbose_name_plural = _("protests and appeals")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="paddock_protest_number_unique_in_meeting"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=FilingKind.values), name="paddock_protest_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=FilingStatus.values), name="paddock_protest_status_valid"
            ),
            *money_checks("paddock_protest", "deposit"),
            models.CheckConstraint(
                condition=Q(against__isnull=True) | ~Q(against=models.F("entry")),
                name="paddock_protest_not_against_itself",
                violation_error_message=_("A car cannot protest against itself."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=FilingKind.APPEAL) | Q(notice__isnull=False),
                name="paddock_appeal_follows_notice",
                violation_error_message=_("An appeal follows a notice of intention to appeal."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=DECIDED_STATUSES) | Q(decided_at__isnull=False),
                name="paddock_protest_decided_has_time",
            ),
            models.CheckConstraint(
                condition=Q(filed_at__lte=models.F("deadline")),
                name="paddock_protest_filed_in_time",
                violation_error_message=_("Filed after its time limit."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(kind)s %(number)s") % {"kind": self.get_kind_display(), "number": self.number}

    @property
    def reference(self) -> str:
        return str(self)


def attachment_path(attachment: ProtestAttachment, filename: str) -> str:
    """A random name: the uploader's file name is kept in ``name`` only."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"protests/{attachment.protest_id}/{secrets.token_hex(16)}.{extension}"


class ProtestAttachment(models.Model):
    """A file given with a filing (video still, photo, data), private like drivers' documents."""

    protest = models.ForeignKey(
        Protest, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("protest")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, storage=paddock_documents)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["protest", "pk"]

    def __str__(self) -> str:
        return self.name
