"""The stewards' side of protests and appeals (``paddock.services.hearings`` and the back
office's ``paddock/protests_admin.py``): the summons on the board, a protest upheld through
the one decision path (a new classification version caused by the decision), a dismissal that
changes nothing but the board, an appeal withdrawing its decision, every refusal; the links
both ways (the decision's admin page and the public round page name the filing)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from championships.models import (
    BoardDocument,
    BoardKind,
    ClassificationVersion,
    Issuer,
    Penalty,
    PenaltyKind,
    VersionCause,
)
from championships.services import PenaltyError, penalty_save
from paddock.models import FilingKind, FilingStatus, HearingRules, Protest, ProtestAttachment
from paddock.services.hearings import (
    appeal_decide,
    deposit_record,
    protest_dismiss,
    protest_summon,
    protest_uphold,
)
from paddock.services.protests import open_windows, protest_file
from staff.roles import RACE_CONTROL_GROUP, READ_ONLY_STAFF_GROUP, SERIES_MANAGER_GROUP
from tests.factories import (
    make_board_document,
    make_championship,
    make_circuit,
    make_meeting,
    make_race,
    make_result,
    make_staff,
    role_client,
)
from tests.paddock.factories import make_protest, make_racing_team

pytestmark = pytest.mark.django_db

# 16:30 at Sepang (UTC+8).
HEARING = dt.datetime(2026, 3, 15, 8, 30, tzinfo=dt.UTC)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def stewards():
    return make_staff("steward", roles=(RACE_CONTROL_GROUP,))


@pytest.fixture
def race():
    championship = make_championship(year=2026)
    sepang = make_circuit(
        "Sepang International Circuit", country="MY", timezone="Asia/Kuala_Lumpur"
    )
    meeting = make_meeting(championship, circuit=sepang, start_date=dt.date(2026, 3, 14))
    return make_race(meeting)


@pytest.fixture
def protest(race):
    """Team A's car protests team B's car about the race's provisional classification."""
    championship = race.meeting.championship
    team_a, team_b = make_racing_team(championship, "Alpha"), make_racing_team(championship, "Beta")
    car_a = team_a.racing_entries().get()
    car_b = team_b.racing_entries().get()
    make_result(race, car_b, 1)
    make_result(race, car_a, 2)
    document = make_board_document(
        race.meeting, "Provisional classification", kind=BoardKind.PROVISIONAL_CLASSIFICATION
    )
    return make_protest(
        document, team_a, against=car_b, race=race, deposit=Decimal("500"), rule="Art. 2.4"
    )


def versions(race) -> list[ClassificationVersion]:
    return list(race.classification_versions.order_by("number"))


def uphold(protest, user, **fields) -> Protest:
    data = {
        "kind": PenaltyKind.TIME,
        "value": Decimal(5),
        "race": protest.race,
        "reason_en": "Causing a collision at turn 1",
        "reason_zh_hans": "在1号弯造成碰撞",
        "number": 7,
        **fields,
    }
    return protest_uphold(protest=protest, user=user, **data)


# The summons --------------------------------------------------------------------------------


