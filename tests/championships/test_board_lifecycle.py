"""What happens to a round's notice board when what it shows goes: a season deleted takes its
board with it, PDFs included; a race or a decision deleted leaves its documents on the board,
unchanged; a drawn document is announced once, however often its PDFs are drawn again."""

from __future__ import annotations

import datetime as dt

import pytest

from championships.board import (
    BoardError,
    board_pending,
    board_publish,
    board_render,
    document_published,
)
from championships.models import BoardDocument, BoardEdition, BoardKind, Issuer, PenaltyKind
from championships.services import penalty_delete, penalty_save, season_delete
from core.documents import board_storage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    championship = factories.make_championship(slug="cup-gone")
    meeting = factories.make_meeting(championship)
    race = factories.make_race(meeting)
    for place, car in enumerate((7, 11), start=1):
        factories.make_result(race, factories.make_entry(championship, car), place)
    return meeting


def test_a_deleted_seasons_board_goes_with_its_pdfs(
    meeting, admin_user, django_capture_on_commit_callbacks
):
    document = factories.make_board_document(meeting)
    name = document.editions.get().file.name
    assert board_storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        season_delete(
            championship_id=meeting.championship_id, by=admin_user, confirm_name="cup-gone"
        )

    assert not BoardDocument.objects.exists() and not BoardEdition.objects.exists()
    assert not board_storage.exists(name)


def test_a_rolled_back_deletion_keeps_the_pdfs(
    meeting, admin_user, django_capture_on_commit_callbacks
):
    document = factories.make_board_document(meeting)
    name = document.editions.get().file.name

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        season_delete(
            championship_id=meeting.championship_id, by=admin_user, confirm_name="cup-gone"
        )

    assert callbacks  # the file's deletion waits for the commit, which never came here
    assert board_storage.exists(name)


def test_a_decision_deleted_leaves_its_document_on_the_board(meeting):
    race = meeting.races.get()
    entry = meeting.championship.entries.get(car_number=7)
    penalty = factories.make_penalty(entry, PenaltyKind.TIME, race=race)
    penalty.decided_at = dt.datetime(2024, 4, 20, 8, 0, tzinfo=dt.UTC)
    penalty_save(penalty=penalty)
    posted = BoardDocument.objects.get(kind=BoardKind.DECISION)

    penalty_delete(penalty=penalty)

    posted.refresh_from_db()
    assert posted.decision is None and posted.title_en.startswith("Decision")
    # The classification without it is the next version, posted as well.
    assert (
        BoardDocument.objects.filter(race=race, classification_version__isnull=False).count() == 2
    )


def test_a_deleted_race_leaves_its_documents_on_the_board(meeting):
    race = factories.make_race(meeting, number=2)
    document = board_publish(
        meeting=meeting,
        kind=BoardKind.GRID,
        title_en="Race 2 grid",
        issued_by=Issuer.RACE_DIRECTOR,
        race=race,
        pdf=factories.PDF,
    )

    race.delete()

    document.refresh_from_db()
    assert document.race is None and document.title_en == "Race 2 grid"


def test_a_generated_document_is_announced_once_however_often_it_is_drawn(meeting, monkeypatch):
    document = board_publish(
        meeting=meeting,
        kind=BoardKind.BULLETIN,
        title_en="Bulletin",
        issued_by=Issuer.RACE_DIRECTOR,
        template="board/pdf/base.html",
        content={"title": "Bulletin"},
    )
    announced = []

    def listen(sender, document, **kwargs):
        announced.append(document.pk)

    document_published.connect(listen)
    try:
        calls = {"n": 0}
        real = __import__("championships.board_pdf", fromlist=["render_pdf"]).render_pdf

        def fail_chinese_once(doc, language):
            calls["n"] += 1
            if language == "zh-hans" and calls["n"] == 2:
                raise RuntimeError("font missing")
            return real(doc, language)

        monkeypatch.setattr("championships.board_pdf.render_pdf", fail_chinese_once)
        board_render(document_id=document.pk)  # English drawn, Chinese failed: announced
        board_render(document_id=document.pk)  # Chinese drawn later: not announced again
    finally:
        document_published.disconnect(listen)

    assert document.editions.count() == 2
    assert announced == [document.pk]


def test_in_production_the_pdfs_are_drawn_by_the_task_queue_after_the_commit(
    settings, meeting, task_queue, django_capture_on_commit_callbacks
):
    settings.BOARD_DRAW_IN_BACKGROUND = True

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = board_publish(
            meeting=meeting,
            kind=BoardKind.BULLETIN,
            title_en="Bulletin",
            issued_by=Issuer.RACE_DIRECTOR,
            template="board/pdf/base.html",
            content={"title": "Bulletin"},
        )
    assert document.editions.count() == 0  # nothing drawn inside the publication
    for callback in callbacks:
        callback()  # the commit queues the drawing; the worker (here, at once) draws it

    assert sorted(document.editions.values_list("language", flat=True)) == ["en", "zh-hans"]


def test_a_drawing_that_fails_is_tried_again_by_the_queue(
    settings, meeting, task_queue, monkeypatch, django_capture_on_commit_callbacks
):
    settings.BOARD_DRAW_IN_BACKGROUND = True
    monkeypatch.setattr(
        "championships.board_pdf.render_pdf",
        lambda document, language: (_ for _ in ()).throw(RuntimeError("Pango missing")),
    )

    with django_capture_on_commit_callbacks(execute=True):
        document = board_publish(
            meeting=meeting,
            kind=BoardKind.BULLETIN,
            title_en="Bulletin",
            issued_by=Issuer.RACE_DIRECTOR,
            template="board/pdf/base.html",
            content={"title": "Bulletin"},
        )

    (retry,) = task_queue.scheduled()
    assert (retry.name, retry.kwargs, retry.retries) == (
        "board_draw",
        {"document_id": document.pk},
        2,
    )
    assert board_pending() == [document.pk]


def test_a_document_of_an_unknown_kind_is_refused(meeting):
    with pytest.raises(BoardError):
        board_publish(
            meeting=meeting,
            kind="MEMO",
            title_en="Memo",
            issued_by=Issuer.STEWARDS,
            pdf=factories.PDF,
        )

    assert not BoardDocument.objects.exists()
