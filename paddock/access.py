"""Who may open the entrants' pages: a signed-in account (sent to the entrants' sign-in page
otherwise), answered privately: never kept by the page cache nor a proxy."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache


def entrant_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a function view of the entrants' pages."""
    guarded = never_cache(login_required(view, login_url="account_login"))

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return guarded(request, *args, **kwargs)

    return wrapper
