"""The staff roles: one group each, holding exactly these model permissions.

``docs/ROLES.md`` says who each role is for. Migration ``staff/0001_roles`` holds a literal
copy of the lists (a migration must not import code that may change later) and a test asserts
that the groups in the database and these lists agree. A role is given to a person by adding
their staff account (``is_staff``) to the group; no account is a superuser but the owners'.

The "Series manager" group comes from ``championships/0004_series_manager_group`` and the
"Talent Pool reviewer" group from ``talentpool/0002_reviewer_group``; they are listed here so
that every role can be read in one place.

Classification versions and change history are read through the object they record, so no
role holds a permission on ``ClassificationVersion`` or on a ``Historical*`` model: nothing
checks one (``SIMPLE_HISTORY_ENFORCE_HISTORY_MODEL_PERMISSIONS`` is off), and a grant that
nothing checks would read as a control that is not there. What each page checks:

- a race's Versions page opens with ``championships.view_race``; declaring the state (and
  uploading a classification) needs ``championships.change_race``;
- an object's History pages open with its model's ``view_`` permission; Revert is offered
  with its ``change_`` permission (but see "Known gap" in ``docs/ROLES.md``);
- ``GET /api/v1/races/<id>/versions/`` needs none: anyone reads the season through the API.

So each role reads the versions and the history of what it sees with the permissions below;
none is added for them, and the Talent Pool keeps no history.
"""

from __future__ import annotations

SERIES_MANAGER_GROUP = "Series manager"
RACE_CONTROL_GROUP = "Race control"
READ_ONLY_STAFF_GROUP = "Read-only staff"
TIMING_PROVIDER_GROUP = "Timing provider"
TALENT_POOL_REVIEWER_GROUP = "Talent Pool reviewer"

# (app label, model name, actions): how each role's list is written.
Grants = tuple[tuple[str, str, tuple[str, ...]], ...]

FULL = ("view", "add", "change", "delete")


def permissions_of(grants: Grants) -> frozenset[tuple[str, str]]:
    """The (app label, codename) pairs that ``grants`` give."""
    return frozenset(
        (app, f"{action}_{model}") for app, model, actions in grants for action in actions
    )


