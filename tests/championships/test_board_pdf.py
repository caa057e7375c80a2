"""The notice board's generated PDFs: each kind drawn in English and Chinese, read back with a
PDF parser; the content's translated texts; the same content drawn twice is the same file."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from championships.board import board_render
from championships.board_documents import (
    board_publish_decision,
    board_publish_entry_list,
    board_publish_grid,
    board_publish_standings,
)
from championships.board_pdf import render_pdf, resolve
from championships.models import (
    BoardEdition,
    BoardKind,
    ClassificationState,
    Issuer,
    PenaltyKind,
    Session,
    SessionKind,
    VersionCause,
)
from championships.services import classification_record
from championships.weekend import grid_publish, session_import
from core.times import circuit_time
from tests import factories

pytestmark = pytest.mark.django_db

DECIDED = dt.datetime(2024, 4, 21, 7, 30, tzinfo=dt.UTC)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def meeting(db):
    championship = factories.make_championship(name="Sepang Cup", name_zh_hans="雪邦杯")
    circuit = factories.make_circuit(
        "Sepang International Circuit", country="MY", timezone="Asia/Kuala_Lumpur"
    )
    meeting = factories.make_meeting(championship, circuit=circuit)
    race = factories.make_race(meeting)
    for place in range(1, 5):
        entry = factories.make_entry(
            championship,
            10 + place,
            driver=factories.make_driver("Ana", f"Racer{place}"),
            class_code="PRO" if place % 2 else "AM",
            category=None if place % 2 else "BRONZE",
        )
        factories.make_result(
            race, entry, place, grid=5 - place, total_time=dt.timedelta(minutes=30, seconds=place)
        )
    return meeting


def the_race(meeting):
    return meeting.races.get()


def entry_of(meeting, car):
    return meeting.championship.entries.get(car_number=car)


def test_resolve_reads_each_translated_text_in_the_language_else_english():
    content = {
        "name": {"en": "Cup", "zh-hans": "杯"},
        "circuit": {"en": "Sepang", "zh-hans": ""},
        "rows": [{"reason": {"en": "Speeding", "zh-hans": "超速"}, "car": 7}],
        "plain": {"en": "kept as it is", "other": 1},
    }
    assert resolve(content, "zh-hans") == {
        "name": "杯",
        "circuit": "Sepang",
        "rows": [{"reason": "超速", "car": 7}],
        "plain": {"en": "kept as it is", "other": 1},
    }
    assert resolve(content, "en")["rows"][0]["reason"] == "Speeding"


def test_circuit_time_names_the_zone_and_its_offset():
    moment = dt.datetime(2026, 3, 15, 7, 42, tzinfo=dt.UTC)
    assert circuit_time(moment, "Asia/Kuala_Lumpur") == (
        "2026-03-15 15:42 (Asia/Kuala_Lumpur, UTC+08:00)"
    )
    assert circuit_time(moment, "America/New_York") == (
        "2026-03-15 03:42 (America/New_York, UTC-04:00)"
    )


def test_a_provisional_classification_pdf_shows_the_sheet_in_both_languages(meeting):
    race = the_race(meeting)
    version = classification_record(race=race, cause=VersionCause.IMPORT, reason="Timing")
    document = version.board_document
    assert document.kind == BoardKind.PROVISIONAL_CLASSIFICATION
    assert document.issued_by == Issuer.TIMEKEEPING
    assert document.title_en == "Race 1 — Provisional classification (version 1)"
    english = pdf_text(render_pdf(document, "en"))
    assert "Race 1 — Provisional classification (version 1)" in english
    assert "Sepang Cup" in english
    assert "Ana Racer1" in english and "Ana Racer4" in english
    assert "30:04.000" in english  # the fourth car's time as the timing sheet writes it
    assert "Race Director" in english and "The Stewards" in english
    assert "UTC+08:00" in english
    assert "1 / 1" in english
    chinese = pdf_text(render_pdf(document, "zh-hans"))
    assert "雪邦杯" in chinese
    assert "Ana Racer1" in chinese


def test_a_decision_pdf_names_the_car_the_driver_and_the_appeal(meeting):
    race = the_race(meeting)
    penalty = factories.make_penalty(
        entry_of(meeting, 12),
        race=race,
        value=Decimal(5),
        number=3,
        decided_at=DECIDED,
        reason="Track limits",
        reason_zh_hans="赛道界限",
    )
    document = board_publish_decision(penalty=penalty)
    assert document.kind == BoardKind.DECISION
    assert document.issued_by == Issuer.STEWARDS
    assert list(document.concerns.all()) == [penalty.entry]
    english = pdf_text(render_pdf(document, "en"))
    assert "Decision 3" in english
    assert "Ana Racer2" in english and "12" in english
    assert "Track limits" in english
    assert "2024-04-21 15:30 (Asia/Kuala_Lumpur, UTC+08:00)" in english
    assert "appeal" in english
    chinese = pdf_text(render_pdf(document, "zh-hans"))
    assert "赛道界限" in chinese


def test_the_entry_list_pdf_shows_categories_in_force_on_the_first_day(meeting):
    entry = entry_of(meeting, 11)
    factories.make_classification(entry.driver, "SILVER", meeting.start_date)
    factories.make_classification(entry.driver, "PLATINUM", meeting.end_date)  # too late
    entry.guest = True
    entry.save()
    document = board_publish_entry_list(meeting=meeting)
    cars = document.content["cars"]
    assert [car["car"] for car in cars] == [11, 12, 13, 14]
    assert cars[0]["category"] == {"en": "Silver", "zh-hans": cars[0]["category"]["zh-hans"]}
    assert cars[0]["guest"] is True
    english = pdf_text(render_pdf(document, "en"))
    assert "Entry list" in english
    assert "Silver" in english and "Guest" in english
    assert "Platinum" not in english
    assert "4 cars entered." in english


def test_the_grid_pdf_puts_the_pole_first_with_grid_penalties(meeting):
    race = the_race(meeting)
    later = factories.make_race(meeting, 2)
    for result in race.results.all():
        factories.make_result(later, result.entry, result.position, grid=result.position)
    factories.make_penalty(
        entry_of(meeting, 13),
        PenaltyKind.GRID,
        race=race,
        value=Decimal(3),
        grid_race=later,
        number=4,
        reason="Unsafe release",
    )
    document = board_publish_grid(race=later)
    rows = document.content["rows"]
    assert [[slot["car"] for slot in row] for row in rows] == [[11, 12], [13, 14]]
    assert rows[1][0]["penalties"][0]["places"] == "3"
    english = pdf_text(render_pdf(document, "en"))
    assert "Race 2 — Starting grid" in english
    assert "Decision 4: 3 places back (Unsafe release)" in english


def test_the_standings_pdf_lists_points_per_race(meeting):
    classification_record(race=the_race(meeting), cause=VersionCause.IMPORT)
    document = board_publish_standings(meeting=meeting)
    assert document.content["races"] == ["R1-1"]
    first = document.content["rows"][0]
    assert first["car"] == "11" and first["races"] == [first["points"]]
    english = pdf_text(render_pdf(document, "en"))
    assert "standings after round 1" in english
    assert "Ana Racer1" in english and "R1-1" in english


def test_a_final_version_supersedes_the_provisional_one(meeting):
    race = the_race(meeting)
    first = classification_record(race=race, cause=VersionCause.IMPORT)
    final = classification_record(
        race=race, cause=VersionCause.STATE, state=ClassificationState.FINAL
    )
    document = final.board_document
    assert document.kind == BoardKind.FINAL_CLASSIFICATION
    assert document.issued_by == Issuer.RACE_DIRECTOR
    assert document.supersedes == first.board_document
    amended = classification_record(race=race, cause=VersionCause.CORRECTION, reason="Typo")
    assert amended.board_document.title_en == "Race 1 — Amended classification (version 3)"
    assert amended.board_document.supersedes == document


def test_the_same_content_is_drawn_into_the_same_bytes(meeting):
    version = classification_record(race=the_race(meeting), cause=VersionCause.IMPORT)
    document = version.board_document
    assert render_pdf(document, "en") == render_pdf(document, "en")


def test_board_render_writes_each_edition_with_its_sha256(meeting):
    version = classification_record(race=the_race(meeting), cause=VersionCause.IMPORT)
    written = board_render(document_id=version.board_document.pk)
    assert sorted(edition.language for edition in written) == ["en", "zh-hans"]
    for edition in BoardEdition.objects.filter(document=version.board_document):
        data = edition.file.read()
        assert hashlib.sha256(data).hexdigest() == edition.sha256
        assert edition.size == len(data)
        assert data.startswith(b"%PDF-")
    assert board_render(document_id=version.board_document.pk) == []  # nothing missing


def test_a_qualifying_classification_pdf_and_the_grid_from_it(meeting):
    session = Session.objects.create(
        meeting=meeting,
        kind=SessionKind.QUALIFYING,
        number=1,
        starts_at=dt.datetime(2024, 4, 20, 3, 0, tzinfo=dt.UTC),
    )
    text = "POS,NO,LAPS,BEST_LAP,SECOND_BEST\n1,13,6,2:03.456,2:03.789\n2,11,6,2:03.500,\n"
    session_import(session=session, source=text, dry_run=False)
    document = session.board_documents.get()

    english = pdf_text(render_pdf(document, "en"))
    assert "Qualifying 1 — Classification (version 1)" in english
    assert "2:03.456" in english and "+0.044" in english and "2:03.789" in english
    assert "Ana Racer3" in english and "Chief Timekeeper" in english
    chinese = pdf_text(render_pdf(document, "zh-hans"))
    assert "雪邦杯" in chinese and "2:03.456" in chinese

    grid = pdf_text(render_pdf(grid_publish(race=the_race(meeting)), "en"))
    assert grid.index("Ana Racer3") < grid.index("Ana Racer1")
    assert "2:03.456" in grid
