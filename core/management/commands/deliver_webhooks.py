"""Send the webhook deliveries that are due: ``manage.py deliver_webhooks`` posts every pending
delivery whose next attempt is now or past (a new one whose sending after the commit did not
happen, or a retry after its wait), recording each outcome. A scheduler runs it every minute
until the task queue replaces it (docs/OPERATIONS.md, "Webhooks"); several may run at once:
each claims its deliveries first (``core.webhooks.webhook_claim``).

A failing endpoint is not the command's failure: it exits 0 and says how many were delivered,
left for a later attempt and failed for good.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from core.models import DeliveryStatus
from core.webhooks import BATCH, webhook_send

# A bound on one run (each batch's deliveries are due no more once tried).
MAX_BATCHES = 100


class Command(BaseCommand):
    @property
    def help(self) -> str:  # in the language active when asked
        return _("Send the webhook deliveries that are due, and record how each went.")

    def handle(self, *args: object, **options: Any) -> None:
        outcomes: Counter[str] = Counter()
        for _batch in range(MAX_BATCHES):
            sent = webhook_send()
            outcomes.update(delivery.status for delivery in sent)
            if len(sent) < BATCH:
                break
        self.stdout.write(
            _("Webhooks: %(delivered)s delivered, %(pending)s to try again, %(failed)s failed.")
            % {
                "delivered": outcomes[DeliveryStatus.DELIVERED],
                "pending": outcomes[DeliveryStatus.PENDING],
                "failed": outcomes[DeliveryStatus.FAILED],
            }
        )
