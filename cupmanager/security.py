"""Security helpers that belong to no app."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


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
