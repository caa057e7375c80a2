"""At the meeting: the administrative checks of each entry, and the reminders sent about
documents expiring before it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from championships.models import Meeting
from entries.models import Entry
from paddock.models.documents import DriverDocument


class MeetingCheck(models.Model):
    """An entry's administrative checks at a meeting: documents seen, sign-on. An entry of
    the meeting without both is flagged to race control."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="entry_checks", verbose_name=_("meeting")
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="meeting_checks", verbose_name=_("entry")
    )
    documents_seen = models.BooleanField(_("documents seen"), default=False)
    signed_on = models.BooleanField(_("signed on"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)

    class Meta:
        verbose_name = _("administrative check")
        verbose_name_plural = _("administrative checks")
        ordering = ["meeting", "entry__car_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "entry"],
                name="paddock_check_once_per_entry_and_meeting",
                violation_error_message=_("This entry's checks at this meeting are recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry} · {self.meeting}"

    @property
    def complete(self) -> bool:
        return self.documents_seen and self.signed_on


class DocumentReminder(models.Model):
    """A reminder e-mailed to the team: ``document`` expires before or during ``meeting``.
    One per document and meeting, so the daily run never sends it twice."""

    document = models.ForeignKey(
        DriverDocument,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("document"),
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="+", verbose_name=_("meeting")
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("document reminder")
        verbose_name_plural = _("document reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "meeting"], name="paddock_reminder_once_per_meeting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} · {self.meeting}"
