"""The meeting's official notice board: numbered documents, each published once and never
changed, with its PDF editions and their SHA-256.

A correction is a new document that ``supersedes`` the old one; the old one stays on the
board, marked. Rows are written once: ``BoardDocument.save`` refuses to update one, and an
edition (one PDF in one language) is written once too. The documents CupManager makes itself
(classification versions, decisions, the entry list, grids, standings, summons) keep the
data they show in ``content``, frozen at publication, and the ``template`` that draws it, so
that their PDFs can be drawn again, identically, whenever they are missing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from championships.models.calendar import Meeting, Race
from championships.models.results import ClassificationVersion, Penalty
from core.documents import board_documents


class BoardKind(models.TextChoices):
    SUPPLEMENTARY_REGULATIONS = "REGULATIONS", _("Supplementary regulations")
    TIMETABLE = "TIMETABLE", _("Timetable")
    BULLETIN = "BULLETIN", _("Bulletin")
    ENTRY_LIST = "ENTRY_LIST", _("Entry list")
    GRID = "GRID", _("Grid")
    PROVISIONAL_CLASSIFICATION = "PROVISIONAL", _("Provisional classification")
    FINAL_CLASSIFICATION = "FINAL", _("Final classification")
    DECISION = "DECISION", _("Stewards' decision")
    SUMMONS = "SUMMONS", _("Summons")
    STANDINGS = "STANDINGS", _("Standings")
    OTHER = "OTHER", _("Other")


class Issuer(models.TextChoices):
    """Who signs the document (FIA documents say "From: The Stewards")."""

    STEWARDS = "STEWARDS", _("The Stewards")
    RACE_DIRECTOR = "RACE_DIRECTOR", _("Race Director")
    CLERK = "CLERK", _("Clerk of the Course")
    TIMEKEEPING = "TIMEKEEPING", _("Timekeeping")
    SERIES = "SERIES", _("Series management")
    TECHNICAL = "TECHNICAL", _("Technical delegate")


# The documents a protest or a request for review may be about, and whose publication starts
# their clock; an appeal's notice is about a decision.
PROTESTABLE_KINDS = frozenset(
    {
        BoardKind.PROVISIONAL_CLASSIFICATION,
        BoardKind.FINAL_CLASSIFICATION,
        BoardKind.GRID,
        BoardKind.DECISION,
        BoardKind.ENTRY_LIST,
        BoardKind.BULLETIN,
        BoardKind.OTHER,
    }
)


class BoardDocumentQuerySet(models.QuerySet):
    def on_board(self) -> BoardDocumentQuerySet:
        """In board order (number), with what every listing shows in the same query."""
        return self.select_related(
            "meeting__circuit", "published_by", "supersedes", "superseded_by"
        ).order_by("number")

    def current(self) -> BoardDocumentQuerySet:
        """Not superseded by a later document."""
        return self.filter(superseded_by__isnull=True)


class BoardDocument(models.Model):
    # A round's board goes with the round (a season deleted or replaced: its classification
    # versions are archived, its documents deleted with their PDFs); a race or a decision
    # deleted leaves its documents on the board, which never change.
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="board", verbose_name=_("round")
    )
    number = models.PositiveIntegerField(
        _("document number"), help_text=_("Unique in the round, given at publication.")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=BoardKind.choices)
    title = models.CharField(_("title"), max_length=200)
    issued_by = models.CharField(
        _("from"), max_length=14, choices=Issuer.choices, default=Issuer.RACE_DIRECTOR
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.CASCADE,  # only ever with its round
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    race = models.ForeignKey(
        Race,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_documents",
        verbose_name=_("race"),
    )
    session = models.ForeignKey(
        "championships.Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_documents",
        verbose_name=_("session"),
        help_text=_("The practice or qualifying session a classification is of."),
    )
    classification_version = models.OneToOneField(
        ClassificationVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_document",
        verbose_name=_("classification version"),
    )
    decision = models.ForeignKey(
        Penalty,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_documents",
        verbose_name=_("decision"),
    )
    concerns = models.ManyToManyField(
        "entries.Entry",
        blank=True,
        related_name="board_documents",
        verbose_name=_("cars concerned"),
        help_text=_("Empty: the document concerns every competitor of the round."),
    )
    template = models.CharField(
        _("drawn by"), max_length=100, blank=True, editable=False
    )  # empty for an uploaded PDF
    content = models.JSONField(_("content"), default=dict, blank=True, editable=False)

    objects = BoardDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice board document")
        verbose_name_plural = _("notice board documents")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="board_number_unique_in_meeting",
                violation_error_message=_("This round already has a document of this number."),
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="board_number_positive"),
            models.CheckConstraint(condition=Q(kind__in=BoardKind.values), name="board_kind_valid"),
            models.CheckConstraint(
                condition=Q(issued_by__in=Issuer.values), name="board_issuer_valid"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="board_title_not_empty"),
            models.CheckConstraint(
                condition=~Q(supersedes=models.F("pk")), name="board_not_superseding_itself"
            ),
        ]

    def __str__(self) -> str:
        return _("Document %(number)s: %(title)s") % {"number": self.number, "title": self.title}

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise ValueError("A published notice board document never changes; supersede it.")
        super().save(*args, **kwargs)

    def pdf_url(self, language: str) -> str:
        """The public address of the document's PDF in ``language`` (reads its meeting and
        championship: select them with it)."""
        return reverse(
            "championships:board-pdf",
            kwargs={
                "slug": self.meeting.championship.slug,
                "round": self.meeting.round,
                "number": self.number,
                "language": language,
            },
        )

    @property
    def is_generated(self) -> bool:
        return bool(self.template)


def edition_path(edition: BoardEdition, filename: str) -> str:
    document = edition.document
    return (
        f"{document.meeting.championship.slug}/r{document.meeting.round}/"
        f"{document.number:03d}-{edition.language}.pdf"
    )


class BoardEdition(models.Model):
    """One PDF of a document in one language (an uploaded document has one, English or not);
    written once with its SHA-256."""

    document = models.ForeignKey(
        BoardDocument,
        on_delete=models.CASCADE,
        related_name="editions",
        verbose_name=_("document"),
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    file = models.FileField(_("PDF"), upload_to=edition_path, storage=board_documents)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["document", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "language"], name="board_edition_one_per_language"
            ),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="board_edition_sha256_hex"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} ({self.language})"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise ValueError("A published PDF never changes; publish a new document.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return self.document.pdf_url(self.language)