# The season, all of it. Migration ``championships/0004_series_manager_group`` holds a literal
# copy of the first part and ``staff/0002_season_operations`` adds the prizes, the categories
# and the fleet. Series is never deleted from the back office: its championships hold the
# history.
SERIES_MANAGER_GRANTS: Grants = (
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

SERIES_MANAGER_PERMISSIONS: frozenset[tuple[str, str]] = permissions_of(SERIES_MANAGER_GRANTS)

# The entrants' side (staff/0008_paddock): the series manager opens the entries, reviews the
# applications, records fees and opens drivers' documents; race control records the
# administrative checks at the meeting, opening the documents it checks; read-only staff
# read the entries' progress but never a document (personal data).
PADDOCK_MANAGER_GRANTS: Grants = (
    ("paddock", "entrywindow", FULL),
    ("paddock", "entryapplication", ("view", "change", "review")),
    ("paddock", "fee", FULL),
    ("paddock", "meetingcheck", FULL),
    ("paddock", "entrantteam", ("view", "change")),
    ("paddock", "entrantdriver", ("view", "change")),
    ("paddock", "driverdocument", ("view", "open")),
    # Who acknowledged the notice board's documents (staff/0009_notice_board).
    ("paddock", "acknowledgement", ("view",)),
)
PADDOCK_RACE_CONTROL_GRANTS: Grants = (
    ("paddock", "meetingcheck", ("view", "add", "change")),
    ("paddock", "entrantdriver", ("view",)),
    ("paddock", "driverdocument", ("view", "open")),
    ("paddock", "acknowledgement", ("view",)),
)
PADDOCK_READ_ONLY_GRANTS: Grants = (
    ("paddock", "entrywindow", ("view",)),
    ("paddock", "entryapplication", ("view",)),
    ("paddock", "fee", ("view",)),
    ("paddock", "meetingcheck", ("view",)),
)

# The stewards' work (staff/0009_notice_board): race control and the series manager read the
# protests and appeals the teams filed and take the hearing's steps (change: summons,
# outcome, decision, deposit; a filing is never added or deleted in the back office), reading
# each championship's time limits and deposits; read-only staff read them.
STEWARDS_GRANTS: Grants = (
    ("paddock", "protest", ("view", "change")),
    ("paddock", "hearingrules", ("view",)),
)
# The series manager sets each championship's time limits and deposits.
HEARING_RULES_GRANTS: Grants = (("paddock", "hearingrules", ("view", "add", "change")),)
STEWARDS_READER_GRANTS: Grants = (
    ("paddock", "protest", ("view",)),
    ("paddock", "hearingrules", ("view",)),
)

_VIEW = ("view",)

# The meetings' notice boards (staff/0009_notice_board): the series manager and race control
# publish documents (add: an uploaded PDF, or the entry list, a grid, the standings drawn by
# CupManager) and read them; read-only staff read them. Nobody changes or deletes a published
# document (championships/board_admin.py refuses it whatever the grants).
BOARD_PUBLISHER_GRANTS: Grants = (("championships", "boarddocument", ("view", "add")),)
BOARD_READER_GRANTS: Grants = (("championships", "boarddocument", _VIEW),)

# The weekend's other sessions and the grids (staff/0010_sessions_and_grids): the series
# manager keeps the sessions of the calendar, race control and the series manager upload their
# classifications (change_session; a session's results are written only by the upload) and
# publish grids (change_race); read-only staff read them; a timing provider sends the
# sessions' classifications through the API as it sends the races'.
SESSIONS_MANAGER_GRANTS: Grants = (
    ("championships", "session", FULL),
    ("championships", "sessionresult", _VIEW),
    ("championships", "gridslot", _VIEW),
)
SESSIONS_RACE_CONTROL_GRANTS: Grants = (
    ("championships", "session", ("view", "change")),
    ("championships", "sessionresult", _VIEW),
    ("championships", "gridslot", _VIEW),
)
SESSIONS_READER_GRANTS: Grants = (
    ("championships", "session", _VIEW),
    ("championships", "sessionresult", _VIEW),
    ("championships", "gridslot", _VIEW),
)
SESSIONS_TIMING_GRANTS: Grants = (
    ("championships", "session", _VIEW),
    ("championships", "sessionresult", FULL),
)

# Tyres (staff/0011_tyres): the series manager sets each championship's quota of new sets,
# receives the sets into the operators' stock (add_tyreset: the receipt page), scans them
# (add_tyrescan: the scan page), cancels a mistaken scan (delete_tyrescan: the latest of its
# set only) and delivers the Talent Pool winners' prize sets (talentpool: their deliveries,
# nothing else of the applications); race control scans the sets in the paddock and reads the
# stock; read-only staff read it all.
TYRES_MANAGER_GRANTS: Grants = (
    ("entries", "tyrequota", FULL),
    ("entries", "tyreset", FULL),
    ("entries", "tyrescan", ("view", "add", "delete")),
    ("talentpool", "prizetyredelivery", ("view", "add")),
)
TYRES_RACE_CONTROL_GRANTS: Grants = (
    ("entries", "tyreset", _VIEW),
    ("entries", "tyrescan", ("view", "add")),
)
TYRES_READER_GRANTS: Grants = (
    ("entries", "tyrequota", _VIEW),
    ("entries", "tyreset", _VIEW),
    ("entries", "tyrescan", _VIEW),
)

# Webhooks (staff/0012_webhooks): the series manager keeps the subscriptions of media and apps
# (a test ping and "Retry now" in the log need change_webhooksubscription) and reads the
# deliveries' log, which nobody writes in the back office.
WEBHOOKS_MANAGER_GRANTS: Grants = (
    ("core", "webhooksubscription", FULL),
    ("core", "webhookdelivery", _VIEW),
)

# The task queue's failed tasks (staff/0014_failed_tasks): the series manager reads them, runs
# one again (rerun_failedtask) or deletes it; nobody writes them in the back office.
FAILED_TASKS_MANAGER_GRANTS: Grants = (("core", "failedtask", ("view", "rerun", "delete")),)

# Live timing (staff/0013_live_timing): the timing provider pushes a session's running order
# (change_livetiming, the API's POST …/live/) and clears a rehearsal (delete_livetiming, DELETE
# …/live/); race control may do both; read-only staff read it.
LIVE_TIMING_GRANTS: Grants = (("championships", "livetiming", ("view", "change", "delete")),)
LIVE_TIMING_READER_GRANTS: Grants = (("championships", "livetiming", _VIEW),)

# On race day: the classification (results) and the stewards' penalties, reading the rest.
RACE_CONTROL_GRANTS: Grants = (
    ("championships", "series", _VIEW),
    ("championships", "championship", _VIEW),
    ("championships", "championshipclass", _VIEW),
    ("championships", "circuit", _VIEW),
    ("championships", "meeting", _VIEW),
    ("championships", "race", ("view", "change")),
    ("championships", "result", FULL),
    ("championships", "penalty", FULL),
    ("entries", "driver", _VIEW),
    ("entries", "team", _VIEW),
    ("entries", "entry", _VIEW),
    # The results form picks each result's chassis from the fleet (staff/0002).
    ("entries", "car", _VIEW),
)

# Everything about the championships and the entries, changing nothing. Not the Talent Pool:
# applicants' personal data is for its reviewers only. Not accounts, tokens or login records.
READ_ONLY_STAFF_GRANTS: Grants = tuple(
    ("championships", model, _VIEW)
    for model in (
        "series",
        "championship",
        "championshipclass",
        "circuit",
        "meeting",
        "race",
        "result",
        "penalty",
        "prize",
    )
) + tuple(
    ("entries", model, _VIEW)
    for model in (
        "driver",
        "team",
        "entry",
        "driverclassification",
        "eligibilityflag",
        "reviewrequest",
        "operator",
        "car",
        "seatpackage",
        "carallocation",
        "damagereport",
    )
)

# The reviewer permission, and the editions, from which the ranked shortlist is reached; the
# erasure records (who erased which reference, when: no personal data), read only
# (staff/0003_talentpool_erasure_records).
TALENT_POOL_REVIEWER_PERMISSIONS: frozenset[tuple[str, str]] = frozenset(
    {
        ("talentpool", "review_application"),
        ("talentpool", "view_talentpooledition"),
        ("talentpool", "view_erasurerecord"),
    }
)

# The series manager, beyond the season (SERIES_MANAGER_GRANTS): enters the Talent Pool's
# winners in the championship (their names, nationality and category; not the applications:
# staff/0005_talentpool_winner_entry), and issues and revokes the API tokens of timing
# providers' accounts (staff/0006_timing_provider_tokens; see staff/tokens.py).
SERIES_MANAGER_STAFF_GRANTS: Grants = (
    ("talentpool", "winner", _VIEW),
    ("staff", "providertoken", ("add", "delete")),
)

# A timing provider's account: it sends each race's classification through the API
# (POST /api/v1/races/<id>/results/) and reads the races; nothing else. Its token is issued by
# a series manager (staff/0006_timing_provider_tokens).
TIMING_PROVIDER_GRANTS: Grants = (
    ("championships", "race", _VIEW),
    ("championships", "result", FULL),
)
# ... and the practice and qualifying classifications, as the races' (staff/0010).
# ... and the live running order during each session (staff/0013).
TIMING_PROVIDER_PERMISSIONS = (
    permissions_of(TIMING_PROVIDER_GRANTS)
    | permissions_of(SESSIONS_TIMING_GRANTS)
    | permissions_of(LIVE_TIMING_GRANTS)
)

ROLES: dict[str, frozenset[tuple[str, str]]] = {
    SERIES_MANAGER_GROUP: SERIES_MANAGER_PERMISSIONS
    | permissions_of(SERIES_MANAGER_STAFF_GRANTS)
    | permissions_of(PADDOCK_MANAGER_GRANTS)
    | permissions_of(BOARD_PUBLISHER_GRANTS)
    | permissions_of(STEWARDS_GRANTS)
    | permissions_of(HEARING_RULES_GRANTS)
    | permissions_of(SESSIONS_MANAGER_GRANTS)
    | permissions_of(TYRES_MANAGER_GRANTS)
    | permissions_of(WEBHOOKS_MANAGER_GRANTS)
    | permissions_of(FAILED_TASKS_MANAGER_GRANTS),
    RACE_CONTROL_GROUP: permissions_of(RACE_CONTROL_GRANTS)
    | permissions_of(PADDOCK_RACE_CONTROL_GRANTS)
    | permissions_of(BOARD_PUBLISHER_GRANTS)
    | permissions_of(STEWARDS_GRANTS)
    | permissions_of(SESSIONS_RACE_CONTROL_GRANTS)
    | permissions_of(TYRES_RACE_CONTROL_GRANTS)
    | permissions_of(LIVE_TIMING_GRANTS),
    TALENT_POOL_REVIEWER_GROUP: TALENT_POOL_REVIEWER_PERMISSIONS,
    READ_ONLY_STAFF_GROUP: permissions_of(READ_ONLY_STAFF_GRANTS)
    | permissions_of(PADDOCK_READ_ONLY_GRANTS)
    | permissions_of(BOARD_READER_GRANTS)
    | permissions_of(STEWARDS_READER_GRANTS)
    | permissions_of(SESSIONS_READER_GRANTS)
    | permissions_of(TYRES_READER_GRANTS)
    | permissions_of(LIVE_TIMING_READER_GRANTS),
    TIMING_PROVIDER_GROUP: TIMING_PROVIDER_PERMISSIONS,
}


def sees_drafts(user: object) -> bool:
    """Whether ``user`` sees draft seasons (pages, API, feeds): active staff who may view
    championships in the back office. Everyone else sees published and archived ones only."""
    return bool(
        getattr(user, "is_active", False)
        and getattr(user, "is_staff", False)
        and user.has_perm("championships.view_championship")  # type: ignore[attr-defined]
    )
