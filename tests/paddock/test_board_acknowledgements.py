"""The notice board in the paddock: which documents concern a team, the managers'
acknowledgements (one document or all of a round's), the e-mail of a decision or summons
about a team's car, and the staff's page of who has not acknowledged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from allauth.core import context as allauth_context
from django.core import mail
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from championships.models import BoardKind, Championship, Meeting
from entries.models import Entry
from paddock.models import Acknowledgement, EntrantTeam, TeamMember, TeamRole
from paddock.services.notices import (
    AcknowledgementError,
    document_acknowledge,
    document_published_mail,
    documents_concerning,
    meeting_acknowledge,
    meeting_acknowledgements,
    meetings_on_board,
)
from staff.roles import RACE_CONTROL_GROUP, SERIES_MANAGER_GROUP
from tests.factories import (
    make_board_document,
    make_championship,
    make_entry,
    make_meeting,
    make_staff,
)
from tests.paddock.factories import (
    entrant_client,
    make_account,
    make_application,
    make_entrant_team,
    make_window,
    manager_of,
)

pytestmark = pytest.mark.django_db


@dataclass
class Paddock:
    championship: Championship
    meeting: Meeting
    alpha: EntrantTeam  # races car ``alpha_car`` in the championship
    alpha_car: Entry
    gamma: EntrantTeam  # races in the same championship
    gamma_car: Entry
    other: EntrantTeam  # races in another championship only
    other_meeting: Meeting


def racing_team(name: str, championship: Championship, **fields) -> tuple[EntrantTeam, Entry]:
    """A team account whose team on the entry lists races one car in ``championship``."""
    car = make_entry(championship)
    team = make_entrant_team(name)
    team.team = car.team
    for field, value in fields.items():
        setattr(team, field, value)
    team.save()
    return team, car


@pytest.fixture
def paddock() -> Paddock:
    championship = make_championship()
    meeting = make_meeting(championship)
    alpha, alpha_car = racing_team("Alpha Racing", championship)
    gamma, gamma_car = racing_team("Gamma Motorsport", championship)
    elsewhere = make_championship()
    other, _car = racing_team("Other Team", elsewhere)
    return Paddock(
        championship,
        meeting,
        alpha,
        alpha_car,
        gamma,
        gamma_car,
        other,
        make_meeting(elsewhere),
    )


def member(team: EntrantTeam, role: str) -> object:
    account = make_account()
    TeamMember.objects.create(team=team, user=account, role=role)
    return account


def board_url(meeting: Meeting) -> str:
    return reverse("paddock:board-meeting", kwargs={"meeting_id": meeting.pk})


def acknowledge_url(meeting: Meeting) -> str:
    return reverse("paddock:board-acknowledge", kwargs={"meeting_id": meeting.pk})


# --- Which documents concern a team ----------------------------------------------------------


def test_a_document_concerns_the_teams_of_its_cars_or_every_team_of_the_championship(paddock):
    for_everyone = make_board_document(paddock.meeting, "Bulletin 1")
    about_alpha = make_board_document(
        paddock.meeting, "Decision car A", kind=BoardKind.DECISION, concerns=[paddock.alpha_car]
    )
    about_gamma = make_board_document(
        paddock.meeting, "Summons car G", kind=BoardKind.SUMMONS, concerns=[paddock.gamma_car]
    )
    make_board_document(paddock.other_meeting, "Bulletin of the other championship")

    assert list(documents_concerning(paddock.alpha, paddock.meeting)) == [
        for_everyone,
        about_alpha,
    ]
    assert list(documents_concerning(paddock.gamma, paddock.meeting)) == [
        for_everyone,
        about_gamma,
    ]
    assert list(documents_concerning(paddock.other, paddock.meeting)) == []


def test_an_approved_application_makes_its_entry_the_teams(paddock):
    """A team with no team on the entry lists races the entries its approved applications
    made (EntrantTeam.racing_entries): a document about such a car concerns it."""
    team = make_entrant_team("Newcomers")
    window = make_window(paddock.championship)
    car = make_entry(paddock.championship)
    make_application(window, team, status="APPROVED", entry=car)
    about = make_board_document(
        paddock.meeting, "Decision", kind=BoardKind.DECISION, concerns=[car]
    )

    assert list(documents_concerning(team, paddock.meeting)) == [about]
    assert list(documents_concerning(paddock.alpha, paddock.meeting)) == []


def test_the_teams_rounds_count_documents_and_those_not_acknowledged(paddock):
    first = make_board_document(paddock.meeting, "Bulletin 1")
    make_board_document(
        paddock.meeting, "Decision car G", kind=BoardKind.DECISION, concerns=[paddock.gamma_car]
    )
    make_board_document(paddock.meeting, "Bulletin 2")
    later = make_meeting(paddock.championship, round=2, start_date=dt.date(2024, 6, 1))
    make_board_document(later, "Timetable", kind=BoardKind.TIMETABLE)
    make_meeting(paddock.championship, round=3, start_date=dt.date(2024, 8, 1))  # no document
    document_acknowledge(team=paddock.alpha, document=first, user=manager_of(paddock.alpha))

    rounds = list(meetings_on_board(paddock.alpha))

    assert [(m.round, m.documents, m.unacknowledged) for m in rounds] == [(2, 1, 1), (1, 2, 1)]
    assert list(meetings_on_board(paddock.other)) == []


# --- Acknowledging ---------------------------------------------------------------------------


def test_a_manager_acknowledges_one_document_and_a_second_click_keeps_the_first_time(paddock):
    document = make_board_document(paddock.meeting, "Bulletin 1")
    manager = manager_of(paddock.alpha)
    client = entrant_client(manager)

    before = timezone.now()
    response = client.post(acknowledge_url(paddock.meeting), {"document": document.pk})

    assert response.status_code == 302
    assert response["Location"] == board_url(paddock.meeting)
    acknowledgement = Acknowledgement.objects.get()
    assert (acknowledgement.team, acknowledgement.document) == (paddock.alpha, document)
    assert acknowledgement.acknowledged_by == manager
    assert acknowledgement.acknowledged_at >= before
    first_time = acknowledgement.acknowledged_at

    second_manager = member(paddock.alpha, TeamRole.MANAGER)
    entrant_client(second_manager).post(acknowledge_url(paddock.meeting), {"document": document.pk})

    acknowledgement = Acknowledgement.objects.get()
    assert acknowledgement.acknowledged_at == first_time
    assert acknowledgement.acknowledged_by == manager
    page = client.get(board_url(paddock.meeting)).content.decode()
    assert "acknowledged document 1" in page  # the message after the redirect
    assert f'name="document" value="{document.pk}"' not in page


def test_acknowledge_all_records_every_document_concerning_the_team_at_once(paddock):
    done = make_board_document(paddock.meeting, "Bulletin 1")
    make_board_document(paddock.meeting, "Bulletin 2")
    make_board_document(
        paddock.meeting, "Decision car A", kind=BoardKind.DECISION, concerns=[paddock.alpha_car]
    )
    not_ours = make_board_document(
        paddock.meeting, "Decision car G", kind=BoardKind.DECISION, concerns=[paddock.gamma_car]
    )
    manager = manager_of(paddock.alpha)
    earlier = document_acknowledge(team=paddock.alpha, document=done, user=manager)

    response = entrant_client(manager).post(
        acknowledge_url(paddock.meeting), {"document": "all", "team": paddock.alpha.pk}, follow=True
    )

    assert "Alpha Racing acknowledged 2 documents." in response.content.decode()
    acknowledged = Acknowledgement.objects.filter(team=paddock.alpha)
    assert sorted(a.document.number for a in acknowledged) == [1, 2, 3]
    assert acknowledged.get(document=done).acknowledged_at == earlier.acknowledged_at
    assert not Acknowledgement.objects.filter(document=not_ours).exists()
    assert meeting_acknowledge(team=paddock.alpha, meeting=paddock.meeting, user=manager) == 0


def test_a_superseded_document_still_waits_for_acknowledgement(paddock):
    old = make_board_document(paddock.meeting, "Timetable", kind=BoardKind.TIMETABLE)
    new = make_board_document(
        paddock.meeting, "Timetable v2", kind=BoardKind.TIMETABLE, supersedes=old
    )

    count = meeting_acknowledge(
        team=paddock.alpha, meeting=paddock.meeting, user=manager_of(paddock.alpha)
    )

    assert count == 2
    assert set(Acknowledgement.objects.values_list("document", flat=True)) == {old.pk, new.pk}


@pytest.mark.parametrize("role", [TeamRole.STAFF, TeamRole.DRIVER])
def test_team_staff_and_drivers_read_the_board_but_cannot_acknowledge(paddock, role):
    document = make_board_document(paddock.meeting, "Bulletin 1")
    account = member(paddock.alpha, role)
    client = entrant_client(account)

    page = client.get(board_url(paddock.meeting))
    one = client.post(acknowledge_url(paddock.meeting), {"document": document.pk}, follow=True)
    every = client.post(acknowledge_url(paddock.meeting), {"document": "all"}, follow=True)

    assert page.status_code == 200
    html = page.content.decode()
    assert "Bulletin 1" in html and "not yet" in html
    assert 'name="document"' not in html
    assert not Acknowledgement.objects.exists()
    refusal = "Only a manager of Alpha Racing acknowledges its notice board documents."
    assert refusal in one.content.decode() and refusal in every.content.decode()
    with pytest.raises(AcknowledgementError):
        document_acknowledge(team=paddock.alpha, document=document, user=account)


def test_a_document_not_concerning_the_team_is_refused_naming_the_document(paddock):
    about_gamma = make_board_document(
        paddock.meeting, "Decision car G", kind=BoardKind.DECISION, concerns=[paddock.gamma_car]
    )
    manager = manager_of(paddock.alpha)

    with pytest.raises(AcknowledgementError) as refused:
        document_acknowledge(team=paddock.alpha, document=about_gamma, user=manager)
    response = entrant_client(manager).post(
        acknowledge_url(paddock.meeting), {"document": about_gamma.pk}, follow=True
    )
    nothing = entrant_client(manager).post(
        acknowledge_url(paddock.meeting), {"document": "12x"}, follow=True
    )

    assert refused.value.message_dict == {"document": ["Document 1 does not concern Alpha Racing."]}
    assert "Document 1 does not concern Alpha Racing." in response.content.decode()
    assert "Document: choose a document of this round" in nothing.content.decode()
    assert not Acknowledgement.objects.exists()


def test_another_teams_round_is_404(paddock):
    document = make_board_document(paddock.other_meeting, "Bulletin 1")
    client = entrant_client(manager_of(paddock.alpha))

    assert client.get(board_url(paddock.other_meeting)).status_code == 404
    assert (
        client.post(acknowledge_url(paddock.other_meeting), {"document": "all"}).status_code == 404
    )
    assert (
        client.post(acknowledge_url(paddock.other_meeting), {"document": document.pk}).status_code
        == 404
    )
    # A team of the round named by a member of another team only: 404 too.
    mixed = client.post(
        acknowledge_url(paddock.meeting), {"document": "all", "team": paddock.gamma.pk}
    )
    assert mixed.status_code == 404
    assert not Acknowledgement.objects.exists()


def test_the_board_pages_show_number_kind_title_time_in_circuit_time_and_pdf(paddock):
    at = dt.datetime(2024, 4, 20, 6, 5, tzinfo=dt.UTC)  # 14:05 in Shanghai
    document = make_board_document(paddock.meeting, "Bulletin 1", at=at)
    client = entrant_client(manager_of(paddock.alpha))

    listing = client.get(reverse("paddock:board")).content.decode()
    page = client.get(board_url(paddock.meeting)).content.decode()

    assert board_url(paddock.meeting) in listing
    assert "Sat 20 Apr, 14:05" in page and "Asia/Shanghai time, UTC+0800" in page
    assert "Bulletin" in page and "Bulletin 1" in page
    pdf = reverse(
        "championships:board-pdf",
        kwargs={
            "slug": paddock.championship.slug,
            "round": paddock.meeting.round,
            "number": document.number,
            "language": "en",
        },
    )
    assert pdf in page
    assert 'value="all"' in page


def test_the_paddock_home_links_the_board_with_the_documents_waiting(paddock):
    make_board_document(paddock.meeting, "Bulletin 1")
    make_board_document(paddock.meeting, "Bulletin 2")

    html = entrant_client(manager_of(paddock.alpha)).get(reverse("paddock:home")).content.decode()

    assert reverse("paddock:board") in html
    assert "2 documents waiting for acknowledgement" in html


# --- E-mail ----------------------------------------------------------------------------------


def test_a_decision_about_a_car_is_emailed_to_its_team_in_the_teams_language(
    paddock, django_capture_on_commit_callbacks
):
    EntrantTeam.objects.filter(pk=paddock.alpha.pk).update(language="zh-hans")
    mail.outbox = []

    with django_capture_on_commit_callbacks(execute=True):
        document = make_board_document(
            paddock.meeting,
            "Drive-through penalty, car A",
            title_zh_hans="A车 通过维修区处罚",
            kind=BoardKind.DECISION,
            concerns=[paddock.alpha_car],
        )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [manager_of(paddock.alpha).email]
    assert "A车 通过维修区处罚" in message.subject and "A车 通过维修区处罚" in message.body
    assert f"/zh-hans/paddock/board/{paddock.meeting.pk}/" in message.body
    assert (
        f"/zh-hans/championships/{paddock.championship.slug}/rounds/1/board/"
        f"{document.number}/en.pdf" in message.body
    )
    assert "Asia/Shanghai" in message.body


def test_the_links_of_the_email_are_absolute_when_published_in_a_request(paddock):
    document = make_board_document(
        paddock.meeting, "Summons", kind=BoardKind.SUMMONS, concerns=[paddock.alpha_car]
    )
    mail.outbox = []

    with allauth_context.request_context(RequestFactory().get("/admin/")):
        sent = document_published_mail(None, document=document)

    assert sent == ["Alpha Racing"]
    assert f"http://testserver/paddock/board/{paddock.meeting.pk}/" in mail.outbox[0].body
    assert "http://testserver/championships/" in mail.outbox[0].body


def test_the_links_of_the_email_sent_by_the_worker_take_the_sites_address(paddock, settings):
    """Drawn by the task queue's worker, a document is e-mailed outside any request."""
    settings.SITE_URL = "https://cup.example.com"
    document = make_board_document(
        paddock.meeting, "Summons", kind=BoardKind.SUMMONS, concerns=[paddock.alpha_car]
    )
    mail.outbox = []

    document_published_mail(None, document=document)

    assert f"https://cup.example.com/paddock/board/{paddock.meeting.pk}/" in mail.outbox[0].body


