"""``season_import``: read, check everything, then write in one transaction (or not at all)."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from django.db import transaction
from django.db.models import ProtectedError

from championships.bundle.errors import BundleError, BundleIssue
from championships.bundle.parse import parse_bundle
from championships.bundle.reader import TOML_FILE, read_bundle
from championships.bundle.resolve import find_existing
from championships.bundle.spec import SeasonSpec
from championships.bundle.summary import ImportSummary, summarize
from championships.bundle.write import write_season


def season_import(
    source: Path | str | BinaryIO, *, replace: bool = False, dry_run: bool = False
) -> ImportSummary:
    """Import a season bundle: a folder, a .zip file, or a binary file object holding a .zip.

    Raises BundleError listing every problem, having written nothing. With ``replace`` an
    existing championship of the same slug is replaced, in the same transaction; with
    ``dry_run`` everything is checked and the summary returned, and nothing is written.
    """
    issues: list[BundleIssue] = []
    season = parse_bundle(read_bundle(source, issues), issues)
    with transaction.atomic():
        existing = find_existing(season, replace=replace, issues=issues)
        if issues:
            raise BundleError(issues)
        summary = summarize(season, existing, dry_run=dry_run)
        if dry_run:
            return summary
        try:
            championship = write_season(season, existing)
        except ProtectedError as error:
            raise BundleError([_still_referred_to(error, season)]) from error
    return summary.saved(championship.pk)


def _still_referred_to(error: ProtectedError, season: SeasonSpec) -> BundleIssue:
    """Replacing deletes the old championship, which other records may still refer to."""
    spec = season.championship
    kinds = sorted({str(obj._meta.verbose_name_plural) for obj in error.protected_objects})
    message = f"cannot replace {spec.slug}: {', '.join(kinds)} still refer to it"
    return BundleIssue(TOML_FILE, spec.key_lines.get("slug"), "slug", message)