def test_the_summons_is_posted_concerning_both_cars_with_the_hearing_in_circuit_time(
    protest, stewards, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        summoned = protest_summon(
            protest=protest, hearing_at=HEARING, place="Stewards' room", user=stewards
        )

    document = summoned.summons
    assert summoned.status == FilingStatus.SUMMONED
    assert (summoned.hearing_at, summoned.hearing_place) == (HEARING, "Stewards' room")
    assert document.kind == BoardKind.SUMMONS
    assert document.issued_by == Issuer.STEWARDS
    assert document.template == "board/pdf/summons.html"
    assert set(document.concerns.all()) == {protest.entry, protest.against}
    assert document.title_en == "Summons: hearing of Protest 1"
    assert document.title_zh_hans  # Chinese once the msgid is translated
    assert document.content["hearing"]["place"] == "Stewards' room"
    editions = {edition.language: edition for edition in document.editions.all()}
    assert set(editions) == {"en", "zh-hans"}
    text = pdf_text(editions["en"].file.read())
    assert "2026-03-15 16:30" in text
    assert "Asia/Kuala_Lumpur" in text
    assert "Stewards' room" in text or "Stewards’ room" in text
    assert f"#{protest.against.car_number}" in text or str(protest.against.car_number) in text


def test_a_new_hearing_time_posts_a_summons_superseding_the_first(protest, stewards):
    first = protest_summon(protest=protest, hearing_at=HEARING, place="Room 1", user=stewards)
    first_summons = first.summons

    later = protest_summon(
        protest=protest, hearing_at=HEARING + dt.timedelta(hours=1), place="Room 2", user=stewards
    )

    assert later.summons.supersedes == first_summons
    assert later.summons.number == first_summons.number + 1
    assert later.summons.content["hearing"]["at"].startswith("2026-03-15 17:30")


@pytest.mark.parametrize(
    ("hearing_at", "place", "field"),
    [(None, "Room", "hearing_at"), (HEARING, "  ", "hearing_place")],
)
def test_a_summons_needs_its_time_and_place(protest, stewards, hearing_at, place, field):
    with pytest.raises(ValidationError) as refused:
        protest_summon(protest=protest, hearing_at=hearing_at, place=place, user=stewards)

    assert field in refused.value.message_dict
    assert not BoardDocument.objects.filter(kind=BoardKind.SUMMONS).exists()


def test_summoning_a_protest_already_decided_is_refused(protest, stewards):
    protest_dismiss(protest=protest, findings="No evidence of contact.", user=stewards)

    with pytest.raises(PenaltyError, match="Protest 1 was already decided \\(dismissed\\)"):
        protest_summon(protest=protest, hearing_at=HEARING, place="Room", user=stewards)

    assert not BoardDocument.objects.filter(kind=BoardKind.SUMMONS).exists()


def test_a_notice_of_intention_is_not_heard(protest, stewards):
    notice = make_protest(protest.document, protest.team, kind=FilingKind.APPEAL_NOTICE)

    with pytest.raises(PenaltyError, match="notice of intention"):
        protest_summon(protest=notice, hearing_at=HEARING, place="Room", user=stewards)


# Upheld: the decision through the one path ----------------------------------------------------


def test_upholding_records_the_decision_and_re_versions_the_race(protest, stewards, race):
    before = versions(race)

    upheld = uphold(protest, stewards, findings="Car 2 hit car 1 at turn 1.")

    penalty = Penalty.objects.get()
    latest = versions(race)[-1]
    assert (penalty.entry, penalty.kind, penalty.value) == (protest.against, "TIME", Decimal(5))
    assert penalty.reason_zh_hans == "在1号弯造成碰撞"
    assert penalty.decided_at is not None
    assert len(versions(race)) > len(before)
    assert latest.cause == VersionCause.DECISION
    assert latest.decision == penalty
    assert latest.reference == "Decision 7"
    assert upheld.status == FilingStatus.UPHELD
    assert upheld.decided_at is not None
    assert upheld.outcome == "Car 2 hit car 1 at turn 1."
    assert upheld.decision == penalty
    assert list(penalty.protests.all()) == [upheld]
    # The decision's own board document (posted by penalty_save) is the outcome's document.
    assert upheld.outcome_document.decision == penalty
    assert upheld.outcome_document.kind == BoardKind.DECISION


def test_a_decision_that_does_not_fit_is_refused_naming_its_field_and_nothing_is_written(
    protest, stewards, race
):
    before = versions(race)

    with pytest.raises(ValidationError) as refused:
        uphold(protest, stewards, kind=PenaltyKind.DSQ, value=Decimal(5))

    assert refused.value.messages
    assert not Penalty.objects.exists()
    assert versions(race) == before
    protest.refresh_from_db()
    assert protest.status == FilingStatus.FILED


def test_upholding_needs_the_english_reason(protest, stewards):
    with pytest.raises(ValidationError) as refused:
        uphold(protest, stewards, reason_en=" ")

    assert "reason_en" in refused.value.message_dict
    assert not Penalty.objects.exists()


# Dismissed: the board only ---------------------------------------------------------------------


def test_dismissing_posts_a_decision_document_and_writes_no_decision_nor_version(
    protest, stewards, race
):
    before = versions(race)

    dismissed = protest_dismiss(protest=protest, findings="No contact seen.", user=stewards)

    document = dismissed.outcome_document
    assert dismissed.status == FilingStatus.DISMISSED
    assert dismissed.outcome == "No contact seen."
    assert dismissed.decision is None
    assert document.kind == BoardKind.DECISION
    assert document.issued_by == Issuer.STEWARDS
    assert document.template == "board/pdf/protest_decision.html"
    assert document.content["outcome"] == "DISMISSED"
    assert set(document.concerns.all()) == {protest.entry, protest.against}
    assert not Penalty.objects.exists()
    assert versions(race) == before


def test_dismissing_needs_the_findings(protest, stewards):
    with pytest.raises(ValidationError) as refused:
        protest_dismiss(protest=protest, findings="", user=stewards)

    assert "findings" in refused.value.message_dict


def test_deciding_twice_is_refused(protest, stewards):
    uphold(protest, stewards)

    with pytest.raises(PenaltyError, match="already decided \\(upheld\\)"):
        protest_dismiss(protest=protest, findings="Second thoughts.", user=stewards)
    with pytest.raises(PenaltyError, match="already decided"):
        uphold(protest, stewards, number=8)

    assert Penalty.objects.count() == 1


# Appeals ---------------------------------------------------------------------------------------


@pytest.fixture
def appeal(race, stewards):
    """Team B appeals a decision against its car: a notice of intention, then the appeal."""
    championship = race.meeting.championship
    team_b = make_racing_team(championship, "Gamma")
    car_b = team_b.racing_entries().get()
    make_result(race, car_b, 3)
    penalty = Penalty(
        meeting=race.meeting,
        race=race,
        entry=car_b,
        kind=PenaltyKind.TIME,
        value=Decimal(10),
        reason_en="Track limits",
        number=3,
        decided_at=timezone.now(),
    )
    penalty_save(penalty=penalty, user=stewards)
    decision_document = penalty.board_documents.get()
    notice = make_protest(decision_document, team_b, kind=FilingKind.APPEAL_NOTICE)
    return make_protest(decision_document, team_b, kind=FilingKind.APPEAL, notice=notice)


def test_an_appeal_upheld_withdraws_the_decision_naming_the_appeal(appeal, stewards, race):
    penalty = appeal.document.decision
    before = versions(race)

    decided = appeal_decide(
        appeal=appeal, upheld=True, findings="The car stayed within the kerbs.", user=stewards
    )

    penalty.refresh_from_db()
    latest = versions(race)[-1]
    assert penalty.is_withdrawn
    assert penalty.withdrawn_reason == "Appeal 2: The car stayed within the kerbs."
    assert len(versions(race)) == len(before) + 1
    assert latest.cause == VersionCause.WITHDRAWAL
    assert latest.reference == "Decision 3"
    assert decided.status == FilingStatus.UPHELD
    assert decided.decision == penalty
    assert decided in penalty.protests.all()
    assert decided.outcome_document.template == "board/pdf/protest_decision.html"
    assert decided.outcome_document.content["withdrawn_decision"]["en"] == "Decision 3"


def test_an_appeal_dismissed_leaves_the_decision_in_force(appeal, stewards, race):
    before = versions(race)

    decided = appeal_decide(appeal=appeal, upheld=False, findings="Off track.", user=stewards)

    assert decided.status == FilingStatus.DISMISSED
    assert decided.outcome_document.content["outcome"] == "DISMISSED"
    assert not Penalty.objects.get().is_withdrawn
    assert versions(race) == before


def test_an_appeal_is_decided_once_and_only_as_an_appeal(appeal, protest, stewards):
    with pytest.raises(PenaltyError, match="is an appeal"):
        uphold(appeal, stewards)
    with pytest.raises(PenaltyError, match="is not an appeal"):
        appeal_decide(appeal=protest, upheld=True, findings="No.", user=stewards)

    appeal_decide(appeal=appeal, upheld=True, findings="Within the kerbs.", user=stewards)

    with pytest.raises(PenaltyError, match="already decided"):
        appeal_decide(appeal=appeal, upheld=False, findings="Again.", user=stewards)


def test_an_appeal_about_a_document_without_a_decision_cannot_withdraw_one(protest, stewards):
    notice = make_protest(protest.document, protest.team, kind=FilingKind.APPEAL_NOTICE)
    appeal = make_protest(protest.document, protest.team, kind=FilingKind.APPEAL, notice=notice)

    with pytest.raises(PenaltyError, match="holds no decision to withdraw"):
        appeal_decide(appeal=appeal, upheld=True, findings="Yes.", user=stewards)


# The deposit -----------------------------------------------------------------------------------


def test_the_deposit_is_recorded_and_never_in_the_future(protest, stewards):
    today = timezone.localdate()

    with pytest.raises(ValidationError) as refused:
        deposit_record(protest=protest, paid_on=today + dt.timedelta(days=1), user=stewards)
    assert "deposit_paid_on" in refused.value.message_dict

    assert deposit_record(protest=protest, paid_on=today, user=stewards).deposit_paid_on == today


# The back office -------------------------------------------------------------------------------


def hearing_url(protest, step):
    return reverse("admin:paddock_protest_hearing", args=[protest.pk, step])


def change_url(protest):
    return reverse("admin:paddock_protest_change", args=[protest.pk])


def test_race_control_calls_the_hearing_from_the_change_page(client, protest):
    client = role_client(client, RACE_CONTROL_GROUP)
    page = client.get(change_url(protest))
    assert page.status_code == 200
    assert [step["step"] for step in page.context["hearing"]["forms"]] == [
        "summon",
        "uphold",
        "dismiss",
        "deposit",
    ]

    response = client.post(
        hearing_url(protest, "summon"),
        {"summon-hearing_at": "2026-03-15T16:30", "summon-hearing_place": "Race control"},
    )

    assert response.status_code == 302
    protest.refresh_from_db()
    assert protest.status == FilingStatus.SUMMONED
    assert protest.hearing_at == HEARING  # typed in the circuit's time
    page = client.get(change_url(protest))
    assert f"Document {protest.summons.number}" in page.content.decode()


def test_race_control_upholds_and_the_pages_link_both_ways(client, protest):
    client = role_client(client, RACE_CONTROL_GROUP)

    response = client.post(
        hearing_url(protest, "uphold"),
        {
            "uphold-kind": "TIME",
            "uphold-value": "5",
            "uphold-race": protest.race_id,
            "uphold-number": "7",
            "uphold-reason_en": "Causing a collision",
            "uphold-reason_zh_hans": "",
            "uphold-findings": "",
        },
    )

    assert response.status_code == 302
    penalty = Penalty.objects.get()
    protest_page = client.get(change_url(protest)).content.decode()
    penalty_url = reverse("admin:championships_penalty_change", args=[penalty.pk])
    assert penalty_url in protest_page
    assert "Decision 7" in protest_page
    penalty_page = client.get(penalty_url).content.decode()
    assert change_url(protest) in penalty_page
    assert "Protest 1" in penalty_page
    meeting = protest.meeting
    public = client.get(
        reverse(
            "championships:meeting",
            kwargs={"slug": meeting.championship.slug, "round": meeting.round},
        )
    ).content.decode()
    assert "after Protest 1" in public


def test_the_decision_form_shows_the_decision_rules_refusal_beside_the_form(client, protest):
    client = role_client(client, RACE_CONTROL_GROUP)

    response = client.post(
        hearing_url(protest, "uphold"),
        {
            "uphold-kind": "DSQ",
            "uphold-value": "5",
            "uphold-race": protest.race_id,
            "uphold-reason_en": "Unsafe release",
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors
    assert "The value does not fit the kind" in response.content.decode()
    assert not Penalty.objects.exists()


def test_read_only_staff_read_the_filing_but_take_no_step(client, protest):
    client = role_client(client, READ_ONLY_STAFF_GROUP)

    page = client.get(change_url(protest))
    refused = client.post(
        hearing_url(protest, "dismiss"), {"dismiss-findings": "Not for me to decide."}
    )

    assert page.status_code == 200
    assert page.context["hearing"]["forms"] == []
    assert refused.status_code == 403
    protest.refresh_from_db()
    assert protest.status == FilingStatus.FILED


def test_an_attachment_is_streamed_to_staff_who_view_protests_only(client, protest):
    attachment = ProtestAttachment(
        protest=protest, name="onboard still.png", content_type="image/png", size=4
    )
    attachment.file.save("still.png", ContentFile(b"\x89PNG"), save=False)
    attachment.save()
    url = reverse("admin:paddock_protest_attachment", args=[protest.pk, attachment.pk])

    staff_client = role_client(client, RACE_CONTROL_GROUP)
    assert url in staff_client.get(change_url(protest)).content.decode()
    response = staff_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG"
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "attachment" in response["Content-Disposition"]
    client.logout()
    client.force_login(make_staff("no-role"))
    assert client.get(url).status_code == 403


# Each championship's time limits and deposits ------------------------------------------------


def test_the_series_manager_sets_a_championships_time_limits_and_they_count(client, race):
    championship = race.meeting.championship
    client.force_login(make_staff("manager", roles=(SERIES_MANAGER_GROUP,)))
    fields = {
        "championship": championship.pk,
        "protest_minutes": 45,
        "review_minutes": 20160,
        "appeal_notice_minutes": 60,
        "appeal_minutes": 5760,
        "protest_deposit": "300",
        "review_deposit": "300",
        "appeal_deposit": "2000",
        "currency": "MYR",
    }

    response = client.post(reverse("admin:paddock_hearingrules_add"), fields)

    assert response.status_code == 302
    team = make_racing_team(championship, "Delta")
    document = make_board_document(
        race.meeting, "Provisional classification", kind=BoardKind.PROVISIONAL_CLASSIFICATION
    )
    filed = protest_file(
        team=team,
        user=team.members.get().user,
        kind=FilingKind.PROTEST,
        document=document,
        entry=team.racing_entries().get(),
        incident="Lap 1",
        grounds="Pushed wide.",
        now=document.published_at + dt.timedelta(minutes=40),  # late by the default 30
    )
    assert filed.deadline == document.published_at + dt.timedelta(minutes=45)
    assert (filed.deposit, filed.currency) == (Decimal("300"), "MYR")


def test_a_time_limit_out_of_bounds_is_refused_beside_its_field(client, race):
    client.force_login(make_staff("manager", roles=(SERIES_MANAGER_GROUP,)))

    response = client.post(
        reverse("admin:paddock_hearingrules_add"),
        {"championship": race.meeting.championship.pk, "protest_minutes": 0, "currency": "USD"},
    )

    assert response.status_code == 200
    assert "protest_minutes" in response.context["adminform"].form.errors
    assert not HearingRules.objects.exists()


# Requests for review ---------------------------------------------------------------------------


def test_a_review_of_the_filers_own_decision_upheld_revises_it(race, stewards):
    championship = race.meeting.championship
    team = make_racing_team(championship, "Epsilon")
    car = team.racing_entries().get()
    make_result(race, car, 1)
    penalty = Penalty(
        meeting=race.meeting,
        race=race,
        entry=car,
        kind=PenaltyKind.TIME,
        value=Decimal(10),
        reason_en="Track limits",
        number=3,
        decided_at=timezone.now(),
    )
    penalty_save(penalty=penalty, user=stewards)
    review = make_protest(penalty.board_documents.get(), team, kind=FilingKind.REVIEW, race=race)

    uphold(review, stewards, value=Decimal(5), number=None, reason_en="Track limits, reviewed")

    penalty.refresh_from_db()
    revised = Penalty.objects.exclude(pk=penalty.pk).get()
    assert penalty.is_withdrawn
    assert penalty.withdrawn_reason == f"{review.reference}: revised by Decision #{revised.pk}"
    assert (revised.entry, revised.value) == (car, Decimal(5))
    assert not Penalty.objects.filter(withdrawn_at__isnull=True, entry=car).exclude(pk=revised.pk)


def test_a_review_filed_for_the_teams_other_car_still_revises_the_decision_reviewed(race, stewards):
    team = make_racing_team(race.meeting.championship, "Zeta", cars=2)
    penalised, other = team.racing_entries().order_by("pk")
    make_result(race, penalised, 1)
    penalty = Penalty(
        meeting=race.meeting,
        race=race,
        entry=penalised,
        kind=PenaltyKind.TIME,
        value=Decimal(10),
        reason_en="Track limits",
        number=3,
        decided_at=timezone.now(),
    )
    penalty_save(penalty=penalty, user=stewards)
    review = make_protest(
        penalty.board_documents.get(), team, kind=FilingKind.REVIEW, race=race, entry=other
    )

    uphold(review, stewards, value=Decimal(5), number=4)

    penalty.refresh_from_db()
    assert penalty.is_withdrawn
    assert Penalty.objects.get(number=4).entry == penalised
    assert not Penalty.objects.filter(entry=other).exists()


def test_the_protesting_team_may_appeal_the_decision_its_protest_produced(protest, stewards):
    upheld = uphold(protest, stewards)

    notice = protest_file(
        team=protest.team,
        user=protest.filed_by,
        kind=FilingKind.APPEAL_NOTICE,
        document=upheld.outcome_document,
        entry=protest.entry,
        incident="Lap 3, turn 1",
        grounds="Five seconds do not match the damage done.",
        now=upheld.outcome_document.published_at,
    )

    assert notice.document == upheld.outcome_document
    assert [w.document for w in open_windows(teams=[protest.team], now=notice.filed_at)]
