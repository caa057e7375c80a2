"""``season_import``: read, check everything, then write in one transaction (or not at all).

A dry run makes the very same write and rolls it back, so it meets every refusal the apply
would meet: a replaced championship that damage reports, placements or seat
packages still refer to is refused by the dry run, not first by "Apply".
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import translation
from django.utils.translation import gettext

from championships.bundle.parse import parse_bundle
from championships.bundle.reader import TOML_FILE, read_bundle
from championships.bundle.resolve import Existing, find_existing
from championships.bundle.spec import SeasonSpec
from championships.bundle.summary import ImportSummary, summarize
from championships.bundle.write import write_season
from championships.models import Championship
from championships.services import classification_archive
from core.imports import FileError, FileIssue


def season_import(
    source: Path | str | BinaryIO,
    *,
    replace: bool = False,
    dry_run: bool = False,
    user: AbstractBaseUser | None = None,
) -> ImportSummary:
    """Import a season bundle: a folder, a .zip file, or a binary file object holding a .zip.

    Raises FileError listing every problem, having written nothing. With ``replace`` an
    existing championship of the same slug is replaced, in the same transaction, the
    versions of its races' classifications archived first; with ``dry_run`` everything is
    checked, the write made and rolled back, and the summary returned. An applied import by
    ``user`` (the back office's upload and the API alike) is logged in the championship's
    history.
    """
    issues: list[FileIssue] = []
    season = parse_bundle(read_bundle(source, issues), issues)
    with transaction.atomic():
        existing = find_existing(season, replace=replace, issues=issues)
        if issues:
            raise FileError(issues)
        summary = summarize(season, existing, dry_run=dry_run)
        championship = _write(season, existing)
        if dry_run:
            transaction.set_rollback(True)
            return summary
        if user is not None:
            _log(user, championship)
    return summary.saved(championship.pk)


def _write(season: SeasonSpec, existing: Existing) -> Championship:
    try:
        if existing.championship is not None:
            classification_archive(championship=existing.championship)
        # A bundle's names are the English ones (name_en…), whoever imports it in which
        # language; its problems are said in the importer's (find_existing looks by name_en).
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            return write_season(season, existing)
    except (ProtectedError, RestrictedError) as error:
        raise FileError([_still_referred_to(error, season)]) from error


def _still_referred_to(error: ProtectedError | RestrictedError, season: SeasonSpec) -> FileIssue:
    """Replacing deletes the old championship, which other records may still refer to."""
    spec = season.championship
    found = getattr(error, "protected_objects", None) or error.restricted_objects
    kinds = sorted({str(obj._meta.verbose_name_plural) for obj in found})
    message = gettext("cannot replace %(slug)s: %(kinds)s still refer to it") % {
        "slug": spec.slug,
        "kinds": ", ".join(kinds),
    }
    return FileIssue(TOML_FILE, spec.key_lines.get("slug"), "slug", message)


def _log(user: AbstractBaseUser, championship: Championship) -> None:
    """The entry the back office's upload always wrote, now written for every importer."""
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[championship],
        action_flag=ADDITION,
        change_message=[{"added": {}}],
        single_object=True,
    )
