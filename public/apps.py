from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """Every public page of every app: views, page builders, URLs, feeds, template tags."""

    name = "public"
    verbose_name = _("Public site")

    def ready(self) -> None:
        from championships.live_signals import live_updated
        from public.pages.live import live_broadcast

        # Each push of live timing, rendered and sent to the live pages' streams.
        live_updated.connect(live_broadcast, dispatch_uid="public.live_broadcast")
