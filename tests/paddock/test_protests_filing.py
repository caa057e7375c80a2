"""Filing protests, requests for review, notices of intention to appeal and appeals: each rule
of ``paddock.services.protests.protest_file`` (and its clock, ``paddock.deadlines``), then the
entrants' pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from championships.models import BoardKind
from paddock.deadlines import filing_deadline, too_late_message
from paddock.models import (
    FilingKind,
    FilingStatus,
    HearingRules,
    Protest,
    ProtestAttachment,
    TeamMember,
    TeamRole,
)
from paddock.services.protests import open_windows, protest_file, protest_withdraw, rules_for
from tests.factories import (
    PDF,
    image_bytes,
    make_board_document,
    make_championship,
    make_circuit,
    make_meeting,
    make_race,
    make_staff,
    stored_files,
)
from tests.paddock.factories import (
    entrant_client,
    make_account,
    make_protest,
    make_racing_team,
    manager_of,
)

pytestmark = pytest.mark.django_db

UTC = dt.UTC
# 15:12 at Sepang (UTC+8): the provisional classification is published.
PUBLISHED = dt.datetime(2026, 3, 15, 7, 12, tzinfo=UTC)
TITLE = "Race 1 — Provisional classification"


@pytest.fixture
def meeting():
    championship = make_championship(year=2026)
    sepang = make_circuit(
        "Sepang International Circuit", country="MY", timezone="Asia/Kuala_Lumpur"
    )
    meeting = make_meeting(championship, circuit=sepang, start_date=dt.date(2026, 3, 14))
    make_race(meeting)
    return meeting


@pytest.fixture
def team(meeting):
    return make_racing_team(meeting.championship, "Lion City", cars=2)


@pytest.fixture
def rival(meeting):
    return make_racing_team(meeting.championship, "Dragon")


@pytest.fixture
def classification(meeting):
    return make_board_document(
        meeting, TITLE, kind=BoardKind.PROVISIONAL_CLASSIFICATION, at=PUBLISHED
    )


@pytest.fixture
def decision(meeting):
    return make_board_document(meeting, "Decision 3 — Car 7", kind=BoardKind.DECISION, at=PUBLISHED)


def car_of(team, meeting):
    return team.racing_entries().filter(championship=meeting.championship).order_by("pk").first()


def file(team, document, *, now, kind=FilingKind.PROTEST, user=None, **fields):
    meeting = document.meeting
    fields.setdefault("entry", car_of(team, meeting))
    fields.setdefault("incident", "Lap 3, turn 1")
    fields.setdefault("grounds", "Pushed off the track.")
    return protest_file(
        team=team, user=user or manager_of(team), kind=kind, document=document, now=now, **fields
    )


def refusal(callable_, *args, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        callable_(*args, **kwargs)
    return raised.value.message_dict


def pdf(name="still.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


# --- The clock --------------------------------------------------------------------------------


def test_filed_one_minute_after_the_deadline_is_refused_with_the_deadline_named_and_nothing_written(
    meeting, team, rival, classification, paddock_upload_root
):
    late = PUBLISHED + dt.timedelta(minutes=31)

    errors = refusal(
        file, team, classification, now=late, against=car_of(rival, meeting), files=[pdf()]
    )

    assert errors[NON_FIELD_ERRORS] == [
        f"Too late: protests against Document {classification.number} ({TITLE}) closed at "
        "15:42:00 (Asia/Kuala_Lumpur, UTC+08:00), 30 minutes after its publication; this one "
        "arrived at 15:43:00."
    ]
    assert not Protest.objects.exists()
    assert not ProtestAttachment.objects.exists()
    assert stored_files(paddock_upload_root) == []


def test_filed_at_the_last_second_is_accepted(meeting, team, rival, classification):
    last_second = PUBLISHED + dt.timedelta(minutes=30)

    protest = file(team, classification, now=last_second, against=car_of(rival, meeting))

    assert protest.deadline == last_second
    assert protest.filed_at == last_second
    assert protest.status == FilingStatus.FILED


def test_the_deadline_counts_from_publication_in_circuit_time_across_a_utc_day_boundary(
    meeting, team
):
    # 23:50 UTC on the 14th is 07:50 on the 15th at Sepang; the limit ends 08:20 local.
    published = dt.datetime(2026, 3, 14, 23, 50, tzinfo=UTC)
    document = make_board_document(
        meeting, TITLE, kind=BoardKind.PROVISIONAL_CLASSIFICATION, at=published
    )
    deadline = filing_deadline(
        kind=FilingKind.PROTEST, published_at=published, notice_filed_at=None, minutes=30
    )
    assert deadline == dt.datetime(2026, 3, 15, 0, 20, tzinfo=UTC)

    errors = refusal(file, team, document, now=deadline + dt.timedelta(seconds=1))

    # To the second: a filing one second late does not read as arriving at the deadline.
    assert "closed at 08:20:00 (Asia/Kuala_Lumpur, UTC+08:00)" in errors[NON_FIELD_ERRORS][0]
    assert "arrived at 08:20:01." in errors[NON_FIELD_ERRORS][0]


def test_the_too_late_message_gives_dates_when_the_days_differ():
    message = too_late_message(
        kind=FilingKind.REVIEW,
        document_number=4,
        document_title="Decision 1",
        minutes=20160,
        deadline=dt.datetime(2026, 3, 29, 7, 0, tzinfo=UTC),
        arrived=dt.datetime(2026, 3, 30, 1, 0, tzinfo=UTC),
        zone="Asia/Kuala_Lumpur",
    )

    assert message == (
        "Too late: requests for review of Document 4 (Decision 1) closed at 2026-03-29 "
        "15:00:00 (Asia/Kuala_Lumpur, UTC+08:00), 20160 minutes after its publication; this "
        "one arrived at 2026-03-30 09:00:00."
    )


def test_an_appeal_counts_from_its_notice_of_intention(meeting, team, decision):
    rules = HearingRules.objects.create(
        championship=meeting.championship, appeal_notice_minutes=60, appeal_minutes=120
    )
    notice_at = PUBLISHED + dt.timedelta(minutes=50)
    notice = file(team, decision, kind=FilingKind.APPEAL_NOTICE, now=notice_at)
    assert notice.deadline == PUBLISHED + dt.timedelta(minutes=60)

    # Past the notice's own limit, within the appeal's (counted from the notice).
    appeal_at = notice_at + dt.timedelta(minutes=rules.appeal_minutes)
    appeal = file(team, decision, kind=FilingKind.APPEAL, notice=notice, now=appeal_at)

    assert appeal.deadline == appeal_at
    assert appeal.notice == notice


def test_an_appeal_late_after_its_notice_is_refused(meeting, team, decision):
    notice = file(team, decision, kind=FilingKind.APPEAL_NOTICE, now=PUBLISHED)
    late = notice.filed_at + dt.timedelta(minutes=96 * 60, seconds=1)

    errors = refusal(file, team, decision, kind=FilingKind.APPEAL, notice=notice, now=late)

    assert "after the notice of intention to appeal" in errors[NON_FIELD_ERRORS][0]
    assert Protest.objects.count() == 1


def test_an_appeal_without_a_notice_is_refused(team, decision):
    errors = refusal(file, team, decision, kind=FilingKind.APPEAL, now=PUBLISHED)

    assert "notice" in errors
    assert "file the notice first" in errors["notice"][0]
    assert not Protest.objects.exists()


def test_an_appeal_on_another_teams_notice_or_a_second_appeal_is_refused(
    meeting, team, rival, decision
):
    theirs = file(rival, decision, kind=FilingKind.APPEAL_NOTICE, now=PUBLISHED)
    errors = refusal(file, team, decision, kind=FilingKind.APPEAL, notice=theirs, now=PUBLISHED)
    assert "your team's" in errors["notice"][0]

    ours = file(team, decision, kind=FilingKind.APPEAL_NOTICE, now=PUBLISHED)
    file(team, decision, kind=FilingKind.APPEAL, notice=ours, now=PUBLISHED)
    errors = refusal(file, team, decision, kind=FilingKind.APPEAL, notice=ours, now=PUBLISHED)
    assert "already follows" in errors["notice"][0]


# --- What a filing may be about, and by whom ---------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "document_kind"),
    [
        (FilingKind.PROTEST, BoardKind.DECISION),
        (FilingKind.PROTEST, BoardKind.TIMETABLE),
        (FilingKind.REVIEW, BoardKind.PROVISIONAL_CLASSIFICATION),
        (FilingKind.APPEAL_NOTICE, BoardKind.GRID),
    ],
)
def test_a_filing_about_the_wrong_kind_of_document_is_refused(meeting, team, kind, document_kind):
    document = make_board_document(meeting, "Doc", kind=document_kind, at=PUBLISHED)

    errors = refusal(file, team, document, kind=kind, now=PUBLISHED)

    assert "kind" in errors
    assert f"Document {document.number}" in errors["kind"][0]
    assert not Protest.objects.exists()


def test_another_teams_car_as_filed_for_is_refused(meeting, team, rival, classification):
    theirs = car_of(rival, meeting)

    errors = refusal(file, team, classification, entry=theirs, now=PUBLISHED)

    assert errors["entry"] == [f"Car {theirs} is not one of your team's cars in this championship."]


def test_a_protest_against_ones_own_car_is_refused(meeting, team, classification):
    first, second = team.racing_entries().order_by("pk")

    errors = refusal(file, team, classification, entry=first, against=second, now=PUBLISHED)
    assert errors["against"] == [f"You cannot file against your own team's car {second}."]
    errors = refusal(file, team, classification, entry=first, against=first, now=PUBLISHED)
    assert "against" in errors


def test_a_car_of_another_championship_or_a_race_of_another_round_is_refused(
    meeting, team, classification
):
    elsewhere = make_racing_team(make_championship(year=2026)).racing_entries().get()
    other_race = make_race(make_meeting(meeting.championship, round=2, circuit=meeting.circuit))

    errors = refusal(file, team, classification, against=elsewhere, race=other_race, now=PUBLISHED)

    assert "not in this championship" in errors["against"][0]
    assert "not of this round" in errors["race"][0]


def test_a_team_driver_who_is_not_manager_or_staff_is_refused(team, classification):
    driver = make_account()
    TeamMember.objects.create(team=team, user=driver, role=TeamRole.DRIVER)

    errors = refusal(file, team, classification, user=driver, now=PUBLISHED)

    assert errors[NON_FIELD_ERRORS] == ["Only the team's managers and team staff file for it."]
    assert not Protest.objects.exists()


def test_team_staff_may_file(team, classification):
    staff = make_account()
    TeamMember.objects.create(team=team, user=staff, role=TeamRole.STAFF)

    assert file(team, classification, user=staff, now=PUBLISHED).filed_by == staff


# --- Attachments ---------------------------------------------------------------------------------


def test_an_attachment_not_pdf_jpeg_or_png_is_refused_naming_the_file(
    team, classification, paddock_upload_root
):
    files = [pdf(), SimpleUploadedFile("onboard.gif", b"GIF89a" + b"\0" * 40)]

    errors = refusal(file, team, classification, files=files, now=PUBLISHED)

    assert len(errors["files"]) == 1
    assert errors["files"][0].startswith("onboard.gif: This file is not a PDF, JPEG or PNG")
    assert not Protest.objects.exists()
    assert stored_files(paddock_upload_root) == []


def test_more_than_five_attachments_are_refused(team, classification):
    errors = refusal(
        file, team, classification, files=[pdf(f"{n}.pdf") for n in range(6)], now=PUBLISHED
    )

    assert errors["files"] == ["Attach at most 5 files; you gave 6."]


def test_attachments_are_stored_privately_under_random_names(
    team, classification, paddock_upload_root
):
    png = SimpleUploadedFile("turn 1.png", image_bytes("PNG"), content_type="image/png")

    protest = file(team, classification, files=[pdf("Still.PDF"), png], now=PUBLISHED)

    attachments = list(protest.attachments.order_by("pk"))
    assert [(a.name, a.content_type) for a in attachments] == [
        ("Still.PDF", "application/pdf"),
        ("turn 1.png", "image/png"),
    ]
    assert all(a.file.name.startswith(f"protests/{protest.pk}/") for a in attachments)
    assert "Still" not in attachments[0].file.name
    assert len(stored_files(paddock_upload_root)) == 2


def test_a_failed_write_deletes_the_stored_files(
    monkeypatch, team, classification, paddock_upload_root
):
    def fail(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ProtestAttachment, "save", fail)

    with pytest.raises(RuntimeError):
        file(team, classification, files=[pdf()], now=PUBLISHED)

    assert not Protest.objects.exists()
    assert stored_files(paddock_upload_root) == []


# --- Numbering, deposit, withdrawal -------------------------------------------------------------


def test_filings_are_numbered_per_meeting(meeting, team, classification):
    first = file(team, classification, now=PUBLISHED)
    second = file(team, classification, now=PUBLISHED)
    other_meeting = make_meeting(meeting.championship, round=2, circuit=meeting.circuit)
    other = make_board_document(
        other_meeting, TITLE, kind=BoardKind.PROVISIONAL_CLASSIFICATION, at=PUBLISHED
    )

    elsewhere = file(team, other, now=PUBLISHED)

    assert (first.number, second.number, elsewhere.number) == (1, 2, 1)


def test_the_deposit_and_currency_come_from_the_rules(meeting, team, classification, decision):
    HearingRules.objects.create(
        championship=meeting.championship,
        protest_deposit=Decimal("1000"),
        review_deposit=Decimal("2500"),
        currency="MYR",
    )

    protest = file(team, classification, now=PUBLISHED)
    review = file(team, decision, kind=FilingKind.REVIEW, now=PUBLISHED)
    notice = file(team, decision, kind=FilingKind.APPEAL_NOTICE, now=PUBLISHED)

    assert (protest.deposit, protest.currency) == (Decimal("1000"), "MYR")
    assert review.deposit == Decimal("2500")
    assert notice.deposit == Decimal("0")


def test_without_rules_the_defaults_apply(meeting):
    rules = rules_for(meeting.championship)

    assert rules.pk is None
    assert (rules.protest_minutes, rules.appeal_minutes) == (30, 96 * 60)


def test_a_filing_is_withdrawn_while_filed_only(team, classification):
    protest = file(team, classification, now=PUBLISHED)

    protest_withdraw(protest=protest, user=manager_of(team))
    protest.refresh_from_db()
    assert protest.status == FilingStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        protest_withdraw(protest=protest, user=manager_of(team))


def test_another_team_cannot_withdraw_a_filing(team, rival, classification):
    protest = make_protest(classification, team)

    with pytest.raises(ValidationError):
        protest_withdraw(protest=protest, user=manager_of(rival))

    protest.refresh_from_db()
    assert protest.status == FilingStatus.FILED


# --- The entrants' pages --------------------------------------------------------------------------


def just_published(meeting, kind=BoardKind.PROVISIONAL_CLASSIFICATION, minutes_ago=5):
    at = timezone.now() - dt.timedelta(minutes=minutes_ago)
    return make_board_document(meeting, TITLE, kind=kind, at=at)


def form_data(team, meeting, **overrides):
    return {
        "kind": FilingKind.PROTEST,
        "entry": car_of(team, meeting).pk,
        "incident": "Lap 3, turn 1",
        "rule": "Sporting Regulations 12.3",
        "grounds": "Pushed off the track.",
        **overrides,
    }


def test_the_form_offers_what_the_document_allows_with_the_time_left(meeting, team, rival):
    document = just_published(meeting)
    client = entrant_client(manager_of(team))

    response = client.get(reverse("paddock:protest-new", kwargs={"document_id": document.pk}))

    assert response.status_code == 200
    form = response.context["form"]
    assert [value for value, _label in form.fields["kind"].choices] == [FilingKind.PROTEST]
    assert set(form.fields["entry"].queryset) == set(team.racing_entries())
    assert list(form.fields["against"].queryset) == [car_of(rival, meeting)]
    assert list(form.fields["race"].queryset) == list(meeting.races.all())
    html = response.content.decode()
    for name in ("kind", "entry", "against", "race", "incident", "rule", "grounds", "files"):
        assert f'<label for="id_{name}">' in html, name
    assert "(Asia/Kuala_Lumpur, UTC+08:00)" in html
    assert "minutes left" in html


def test_a_decision_offers_review_and_notice_then_the_appeal(meeting, team):
    decision = just_published(meeting, BoardKind.DECISION)
    client = entrant_client(manager_of(team))
    url = reverse("paddock:protest-new", kwargs={"document_id": decision.pk})

    kinds = [v for v, _l in client.get(url).context["form"].fields["kind"].choices]
    assert kinds == [FilingKind.REVIEW, FilingKind.APPEAL_NOTICE]

    client.post(url, form_data(team, meeting, kind=FilingKind.APPEAL_NOTICE))
    kinds = [v for v, _l in client.get(url).context["form"].fields["kind"].choices]
    assert kinds == [FilingKind.REVIEW, FilingKind.APPEAL_NOTICE, FilingKind.APPEAL]
    response = client.post(url, form_data(team, meeting, kind=FilingKind.APPEAL))
    appeal = Protest.objects.get(kind=FilingKind.APPEAL)
    assert response.status_code == 302
    assert appeal.notice.kind == FilingKind.APPEAL_NOTICE


def test_filing_on_the_page_stores_it_and_shows_it(meeting, team, rival):
    document = just_published(meeting)
    client = entrant_client(manager_of(team))
    data = form_data(team, meeting, against=car_of(rival, meeting).pk, race=meeting.races.get().pk)
    data["files"] = [pdf("onboard still.pdf")]

    response = client.post(
        reverse("paddock:protest-new", kwargs={"document_id": document.pk}), data
    )

    protest = Protest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("paddock:protest-detail", kwargs={"pk": protest.pk})
    assert (protest.team, protest.against, protest.rule) == (
        team,
        car_of(rival, meeting),
        "Sporting Regulations 12.3",
    )
    detail = client.get(response.url).content.decode()
    assert "onboard still.pdf" in detail
    listing = client.get(reverse("paddock:protests")).content.decode()
    assert str(protest) in listing
    download = client.get(
        reverse("paddock:protest-attachment", kwargs={"pk": protest.attachments.get().pk})
    )
    assert download.status_code == 200
    assert {"private", "no-store"} <= set(download["Cache-Control"].split(", "))
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == PDF


def test_a_late_filing_on_the_page_shows_the_too_late_message_and_writes_nothing(
    meeting, team, paddock_upload_root
):
    document = just_published(meeting, minutes_ago=31)
    client = entrant_client(manager_of(team))
    data = {**form_data(team, meeting), "files": [pdf()]}

    response = client.post(
        reverse("paddock:protest-new", kwargs={"document_id": document.pk}), data
    )

    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors[0].startswith(f"Too late: protests against Document {document.number} ({TITLE})")
    assert "(Asia/Kuala_Lumpur, UTC+08:00), 30 minutes after its publication" in errors[0]
    assert errors[0] in response.content.decode().replace("&#x27;", "'")
    assert not Protest.objects.exists()
    assert stored_files(paddock_upload_root) == []


def test_the_list_shows_the_windows_still_open(meeting, team):
    document = just_published(meeting)
    just_published(meeting, minutes_ago=45)  # closed
    just_published(meeting, BoardKind.TIMETABLE)  # nothing to file about

    response = entrant_client(manager_of(team)).get(reverse("paddock:protests"))

    windows = response.context["windows"]
    assert [(w["document"], w["kind"]) for w in windows] == [(document, "Protest")]
    assert reverse("paddock:protest-new", kwargs={"document_id": document.pk}) in (
        response.content.decode()
    )


def test_the_list_reads_the_same_queries_for_one_filing_as_for_many(
    meeting, team, django_assert_num_queries
):
    document = just_published(meeting)
    make_protest(document, team)
    client = entrant_client(manager_of(team))
    url = reverse("paddock:protests")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _n in range(5):
        make_protest(just_published(meeting), team)

    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)

    assert len(response.context["filings"]) == 6


def test_a_team_driver_cannot_open_the_form(meeting, team):
    document = just_published(meeting)
    driver = make_account()
    TeamMember.objects.create(team=team, user=driver, role=TeamRole.DRIVER)
    client = entrant_client(driver)

    url = reverse("paddock:protest-new", kwargs={"document_id": document.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(team, meeting)).status_code == 404
    assert not Protest.objects.exists()


def test_another_teams_protest_is_404(meeting, team, rival, paddock_upload_root):
    document = just_published(meeting)
    protest = file(team, document, files=[pdf()], now=timezone.now())
    client = entrant_client(manager_of(rival))

    for name in ("paddock:protest-detail", "paddock:protest-withdraw"):
        assert client.post(reverse(name, kwargs={"pk": protest.pk})).status_code == 404
    assert (
        client.get(reverse("paddock:protest-detail", kwargs={"pk": protest.pk})).status_code == 404
    )
    attachment = protest.attachments.get()
    url = reverse("paddock:protest-attachment", kwargs={"pk": attachment.pk})
    assert client.get(url).status_code == 404
    assert str(protest) not in client.get(reverse("paddock:protests")).content.decode()
    protest.refresh_from_db()
    assert protest.status == FilingStatus.FILED


def test_staff_who_may_view_protests_open_an_attachment(meeting, team):
    protest = file(team, just_published(meeting), files=[pdf()], now=timezone.now())
    url = reverse("paddock:protest-attachment", kwargs={"pk": protest.attachments.get().pk})
    steward = make_staff("steward", "paddock.view_protest")

    response = entrant_client(steward).get(url)

    assert response.status_code == 200
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))


def test_the_team_withdraws_its_filing_from_its_page(meeting, team):
    protest = make_protest(just_published(meeting), team)
    client = entrant_client(manager_of(team))

    response = client.post(reverse("paddock:protest-withdraw", kwargs={"pk": protest.pk}))

    assert response.status_code == 302
    protest.refresh_from_db()
    assert protest.status == FilingStatus.WITHDRAWN


def test_the_pages_render_in_chinese(meeting, team):
    document = just_published(meeting)
    protest = make_protest(document, team)
    client = entrant_client(manager_of(team))

    for url in (
        reverse("paddock:protests"),
        reverse("paddock:protest-new", kwargs={"document_id": document.pk}),
        reverse("paddock:protest-detail", kwargs={"pk": protest.pk}),
    ):
        response = client.get("/zh-hans" + url)
        assert response.status_code == 200, url
        assert '<html lang="zh-hans">' in response.content.decode(), url


def test_only_a_party_to_a_decision_asks_for_its_review_or_appeals(meeting, team, rival):
    about_rival = make_board_document(
        meeting,
        "Decision 4 — Car of Dragon",
        kind=BoardKind.DECISION,
        at=PUBLISHED,
        concerns=[car_of(rival, meeting)],
    )

    for kind in (FilingKind.REVIEW, FilingKind.APPEAL_NOTICE):
        errors = refusal(file, team, about_rival, kind=kind, now=PUBLISHED)
        assert errors["kind"] == [
            f"Document {about_rival.number} does not concern your team's cars: only a party to a "
            "decision may ask for its review or appeal against it."
        ]
    assert file(rival, about_rival, kind=FilingKind.REVIEW, now=PUBLISHED).team == rival


def test_the_open_windows_offer_a_decisions_review_to_its_parties_only(meeting, team, rival):
    classification = just_published(meeting)
    about_rival = make_board_document(
        meeting,
        "Decision 4 — Car of Dragon",
        kind=BoardKind.DECISION,
        at=timezone.now() - dt.timedelta(minutes=5),
        concerns=[car_of(rival, meeting)],
    )
    now = timezone.now()

    ours = {(w.kind, w.document) for w in open_windows(teams=[team], now=now)}
    theirs = {(w.kind, w.document) for w in open_windows(teams=[rival], now=now)}

    assert ours == {(FilingKind.PROTEST, classification)}
    assert theirs == {
        (FilingKind.PROTEST, classification),
        (FilingKind.REVIEW, about_rival),
        (FilingKind.APPEAL_NOTICE, about_rival),
    }
