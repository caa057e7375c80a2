"""GET /api/v1/meetings/{id}/board/: a meeting's notice board as JSON, every document in number
order with its editions' SHA-256 and PDF addresses, what it supersedes and what supersedes it;
a draft season's board for staff only; the stewards' decision of a protest upheld on it; the
same queries for 2 and 30 documents; the action in the OpenAPI schema."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from championships.board import _edition, board_publish
from championships.models import BoardKind, Issuer, PenaltyKind, SeasonStatus
from paddock.services.hearings import protest_uphold
from staff.roles import RACE_CONTROL_GROUP
from tests import factories
from tests.factories import PDF, make_board_document, make_staff
from tests.paddock.factories import make_protest, make_racing_team

pytestmark = pytest.mark.django_db

# 07:42:05 UTC is 15:42:05 at Sepang (UTC+8).
AT = dt.datetime(2026, 3, 15, 7, 42, 5, tzinfo=dt.UTC)
BOARD = "/championships/pcca-2026/rounds/3/board/"


@pytest.fixture
def meeting(db):
    championship = factories.make_championship("pcca-2026", year=2026)
    sepang = factories.make_circuit(
        "Sepang International Circuit", country="MY", timezone="Asia/Kuala_Lumpur"
    )
    return factories.make_meeting(championship, 3, circuit=sepang)


def api_url(meeting) -> str:
    return f"/api/v1/meetings/{meeting.pk}/board/"


def board(client, meeting) -> list[dict]:
    response = client.get(api_url(meeting))
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_each_document_in_number_order_with_its_editions_and_supersession(
    client, meeting, django_user_model
):
    director = django_user_model.objects.create_user(
        "rd-login", first_name="Ana", last_name="Lim", password="pw-for-tests"
    )
    grid = make_board_document(
        meeting,
        "Grid race 1",
        title_zh_hans="第1场发车顺序",
        kind=BoardKind.GRID,
        at=AT,
        user=director,
    )
    chinese = _edition(grid, "zh-hans", PDF + b"%zh\n")
    make_board_document(meeting, "Timetable", kind=BoardKind.TIMETABLE, at=AT)
    make_board_document(
        meeting, "Grid race 1, corrected", kind=BoardKind.GRID, supersedes=grid, at=AT
    )
    english = grid.editions.get(language="en")

    documents = board(client, meeting)

    assert [d["number"] for d in documents] == [1, 2, 3]
    first = documents[0]
    assert first["kind"] == "GRID"
    assert (first["title"], first["title_en"], first["title_zh_hans"]) == (
        "Grid race 1",
        "Grid race 1",
        "第1场发车顺序",
    )
    assert first["issued_by"] == Issuer.RACE_DIRECTOR
    assert dt.datetime.fromisoformat(first["published_at"]) == AT
    assert first["published_at_local"] == "2026-03-15T15:42:05+08:00"
    assert first["published_by"] == "Ana Lim"  # never the username that signs in
    assert (first["supersedes"], first["superseded_by"]) == (None, 3)
    assert (documents[2]["supersedes"], documents[2]["superseded_by"]) == (1, None)
    assert documents[1]["published_by"] is None
    assert first["editions"] == [
        {
            "language": "en",
            "url": f"http://testserver{BOARD}1/en.pdf",
            "sha256": english.sha256,
            "size": len(PDF),
        },
        {
            "language": "zh-hans",
            "url": f"http://testserver{BOARD}1/zh-hans.pdf",
            "sha256": chinese.sha256,
            "size": len(PDF) + 4,
        },
    ]
    assert first["pending"] is False and first["cars_concerned"] == []


def test_the_pdf_urls_serve_the_bytes_whose_sha256_is_listed(client, meeting):
    make_board_document(meeting, "Timetable", at=AT)

    (document,) = board(client, meeting)
    (edition,) = document["editions"]
    response = client.get(edition["url"].removeprefix("http://testserver"))

    assert response.status_code == 200
    assert response["ETag"] == f'"{edition["sha256"]}"'


def test_a_generated_document_not_drawn_yet_is_pending_without_editions(client, meeting):
    board_publish(
        meeting=meeting,
        kind=BoardKind.PROVISIONAL_CLASSIFICATION,
        title_en="Race 1 — Provisional classification (version 1)",
        issued_by=Issuer.TIMEKEEPING,
        template="board/pdf/base.html",
        content={},
        at=AT,
    )

    (document,) = board(client, meeting)

    assert document["pending"] is True
    assert document["editions"] == []


def test_an_empty_board_is_an_empty_list(client, meeting):
    assert board(client, meeting) == []


def test_an_unknown_meeting_is_a_404(client, meeting):
    assert client.get(f"/api/v1/meetings/{meeting.pk + 1000}/board/").status_code == 404


def test_a_draft_seasons_board_is_a_404_for_the_public_and_read_by_staff(client, meeting):
    make_board_document(meeting, "Timetable", at=AT)
    championship = meeting.championship
    championship.status = SeasonStatus.DRAFT
    championship.save()

    assert client.get(api_url(meeting)).status_code == 404
    client.force_login(make_staff("reader", "championships.view_championship"))
    assert [d["title"] for d in board(client, meeting)] == ["Timetable"]


def test_a_protest_upheld_puts_its_decision_and_the_next_classification_on_the_board(
    client, meeting
):
    race = factories.make_race(meeting)
    championship = meeting.championship
    alpha, beta = make_racing_team(championship, "Alpha"), make_racing_team(championship, "Beta")
    car_a, car_b = alpha.racing_entries().get(), beta.racing_entries().get()
    factories.make_result(race, car_b, 1)
    factories.make_result(race, car_a, 2)
    provisional = make_board_document(
        meeting,
        "Race 1 — Provisional classification",
        kind=BoardKind.PROVISIONAL_CLASSIFICATION,
        race=race,
    )
    protest = make_protest(provisional, alpha, against=car_b, race=race)

    upheld = protest_uphold(
        protest=protest,
        kind=PenaltyKind.TIME,
        value=Decimal(5),
        race=race,
        reason_en="Causing a collision",
        number=7,
        user=make_staff("steward", roles=(RACE_CONTROL_GROUP,)),
    )

    documents = board(client, meeting)
    decision = next(d for d in documents if d["kind"] == BoardKind.DECISION)
    assert decision["number"] == upheld.outcome_document.number
    assert decision["decision"] == upheld.decision_id
    assert decision["issued_by"] == Issuer.STEWARDS
    assert decision["title"] == f"Decision 7 — car {car_b.car_number}: Time penalty"
    assert decision["cars_concerned"] == [car_b.car_number]
    assert decision["race"] == race.pk
    assert decision["pending"] is True  # drawn after the commit
    classification = documents[-1]
    assert classification["kind"] == BoardKind.PROVISIONAL_CLASSIFICATION
    assert classification["number"] == decision["number"] + 1
    assert "(version 2)" in classification["title"]  # the next version, caused by the decision
    assert [d["number"] for d in documents] == list(range(1, len(documents) + 1))


def full_board(meeting, count: int) -> None:
    """``count`` documents, half of them superseded, each with a Chinese edition too."""
    for n in range(count // 2):
        old = make_board_document(meeting, f"Bulletin {n}", title_zh_hans=f"公告 {n}", at=AT)
        _edition(old, "zh-hans", PDF + b"%zh\n")
        make_board_document(meeting, f"Bulletin {n} corrected", supersedes=old)


def test_the_same_queries_for_2_and_30_documents(client, meeting, django_assert_num_queries):
    full_board(meeting, 2)
    with django_assert_num_queries(4) as small:  # meeting, documents, editions, cars concerned
        assert len(board(client, meeting)) == 2
    full_board(meeting, 28)
    with django_assert_num_queries(len(small.captured_queries)):
        documents = board(client, meeting)
    assert len(documents) == 30
    assert [d["number"] for d in documents] == list(range(1, 31))


def test_the_schema_documents_the_board_action(client):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)

    operation = schema["paths"]["/api/v1/meetings/{id}/board/"]["get"]
    assert "notice board" in operation["summary"]
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert body["type"] == "array"
    name = body["items"]["$ref"].rsplit("/", 1)[-1]
    fields = schema["components"]["schemas"][name]["properties"]
    assert {
        "number",
        "kind",
        "title",
        "issued_by",
        "published_at",
        "published_at_local",
        "supersedes",
        "superseded_by",
        "editions",
        "pending",
    } <= set(fields)
    edition = fields["editions"]["items"]["$ref"].rsplit("/", 1)[-1]
    assert {"language", "url", "sha256", "size"} <= set(
        schema["components"]["schemas"][edition]["properties"]
    )
