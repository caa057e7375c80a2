from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChampionshipsConfig(AppConfig):
    name = "championships"
    verbose_name = _("Championships")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from championships.board import edition_file_delete
        from championships.models import BoardEdition

        post_delete.connect(
            edition_file_delete, sender=BoardEdition, dispatch_uid="championships.board_files"
        )
