"""Preconditions of the API's results import: no silent lost update.

A client reads the race's classification version (the ``ETag`` of
``GET /api/v1/races/<id>/versions/``, or ``classification_version`` of the race) and sends it
back with its import, as ``If-Match`` or ``?expected_version=``. If someone changed the
classification since, the import is refused with 412 naming them. An import that would
replace results already held must say which version it read (428 without); the first
results of a race, and a dry run, need not.

A penalty (a stewards' decision) likewise: ``GET /api/v1/penalties/<id>/`` sends the ETag of
its latest change (``penalty_change``, what the back office's decision form carries), and
changing or deleting it needs that ETag as ``If-Match``: 428 without, 412 naming who changed
it since. The comparison itself is ``penalty_lock``'s, under the decision's lock.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.http import parse_etags, quote_etag
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import APIException

from championships.models import Race
from championships.serializers import ImportQuerySerializer
from championships.services import PenaltyConflict, penalty_change

_ETAG = re.compile(r'"race-(?P<pk>\d+)-v(?P<number>\d+)"')
_PENALTY_ETAG = re.compile(r'"penalty-(?P<pk>\d+)-c(?P<number>\d+)"')
PENALTY_REQUIRED = _(
    "Changing or deleting a penalty needs If-Match: the ETag of the penalty as you read it "
    "(GET /api/v1/penalties/<id>/)."
)


class PreconditionFailed(APIException):
    status_code = 412
    default_detail = _("The classification changed since you read it; read it again.")
    default_code = "precondition_failed"


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = _(
        "This import replaces results already held: send the classification version you "
        "read, as If-Match (the ETag of the race's versions) or ?expected_version=."
    )
    default_code = "precondition_required"


class ResultsImportQuerySerializer(ImportQuerySerializer):
    expected_version = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text=_(
            "The race's classification version the file was prepared against (its "
            "classification_version); 412 if it has moved on. Or send If-Match."
        ),
    )


def classification_etag(race_id: int, version: int) -> str:
    """The ETag of a race's classification at ``version``."""
    return quote_etag(f"race-{race_id}-v{version}")


def expected_version(
    race: Race, *, if_match: str | None, expected: int | None, required: bool
) -> int | None:
    """The version the client read, from ``If-Match`` or ``expected_version``; 428 if it
    sends neither though ``required``, 412 if the two disagree or the ETag is not this race's."""
    versions = set() if expected is None else {expected}
    if if_match:
        versions.add(_version_of(race, if_match))
    if len(versions) > 1:
        raise PreconditionFailed(_("If-Match and expected_version name different versions."))
    if not versions and required:
        raise PreconditionRequired
    return versions.pop() if versions else None


def _version_of(race: Race, if_match: str) -> int:
    """The version an If-Match names."""
    version = _etag_number(if_match, _ETAG, race.pk, PreconditionRequired.default_detail)
    if version is None:
        raise PreconditionFailed(
            _("If-Match does not name a version of this race's classification.")
        )
    return version


def _etag_number(if_match: str, pattern: re.Pattern[str], pk: int, required: str) -> int | None:
    """The number the first ETag of object ``pk`` in ``if_match`` names (a weak ETag, as a
    compressing proxy sends, reads too), None if none; ``*`` names no state: 428."""
    for etag in parse_etags(if_match):
        if etag == "*":
            raise PreconditionRequired(required)
        found = pattern.fullmatch(etag.removeprefix("W/"))
        if found and int(found["pk"]) == pk:
            return int(found["number"])
    return None


# Penalties ----------------------------------------------------------------------------------


def penalty_etag(penalty_id: int) -> str:
    """The ETag of a decision as it stands: its latest change."""
    return quote_etag(f"penalty-{penalty_id}-c{penalty_change(penalty_id=penalty_id)}")


def penalty_if_match(penalty_id: int, if_match: str | None) -> int:
    """The change of the decision the client read, from ``If-Match``: 428 without it, 412
    if it names no state of this decision. Whether that change is still the latest is
    ``penalty_lock``'s to say, under the lock (``penalty_conflict_refused``)."""
    if not if_match:
        raise PreconditionRequired(PENALTY_REQUIRED)
    change = _etag_number(if_match, _PENALTY_ETAG, penalty_id, PENALTY_REQUIRED)
    if change is None:
        raise PreconditionFailed(
            _("If-Match does not name a state of this penalty; read it again.")
        )
    return change


@contextmanager
def penalty_conflict_refused() -> Iterator[None]:
    """Someone changed the decision since the client read it: 412 naming them."""
    try:
        yield
    except PenaltyConflict as conflict:
        raise PreconditionFailed(conflict.messages[0]) from None
