"""What core keeps in the database (uploads checked in the back office, waiting to be applied;
webhook subscriptions and their deliveries) and the abstract shape of a thing named on the
site by a unique name and a unique slug."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.documents import uploads_documents


class NamedWithSlug(models.Model):
    """A series, a team: known by a unique name, addressed by a unique slug, listed by name."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# How long a checked upload waits for "Apply"; the next check deletes older ones.
CHECKED_UPLOAD_MAX_AGE = dt.timedelta(hours=1)


class CheckedUploadQuerySet(models.QuerySet):
    def fresh(self) -> CheckedUploadQuerySet:
        return self.filter(created_at__gte=timezone.now() - CHECKED_UPLOAD_MAX_AGE)

    def expired(self) -> CheckedUploadQuerySet:
        return self.filter(created_at__lt=timezone.now() - CHECKED_UPLOAD_MAX_AGE)


def checked_upload_path(upload: CheckedUpload, filename: str) -> str:
    """Stored under the upload's random id, never under the name the staff member gave it."""
    return f"{upload.pk}.upload"


class CheckedUpload(models.Model):
    """A file that passed its import's dry run, kept until the staff member who checked it
    applies it. Its row in the database and its bytes in ``STORAGES["uploads"]`` (an object
    store with several app servers), never on one server's disk, because the apply may reach
    another app server than the check did. ``subject`` names the object the import is for (a
    race), if any."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=40, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=255)
    file = models.FileField(upload_to=checked_upload_path, storage=uploads_documents)
    sha256 = models.CharField(max_length=64)
    options = models.JSONField(default=dict, blank=True)  # what the check was asked with
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = CheckedUploadQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.kind}: {self.file_name}"

    @cached_property
    def data(self) -> bytes:
        """The stored bytes, read once; missing from the storage: empty (not intact)."""
        try:
            with self.file.open("rb") as stored:
                return stored.read()
        except FileNotFoundError:
            return b""

    def is_intact(self) -> bool:
        """The content is the one checked (sha256 computed when it was kept)."""
        return hashlib.sha256(self.data).hexdigest() == self.sha256


# Webhooks (core/webhooks.py) -------------------------------------------------------------


class WebhookEvent(models.TextChoices):
    """What a subscriber may be told of; ``PING`` is the back office's test, never subscribed
    to (``SUBSCRIBABLE``)."""

    CLASSIFICATION_PUBLISHED = "classification.published", _("A classification is published")
    CLASSIFICATION_FINAL = "classification.final", _("A classification is declared final")
    CLASSIFICATION_AMENDED = "classification.amended", _("A classification is amended")
    DECISION_POSTED = "decision.posted", _("A stewards' decision is posted")
    STANDINGS_CHANGED = "standings.changed", _("The tables change")
    PING = "ping", _("Test ping")


SUBSCRIBABLE_EVENTS = tuple(e for e in WebhookEvent if e != WebhookEvent.PING)


def webhook_secret() -> str:
    """A new subscription's signing secret: 32 random bytes, as hex."""
    return secrets.token_hex(32)


WEBHOOK_URL_VALIDATOR = URLValidator(schemes=["https", "http"])


class WebhookSubscription(models.Model):
    """A media or app endpoint told of the season's events by signed POSTs. ``championship``
    is a championship's slug (core knows no championship), blank for every championship."""

    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(
        _("URL"),
        max_length=500,
        validators=[WEBHOOK_URL_VALIDATOR],
        help_text=_("The address the events are posted to: https:// (or http://)."),
    )
    secret = models.CharField(
        _("secret"),
        max_length=64,
        default=webhook_secret,
        editable=False,
        help_text=_("The subscriber checks each POST's signature with it."),
    )
    events = models.JSONField(_("events"), default=list, blank=True)
    championship = models.SlugField(
        _("championship"),
        max_length=120,
        blank=True,
        help_text=_("A championship's slug, e.g. pcca-2024; blank for every championship."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(url__startswith="https://")
                | models.Q(url__startswith="http://"),
                name="core_webhook_url_http",
            ),
            models.CheckConstraint(
                condition=~models.Q(secret=""), name="core_webhook_secret_not_empty"
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="core_webhook_named"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        unknown = set(self.events or []) - set(SUBSCRIBABLE_EVENTS)
        if not isinstance(self.events, list) or unknown:
            raise ValidationError({"events": _("Choose events from the list.")})

    def wants(self, event: str, championship: str) -> bool:
        """Whether this subscription is told of ``event`` in ``championship`` (a slug)."""
        if event == WebhookEvent.PING:
            return True
        return event in self.events and self.championship in ("", championship)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDeliveryQuerySet(models.QuerySet):
    def due(self, at: dt.datetime | None = None) -> WebhookDeliveryQuerySet:
        """Pending deliveries whose next attempt is now or past."""
        return self.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=at or timezone.now())


class WebhookDelivery(models.Model):
    """One event for one subscription: its payload as sent, and how its attempts went."""

    subscription = models.ForeignKey(
        WebhookSubscription,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("subscription"),
    )
    event = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField(_("payload"), default=dict)
    delivery_id = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    # Not "attempts" alone: the back office's index lists django-axes' "Access attempts" too.
    attempts = models.PositiveSmallIntegerField(_("delivery attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(
        _("last status code"), null=True, blank=True
    )
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="core_webhook_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=DeliveryStatus.values),
                name="core_webhook_delivery_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(event__in=WebhookEvent.values),
                name="core_webhook_delivery_event_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(attempts__gte=0), name="core_webhook_delivery_attempts"
            ),
            # Delivered exactly when a delivery time is recorded.
            models.CheckConstraint(
                condition=models.Q(status=DeliveryStatus.DELIVERED, delivered_at__isnull=False)
                | (
                    ~models.Q(status=DeliveryStatus.DELIVERED) & models.Q(delivered_at__isnull=True)
                ),
                name="core_webhook_delivered_when_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id} ({self.delivery_id})"


# The task queue's dead letters (core/tasks.py) ----------------------------------------------


class FailedTask(models.Model):
    """A task of the queue that failed for good (every retry spent), or that the queue could
    not take: kept for the back office to read and run again. ``data`` is the task as the queue
    serialises it (its arguments: an e-mail's message, a document's id), ``summary`` what it
    was, in words."""

    task = models.CharField(_("task name"), max_length=200)
    summary = models.CharField(_("what it was doing"), max_length=300)
    error = models.TextField(_("error message"))
    traceback = models.TextField(_("error traceback"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts made"))
    data = models.BinaryField()
    failed_at = models.DateTimeField(_("failed at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-failed_at", "-pk"]
        verbose_name = _("failed background task")
        verbose_name_plural = _("failed background tasks")
        permissions = [("rerun_failedtask", _("Can run a failed background task again"))]

    def __str__(self) -> str:
        return f"{self.task}: {self.summary}"
