"""The stewards' side of protests, requests for review and appeals: the hearing's summons, the
outcome, and the decision it produced, linked both ways.

A protest upheld produces its decision through the one path every decision takes
(``championships.services.penalty_save``): the race's classification gets a new version
whose cause is the decision, and the decision's PDF is posted on the notice board. An appeal
upheld withdraws the decision appealed (``penalty_withdraw``), its reason naming the appeal.
A dismissal changes no classification; it posts the stewards' decision document only. Every
summons and decision document goes on the board through ``championships.board.board_publish``,
its content frozen here: what the filing is, by and against which cars, and the hearing's time
in the circuit's own time zone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from championships.board import board_publish
from championships.models import BoardDocument, BoardKind, Issuer, Penalty, Race
from championships.services import PenaltyError, penalty_save, penalty_withdraw
from core.times import circuit_time
from entries.models import Entry
from paddock.models import OPEN_STATUSES, FilingKind, FilingStatus, Protest

User = AbstractBaseUser | None

SUMMONS_TEMPLATE = "board/pdf/summons.html"
DECISION_TEMPLATE = "board/pdf/protest_decision.html"
ENGLISH = "en"
CHINESE = "zh-hans"
# Penalty.withdrawn_reason and Penalty.reason hold up to this many characters.
REASON_LENGTH = 300


# Reading and checking the filing ------------------------------------------------------------


def _locked(protest: Protest) -> Protest:
    """The filing, locked until the transaction ends, with what its documents show."""
    locked = Protest.objects.select_for_update(of=("self",)).get(pk=protest.pk)
    return (
        Protest.objects.select_related(
            "meeting__circuit",
            "meeting__championship",
            "team",
            "entry__driver",
            "entry__team",
            "against__driver",
            "against__team",
            "race",
            "document__decision",
            "notice__document__decision",
            "summons",
        )
        .filter(pk=locked.pk)
        .get()
    )


def _check_open(protest: Protest) -> None:
    """Refused once decided or withdrawn, naming what happened to it."""
    if protest.status in OPEN_STATUSES:
        return
    if protest.decided_at is not None:
        raise PenaltyError(
            _("%(filing)s was already decided (%(status)s) on %(when)s.")
            % {
                "filing": protest.reference,
                "status": protest.get_status_display().lower(),
                "when": _local(protest, protest.decided_at),
            },
            code="decided",
        )
    raise PenaltyError(
        _("%(filing)s is %(status)s: there is nothing to decide.")
        % {"filing": protest.reference, "status": protest.get_status_display().lower()},
        code="closed",
    )


def _check_heard(protest: Protest) -> None:
    """A notice of intention to appeal is not heard: its appeal is."""
    if protest.kind == FilingKind.APPEAL_NOTICE:
        raise PenaltyError(
            _("%(filing)s is a notice of intention: the appeal that follows it is heard.")
            % {"filing": protest.reference},
            code="notice",
        )


def _local(protest: Protest, moment: dt.datetime) -> str:
    """``moment`` in the circuit's time, the zone named (as the board shows every time)."""
    return circuit_time(moment, protest.meeting.circuit.timezone)


def _concerned(protest: Protest) -> list[Entry]:
    return [protest.entry, *([protest.against] if protest.against_id else [])]


# What the documents show, frozen at publication -----------------------------------------------


def _car(entry: Entry | None) -> dict[str, Any] | None:
    if entry is None:
        return None
    return {
        "car_number": entry.car_number,
        "driver": entry.driver.full_name,
        "team": entry.team.name,
    }


def _in_both(text: Any) -> dict[str, str]:
    """A lazily translated text (a choice's label) in both languages."""
    values = {}
    for language in (ENGLISH, CHINESE):
        with translation.override(language):
            values[language] = str(text() if callable(text) else text)
    return values


def _filing_content(protest: Protest) -> dict[str, Any]:
    """What a summons and a decision document say about the filing."""
    decision = appealed_decision(protest) if protest.kind == FilingKind.APPEAL else None
    return {
        "filing": {
            "number": protest.number,
            "kind": protest.kind,
            "kind_label": _in_both(protest.get_kind_display),
            "reference": _in_both(lambda: protest.reference),
            "filed_at": _local(protest, protest.filed_at),
            "about_document": protest.document.number,
            "incident": protest.incident,
            "rule": protest.rule,
            "race": protest.race.number if protest.race_id else None,
            "appealed_decision": _in_both(lambda: decision.reference) if decision else None,
        },
        "team": protest.team.name,
        "car": _car(protest.entry),
        "against": _car(protest.against),
        "zone": protest.meeting.circuit.timezone,
    }


def _titles(make: Any) -> dict[str, str]:
    """A document's title in both languages (``make`` is called under each language)."""
    titles = {}
    for field, language in (("title_en", ENGLISH), ("title_zh_hans", CHINESE)):
        with translation.override(language):
            titles[field] = str(make())
    return titles