def test_no_email_for_a_classification_for_everyone_or_to_another_team(
    paddock, django_capture_on_commit_callbacks
):
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        make_board_document(
            paddock.meeting,
            "Provisional classification",
            kind=BoardKind.PROVISIONAL_CLASSIFICATION,
            concerns=[paddock.alpha_car],
        )
        make_board_document(paddock.meeting, "Decision for all", kind=BoardKind.DECISION)
        make_board_document(
            paddock.meeting, "Decision car G", kind=BoardKind.DECISION, concerns=[paddock.gamma_car]
        )

    assert [message.to for message in mail.outbox] == [[manager_of(paddock.gamma).email]]


def test_a_failing_mail_server_fails_no_publication(paddock, settings, monkeypatch):
    import smtplib

    def refuse(*args, **kwargs):
        raise smtplib.SMTPException("down")

    monkeypatch.setattr("paddock.emails.send_mail", refuse)
    document = make_board_document(
        paddock.meeting, "Decision", kind=BoardKind.DECISION, concerns=[paddock.alpha_car]
    )

    assert document_published_mail(None, document=document) == []


# --- Staff -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [SERIES_MANAGER_GROUP, RACE_CONTROL_GROUP])
def test_staff_see_who_has_not_acknowledged(client, paddock, role):
    bulletin = make_board_document(paddock.meeting, "Bulletin 1")
    make_board_document(
        paddock.meeting, "Decision car G", kind=BoardKind.DECISION, concerns=[paddock.gamma_car]
    )
    document_acknowledge(team=paddock.alpha, document=bulletin, user=manager_of(paddock.alpha))
    client.force_login(make_staff("steward", roles=(role,)))

    listing = client.get(reverse("admin:paddock_acknowledgement_changelist"))
    url = reverse("admin:paddock_acknowledgement_meeting", args=[paddock.meeting.pk])
    page = client.get(url)

    assert listing.status_code == 200
    assert url in listing.content.decode()
    assert page.status_code == 200
    html = page.content.decode()
    missing = html.split('id="not-acknowledged"')[1].split("</div>")[0]
    assert "Gamma Motorsport: 1, 2" in missing
    assert "Alpha Racing" not in missing
    assert html.count("not yet") == 2  # Gamma, documents 1 and 2
    assert "Other Team" not in html


