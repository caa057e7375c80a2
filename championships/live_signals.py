"""``live_updated``: sent with ``subject`` (a race or a session) and ``timing`` (its
``LiveTiming``, None once cleared) after the commit of a push, of a clear, and of a
classification of a race with live timing (the live page then says it is official).
``championships`` knows nothing of who listens: ``public`` renders and publishes the page."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

from championships.models import LiveTiming, Race

live_updated = Signal()


def live_refresh(*, race: Race) -> None:
    """After a race's classification is recorded: tell its live page, if it has one, once the
    classification is committed."""

    def tell() -> None:
        timing = LiveTiming.objects.filter(race=race).first()
        if timing is not None:
            live_updated.send_robust(sender=LiveTiming, subject=race, timing=timing)

    transaction.on_commit(tell, robust=True)
