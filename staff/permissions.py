"""What the "Series manager" group may do in the back office.

Migration ``championships/0004_series_manager_group`` holds a literal copy of the first list
(a migration must not import code that may change later) and ``staff/0002_season_operations``
adds the prizes, the categories and the fleet; a test asserts that they and this list agree.
"""

from __future__ import annotations

SERIES_MANAGER_GROUP = "Series manager"

# (app label, model name, actions): how each role's list is written, here and in staff/roles.
Grants = tuple[tuple[str, str, tuple[str, ...]], ...]

FULL = ("view", "add", "change", "delete")


def permissions_of(grants: Grants) -> frozenset[tuple[str, str]]:
    """The (app label, codename) pairs that ``grants`` give."""
    return frozenset(
        (app, f"{action}_{model}") for app, model, actions in grants for action in actions
    )


# Series is never deleted from the back office: its championships hold the history.
_GRANTS: Grants = (
    ("championships", "series", ("view", "add", "change")),
    ("championships", "championship", FULL),
    ("championships", "championshipclass", FULL),
    ("championships", "circuit", FULL),
    ("championships", "meeting", FULL),
    ("championships", "race", FULL),
    ("championships", "result", FULL),
    ("championships", "penalty", FULL),
    ("entries", "driver", FULL),
    ("entries", "team", FULL),
    ("entries", "entry", FULL),
    # The season's operation beyond the entry list (staff/0002_season_operations); the admins
    # themselves refuse what makes no sense (deleting a category record, adding a flag).
    ("championships", "prize", FULL),
    ("entries", "driverclassification", FULL),
    ("entries", "eligibilityflag", FULL),
    ("entries", "reviewrequest", FULL),
    ("entries", "operator", FULL),
    ("entries", "car", FULL),
    ("entries", "seatpackage", FULL),
    ("entries", "carallocation", FULL),
    ("entries", "damagereport", FULL),
)

SERIES_MANAGER_PERMISSIONS: frozenset[tuple[str, str]] = permissions_of(_GRANTS)
