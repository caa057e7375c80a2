"""What the "Series manager" group may do in the back office.

Migration ``championships/0004_series_manager_group`` holds a literal copy of the first list
(a migration must not import code that may change later) and ``staff/0002_season_operations``
adds the prizes, the categories and the fleet; a test asserts that they and this list agree.
"""

from __future__ import annotations

SERIES_MANAGER_GROUP = "Series manager"

_FULL = ("view", "add", "change", "delete")

# (app label, model name, actions). Series is never deleted from the back office: its
# championships hold the history.
_GRANTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("championships", "series", ("view", "add", "change")),
    ("championships", "championship", _FULL),
    ("championships", "championshipclass", _FULL),
    ("championships", "circuit", _FULL),
    ("championships", "meeting", _FULL),
    ("championships", "race", _FULL),
    ("championships", "result", _FULL),
    ("championships", "penalty", _FULL),
    ("entries", "driver", _FULL),
    ("entries", "team", _FULL),
    ("entries", "entry", _FULL),
    # The season's operation beyond the entry list (staff/0002_season_operations); the admins
    # themselves refuse what makes no sense (deleting a category record, adding a flag).
    ("championships", "prize", _FULL),
    ("entries", "driverclassification", _FULL),
    ("entries", "eligibilityflag", _FULL),
    ("entries", "reviewrequest", _FULL),
    ("entries", "operator", _FULL),
    ("entries", "car", _FULL),
    ("entries", "seatpackage", _FULL),
    ("entries", "carallocation", _FULL),
    ("entries", "damagereport", _FULL),
)

SERIES_MANAGER_PERMISSIONS: frozenset[tuple[str, str]] = frozenset(
    (app_label, f"{action}_{model}") for app_label, model, actions in _GRANTS for action in actions
)
