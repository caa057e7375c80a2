"""A per-address limit on submissions, counted in the cache in fixed windows; the address is
``cupmanager.security.client_ip``'s, as for the API throttle."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from cupmanager.security import client_ip

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``5/h`` as (5 submissions, 3600 seconds); settings refuse any other shape."""
    count, _, unit = rate.partition("/")
    return int(count), PERIODS[unit]


def _address_key(request: HttpRequest, scope: str, window: int) -> str:
    # The address is read as the API throttle and the login lockout read it, so that behind
    # API_NUM_PROXIES proxies each applicant is counted apart rather than all as the proxy.
    # It is hashed so that the cache never holds it in clear.
    address = client_ip(request)
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]
    return f"talentpool:rate:{scope}:{digest}:{window}"


def rate_limit_hit(request: HttpRequest, scope: str) -> bool:
    """Count this request against the address's limit; True once the limit is exceeded."""
    limit, period = parse_rate(settings.TALENTPOOL_RATE_LIMIT)
    key = _address_key(request, scope, int(time.time() // period))
    cache.add(key, 0, timeout=period)
    try:
        hits = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period)
        hits = 1
    return hits > limit
