"""Who sees which seasons through the API: drafts for staff only (``staff.roles.sees_drafts``).

A draft season and everything in it (meetings, races, penalties, entries, standings) is
hidden from everyone else: left out of every list, a 404 for its detail, unreachable by a
filter. The pages do the same with ``public.pages.championships.championship_or_404``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework.permissions import SAFE_METHODS

from championships.models import PUBLIC_STATUSES, Championship
from staff.roles import sees_drafts


def drafts_seen(request: Any) -> bool:
    """Whether the user of ``request`` (a session or an API token) sees drafts; False without
    a request. An anonymous user costs no query."""
    user = getattr(request, "user", None)
    return user is not None and sees_drafts(user)


def visible_championships(request: Any) -> QuerySet[Championship]:
    """The championships the user of ``request`` may see."""
    return Championship.objects.visible(drafts=drafts_seen(request))


def in_visible_seasons(queryset: QuerySet, path: str, request: Any) -> QuerySet:
    """``queryset`` without the rows of a draft season unless the user sees drafts; ``path``
    leads from its model to the championship ("" for a championship itself)."""
    if drafts_seen(request):
        return queryset
    status = f"{path}__status__in" if path else "status__in"
    return queryset.filter(**{status: PUBLIC_STATUSES})


class VisibleSeasonsMixin:
    """A viewset whose reads leave out the rows of draft seasons for all but staff who see
    drafts: lists, details (a 404 like an unknown object) and its own actions.

    Writes are not narrowed: they need the model permissions already, and a steward must
    reach the penalties of a season that is still a draft."""

    # From the viewset's model to its championship; "" for a championship itself.
    championship_path = "championship"

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()  # type: ignore[misc]
        return self.visible(queryset)

    def visible(self, queryset: QuerySet) -> QuerySet:
        request = self.request  # type: ignore[attr-defined]
        if getattr(self, "swagger_fake_view", False) or request.method not in SAFE_METHODS:
            return queryset
        return in_visible_seasons(queryset, self.championship_path, request)
