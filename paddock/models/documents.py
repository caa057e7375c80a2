"""A driver's documents: racing licence, medical certificate, the home authority's
authorisation for a foreign licence, photo. Stored privately (``core.documents``), read only
by the driver, their team's managers and the staff who need them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.documents import paddock_documents
from paddock.models.teams import EntrantDriver, EntrantTeam


class DocumentKind(models.TextChoices):
    LICENCE = "LICENCE", _("Racing licence")
    MEDICAL = "MEDICAL", _("Medical certificate")
    AUTHORISATION = "AUTHORISATION", _("Home authority's authorisation")
    PHOTO = "PHOTO", _("Photo")


# The documents whose expiry can stop a driver racing.
EXPIRING_KINDS = (DocumentKind.LICENCE, DocumentKind.MEDICAL, DocumentKind.AUTHORISATION)

# The details (fields of DriverDocument) each kind of document needs besides its file: the
# one list the forms require and the services store (the constraints below hold the rows to
# it; tests/paddock/test_documents.py checks the two agree).
KIND_DETAILS: dict[str, tuple[str, ...]] = {
    DocumentKind.LICENCE: ("grade", "issued_by", "number", "expires_on"),
    DocumentKind.MEDICAL: ("expires_on",),
    DocumentKind.AUTHORISATION: ("expires_on",),
    DocumentKind.PHOTO: (),
}
# Every detail a document may have, in the order the pages show them.
DETAIL_FIELDS = tuple(dict.fromkeys(name for names in KIND_DETAILS.values() for name in names))


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user: object) -> DocumentQuerySet:
        """The documents ``user`` may open on the public site: their own, and those of every
        driver of a team they manage. Staff open them from the back office."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        managed = EntrantTeam.objects.managed_by(user).values("pk")
        return self.filter(Q(driver__user=user) | Q(driver__team__in=managed))

    def current(self) -> DocumentQuerySet:
        """Each driver's latest document of each kind (an upload replaces the one before)."""
        later = DriverDocument.objects.filter(
            driver=models.OuterRef("driver"),
            kind=models.OuterRef("kind"),
            uploaded_at__gt=models.OuterRef("uploaded_at"),
        )
        return self.exclude(models.Exists(later))


class DriverDocument(models.Model):
    driver = models.ForeignKey(
        EntrantDriver, on_delete=models.CASCADE, related_name="documents", verbose_name=_("driver")
    )
    kind = models.CharField(_("document"), max_length=14, choices=DocumentKind.choices)
    file = models.FileField(_("file"), storage=paddock_documents, max_length=200)
    content_type = models.CharField(_("content type"), max_length=40, editable=False)
    grade = models.CharField(_("licence grade"), max_length=40, blank=True)
    issued_by = models.CharField(
        _("issuing authority"),
        max_length=120,
        blank=True,
        help_text=_("The national sporting authority (ASN) that issued it."),
    )
    number = models.CharField(_("number"), max_length=60, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    seen_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("driver's document")
        verbose_name_plural = _("drivers' documents")
        ordering = ["driver", "kind", "-uploaded_at"]
        permissions = [("open_driverdocument", "Opens drivers' documents")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DocumentKind.values), name="paddock_document_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind=DocumentKind.LICENCE)
                | (~Q(grade="") & ~Q(issued_by="") & ~Q(number="") & Q(expires_on__isnull=False)),
                name="paddock_document_licence_details",
                violation_error_message=_(
                    "A licence needs its grade, issuing authority, number and expiry date."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=(DocumentKind.MEDICAL, DocumentKind.AUTHORISATION))
                | Q(expires_on__isnull=False),
                name="paddock_document_expiry_given",
                violation_error_message=_("This document needs its expiry date."),
            ),
            models.CheckConstraint(condition=~Q(file=""), name="paddock_document_has_file"),
        ]

    def __str__(self) -> str:
        return f"{self.driver} · {self.get_kind_display()}"
