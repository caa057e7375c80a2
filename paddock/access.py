"""Who may open the entrants' pages: a signed-in account (sent to the entrants' sign-in page
otherwise), answered privately: never kept by the page cache nor a proxy."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.cache import never_cache


def entrant_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a function view of the entrants' pages."""
    return never_cache(login_required(view, login_url="account_login"))
