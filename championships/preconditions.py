"""Preconditions of the API's results import (issue 14.10): no silent lost update.

A client reads the race's classification version (the ``ETag`` of
``GET /api/v1/races/<id>/versions/``, or ``classification_version`` of the race) and sends it
back with its import, as ``If-Match`` or ``?expected_version=``. If someone changed the
classification since, the import is refused with 412 naming them. An import that would
replace results already held must say which version it read (428 without); the first
results of a race, and a dry run, need not.
"""

from __future__ import annotations

import re

from django.utils.http import parse_etags, quote_etag
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import APIException

from championships.models import Race
from championships.serializers import ImportQuerySerializer

_ETAG = re.compile(r'"race-(?P<race>\d+)-v(?P<version>\d+)"')


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
    """The version an If-Match names (a weak ETag, as a compressing proxy sends, reads too)."""
    for etag in parse_etags(if_match):
        if etag == "*":
            raise PreconditionRequired
        found = _ETAG.fullmatch(etag.removeprefix("W/"))
        if found and int(found["race"]) == race.pk:
            return int(found["version"])
    raise PreconditionFailed(_("If-Match does not name a version of this race's classification."))
