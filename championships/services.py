"""Operations that write the season. Each is atomic and shared by admin, API and commands."""

from __future__ import annotations

from django.utils import timezone

from championships.models import Championship


def standings_invalidate(*, championship_id: int) -> None:
    """Mark the championship's tables as changed.

    Every write path that touches what a table depends on (results, penalties, entries,
    races, the points scheme, an import) calls this. Cached tables are keyed by
    ``tables_changed_at``, so they are never served stale, and the API derives its ETag
    and Last-Modified from it.
    """
    Championship.objects.filter(pk=championship_id).update(tables_changed_at=timezone.now())
