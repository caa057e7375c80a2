from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaddockConfig(AppConfig):
    name = "paddock"
    verbose_name = _("Entrants")

    def ready(self) -> None:
        # The allocation board and race control (lower apps) show the entrants' flags on a
        # meeting's entries through core's registry, never by importing this app.
        from core.flags import register_meeting_flags
        from paddock.services.checks import meeting_document_flags

        register_meeting_flags(meeting_document_flags)

        # A decision or a summons about a team's car is e-mailed to the team once posted.
        from championships.board import document_published
        from paddock.services.notices import document_published_mail

        document_published.connect(
            document_published_mail, dispatch_uid="paddock.board_document_mail"
        )