# The hearing -----------------------------------------------------------------------------------


def protest_summon(
    *, protest: Protest, hearing_at: dt.datetime | None, place: str, user: User
) -> Protest:
    """Call the hearing of ``protest``: its time and place stored and a summons posted on the
    board, concerning the protesting car and the car protested. Calling it again (a new
    time) posts a summons that supersedes the previous one."""
    place = (place or "").strip()
    if hearing_at is None:
        raise ValidationError({"hearing_at": _("Give the time of the hearing.")})
    if timezone.is_naive(hearing_at):
        raise ValidationError({"hearing_at": _("Give the hearing's time with its time zone.")})
    if not place:
        raise ValidationError({"hearing_place": _("Give the place of the hearing.")})
    with transaction.atomic():
        locked = _locked(protest)
        _check_open(locked)
        _check_heard(locked)
        previous = locked.summons
        content = {
            **_filing_content(locked),
            "hearing": {
                "at": _local(locked, hearing_at),
                "at_utc": hearing_at.astimezone(dt.UTC).isoformat(),
                "place": place,
            },
        }
        document = board_publish(
            meeting=locked.meeting,
            kind=BoardKind.SUMMONS,
            issued_by=Issuer.STEWARDS,
            user=user,
            race=locked.race,
            supersedes=previous
            if previous is not None and not hasattr(previous, "superseded_by")
            else None,
            concerns=_concerned(locked),
            template=SUMMONS_TEMPLATE,
            content=content,
            **_titles(lambda: _("Summons: hearing of %(filing)s") % {"filing": locked.reference}),
        )
        locked.status = FilingStatus.SUMMONED
        locked.hearing_at, locked.hearing_place, locked.summons = hearing_at, place, document
        locked.save(update_fields=["status", "hearing_at", "hearing_place", "summons"])
    return locked


def protest_uphold(
    *,
    protest: Protest,
    kind: str,
    value: Decimal | None,
    race: Race | None,
    reason_en: str,
    reason_zh_hans: str = "",
    number: int | None = None,
    findings: str = "",
    user: User,
) -> Protest:
    """Uphold a protest or a request for review: the decision it produces is recorded through
    ``penalty_save`` (the race re-versioned, the decision posted on the board) against the car
    protested, and linked to the filing with its board document. A request for review of the
    filing car's own decision, upheld, revises it: that decision is withdrawn
    (``penalty_withdraw``) and the one given here recorded in its place.

    The decision's own rules apply: a ``ValidationError`` naming the decision's field
    (``kind``, ``value``, ``race``, ``number``, ``reason``) when it does not fit."""
    with transaction.atomic():
        locked = _locked(protest)
        _check_open(locked)
        _check_heard(locked)
        if locked.kind == FilingKind.APPEAL:
            raise PenaltyError(
                _("%(filing)s is an appeal: uphold it by withdrawing the decision appealed.")
                % {"filing": locked.reference},
                code="appeal",
            )
        if not (reason_en or "").strip():
            raise ValidationError({"reason_en": _("Give the decision's reason in English.")})
        # A request for review of a decision about one of the filing team's cars, upheld,
        # revises it: the revised decision is recorded for that car, then the decision
        # reviewed withdrawn naming both (each change re-versions the race).
        reviewed = _reviewed_own_decision(locked)
        now = timezone.now()
        penalty = Penalty(
            meeting=locked.meeting,
            race=race,
            entry=reviewed.entry if reviewed else (locked.against or locked.entry),
            kind=kind,
            value=value,
            number=number,
            decided_at=now,
            reason_en=reason_en.strip(),
            reason_zh_hans=(reason_zh_hans or "").strip() or None,
        )
        penalty_save(penalty=penalty, user=user)
        if reviewed is not None:
            with translation.override(settings.LANGUAGE_CODE):
                why = _("%(review)s: revised by %(decision)s") % {
                    "review": locked.reference,
                    "decision": penalty.reference,
                }
            penalty_withdraw(
                penalty=reviewed, reason=Truncator(why).chars(REASON_LENGTH), user=user
            )
        locked.status, locked.decided_at = FilingStatus.UPHELD, now
        locked.outcome = (findings or "").strip() or penalty.reason_en
        locked.decision = penalty
        locked.outcome_document = _latest_document(penalty)
        locked.save(
            update_fields=["status", "decided_at", "outcome", "decision", "outcome_document"]
        )
    return locked


def _reviewed_own_decision(protest: Protest) -> Penalty | None:
    """The decision in force, about one of the filing team's cars, that a request for review
    naming no other car is about."""
    if protest.kind != FilingKind.REVIEW or protest.against_id is not None:
        return None
    decision = protest.document.decision
    if decision is None or decision.is_withdrawn:
        return None
    if not protest.team.racing_entries().filter(pk=decision.entry_id).exists():
        return None
    return decision


