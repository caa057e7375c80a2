"""The notice board's back office: documents read only, an uploaded PDF published through the
one write, a meeting's board with the buttons that publish the documents CupManager draws,
who may do what, and race control's Versions page naming the document of each version."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from championships import board_admin
from championships.board import BoardError, board_publish
from championships.models import (
    BoardDocument,
    BoardKind,
    ClassificationState,
    Issuer,
)
from championships.services import classification_declare
from staff.roles import RACE_CONTROL_GROUP, READ_ONLY_STAFF_GROUP, SERIES_MANAGER_GROUP
from tests.factories import (
    PDF,
    make_board_document,
    make_championship,
    make_entry,
    make_meeting,
    make_race,
    make_result,
    pdf_file,
    png_file,
    role_client,
)

ADD = "admin:championships_boarddocument_add"
CHANGELIST = "admin:championships_boarddocument_changelist"


def board(meeting) -> str:
    return reverse("admin:championships_boarddocument_meeting", args=[meeting.pk])


def change(document) -> str:
    return reverse("admin:championships_boarddocument_change", args=[document.pk])


def publish_data(meeting, **changes) -> dict:
    return {
        "meeting": meeting.pk,
        "kind": BoardKind.BULLETIN,
        "title_en": "Bulletin 1: pit lane speed",
        "title_zh_hans": "",
        "issued_by": Issuer.RACE_DIRECTOR,
        "pdf": pdf_file("bulletin.pdf"),
        "pdf_language": "en",
        "supersedes": "",
        **changes,
    }


def stored(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def meeting(championship):
    return make_meeting(championship)


# Publishing an upload ---------------------------------------------------------------------


def test_publishing_an_upload_numbers_it_and_keeps_the_files_hash(staff_client, meeting):
    entry = make_entry(meeting.championship, 7)

    response = staff_client.post(
        reverse(ADD), publish_data(meeting, title_zh_hans="公告1", concerns=[entry.pk])
    )

    document = BoardDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == board(meeting)
    assert (document.number, document.kind, document.title_en) == (
        1,
        BoardKind.BULLETIN,
        "Bulletin 1: pit lane speed",
    )
    assert document.title_zh_hans == "公告1"
    assert document.published_by.username == "admin"
    assert list(document.concerns.all()) == [entry]
    edition = document.editions.get()
    assert (edition.language, edition.sha256) == ("en", hashlib.sha256(PDF).hexdigest())
    assert edition.file.read() == PDF
    assert any("document 1" in text for text in texts(response))


def test_the_publish_form_offers_the_rounds_documents_and_its_entries_search(staff_client, meeting):
    old = make_board_document(meeting, "Timetable")
    elsewhere = make_board_document(make_meeting(meeting.championship, 2), "Elsewhere")

    response = staff_client.get(reverse(ADD), {"meeting": meeting.pk})

    form = response.context["form"]
    assert response.status_code == 200
    assert list(form.fields["supersedes"].queryset) == [old]
    assert elsewhere not in form.fields["supersedes"].queryset
    assert f"?championship={meeting.championship_id}" in response.content.decode()
    assert 'for="id_pdf"' in response.content.decode()


def test_a_file_that_is_not_a_pdf_is_refused_beside_the_pdf_field_and_nothing_written(
    staff_client, meeting, board_root
):
    response = staff_client.post(reverse(ADD), publish_data(meeting, pdf=png_file("fake.pdf")))

    assert response.status_code == 200
    assert "not a PDF" in " ".join(response.context["form"].errors["pdf"])
    assert not BoardDocument.objects.exists()
    assert stored(board_root) == []


def test_a_title_in_english_is_required(staff_client, meeting):
    response = staff_client.post(reverse(ADD), publish_data(meeting, title_en=""))

    assert "title_en" in response.context["form"].errors
    assert not BoardDocument.objects.exists()


def test_a_correction_supersedes_and_a_second_correction_of_the_same_document_is_refused(
    staff_client, meeting
):
    old = make_board_document(meeting, "Grid race 1")

    first = staff_client.post(
        reverse(ADD), publish_data(meeting, title_en="Grid race 1 (amended)", supersedes=old.pk)
    )
    second = staff_client.post(
        reverse(ADD), publish_data(meeting, title_en="Grid race 1 (again)", supersedes=old.pk)
    )

    assert first.status_code == 302
    new = BoardDocument.objects.get(number=2)
    assert new.supersedes == old
    assert second.status_code == 200
    assert "supersedes" in second.context["form"].errors
    assert BoardDocument.objects.count() == 2


def test_a_document_of_another_round_is_not_superseded(staff_client, meeting):
    other = make_board_document(make_meeting(meeting.championship, 2))

    response = staff_client.post(reverse(ADD), publish_data(meeting, supersedes=other.pk))

    assert "supersedes" in response.context["form"].errors
    assert BoardDocument.objects.count() == 1


def test_a_car_of_another_championship_is_not_concerned(staff_client, meeting):
    stranger = make_entry(make_championship("other-cup"), 9)

    response = staff_client.post(reverse(ADD), publish_data(meeting, concerns=[stranger.pk]))

    assert "concerns" in response.context["form"].errors
    assert not BoardDocument.objects.exists()


def test_the_publications_refusal_is_shown_as_the_forms_error(staff_client, meeting, monkeypatch):
    def refuse(**kwargs):
        raise BoardError("Document 1 was already superseded; supersede its successor.")

    monkeypatch.setattr(board_admin, "board_publish", refuse)

    response = staff_client.post(reverse(ADD), publish_data(meeting))

    assert response.status_code == 200
    assert "already superseded" in " ".join(response.context["form"].non_field_errors())
    assert "already superseded" in response.content.decode()


# Read only ----------------------------------------------------------------------------------


def test_a_published_document_is_read_only_with_its_hash_link_and_successor(staff_client, meeting):
    old = make_board_document(meeting, "Timetable")
    new = make_board_document(meeting, "Timetable v2", supersedes=old)

    response = staff_client.get(change(old))
    page = response.content.decode()

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert 'name="_save"' not in page
    assert hashlib.sha256(PDF).hexdigest() in page
    pdf = reverse(
        "championships:board-pdf",
        kwargs={
            "slug": meeting.championship.slug,
            "round": meeting.round,
            "number": 1,
            "language": "en",
        },
    )
    assert pdf in page
    assert change(new) in page
    assert f"({meeting.circuit.timezone}, UTC+08:00)" in page


def test_nobody_changes_or_deletes_a_published_document(staff_client, meeting):
    document = make_board_document(meeting)

    posted = staff_client.post(change(document), {"title_en": "Changed"})
    delete = reverse("admin:championships_boarddocument_delete", args=[document.pk])
    changelist = staff_client.get(reverse(CHANGELIST))

    assert posted.status_code == 403
    assert staff_client.get(delete).status_code == 403
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403
    assert "delete_selected" not in changelist.content.decode()
    document.refresh_from_db()
    assert document.title_en == "Bulletin 1"


def test_the_list_shows_each_documents_round_time_and_editions(staff_client, meeting):
    make_board_document(meeting, "Timetable")
    generated = board_publish(
        meeting=meeting,
        kind=BoardKind.ENTRY_LIST,
        title_en="Entry list",
        issued_by=Issuer.SERIES,
        template="board/pdf/entry_list.html",
        content={"entries": [1, 2]},
    )

    response = staff_client.get(reverse(CHANGELIST), {"meeting": meeting.pk})
    page = response.content.decode()

    assert response.status_code == 200
    assert [row.pk for row in response.context["cl"].result_list] == [
        generated.pk,
        generated.pk - 1,
    ]
    assert "English" in page
    assert "pending" in page  # the generated one is not drawn yet
    assert board(meeting) in page  # the round's board, from the filtered list
    assert f"{reverse(ADD)}?meeting={meeting.pk}" in page


def test_the_list_reads_a_set_number_of_queries(staff_client, meeting, django_assert_num_queries):
    make_board_document(meeting)
    with CaptureQueriesContext(connection) as one:
        staff_client.get(reverse(CHANGELIST))
    for number in range(2, 8):
        make_board_document(make_meeting(meeting.championship, number), f"Bulletin {number}")

    with django_assert_num_queries(len(one.captured_queries)):
        staff_client.get(reverse(CHANGELIST))


# A meeting's board --------------------------------------------------------------------------


def test_the_meetings_page_links_to_its_board(staff_client, meeting):
    response = staff_client.get(reverse("admin:championships_meeting_change", args=[meeting.pk]))

    assert board(meeting) in response.content.decode()


def test_a_meetings_board_lists_its_documents_with_a_button_per_race(staff_client, meeting):
    make_race(meeting, 1)
    make_race(meeting, 2)
    old = make_board_document(meeting, "Timetable")
    make_board_document(meeting, "Timetable v2", supersedes=old)

    response = staff_client.get(board(meeting))
    page = response.content.decode()

    assert response.status_code == 200
    assert [row["document"].number for row in response.context["rows"]] == [1, 2]
    assert "Superseded by document 2" in page
    assert "Publish the entry list" in page
    assert "Publish the grid of race 1" in page
    assert "Publish the grid of race 2" in page
    assert "Publish the standings after this round" in page


def test_a_meetings_board_reads_a_set_number_of_queries(staff_client, meeting):
    make_board_document(meeting)
    with CaptureQueriesContext(connection) as one:
        staff_client.get(board(meeting))
    for number in range(2, 8):
        make_board_document(meeting, f"Bulletin {number}")
    with CaptureQueriesContext(connection) as many:
        staff_client.get(board(meeting))

    assert len(many.captured_queries) == len(one.captured_queries)


def test_the_buttons_publish_only_by_post(staff_client, meeting):
    response = staff_client.get(board(meeting), {"document": "entry-list"})

    assert response.status_code == 200
    assert not BoardDocument.objects.exists()


def test_a_grid_of_another_rounds_race_is_a_404(staff_client, meeting):
    other = make_race(make_meeting(meeting.championship, 2))

    response = staff_client.post(board(meeting), {"document": "grid", "race": other.pk})

    assert response.status_code == 404
    assert not BoardDocument.objects.exists()


@pytest.fixture
def raced(meeting):
    """The meeting with two entries, a race and its results."""
    race = make_race(meeting)
    for position, car in enumerate((7, 11), start=1):
        make_result(race, make_entry(meeting.championship, car), position=position, grid=position)
    return race


@pytest.mark.parametrize(
    ("posted", "kind"),
    [
        ({"document": "entry-list"}, BoardKind.ENTRY_LIST),
        ({"document": "standings"}, BoardKind.STANDINGS),
        ({"document": "grid"}, BoardKind.GRID),
    ],
)
def test_each_button_publishes_its_document_on_the_rounds_board(
    staff_client, meeting, raced, posted, kind
):
    if posted["document"] == "grid":
        posted = {**posted, "race": raced.pk}

    response = staff_client.post(board(meeting), posted)

    document = BoardDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == board(meeting)
    assert (document.meeting, document.kind, document.number) == (meeting, kind, 1)
    assert document.published_by.username == "admin"
    assert document.is_generated
    assert any("document 1" in text for text in texts(response))


# Roles --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [SERIES_MANAGER_GROUP, RACE_CONTROL_GROUP])
def test_race_control_and_the_series_manager_publish(client, meeting, role):
    client = role_client(client, role)

    response = client.post(reverse(ADD), publish_data(meeting))

    assert response.status_code == 302
    assert BoardDocument.objects.get().published_by.username == "staffer"


def test_read_only_staff_read_the_board_but_publish_nothing(client, meeting):
    make_race(meeting)
    document = make_board_document(meeting)
    client = role_client(client, READ_ONLY_STAFF_GROUP)

    page = client.get(board(meeting))

    assert page.status_code == 200
    assert "Publish the entry list" not in page.content.decode()
    assert client.get(change(document)).status_code == 200
    assert client.get(reverse(ADD)).status_code == 403
    assert client.post(reverse(ADD), publish_data(meeting)).status_code == 403
    assert client.post(board(meeting), {"document": "entry-list"}).status_code == 403
    assert BoardDocument.objects.count() == 1


def test_staff_without_a_role_see_no_board(client, meeting):
    client = role_client(client)

    assert client.get(board(meeting)).status_code == 403


# Race control's versions --------------------------------------------------------------------


def test_the_versions_page_names_the_document_that_published_each_version(
    staff_client, meeting, django_capture_on_commit_callbacks
):
    race = make_race(meeting)
    make_result(race, make_entry(meeting.championship, 7), position=1)
    with django_capture_on_commit_callbacks(execute=True):  # its PDFs drawn after the commit
        declared = classification_declare(race=race, state=ClassificationState.PROVISIONAL)
    baseline = race.classification_versions.get(number=1)  # the results held before
    document = BoardDocument.objects.get(classification_version=declared)

    response = staff_client.get(reverse("admin:championships_race_versions", args=[race.pk]))
    page = response.content.decode()

    assert response.status_code == 200
    assert baseline.cause == "BASELINE"
    assert [p["board"] and p["board"]["document"] for p in response.context["versions"]] == [
        document,
        None,
    ]
    assert f"On the notice board as document {document.number}" in page
    assert change(document) in page
    assert f"/board/{document.number}/en.pdf" in page
    assert "Not on the notice board." in page
