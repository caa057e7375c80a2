"""Security helpers that belong to no app."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpRequest

# The cache alias of every counter (API throttle, Talent Pool rate limit): apart from the kept
# pages, so that a flood of pages never evicts a count, and shared by every worker under
# `make serve` (COUNTERS_CACHE_URL, docs/OPERATIONS.md).
COUNTERS = "counters"


def counters_cache() -> BaseCache:
    """The counters' cache, looked up on each use so that a change of settings reaches it."""
    return caches[COUNTERS]


def client_ip(request: HttpRequest) -> str:
    """The client's address, read as the API throttle reads it.

    Behind ``API_NUM_PROXIES`` proxies the address is the one that many hops from the right
    of X-Forwarded-For, the last one no client can forge; with none, the socket's peer.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not proxies or not forwarded:
        return remote
    hops = [address.strip() for address in forwarded.split(",") if address.strip()]
    return hops[-min(proxies, len(hops))] if hops else remote
