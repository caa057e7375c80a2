"""Drivers' FIA categories as dated data: the classification history, the eligibility
flags a change raises and FIA review requests."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from championships.models import (
    FiaCategory,
)
from entries.models.entries import Driver, Entry

# A driver may ask the FIA to review their category within this many days of its publication.
REVIEW_WINDOW_DAYS = 15
# Higher is faster: a move from Silver to Gold is a move up.
CATEGORY_RANK = {
    FiaCategory.BRONZE: 1,
    FiaCategory.SILVER: 2,
    FiaCategory.GOLD: 3,
    FiaCategory.PLATINUM: 4,
}


class ClassificationSource(models.TextChoices):
    FIA_LIST = "FIA_LIST", _("FIA annual list")
    FIA_REVIEW = "FIA_REVIEW", _("FIA review decision")
    SERIES = "SERIES", _("Series decision")


def category_move(before: str | None, after: str) -> str:
    """ "up", "down" or "same" from ``before`` to ``after``; "new" without a ``before``."""
    if before is None:
        return "new"
    step = CATEGORY_RANK[after] - CATEGORY_RANK[before]
    return "up" if step > 0 else "down" if step < 0 else "same"


class DriverClassificationQuerySet(models.QuerySet):
    def latest_first(self) -> DriverClassificationQuerySet:
        # On the same day the later record wins: a review decision over the annual list.
        return self.order_by("-effective_from", "-recorded_at", "-pk")


class DriverClassification(models.Model):
    """A driver's FIA category from a date on, and who decided it. The latest one effective
    on a date is the category in force that day."""

    driver = models.ForeignKey(
        Driver,
        on_delete=models.CASCADE,
        related_name="classifications",
        verbose_name=_("driver"),
    )
    category = models.CharField(_("FIA category"), max_length=10, choices=FiaCategory.choices)
    effective_from = models.DateField(_("effective from"))
    source = models.CharField(_("source"), max_length=12, choices=ClassificationSource.choices)
    published_on = models.DateField(
        _("published on"),
        null=True,
        blank=True,
        help_text=_(
            "The day the FIA published it; the review window runs from this day. "
            "Empty: the effective date."
        ),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    objects = DriverClassificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("driver classification")
        verbose_name_plural = _("driver classifications")
        ordering = ["driver", "-effective_from", "-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["driver", "effective_from", "source"],
                name="classification_one_per_driver_day_source",
                violation_error_message=_(
                    "This driver already has a classification from this source on this date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(category__in=FiaCategory.values), name="classification_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=ClassificationSource.values),
                name="classification_source_valid",
            ),
        ]

    def __str__(self) -> str:
        return _("%(driver)s: %(category)s from %(day)s (%(source)s)") % {
            "driver": self.driver,
            "category": self.get_category_display(),
            "day": self.effective_from,
            "source": self.get_source_display(),
        }

    @property
    def review_deadline(self) -> dt.date:
        """The last day a driver may ask the FIA to review this classification."""
        start = self.published_on or self.effective_from
        return start + dt.timedelta(days=REVIEW_WINDOW_DAYS)


class EligibilityDecision(models.TextChoices):
    KEPT = "KEPT", _("Kept in its class by a series decision")
    MOVED = "MOVED", _("Moved to a class that admits the new category")


class EligibilityFlagQuerySet(models.QuerySet):
    def open(self) -> EligibilityFlagQuerySet:
        return self.filter(resolved_at__isnull=True)


class EligibilityFlag(models.Model):
    """An entry whose class no longer admits its driver after a category change, waiting for
    the series manager's decision. The entry is left as it was until then."""

    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="eligibility_flags", verbose_name=_("entry")
    )
    classification = models.ForeignKey(
        DriverClassification,
        on_delete=models.PROTECT,
        related_name="flags",
        verbose_name=_("category change"),
    )
    reason = models.CharField(_("reason"), max_length=300)
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=EligibilityDecision.choices, blank=True
    )
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)

    objects = EligibilityFlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("eligibility flag")
        verbose_name_plural = _("eligibility flags")
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "classification"], name="eligibility_flag_once_per_change"
            ),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decision__in=EligibilityDecision.values),
                name="eligibility_flag_decision_valid",
            ),
            models.CheckConstraint(
                condition=(Q(decision="") & Q(resolved_at__isnull=True))
                | (~Q(decision="") & Q(resolved_at__isnull=False)),
                name="eligibility_flag_resolved_iff_decided",
            ),
        ]

    def __str__(self) -> str:
        return _("%(entry)s: %(reason)s") % {"entry": self.entry, "reason": self.reason}

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class ReviewOutcome(models.TextChoices):
    PENDING = "PENDING", _("Pending")
    CONFIRMED = "CONFIRMED", _("Category confirmed")
    CHANGED = "CHANGED", _("Category changed")
    WITHDRAWN = "WITHDRAWN", _("Withdrawn by the driver")


class ReviewRequest(models.Model):
    """A driver's request that the FIA review a classification, and the FIA's decision."""

    classification = models.ForeignKey(
        DriverClassification,
        on_delete=models.PROTECT,
        related_name="review_requests",
        verbose_name=_("classification reviewed"),
    )
    asked_on = models.DateField(_("asked on"))
    requested_category = models.CharField(
        _("category asked for"), max_length=10, choices=FiaCategory.choices, blank=True
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=ReviewOutcome.choices, default=ReviewOutcome.PENDING
    )
    decision = models.ForeignKey(
        DriverClassification,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_decisions",
        verbose_name=_("classification decided"),
        help_text=_("The FIA review decision recorded when the category changed."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("review request")
        verbose_name_plural = _("review requests")
        ordering = ["-asked_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["classification"],
                name="review_request_one_per_classification",
                violation_error_message=_("This classification has a review request already."),
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=ReviewOutcome.values), name="review_request_outcome_valid"
            ),
            models.CheckConstraint(
                condition=(Q(outcome=ReviewOutcome.PENDING) & Q(decided_on__isnull=True))
                | (
                    ~Q(outcome=ReviewOutcome.PENDING)
                    & Q(decided_on__isnull=False)
                    & Q(decided_on__gte=F("asked_on"))
                ),
                name="review_request_decided_iff_not_pending",
            ),
            models.CheckConstraint(
                condition=(Q(outcome=ReviewOutcome.CHANGED) & Q(decision__isnull=False))
                | (~Q(outcome=ReviewOutcome.CHANGED) & Q(decision__isnull=True)),
                name="review_request_decision_iff_changed",
            ),
        ]

    def __str__(self) -> str:
        return _("Review of %(classification)s asked on %(day)s") % {
            "classification": self.classification,
            "day": self.asked_on,
        }

    def is_within_window(self) -> bool:
        """Asked no later than 15 days after the classification was published."""
        return self.asked_on <= self.classification.review_deadline

    def clean(self) -> None:
        if self.classification_id and self.asked_on and not self.is_within_window():
            raise ValidationError(
                {
                    "asked_on": _(
                        "A review must be asked within %(days)s days of publication, "
                        "by %(deadline)s."
                    )
                    % {"days": REVIEW_WINDOW_DAYS, "deadline": self.classification.review_deadline}
                }
            )
