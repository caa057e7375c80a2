"""Operations that write the season. Each is atomic and shared by admin, API and commands.

Race control: every change to a race's classification (an applied import, a decision, its
withdrawal, a correction, a declared state) goes through ``classification_record``, which
keeps a numbered version with who, when and why, and marks the tables as changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, Q, QuerySet, RestrictedError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from championships.board_documents import board_publish_decision, board_publish_version
from championships.live_signals import live_refresh
from championships.models import (
    COUNTED_PENALTY_KINDS,
    Championship,
    ChampionshipClass,
    ClassificationState,
    ClassificationVersion,
    GridSlot,
    Lap,
    Meeting,
    Penalty,
    Prize,
    Race,
    Result,
    SeasonStatus,
    SessionResult,
    SessionVersion,
    VersionCause,
)
from championships.versions import ClassificationConflict, race_snapshot
from championships.webhook_events import (
    webhook_classification,
    webhook_decision,
    webhook_standings,
)
from entries.models import (
    CarAllocation,
    DamageReport,
    EligibilityFlag,
    Entry,
    EntryClassChange,
    SeatPackage,
)

User = AbstractBaseUser | None


def standings_invalidate(*, championship_id: int) -> None:
    """Mark the championship's tables as changed.

    Every write path that touches what a table depends on (results, penalties, entries,
    races, the points scheme, an import) calls this. Cached tables are keyed by
    ``tables_changed_at``, so they are never served stale, and the API derives its ETag
    and Last-Modified from it.
    """
    Championship.objects.filter(pk=championship_id).update(tables_changed_at=timezone.now())
    webhook_standings(championship_id=championship_id)  # told once, after the commit


@transaction.atomic
def season_status_set(*, championship_id: int, status: str) -> Championship:
    """Make a season a draft (staff only), published or archived: nothing is deleted. A season
    that stops being published stops being featured; every kept answer moves on."""
    if status not in SeasonStatus.values:
        raise ValidationError(
            _("%(status)s is not a season status; use one of %(choices)s."),
            params={"status": status, "choices": ", ".join(SeasonStatus.values)},
        )
    championship = Championship.objects.select_for_update().get(pk=championship_id)
    championship.status = status
    if status != SeasonStatus.PUBLISHED:
        championship.featured = False
    championship.save(update_fields=["status", "featured"])
    standings_invalidate(championship_id=championship.pk)
    championship.refresh_from_db(fields=["tables_changed_at"])
    return championship


@transaction.atomic
def season_feature(*, championship_id: int) -> Championship:
    """Make this season the one the site's own addresses show (/standings/, /calendar/,
    /entries/, /calendar.ics) in place of the one featured before. Only a published season."""
    championship = Championship.objects.select_for_update().get(pk=championship_id)
    if championship.status != SeasonStatus.PUBLISHED:
        raise ValidationError(
            _("%(season)s is not published: only a published season can be featured."),
            params={"season": championship.name},
        )
    for before in Championship.objects.filter(featured=True).exclude(pk=championship.pk):
        Championship.objects.filter(pk=before.pk).update(featured=False)
        standings_invalidate(championship_id=before.pk)
    Championship.objects.filter(pk=championship.pk).update(featured=True)
    standings_invalidate(championship_id=championship.pk)
    championship.refresh_from_db(fields=["featured", "tables_changed_at"])
    return championship


@transaction.atomic
def season_unfeature(*, championship_id: int) -> Championship:
    """Feature this season no more: the site's own addresses fall back to a published season
    of the latest year in the series staff put first (``Championship.objects.current``)."""
    championship = Championship.objects.select_for_update().get(pk=championship_id)
    if championship.featured:
        Championship.objects.filter(pk=championship.pk).update(featured=False)
        standings_invalidate(championship_id=championship.pk)
        championship.refresh_from_db(fields=["featured", "tables_changed_at"])
    return championship


def championships_fed(*, rows: QuerySet, path: str) -> set[int]:
    """The championships whose tables read ``rows``, reached through the lookup ``path``."""
    found = rows.order_by().values_list(path, flat=True)
    return {pk for pk in found if pk is not None}


@transaction.atomic
def standings_source_save(
    *, obj: models.Model, path: str, save: Callable[[], object] | None = None
) -> None:
    """Save ``obj``, something the tables read, and mark changed the tables of each
    championship it fed before and feeds after: an edit may move it to another season.

    ``path`` leads from its model to the championship; ``save`` is the caller's way of
    saving (the admin's, which also keeps history), ``obj.save`` by default."""
    rows = type(obj)._default_manager
    before = championships_fed(rows=rows.filter(pk=obj.pk), path=path) if obj.pk else set()
    (save or obj.save)()
    for championship_id in before | championships_fed(rows=rows.filter(pk=obj.pk), path=path):
        standings_invalidate(championship_id=championship_id)


@transaction.atomic
def standings_sources_delete(
    *, rows: QuerySet, path: str, delete: Callable[[], object] | None = None
) -> None:
    """Delete ``rows``, things the tables read, and mark changed the tables of each
    championship they fed; ``delete`` is the caller's way of deleting, ``rows.delete``
    by default."""
    # By primary key: the admin's rows carry counts that would group the look-up.
    plain = rows.model._default_manager.filter(pk__in=rows.values("pk"))
    fed = championships_fed(rows=plain, path=path)
    (delete or rows.delete)()
    for championship_id in fed:
        standings_invalidate(championship_id=championship_id)


# Classification versions ---------------------------------------------------------------------


def classification_lock(*, race_id: int, expected_version: int | None = None) -> Race:
    """The race, locked until the transaction ends; ``ClassificationConflict`` if its
    classification moved past ``expected_version`` (the version the editor read)."""
    race = (
        Race.objects.select_for_update(of=("self",))
        .select_related("meeting__championship", "meeting__circuit")
        .get(pk=race_id)
    )
    if expected_version is not None and race.classification_version != expected_version:
        latest = race.classification_versions.select_related("created_by").last()
        raise ClassificationConflict(race, expected_version, latest)
    return race


def classification_baseline(*, race: Race) -> ClassificationVersion | None:
    """Version 1 of a race whose results predate versions (a season bundle), before the
    first change, so that "as published" keeps showing them. Dated at the race's start."""
    if race.classification_version or not race.results.exists():
        return None
    return _version(
        race,
        cause=VersionCause.BASELINE,
        state=race.classification_state,
        created_at=min(race.starts_at, timezone.now()),
    )


def classification_record(
    *,
    race: Race,
    cause: str,
    user: User = None,
    reason: str = "",
    penalty: Penalty | None = None,
    state: str | None = None,
) -> ClassificationVersion:
    """A new version of ``race``'s classification as it now stands, and the tables invalidated.

    A change after the classification was declared final makes it amended, unless ``state``
    says otherwise.
    """
    with transaction.atomic():
        locked = classification_lock(race_id=race.pk)
        version = _version(
            locked,
            cause=cause,
            state=state or _state_after_change(locked.classification_state),
            user=user,
            reason=reason,
            penalty=penalty,
        )
        standings_invalidate(championship_id=locked.meeting.championship_id)
        board_publish_version(version=version, user=user)  # its PDFs drawn after the commit
        webhook_classification(version=version, race=locked)  # sent after the commit
        live_refresh(race=locked)  # its live page, if any, says it is official
    race.classification_version = version.number
    race.classification_state = version.state
    return version


def _state_after_change(state: str) -> str:
    if state == ClassificationState.PROVISIONAL:
        return ClassificationState.PROVISIONAL
    return ClassificationState.AMENDED


def _version(race: Race, *, cause: str, state: str, **fields: object) -> ClassificationVersion:
    penalty = fields.get("penalty")
    version = ClassificationVersion.objects.create(
        race=race,
        number=race.classification_version + 1,
        state=state,
        cause=cause,
        created_by=fields.get("user"),
        reason=fields.get("reason") or "",
        decision=penalty,
        reference=str(penalty.reference) if penalty else "",
        snapshot=race_snapshot(race),
        **({"created_at": fields["created_at"]} if "created_at" in fields else {}),
    )
    Race.objects.filter(pk=race.pk).update(
        classification_version=version.number, classification_state=state
    )
    race.classification_version, race.classification_state = version.number, state
    return version


def classification_declare(
    *,
    race: Race,
    state: str,
    user: User = None,
    reason: str = "",
    expected_version: int | None = None,
) -> ClassificationVersion:
    """Publish the classification as provisional, final or amended: a version of its own."""
    if state not in ClassificationState.values:
        raise ValidationError(_("%(state)s is not a classification state.") % {"state": state})
    with transaction.atomic():
        locked = classification_lock(race_id=race.pk, expected_version=expected_version)
        classification_baseline(race=locked)
        return classification_record(
            race=locked, cause=VersionCause.STATE, user=user, reason=reason, state=state
        )


# Races whose versions are kept --------------------------------------------------------------


def races_kept(races: QuerySet[Race]) -> list[Race]:
    """Those of ``races`` that cannot be deleted: their classification has versions, which are
    never deleted (``ClassificationVersion.race`` protects them in the database too)."""
    return list(
        races.filter(classification_versions__isnull=False)
        .distinct()
        .select_related("meeting__circuit")
        .in_order()
    )


def race_kept_reason(race: Race) -> str:
    """Why the back office refuses to delete ``race``, in the words it shows."""
    return _(
        "%(race)s cannot be deleted: its classification was published (version %(number)s, "
        "%(state)s) and published versions are kept for ever. Races declared final or amended "
        "never go; correct the classification instead."
    ) % {
        "race": race,
        "number": race.classification_version,
        "state": race.get_classification_state_display(),
    }


def classification_archive(*, championship: Championship) -> int:
    """Detach the versions of ``championship``'s races before replacing the season deletes
    them, keeping where each was and its drivers' names so that it remains readable; the
    number of versions archived."""
    names = {str(e.pk): str(e.driver) for e in championship.entries.select_related("driver")}
    archived, now = 0, timezone.now()
    for race in races_kept(Race.objects.filter(meeting__championship=championship)):
        archived += ClassificationVersion.objects.filter(race=race).update(
            race=None,
            archived_at=now,
            archived_championship=championship.slug,
            archived_round=race.meeting.round,
            archived_race_number=race.number,
            archived_names=names,
        )
    return archived


# Stewards' decisions ----------------------------------------------------------------------


class PenaltyError(ValidationError):
    """A decision that may not be recorded or withdrawn; the message says why."""


class PenaltyConflict(PenaltyError):
    """Someone changed the decision since the editor opened it."""


def penalty_change(*, penalty_id: int) -> int:
    """The decision's latest recorded change (its history id; 0 for one never changed since
    a season bundle brought it): what an editor opened, compared again on saving."""
    changes = Penalty.history.filter(id=penalty_id).order_by("-history_id")
    return changes.values_list("history_id", flat=True).first() or 0


def penalty_lock(*, penalty_id: int, expected_change: int) -> Penalty:
    """The decision, locked until the transaction ends; ``PenaltyConflict`` naming who
    changed it if its latest change is no longer ``expected_change``."""
    penalty = Penalty.objects.select_for_update().get(pk=penalty_id)
    latest = penalty_change(penalty_id=penalty_id)
    if latest != expected_change:
        change = Penalty.history.select_related("history_user").get(history_id=latest)
        who = change.history_user.get_username() if change.history_user else _("an import")
        raise PenaltyConflict(
            _(
                "Not saved: %(who)s changed %(decision)s at %(when)s after you opened it. "
                "Reload the decision, check their change and make yours again."
            )
            % {
                "who": who,
                "decision": penalty.reference,
                "when": change.history_date.strftime("%Y-%m-%d %H:%M:%S %Z"),
            },
            code="conflict",
        )
    return penalty


def penalty_save(
    *,
    penalty: Penalty,
    user: User = None,
    before: tuple[int | None, str, int] | None = None,
    expected_change: int | None = None,
) -> Penalty:
    """Check and save a new or edited decision, version every race it re-classifies now or
    did before the edit (``before``: its former race id, kind and championship id), and
    invalidate the tables of its championship and of the one it moved from.

    ``PenaltyConflict`` if an edited decision changed since ``expected_change`` (the
    change its editor opened, ``penalty_change``)."""
    penalty.full_clean()
    races = _classified_races(penalty.race_id, penalty.kind)
    if before is not None:
        races |= _classified_races(*before[:2])
    with transaction.atomic():
        if penalty.pk and expected_change is not None:
            penalty_lock(penalty_id=penalty.pk, expected_change=expected_change)
        locked = [classification_lock(race_id=race_id) for race_id in sorted(races)]
        for race in locked:
            classification_baseline(race=race)
        _save_with_history(penalty, user, penalty.reason)
        if penalty.decided_at is not None:  # published by the stewards, not a season's import
            board_publish_decision(penalty=penalty, user=user)
            webhook_decision(penalty=penalty)
        for race in locked:
            classification_record(
                race=race,
                cause=VersionCause.DECISION,
                user=user,
                reason=penalty.reason,
                penalty=penalty,
            )
        standings_invalidate(championship_id=penalty.meeting.championship_id)
        if before is not None and before[2] != penalty.meeting.championship_id:
            standings_invalidate(championship_id=before[2])
    return penalty


def _classified_races(race_id: int | None, kind: str) -> set[int]:
    """The race a decision of ``kind`` counts in, as a set (empty when none)."""
    return {race_id} if race_id and kind in COUNTED_PENALTY_KINDS else set()


def _save_with_history(obj: Penalty, user: User, reason: str) -> None:
    if user is not None:
        obj._history_user = user  # read by django-simple-history outside a request
    obj._change_reason = reason
    obj.save()


def penalty_withdraw(
    *, penalty: Penalty, reason: str, user: User = None, at: dt.datetime | None = None
) -> Penalty:
    """Withdraw a decision on appeal. It stays on record and counts no more; the race it
    re-classified gets a new version in which it is classified as it was without it."""
    if not reason.strip():
        raise PenaltyError(_("Give the reason for the withdrawal, e.g. the appeal's ruling."))
    with transaction.atomic():
        locked = Penalty.objects.select_for_update().select_related("meeting").get(pk=penalty.pk)
        if locked.is_withdrawn:
            raise PenaltyError(
                _("%(decision)s was already withdrawn on %(when)s.")
                % {"decision": locked.reference, "when": f"{locked.withdrawn_at:%Y-%m-%d %H:%M}"}
            )
        races = _classified_races(locked.race_id, locked.kind)
        race = classification_lock(race_id=races.pop()) if races else None
        if race is not None:
            classification_baseline(race=race)
        locked.withdrawn_at, locked.withdrawn_by = at or timezone.now(), user
        locked.withdrawn_reason = reason.strip()
        _save_with_history(locked, user, locked.withdrawn_reason)
        if locked.decided_at is not None:  # its document on the board says it is withdrawn
            board_publish_decision(penalty=locked, user=user)
            webhook_decision(penalty=locked)
        if race is not None:
            classification_record(
                race=race,
                cause=VersionCause.WITHDRAWAL,
                user=user,
                reason=locked.withdrawn_reason,
                penalty=locked,
            )
        standings_invalidate(championship_id=locked.meeting.championship_id)
    return locked


def penalty_delete(
    *, penalty: Penalty, user: User = None, expected_change: int | None = None
) -> None:
    """Delete a decision entered by mistake (an appeal withdraws instead); re-version its race.

    ``PenaltyConflict`` if it changed since ``expected_change``, as for ``penalty_save``."""
    races = _classified_races(penalty.race_id, penalty.kind)
    with transaction.atomic():
        if expected_change is not None:
            penalty_lock(penalty_id=penalty.pk, expected_change=expected_change)
        locked = [classification_lock(race_id=race_id) for race_id in races]
        for race in locked:
            classification_baseline(race=race)
        if user is not None:
            penalty._history_user = user
        championship_id = penalty.meeting.championship_id
        reason = _("%(decision)s deleted") % {"decision": penalty.reference}
        penalty.delete()
        for race in locked:
            classification_record(
                race=race, cause=VersionCause.CORRECTION, user=user, reason=reason
            )
        standings_invalidate(championship_id=championship_id)


# Deleting a season ------------------------------------------------------------------------

# The apps whose rows belong to a season and go with it. Rows of apps above them (the Talent
# Pool) are theirs to keep: the season waits until staff point them elsewhere.
SEASON_APPS = frozenset({"championships", "entries"})

# What another app may do on a season's deletion without asking: nothing is lost of theirs.
_HARMLESS = frozenset({models.DO_NOTHING, models.SET_NULL, models.SET_DEFAULT})


class SeasonLine(NamedTuple):
    """One kind of row a season's deletion removes (or keeps), with how many."""

    label: str
    count: int


def season_deletion_summary(championship: Championship) -> list[SeasonLine]:
    """What deleting ``championship`` removes, kind by kind, and the classification versions
    it archives (kept, as when a season is replaced): one count query per line."""
    meetings = Meeting.objects.filter(championship=championship)
    entries = Entry.objects.filter(championship=championship)
    lines = [
        (_("meetings"), meetings),
        (_("races"), Race.objects.filter(meeting__championship=championship)),
        (_("results"), Result.objects.filter(race__meeting__championship=championship)),
        (_("decisions"), Penalty.objects.filter(meeting__championship=championship)),
        (_("entries"), entries),
        (_("class changes"), EntryClassChange.objects.filter(entry__championship=championship)),
        (_("eligibility flags"), EligibilityFlag.objects.filter(entry__championship=championship)),
        (_("classes"), ChampionshipClass.objects.filter(championship=championship)),
        (_("prizes"), Prize.objects.filter(championship=championship)),
        (_("seat packages"), SeatPackage.objects.filter(entry__championship=championship)),
        (_("car allocations"), CarAllocation.objects.filter(meeting__championship=championship)),
        (_("damage reports"), DamageReport.objects.filter(meeting__in=meetings)),
        (
            _("classification versions (archived and kept, not deleted)"),
            ClassificationVersion.objects.filter(race__meeting__championship=championship),
        ),
    ]
    return [SeasonLine(str(label), rows.count()) for label, rows in lines]


def season_deletion_blockers(championship: Championship) -> list[str]:
    """Why ``championship`` cannot be deleted yet: each row of another app (a Talent Pool
    edition whose winners join it, a winner's placement on one of its entries) that keeps
    it or one of its entries. Found from the relations themselves, since the season's apps
    may not import the apps above them."""
    found = []
    kept = (
        (Championship, Championship.objects.filter(pk=championship.pk)),
        (Entry, Entry.objects.filter(championship=championship)),
    )
    for model, rows in kept:
        for relation in model._meta.get_fields(include_hidden=True):
            if not _foreign_keeper(relation):
                continue
            field = relation.field
            keeping = relation.related_model._default_manager.filter(**{f"{field.name}__in": rows})
            found += [
                _("%(kind)s “%(name)s” refers to this season: change or delete it first.")
                % {"kind": capfirst(row._meta.verbose_name), "name": row}
                for row in keeping
            ]
    return found


def _foreign_keeper(relation: object) -> bool:
    """A reverse relation from a model outside the season's apps that a deletion would
    trip over (PROTECT, RESTRICT) or take with it (CASCADE)."""
    return (
        getattr(relation, "auto_created", False)
        and not getattr(relation, "concrete", True)
        and (relation.one_to_many or relation.one_to_one)
        and relation.related_model._meta.app_label not in SEASON_APPS
        and relation.on_delete not in _HARMLESS
    )


@transaction.atomic
def season_delete(*, championship_id: int, by: User, confirm_name: str) -> list[SeasonLine]:
    """Delete a season with everything under it, once ``confirm_name`` is its slug; what went.

    Its classification versions are archived, not deleted, as when a season is replaced:
    published versions are kept for ever (the season bundle carries no versions, so the
    export cannot bring them back), and a season imported again under the same slug shows
    them beside its races. Refused (``ValidationError``, nothing written) when the slug
    typed is not the season's, or while another app's rows refer to it
    (``season_deletion_blockers``). No other season's tables change. Who deleted what is
    in the admin log and in the season's history.
    """
    championship = Championship.objects.select_for_update().get(pk=championship_id)
    if confirm_name.strip() != championship.slug:
        raise ValidationError(
            _("Type the season's slug, %(slug)s, to confirm; nothing was deleted."),
            params={"slug": championship.slug},
            code="confirm",
        )
    blockers = season_deletion_blockers(championship)
    if blockers:
        raise ValidationError(blockers, code="kept")
    summary = season_deletion_summary(championship)
    classification_archive(championship=championship)
    _season_delete_log(championship, by, summary)
    if by is not None:
        championship._history_user = by  # read by django-simple-history outside a request
    championship._change_reason = _("Season deleted")
    try:
        _season_rows_delete(championship)
        championship.delete()
    except (ProtectedError, RestrictedError) as error:  # e.g. a bill for another season's car
        raise ValidationError(_still_kept(error), code="kept") from error
    return summary


def weekend_rows_delete(*, meetings: QuerySet[Meeting]) -> None:
    """The laps, practice and qualifying results and versions and grids of ``meetings``: they
    keep the entries and the sessions (PROTECT), so a season's deletion or replacement removes
    them first."""
    Lap.objects.filter(Q(race__meeting__in=meetings) | Q(session__meeting__in=meetings)).delete()
    SessionResult.objects.filter(session__meeting__in=meetings).delete()
    SessionVersion.objects.filter(session__meeting__in=meetings).delete()
    GridSlot.objects.filter(race__meeting__in=meetings).delete()


def _season_rows_delete(championship: Championship) -> None:
    """The season's rows, those that protect others first: results and decisions keep
    entries; seat packages and damage reports keep entries and meetings; then the calendar
    (races, allocations), the entries (class moves, flags); classes and prizes go with the
    championship itself."""
    meetings = Meeting.objects.filter(championship=championship)
    entries = Entry.objects.filter(championship=championship)
    weekend_rows_delete(meetings=meetings)
    Result.objects.filter(race__meeting__in=meetings).delete()
    Penalty.objects.filter(meeting__in=meetings).delete()
    SeatPackage.objects.filter(entry__in=entries).delete()
    DamageReport.objects.filter(meeting__in=meetings).delete()
    meetings.delete()
    entries.delete()


def _still_kept(error: ProtectedError | RestrictedError) -> list[str]:
    found = getattr(error, "protected_objects", None) or error.restricted_objects
    return [
        _("%(kind)s “%(name)s” refers to this season: change or delete it first.")
        % {"kind": capfirst(row._meta.verbose_name), "name": row}
        for row in found
    ]


def _season_delete_log(championship: Championship, by: User, summary: list[SeasonLine]) -> None:
    if by is None:
        return
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[championship],
        action_flag=DELETION,
        change_message="; ".join(f"{line.label}: {line.count}" for line in summary),
        single_object=True,
    )
