"""Per-address limits on public submissions (the Talent Pool's form, the entrants' sign-up,
sign-in and applications), counted in the counters' cache in fixed windows; the address is
``core.security.client_ip``'s, as for the API throttle.

The Talent Pool's form counts two things apart: every attempt, against the loose
``TALENTPOOL_ATTEMPT_RATE_LIMIT``, and only the applications received, against
``TALENTPOOL_RATE_LIMIT``, so that an applicant correcting a refused form is not locked out.
Each caller names its own ``scope`` and rate."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.security import client_ip, counters_cache

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
    return f"rate:{scope}:{digest}:{window}"


def _hits(request: HttpRequest, scope: str, rate: str, *, count: bool) -> tuple[int, int]:
    """The address's count in this window (after counting this request if ``count``), and
    the limit."""
    limit, period = parse_rate(rate)
    key = _address_key(request, scope, int(time.time() // period))
    # The counters' own cache: shared by every worker, never evicted by a flood of pages.
    cache = counters_cache()
    if not count:
        return cache.get(key, 0), limit
    cache.add(key, 0, timeout=period)
    try:
        return cache.incr(key), limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period)
        return 1, limit


def rate_limit_hit(request: HttpRequest, scope: str, rate: str) -> bool:
    """Count this request against the address's limit ``rate`` (e.g. ``5/h``); True once the
    limit is exceeded."""
    hits, limit = _hits(request, scope, rate, count=True)
    return hits > limit


def rate_limit_reached(request: HttpRequest, scope: str, rate: str) -> bool:
    """True if the address has used its whole limit already; counts nothing."""
    hits, limit = _hits(request, scope, rate, count=False)
    return hits >= limit


def limit_posts(
    view: Callable[..., HttpResponse], *, scope: str, rate_setting: str
) -> Callable[..., HttpResponse]:
    """``view`` with its POSTs counted per address against the setting ``rate_setting`` (e.g.
    ``10/h``) in the counters' cache, shared by every worker; over it, the 429 page and the
    view is not called. For a third-party view (the entrants' sign-up and sign-in) whose own
    limits count in the default cache, which may be per process or off."""

    @wraps(view)
    def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rate = getattr(settings, rate_setting)
        if request.method == "POST" and rate_limit_hit(request, scope, rate):
            return render(request, "429.html", status=429)
        return view(request, *args, **kwargs)

    return limited


def posts_limited(
    scope: str, rate_setting: str
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """``limit_posts`` as a decorator, for a view of the project."""
    return lambda view: limit_posts(view, scope=scope, rate_setting=rate_setting)