def _latest_document(penalty: Penalty) -> BoardDocument | None:
    return penalty.board_documents.order_by("-number").first()


def protest_dismiss(*, protest: Protest, findings: str, user: User) -> Protest:
    """Dismiss a protest or a request for review: the stewards' findings on a decision
    document posted on the board; no decision, no classification changed."""
    findings = (findings or "").strip()
    if not findings:
        raise ValidationError({"findings": _("Give the stewards' findings.")})
    with transaction.atomic():
        locked = _locked(protest)
        _check_open(locked)
        _check_heard(locked)
        if locked.kind == FilingKind.APPEAL:
            raise PenaltyError(
                _("%(filing)s is an appeal: decide it as an appeal.")
                % {"filing": locked.reference},
                code="appeal",
            )
        return _decide(locked, upheld=False, findings=findings, user=user)


def _decide(
    protest: Protest,
    *,
    upheld: bool,
    findings: str,
    user: User,
    decision: Penalty | None = None,
) -> Protest:
    """Record the outcome and post its decision document (inside the caller's transaction)."""
    now = timezone.now()
    content = {
        **_filing_content(protest),
        "outcome": "UPHELD" if upheld else "DISMISSED",
        "findings": findings,
        "decided_at": _local(protest, now),
        "withdrawn_decision": _in_both(lambda: decision.reference) if decision else None,
    }

    def title() -> str:
        if upheld:
            return _("Decision on %(filing)s: upheld") % {"filing": protest.reference}
        return _("Decision on %(filing)s: dismissed") % {"filing": protest.reference}

    document = board_publish(
        meeting=protest.meeting,
        kind=BoardKind.DECISION,
        issued_by=Issuer.STEWARDS,
        user=user,
        race=protest.race,
        concerns=_concerned(protest),
        template=DECISION_TEMPLATE,
        content=content,
        at=now,
        **_titles(title),
    )
    protest.status = FilingStatus.UPHELD if upheld else FilingStatus.DISMISSED
    protest.decided_at, protest.outcome, protest.outcome_document = now, findings, document
    fields = ["status", "decided_at", "outcome", "outcome_document"]
    if decision is not None:
        protest.decision = decision
        fields.append("decision")
    protest.save(update_fields=fields)
    return protest


# Appeals ---------------------------------------------------------------------------------------


def appealed_decision(appeal: Protest) -> Penalty | None:
    """The decision an appeal is about: that of its notice's document (else its own's)."""
    if appeal.notice_id and appeal.notice.document.decision_id:
        return appeal.notice.document.decision
    return appeal.document.decision if appeal.document.decision_id else None


def appeal_decide(*, appeal: Protest, upheld: bool, findings: str, user: User) -> Protest:
    """Decide an appeal. Upheld: the decision appealed is withdrawn (``penalty_withdraw``: the
    race re-versioned, the decision counting no more), its reason naming the appeal, and the
    appeal linked to it. Either way the outcome is posted on the board."""
    findings = (findings or "").strip()
    if not findings:
        raise ValidationError({"findings": _("Give the findings on the appeal.")})
    with transaction.atomic():
        locked = _locked(appeal)
        if locked.kind != FilingKind.APPEAL:
            raise PenaltyError(
                _("%(filing)s is not an appeal.") % {"filing": locked.reference}, code="kind"
            )
        _check_open(locked)
        decision = appealed_decision(locked) if upheld else None
        if upheld and decision is None:
            raise PenaltyError(
                _(
                    "%(filing)s is about document %(number)s, which holds no decision to "
                    "withdraw: record the ruling as a new decision instead."
                )
                % {"filing": locked.reference, "number": locked.document.number},
                code="no_decision",
            )
        if decision is not None:
            with translation.override(settings.LANGUAGE_CODE):
                reason = _("%(appeal)s: %(findings)s") % {
                    "appeal": locked.reference,
                    "findings": findings,
                }
            decision = penalty_withdraw(
                penalty=decision, reason=Truncator(reason).chars(REASON_LENGTH), user=user
            )
        return _decide(locked, upheld=upheld, findings=findings, user=user, decision=decision)


# The deposit -----------------------------------------------------------------------------------


def deposit_record(*, protest: Protest, paid_on: dt.date | None, user: User) -> Protest:
    """Record the day the filing's deposit was paid (not in the future)."""
    if paid_on is None:
        raise ValidationError({"deposit_paid_on": _("Give the day the deposit was paid.")})
    if paid_on > timezone.localdate():
        raise ValidationError({"deposit_paid_on": _("The deposit cannot be paid in the future.")})
    with transaction.atomic():
        locked = Protest.objects.select_for_update().get(pk=protest.pk)
        if not locked.deposit:
            raise ValidationError(
                {
                    "deposit_paid_on": _("No deposit is due for %(filing)s.")
                    % {"filing": locked.reference}
                }
            )
        locked.deposit_paid_on = paid_on
        locked.save(update_fields=["deposit_paid_on"])
    return locked
