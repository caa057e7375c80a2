"""``manage.py board_render``: the generated notice board documents whose PDFs were never drawn
(their after-commit drawing did not run, or failed) are drawn; a second run draws nothing;
``--document ID`` draws one; a failed drawing is named and makes the command fail after the
others are drawn."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from championships import board_pdf
from championships.board_documents import board_publish_entry_list
from championships.models import BoardEdition
from tests import factories

pytestmark = pytest.mark.django_db

FAKE = b"%PDF-1.7\n% drawn by the test\n%%EOF\n"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("board_render", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def meeting(db):
    championship = factories.make_championship(name="Sepang Cup")
    meeting = factories.make_meeting(championship)
    factories.make_entry(championship, 7)
    return meeting


@pytest.fixture
def fake_drawing(monkeypatch):
    """Drawing without WeasyPrint: a tiny PDF naming the document, or the error asked for."""
    failing: set[int] = set()

    def render_pdf(document, language):
        if document.pk in failing:
            raise RuntimeError(f"no fonts for document {document.number}")
        return FAKE + f"{document.pk} {language}".encode()

    monkeypatch.setattr(board_pdf, "render_pdf", render_pdf)
    return failing


def languages(document) -> list[str]:
    return sorted(document.editions.values_list("language", flat=True))


def test_draws_the_missing_editions_then_nothing(meeting):
    # Published inside the test's transaction: its after-commit drawing never ran.
    document = board_publish_entry_list(meeting=meeting)
    uploaded = factories.make_board_document(meeting)
    assert not document.editions.exists()

    out, err = run()

    assert languages(document) == ["en", "zh-hans"]
    for edition in BoardEdition.objects.filter(document=document):
        data = edition.file.read()
        assert data.startswith(b"%PDF")
        assert hashlib.sha256(data).hexdigest() == edition.sha256
        assert edition.size == len(data)
    assert f"Document {document.number} of Sepang Cup" in out
    assert f"(id {document.pk}): drew en, zh-hans." in out
    assert "1 document drawn." in out
    assert err == ""
    assert uploaded.editions.count() == 1  # an uploaded document is never drawn

    editions = list(BoardEdition.objects.order_by("pk").values_list("pk", "sha256"))
    out, _err = run()
    assert "Nothing to draw" in out
    assert "drew" not in out
    assert list(BoardEdition.objects.order_by("pk").values_list("pk", "sha256")) == editions


def test_draws_only_the_language_missing(meeting, fake_drawing):
    document = board_publish_entry_list(meeting=meeting)
    BoardEdition.objects.create(
        document=document, language="en", sha256="0" * 64, size=1, file="kept.pdf"
    )

    out, _err = run()

    assert f"(id {document.pk}): drew zh-hans." in out
    assert languages(document) == ["en", "zh-hans"]
    assert document.editions.get(language="en").sha256 == "0" * 64


def test_one_document(meeting, fake_drawing):
    first = board_publish_entry_list(meeting=meeting)
    second = board_publish_entry_list(meeting=meeting)

    out, _err = run("--document", str(second.pk))

    assert f"(id {second.pk}): drew en, zh-hans." in out
    assert "1 document drawn." in out
    assert languages(second) == ["en", "zh-hans"]
    assert languages(first) == []
    # Already drawn: nothing to do, not an error.
    out, _err = run("--document", str(second.pk))
    assert "Nothing to draw" in out


def test_unknown_document(meeting):
    with pytest.raises(CommandError, match="No notice board document has the id 987654"):
        run("--document", "987654")


def test_uploaded_document_has_nothing_to_draw(meeting):
    uploaded = factories.make_board_document(meeting)

    with pytest.raises(CommandError, match=rf"Document id {uploaded.pk} is an uploaded PDF"):
        run("--document", str(uploaded.pk))
    assert uploaded.editions.count() == 1


def test_a_failed_drawing_is_named_after_the_others_are_drawn(meeting, fake_drawing):
    failing = board_publish_entry_list(meeting=meeting)
    drawn = board_publish_entry_list(meeting=meeting)
    fake_drawing.add(failing.pk)
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("board_render", stdout=out, stderr=err)

    message = str(raised.value)
    assert message.startswith("1 document drawn, 1 not drawn:")
    assert f"Document {failing.number} of Sepang Cup" in message
    assert f"(id {failing.pk}): not drawn in en, zh-hans" in message
    assert f"RuntimeError: no fonts for document {failing.number}" in message
    assert f"(id {failing.pk}): not drawn" in err.getvalue()
    assert f"(id {drawn.pk}): drew en, zh-hans." in out.getvalue()
    assert languages(drawn) == ["en", "zh-hans"]
    assert languages(failing) == []

    # Fixed: the next run draws the one that failed, and only it.
    fake_drawing.clear()
    again, _err = run()
    assert f"(id {failing.pk}): drew en, zh-hans." in again
    assert f"(id {drawn.pk})" not in again
    assert languages(failing) == ["en", "zh-hans"]
