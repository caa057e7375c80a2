"""Which role opens a back-office page: read from ``staff.roles``, so that the 403 page names
it and can never disagree with what the groups hold."""

from __future__ import annotations

import re

from django.apps import apps
from django.urls import reverse

from staff.roles import ROLES

# Pages opened by another permission than their model's own.
REVIEWER = "review_application"
PAGE_PERMISSIONS: dict[tuple[str, str], str] = {
    ("talentpool", "application"): REVIEWER,
    ("talentpool", "review"): REVIEWER,
}


def _action(rest: str) -> str:
    if rest == "add/":
        return "add"
    if rest.endswith("/delete/"):
        return "delete"
    return "view"


def roles_needed(path: str) -> list[str] | None:
    """The roles whose group opens the back-office page of a model at ``path``: empty if none
    does (the owners' superuser accounts only), None for a path that is not such a page."""
    prefix = re.escape(reverse("admin:index"))
    match = re.match(rf"^{prefix}(?P<app>\w+)/(?P<model>\w+)/(?P<rest>.*)$", path)
    if match is None:
        return None
    app_label, model = match["app"], match["model"]
    try:
        apps.get_model(app_label, model)
    except LookupError:
        return None
    codename = PAGE_PERMISSIONS.get((app_label, model)) or f"{_action(match['rest'])}_{model}"
    return sorted(name for name, held in ROLES.items() if (app_label, codename) in held)
