"""What the season tells webhook subscribers (``core.webhooks``), and in what words.

Each function is called on one line where the event happens, inside its transaction:

- ``webhook_classification`` by ``classification_record`` for every version it records: a
  provisional version is ``classification.published``, a final one ``classification.final``,
  an amended one ``classification.amended`` (the baseline of results imported with a season is
  never told, as it is never posted);
- ``webhook_decision`` by ``penalty_save`` and ``penalty_withdraw`` for a decision the stewards
  posted (with a ``decided_at``): ``decision.posted``, ``withdrawn`` saying which;
- ``webhook_standings`` by ``standings_invalidate``: ``standings.changed``, told once per
  championship and transaction, after it commits, however often the tables were marked.

The payloads are small: what changed and where to read it, the public page (a path of this
site) and the API.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse

from championships.models import (
    Championship,
    ClassificationState,
    ClassificationVersion,
    Meeting,
    Penalty,
    Race,
)
from core.models import WebhookEvent
from core.webhooks import webhook_emit, webhook_wanted

EVENT_OF_STATE = {
    ClassificationState.PROVISIONAL: WebhookEvent.CLASSIFICATION_PUBLISHED,
    ClassificationState.FINAL: WebhookEvent.CLASSIFICATION_FINAL,
    ClassificationState.AMENDED: WebhookEvent.CLASSIFICATION_AMENDED,
}


def _meeting_urls(slug: str, meeting: Meeting) -> dict[str, str]:
    where = {"slug": slug, "round": meeting.round}
    return {
        "page": reverse("championships:meeting", kwargs=where),
        "board": reverse("championships:board", kwargs=where),
    }


def webhook_classification(*, version: ClassificationVersion, race: Race) -> None:
    """Tell of ``version`` of ``race``'s classification (its meeting and championship loaded,
    as ``classification_lock`` loads them)."""
    slug = race.meeting.championship.slug
    webhook_emit(
        EVENT_OF_STATE[version.state],
        lambda: classification_payload(version=version, race=race),
        championship=slug,
    )


def classification_payload(*, version: ClassificationVersion, race: Race) -> dict[str, Any]:
    slug = race.meeting.championship.slug
    return {
        "championship": slug,
        "round": race.meeting.round,
        "race": {"id": race.pk, "number": race.number},
        "version": {
            "number": version.number,
            "state": version.state,
            "cause": version.cause,
            "reason": version.reason,
            "decision": version.reference or None,
            "published_at": version.created_at.isoformat(),
        },
        "urls": {
            **_meeting_urls(slug, race.meeting),
            "api": reverse("race-versions", args=[race.pk]),
        },
    }


def webhook_decision(*, penalty: Penalty) -> None:
    """Tell of a decision posted (or withdrawn) by the stewards."""
    if not webhook_wanted(WebhookEvent.DECISION_POSTED):
        return
    penalty = Penalty.objects.select_related("meeting__championship", "race", "entry").get(
        pk=penalty.pk
    )
    webhook_emit(
        WebhookEvent.DECISION_POSTED,
        decision_payload(penalty=penalty),
        championship=penalty.meeting.championship.slug,
    )


def decision_payload(*, penalty: Penalty) -> dict[str, Any]:
    slug = penalty.meeting.championship.slug
    race = penalty.race
    return {
        "championship": slug,
        "round": penalty.meeting.round,
        "race": {"id": race.pk, "number": race.number} if race else None,
        "decision": {
            "id": penalty.pk,
            "reference": str(penalty.reference),
            "car": penalty.entry.car_number,
            "kind": penalty.kind,
            "value": str(penalty.value) if penalty.value is not None else None,
            "reason": penalty.reason,
            "decided_at": penalty.decided_at.isoformat() if penalty.decided_at else None,
            "withdrawn": penalty.is_withdrawn,
            "withdrawn_reason": penalty.withdrawn_reason or None,
        },
        "urls": {
            **_meeting_urls(slug, penalty.meeting),
            "api": reverse("penalty-detail", args=[penalty.pk]),
        },
    }


class _StandingsChanged:
    """The championships whose tables changed in one transaction, told once it commits."""

    __qualname__ = "webhook_standings"  # how Django's log names a callback that failed

    def __init__(self) -> None:
        self.championship_ids: set[int] = set()
        self.told = False

    def __call__(self) -> None:
        self.told = True
        if not webhook_wanted(WebhookEvent.STANDINGS_CHANGED):
            return
        changed = Championship.objects.filter(pk__in=self.championship_ids).values_list(
            "slug", "tables_changed_at"
        )
        with transaction.atomic():
            for slug, at in changed:
                webhook_emit(
                    WebhookEvent.STANDINGS_CHANGED,
                    standings_payload(slug=slug, changed_at=at),
                    championship=slug,
                )


def standings_payload(*, slug: str, changed_at: Any) -> dict[str, Any]:
    return {
        "championship": slug,
        "changed_at": changed_at.isoformat() if changed_at else None,
        "urls": {
            "page": reverse("championships:standings", kwargs={"slug": slug}),
            "api": reverse("championship-standings", args=[slug]),
        },
    }


def webhook_standings(*, championship_id: int) -> None:
    """Tell that ``championship_id``'s tables changed, once the transaction commits, with any
    other championship whose tables it changed: one event each, however many calls."""
    connection = transaction.get_connection()
    pending = [
        callback
        for _savepoints, callback, *_robust in connection.run_on_commit
        if isinstance(callback, _StandingsChanged) and not callback.told
    ]
    if connection.in_atomic_block and pending:
        pending[0].championship_ids.add(championship_id)
        return
    batch = _StandingsChanged()
    batch.championship_ids.add(championship_id)
    transaction.on_commit(batch, robust=True)
