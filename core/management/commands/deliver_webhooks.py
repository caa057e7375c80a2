"""Send the webhook deliveries that are due: ``manage.py deliver_webhooks`` posts every pending
delivery whose next attempt is now or past (a new one whose sending after the commit did not
happen, or a retry after its wait), recording each outcome: by hand what the task queue's
``webhooks_due`` does every minute (docs/OPERATIONS.md, "Webhooks"); several may run at once:
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
from core.webhooks import webhooks_send_due


class Command(BaseCommand):
    @property
    def help(self) -> str:  # in the language active when asked
        return _("Send the webhook deliveries that are due, and record how each went.")

    def handle(self, *args: object, **options: Any) -> None:
        outcomes = Counter(delivery.status for delivery in webhooks_send_due())
        self.stdout.write(
            _("Webhooks: %(delivered)s delivered, %(pending)s to try again, %(failed)s failed.")
            % {
                "delivered": outcomes[DeliveryStatus.DELIVERED],
                "pending": outcomes[DeliveryStatus.PENDING],
                "failed": outcomes[DeliveryStatus.FAILED],
            }
        )
