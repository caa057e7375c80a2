"""Stewards' decisions: each kind's effect on the classification and the tables, withdrawal on
appeal restoring the classification as a new version, never a penalty counted twice."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from championships.models import (
    ClassificationState,
    Penalty,
    PenaltyKind,
    VersionCause,
)
from championships.services import (
    PenaltyError,
    classification_declare,
    penalty_delete,
    penalty_save,
    penalty_withdraw,
)
from championships.standings.loader import QUERIES, season_load
from championships.standings.tables import SeasonTables
from championships.versions import race_snapshot
from tests.factories import (
    make_championship,
    make_entry,
    make_meeting,
    make_penalty,
    make_race,
    make_result,
)

pytestmark = pytest.mark.django_db


class Season:
    """Round 1 with two races, round 2 with one; cars 1, 2, 3 finish in that order in R1-1,
    each a second apart, all on 15 laps."""

    def __init__(self) -> None:
        self.championship = make_championship("decisions-cup", pole_points=Decimal(1))
        self.meeting = make_meeting(self.championship, 1)
        self.race = make_race(self.meeting, 1)
        self.later = make_race(self.meeting, 2)
        self.next_round = make_race(
            make_meeting(self.championship, 2, start_date=dt.date(2024, 5, 20))
        )
        self.cars = {n: make_entry(self.championship, n) for n in (1, 2, 3)}
        for position, number in enumerate((1, 2, 3), start=1):
            make_result(
                self.race,
                self.cars[number],
                position=position,
                laps=15,
                total_time=dt.timedelta(minutes=30, seconds=position),
                grid=position,
            )

    def decide(self, kind: str, car: int, **fields) -> Penalty:
        fields.setdefault("race_id", self.race.pk)
        fields.setdefault("reason", "Causing a collision")
        fields.setdefault("decided_at", timezone.now())
        penalty = Penalty(
            meeting_id=self.meeting.pk, entry_id=self.cars[car].pk, kind=kind, **fields
        )
        return penalty_save(penalty=penalty)

    def final_order(self) -> list[tuple[int | None, int, str]]:
        tables = SeasonTables(season_load(self.championship))
        held = next(r for r in tables.season.races if r.id == self.race.pk)
        numbers = {e.id: e.car_number for e in tables.season.entries}
        return [(r.position, numbers[r.entry_id], r.status) for r in tables.classification(held)]

    def points(self) -> dict[int, Decimal]:
        table = SeasonTables(season_load(self.championship)).table()
        return {row.entry.car_number: row.points for row in table.rows}


@pytest.fixture
def season() -> Season:
    return Season()


def test_a_time_penalty_reclassifies_the_race_and_the_tables_follow(season):
    changed_at = season.championship.tables_changed_at

    season.decide(PenaltyKind.TIME, 1, value=Decimal(5), number=3)

    assert season.final_order() == [
        (1, 2, "CLASSIFIED"),
        (2, 3, "CLASSIFIED"),
        (3, 1, "CLASSIFIED"),
    ]
    assert season.points() == {2: Decimal(25), 3: Decimal(20), 1: Decimal(18)}  # 17 + pole
    season.championship.refresh_from_db()
    assert season.championship.tables_changed_at > changed_at


def test_a_disqualification_turns_the_result_into_dsq_and_scores_nothing(season):
    season.decide(PenaltyKind.DSQ, 2)

    assert season.final_order() == [(1, 1, "CLASSIFIED"), (2, 3, "CLASSIFIED"), (None, 2, "DSQ")]
    assert season.points()[2] == Decimal(0)
    assert season.points()[3] == Decimal(20)


def test_a_points_deduction_of_the_round_lowers_the_total_without_reclassifying(season):
    season.decide(PenaltyKind.POINTS, 1, value=Decimal(10), race_id=None)

    assert season.final_order()[0] == (1, 1, "CLASSIFIED")
    assert season.points()[1] == Decimal(25 + 1 - 10)
    season.race.refresh_from_db()
    assert season.race.classification_version == 0  # no race named: no version


@pytest.mark.parametrize("kind", [PenaltyKind.REPRIMAND, PenaltyKind.WARNING])
def test_reprimands_and_warnings_are_on_record_and_change_nothing(season, kind):
    before = (season.final_order(), season.points())

    penalty = season.decide(kind, 1)

    assert (season.final_order(), season.points()) == before
    assert penalty.kind == kind and not Penalty.objects.counted().filter(pk=penalty.pk).exists()
    assert season.race.classification_versions.count() == 0


def test_a_grid_penalty_for_a_later_race_changes_no_classification(season):
    before = (season.final_order(), season.points())

    penalty = season.decide(PenaltyKind.GRID, 2, value=Decimal(3), grid_race_id=season.later.pk)

    assert penalty.grid_race == season.later
    assert (season.final_order(), season.points()) == before


def test_a_grid_penalty_must_apply_to_a_later_race(season):
    with pytest.raises(ValidationError) as refused:
        season.decide(PenaltyKind.GRID, 2, value=Decimal(3), grid_race_id=season.race.pk)

    assert "grid_race" in refused.value.message_dict


@pytest.mark.parametrize(
    ("kind", "value", "race"),
    [
        (PenaltyKind.TIME, None, True),
        (PenaltyKind.DSQ, Decimal(5), True),
        (PenaltyKind.REPRIMAND, Decimal(1), True),
        (PenaltyKind.GRID, None, True),
        (PenaltyKind.TIME, Decimal(5), False),
    ],
)
def test_a_value_that_does_not_fit_the_kind_is_refused_and_nothing_written(
    season, kind, value, race
):
    with pytest.raises(ValidationError, match="does not fit the kind"):
        season.decide(kind, 1, value=value, race_id=season.race.pk if race else None)

    assert not Penalty.objects.exists()
    assert not season.race.classification_versions.exists()


def test_a_decision_number_is_unique_in_the_round(season):
    season.decide(PenaltyKind.WARNING, 1, number=7)

    with pytest.raises(ValidationError, match="already has a decision of this number"):
        season.decide(PenaltyKind.REPRIMAND, 2, number=7)


def test_each_decision_makes_a_version_citing_it(season, django_user_model):
    steward = django_user_model.objects.create_user("steward")

    penalty = penalty_save(
        penalty=Penalty(
            meeting_id=season.meeting.pk,
            entry_id=season.cars[1].pk,
            kind=PenaltyKind.TIME,
            value=Decimal(5),
            race_id=season.race.pk,
            number=12,
            reason="Track limits",
            decided_at=timezone.now(),
        ),
        user=steward,
    )

    baseline, version = season.race.classification_versions.order_by("number")
    assert (baseline.number, baseline.cause, baseline.created_by) == (
        1,
        VersionCause.BASELINE,
        None,
    )
    assert baseline.created_at == season.race.starts_at
    assert (version.number, version.cause, version.created_by) == (
        2,
        VersionCause.DECISION,
        steward,
    )
    assert (version.decision, version.reference, version.reason) == (
        penalty,
        "Decision 12",
        "Track limits",
    )
    assert [line["car"] for line in version.snapshot["classification"]] == [2, 3, 1]
    assert [line["car"] for line in version.snapshot["results"]] == [1, 2, 3]


def test_withdrawing_on_appeal_restores_the_classification_as_a_new_version(
    season, django_user_model
):
    before = season.final_order()
    points_before = season.points()
    penalty = season.decide(PenaltyKind.DSQ, 1)
    appeal = django_user_model.objects.create_user("appeal")

    withdrawn = penalty_withdraw(penalty=penalty, reason="Appeal upheld, ICA 2024-03", user=appeal)

    assert season.final_order() == before and season.points() == points_before
    assert withdrawn.withdrawn_by == appeal and withdrawn.withdrawn_reason.startswith("Appeal")
    baseline, disqualified, restored = season.race.classification_versions.order_by("number")
    assert restored.cause == VersionCause.WITHDRAWAL and restored.decision == penalty
    assert restored.snapshot["classification"] == baseline.snapshot["classification"]
    assert disqualified.snapshot["classification"] != baseline.snapshot["classification"]
    assert restored.snapshot["decisions"] == []
    assert Penalty.objects.get(pk=penalty.pk).withdrawn_at is not None  # kept on record


def test_a_decision_is_withdrawn_once_only(season):
    penalty = season.decide(PenaltyKind.TIME, 1, value=Decimal(5))
    penalty_withdraw(penalty=penalty, reason="Appeal upheld")

    with pytest.raises(PenaltyError, match="already withdrawn"):
        penalty_withdraw(penalty=penalty, reason="Again")

    assert season.race.classification_versions.count() == 3


def test_a_withdrawal_needs_a_reason(season):
    penalty = season.decide(PenaltyKind.TIME, 1, value=Decimal(5))

    with pytest.raises(PenaltyError, match="reason"):
        penalty_withdraw(penalty=penalty, reason="  ")


def test_a_penalty_is_never_counted_twice(season):
    penalty = season.decide(PenaltyKind.TIME, 1, value=Decimal(1.5))
    penalty_withdraw(penalty=penalty, reason="Appeal upheld")
    season.decide(PenaltyKind.TIME, 1, value=Decimal(1.5), reason="Re-heard")

    # 30:01 + 1.5 s is behind car 2 (30:02) only, not car 3 (30:03): counted once.
    assert season.final_order() == [
        (1, 2, "CLASSIFIED"),
        (2, 1, "CLASSIFIED"),
        (3, 3, "CLASSIFIED"),
    ]
    snapshot = race_snapshot(season.race)
    assert len(snapshot["decisions"]) == 1


def test_the_loader_applies_only_counted_decisions_in_four_queries(
    season, django_assert_num_queries
):
    season.decide(PenaltyKind.TIME, 1, value=Decimal(5))
    season.decide(PenaltyKind.WARNING, 2)
    season.decide(PenaltyKind.GRID, 3, value=Decimal(2), grid_race_id=season.later.pk)
    penalty_withdraw(penalty=season.decide(PenaltyKind.DSQ, 2), reason="Appeal upheld")

    with django_assert_num_queries(QUERIES):
        loaded = season_load(season.championship)

    assert [(p.kind, p.value) for p in loaded.penalties] == [("TIME", Decimal(5))]


def test_a_decision_after_the_final_classification_makes_it_amended(season):
    classification_declare(race=season.race, state=ClassificationState.FINAL)

    season.decide(PenaltyKind.TIME, 3, value=Decimal(10))

    season.race.refresh_from_db()
    assert season.race.classification_state == ClassificationState.AMENDED
    states = list(season.race.classification_versions.values_list("state", flat=True))
    assert states == ["PROVISIONAL", "FINAL", "AMENDED"]


def test_deleting_a_decision_entered_by_mistake_is_a_correction_version(season):
    penalty = season.decide(PenaltyKind.DSQ, 1)

    penalty_delete(penalty=penalty)

    assert season.final_order()[0] == (1, 1, "CLASSIFIED")
    latest = season.race.classification_versions.last()
    assert latest.cause == VersionCause.CORRECTION and "deleted" in latest.reason


def test_decisions_imported_with_a_season_keep_counting(season):
    make_penalty(season.cars[1], PenaltyKind.TIME, race=season.race, value=Decimal(5))

    assert season.final_order()[-1] == (3, 1, "CLASSIFIED")
