"""What a championship's kept answers are keyed on: the championship and when its data changed.

``core.kept`` keeps pages and API lists for a data version; here is that version for the
championships' answers. ``tables_changed_at`` moves on every write path
(``standings_invalidate``), so a kept answer is never served once the data under it changed.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.db.models import Count, Max
from django.shortcuts import get_object_or_404

from championships.models import Championship, SeasonStatus


class Version(NamedTuple):
    """What a kept answer depends on: the championship and when its data last changed; its
    status says who may be given it (a draft: staff only, ``staff.roles.sees_drafts``)."""

    pk: int
    tables_changed_at: dt.datetime
    status: str = SeasonStatus.PUBLISHED

    @property
    def draft(self) -> bool:
        return self.status == SeasonStatus.DRAFT

    @property
    def key(self) -> str:
        return f"{self.pk}:{self.tables_changed_at.isoformat()}"


def championship_version(slug: str | None) -> Version | None:
    """The version of the championship of ``slug`` or, without one, of the current one; None
    when there is none. One light query: a kept answer needs no more of the championship."""
    found = Championship.objects.current_version(slug)
    return Version(*found) if found else None


def versioned_championship(version: Version) -> Championship:
    """The whole championship of ``version``, for an answer not yet kept; 404 if it is gone."""
    return get_object_or_404(Championship, pk=version.pk)


def championships_version(slug: str | None, *, drafts: bool) -> str | None:
    """The data version of one championship (by slug) or, without one, of all those the
    caller sees (``drafts``: staff, ``staff.roles.sees_drafts``); None for an unknown slug
    or a draft the caller may not see. One query.

    Who sees drafts is in the version, so that an answer kept for staff (drafts in it) is
    never given to anyone else: staff and the public have versions of their own."""
    if slug:
        version = championship_version(slug)
        return version.key if version and (drafts or not version.draft) else None
    seen = Championship.objects.visible(drafts=drafts).order_by()
    every = seen.aggregate(count=Count("pk"), latest=Max("tables_changed_at"))
    latest = every["latest"].isoformat() if every["latest"] else "-"
    return f"{'staff' if drafts else 'public'}:{every['count']}:{latest}"