def test_staff_without_the_permission_are_refused(client, paddock):
    client.force_login(make_staff("clerk"))

    url = reverse("admin:paddock_acknowledgement_meeting", args=[paddock.meeting.pk])

    assert client.get(url).status_code == 403


# --- Speed -----------------------------------------------------------------------------------


def test_the_board_page_has_the_same_queries_for_2_and_20_documents(
    paddock, django_assert_num_queries
):
    manager = manager_of(paddock.alpha)
    for n in range(2):
        make_board_document(paddock.meeting, f"Bulletin {n}")
    client = entrant_client(manager)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(board_url(paddock.meeting)).status_code == 200
    expected = len(queries)

    for n in range(18):
        document = make_board_document(
            paddock.meeting, f"Decision {n}", kind=BoardKind.DECISION, concerns=[paddock.alpha_car]
        )
        if n % 2:
            document_acknowledge(team=paddock.alpha, document=document, user=manager)
    with django_assert_num_queries(expected):
        html = client.get(board_url(paddock.meeting)).content.decode()

    assert html.count('<tr id="document-') == 20


def test_staff_read_the_same_teams_per_document_as_each_team_reads_for_itself(paddock):
    """``concerned_teams`` (the staff page, from rows) and ``concerning`` (each team's board, a
    query) are one rule: they agree on every document, named cars or none."""
    applicant = make_entrant_team("Applied Racing")
    applied_car = make_entry(paddock.championship)
    window = make_window(paddock.championship)
    make_application(window, applicant, status="APPROVED", entry=applied_car)
    make_board_document(paddock.meeting, "Bulletin for everyone")
    make_board_document(
        paddock.meeting, "Decision car A", kind=BoardKind.DECISION, concerns=[paddock.alpha_car]
    )
    make_board_document(
        paddock.meeting, "Decision car X", kind=BoardKind.DECISION, concerns=[applied_car]
    )

    rows, _missing = meeting_acknowledgements(paddock.meeting)

    for row in rows:
        staff_view = {team.name for team, _ack in row.teams}
        each_team = {
            team.name
            for team in (paddock.alpha, paddock.gamma, paddock.other, applicant)
            if documents_concerning(team, paddock.meeting).filter(pk=row.document.pk).exists()
        }
        assert staff_view == each_team, row.document.title


def test_the_staff_page_reads_the_same_queries_for_2_and_12_teams(
    client, paddock, django_assert_num_queries
):
    client.force_login(make_staff("steward", roles=(RACE_CONTROL_GROUP,)))
    make_board_document(paddock.meeting, "Bulletin 1")
    url = reverse("admin:paddock_acknowledgement_meeting", args=[paddock.meeting.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(10):
        racing_team(f"Team {n}", paddock.championship)
    make_board_document(
        paddock.meeting, "Decision car A", kind=BoardKind.DECISION, concerns=[paddock.alpha_car]
    )

    with django_assert_num_queries(len(few)):
        assert client.get(url).status_code == 200
