"""The public notice board of a round: its page, its PDF editions and its Atom feed."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from championships.board import _edition, board_publish
from championships.models import BoardKind, Issuer, SeasonStatus
from tests import factories
from tests.factories import PDF, make_board_document

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
# 07:42 UTC is 15:42 in Kuala Lumpur (UTC+8), a Sunday.
AT = dt.datetime(2026, 3, 15, 7, 42, 5, tzinfo=dt.UTC)
BOARD = "/championships/pcca-2026/rounds/3/board/"
FEED = BOARD + "feed.atom"


@pytest.fixture
def meeting(db):
    championship = factories.make_championship("pcca-2026", year=2026)
    sepang = factories.make_circuit(
        "Sepang International Circuit", country="MY", timezone="Asia/Kuala_Lumpur"
    )
    return factories.make_meeting(championship, 3, circuit=sepang)


@pytest.fixture
def director(django_user_model):
    return django_user_model.objects.create_user(
        "rd-login", first_name="Ana", last_name="Lim", password="pw-for-tests"
    )


def publish(meeting, count, **fields):
    """``count`` uploaded documents, a minute apart from AT, with a Chinese title."""
    return [
        make_board_document(
            meeting,
            f"Bulletin {n}",
            title_zh_hans=f"公告 {n}",
            at=AT + dt.timedelta(minutes=n),
            **fields,
        )
        for n in range(1, count + 1)
    ]


def generated(meeting, title="Provisional classification, race 1"):
    """A generated document whose PDFs are not drawn yet (on_commit never runs here)."""
    return board_publish(
        meeting=meeting,
        kind=BoardKind.PROVISIONAL_CLASSIFICATION,
        title_en=title,
        issued_by=Issuer.TIMEKEEPING,
        template="board/pdf/base.html",
        content={"title": title},
        at=AT,
    )


def board_html(client, url=BOARD, **query):
    response = client.get(url, query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# The page ---------------------------------------------------------------------------------


def test_the_board_lists_every_document_in_number_order(client, meeting, director):
    make_board_document(meeting, "Timetable", kind=BoardKind.TIMETABLE, at=AT, user=director)
    make_board_document(meeting, "Entries", kind=BoardKind.ENTRY_LIST, at=AT)
    make_board_document(meeting, "S7", kind=BoardKind.SUMMONS, at=AT)

    html = board_html(client)

    assert html.index('id="doc-1"') < html.index('id="doc-2"') < html.index('id="doc-3"')
    titles = [html.index(f"<strong>{title}</strong>") for title in ("Timetable", "Entries", "S7")]
    assert titles == sorted(titles)
    assert "Summons</td>" in html  # the kind
    assert "Race Director" in html  # who it is from
    assert "published by Ana Lim" in html
    assert "rd-login" not in html  # never the username that signs in


def test_the_board_shows_the_circuit_time_with_the_zone_named(client, meeting):
    make_board_document(meeting, "Timetable", at=AT)

    html = board_html(client)

    assert "Sun 15 Mar 2026, 15:42:05" in html
    assert "Asia/Kuala_Lumpur time, UTC+0800" in html
    assert 'datetime="2026-03-15T07:42:05+00:00"' in html


def test_the_board_shows_each_editions_sha256_and_links_its_pdf(client, meeting):
    document = make_board_document(meeting, "Timetable", at=AT)
    chinese = _edition(document, "zh-hans", PDF + b"%zh\n")
    english = document.editions.get(language="en")

    html = board_html(client)

    assert english.sha256 in html and chinese.sha256 in html
    assert f"{english.sha256[:12]}…" in html
    assert f'href="{BOARD}1/en.pdf"' in html
    assert f'href="{BOARD}1/zh-hans.pdf"' in html
    assert "PDF being prepared" not in html


def test_a_superseded_document_stays_struck_and_names_its_successor(client, meeting):
    old = make_board_document(meeting, "Grid race 1", kind=BoardKind.GRID, at=AT)
    make_board_document(meeting, "Timetable", at=AT)
    make_board_document(meeting, "Grid race 1, corrected", kind=BoardKind.GRID, supersedes=old)

    html = board_html(client)

    assert "<del>Grid race 1</del>" in html
    assert 'Superseded by <a href="#doc-3">document 3</a>' in html
    assert 'Supersedes <a href="#doc-1">document 1</a>' in html
    assert "<strong>Grid race 1, corrected</strong>" in html
    assert "<strong>Timetable</strong>" in html


def test_a_generated_document_without_its_pdf_yet_says_it_is_being_prepared(client, meeting):
    generated(meeting)

    html = board_html(client)

    assert "Provisional classification, race 1" in html
    assert "PDF being prepared" in html
    assert ".pdf" not in html


def test_the_board_filters_by_kind(client, meeting):
    make_board_document(meeting, "Timetable", kind=BoardKind.TIMETABLE, at=AT)
    make_board_document(meeting, "Decision car 7", kind=BoardKind.DECISION, at=AT)

    html = board_html(client, kind="DECISION")

    assert "Decision car 7" in html
    assert "Timetable</strong>" not in html


def test_a_kind_the_board_does_not_have_is_a_400_showing_every_document(client, meeting):
    make_board_document(meeting, "Timetable", at=AT)

    response = client.get(BOARD, {"kind": "MEMO"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "not one of the available choices" in html
    assert "<strong>Timetable</strong>" in html


def test_the_chinese_board_shows_the_chinese_title(client, meeting):
    make_board_document(meeting, "Timetable", title_zh_hans="时间表", at=AT)
    make_board_document(meeting, "Bulletin 2", at=AT)  # no Chinese: English shown

    html = board_html(client, "/zh-hans" + BOARD)

    assert "<strong>时间表</strong>" in html
    assert "<strong>Timetable</strong>" not in html
    assert "<strong>Bulletin 2</strong>" in html
    assert f'href="/zh-hans{BOARD}1/en.pdf"' in html


def test_an_empty_board_says_so(client, meeting):
    assert "No document published yet." in board_html(client)


def test_an_unknown_round_has_no_board(client, meeting):
    assert client.get("/championships/pcca-2026/rounds/4/board/").status_code == 404
    assert client.get("/championships/pcca-2026/rounds/4/board/feed.atom").status_code == 404


def test_the_meeting_page_links_to_its_board(client, meeting):
    html = client.get("/championships/pcca-2026/rounds/3/").content.decode()

    assert f'href="{BOARD}"' in html


# A draft season ----------------------------------------------------------------------------


@pytest.fixture
def draft(meeting):
    make_board_document(meeting, "Timetable", at=AT)
    championship = meeting.championship
    championship.status = SeasonStatus.DRAFT
    championship.save()
    return meeting


def test_a_draft_seasons_board_is_a_404_for_visitors(client, draft):
    assert client.get(BOARD).status_code == 404
    assert client.get(FEED).status_code == 404
    assert client.get(BOARD + "1/en.pdf").status_code == 404


def test_staff_see_a_draft_seasons_board_and_its_pdf_is_never_kept_by_a_shared_cache(
    staff_client, draft
):
    assert "Timetable" in board_html(staff_client)
    assert staff_client.get(FEED).status_code == 200
    response = staff_client.get(BOARD + "1/en.pdf")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


# The PDF ----------------------------------------------------------------------------------


def test_a_pdf_edition_is_streamed_inline_with_its_sha256_as_etag(client, meeting):
    for _n in range(12):
        document = make_board_document(meeting, "Timetable", at=AT)
    edition = document.editions.get()

    response = client.get(BOARD + "12/en.pdf")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="pcca-2026-r3-doc012-en.pdf"'
    assert response["ETag"] == f'"{edition.sha256}"'
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_pdf_asked_again_with_its_etag_is_a_304(client, meeting):
    edition = make_board_document(meeting, "Timetable", at=AT).editions.get()

    response = client.get(BOARD + "1/en.pdf", HTTP_IF_NONE_MATCH=f'"{edition.sha256}"')
    changed = client.get(BOARD + "1/en.pdf", HTTP_IF_NONE_MATCH=f'"{"0" * 64}"')

    assert response.status_code == 304
    assert response["ETag"] == f'"{edition.sha256}"'
    assert not response.content
    assert changed.status_code == 200


@pytest.mark.parametrize(
    "address",
    [
        BOARD + "1/fr.pdf",  # a language the site has not
        BOARD + "1/zh-hans.pdf",  # an edition the document has not
        BOARD + "2/en.pdf",  # a number the board has not
        "/championships/pcca-2026/rounds/4/board/1/en.pdf",  # a round the season has not
        "/championships/nope-2026/rounds/3/board/1/en.pdf",
    ],
)
def test_a_pdf_the_board_has_not_is_a_404(client, meeting, address):
    make_board_document(meeting, "Timetable", at=AT)

    assert client.get(address).status_code == 404


def test_a_pdf_of_a_generated_document_not_drawn_yet_is_a_404(client, meeting):
    generated(meeting)

    assert client.get(BOARD + "1/en.pdf").status_code == 404


def test_a_pdf_is_read_only(client, meeting):
    make_board_document(meeting, "Timetable", at=AT)

    assert client.post(BOARD + "1/en.pdf").status_code == 405


# The feed ---------------------------------------------------------------------------------


def feed_entries(client, url=FEED):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root, root.findall(f"{ATOM}entry")


def test_the_feed_lists_every_document_in_number_order(client, meeting):
    old = make_board_document(meeting, "Grid race 1", kind=BoardKind.GRID, at=AT)
    publish(meeting, 3)
    make_board_document(meeting, "Grid race 1, corrected", kind=BoardKind.GRID, supersedes=old)

    root, entries = feed_entries(client)

    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles == [
        "Document 1: Grid race 1",
        "Document 2: Bulletin 1",
        "Document 3: Bulletin 2",
        "Document 4: Bulletin 3",
        "Document 5: Grid race 1, corrected",
    ]
    assert root.findtext(f"{ATOM}title").startswith("Notice board: ")
    first = entries[0]
    assert first.find(f"{ATOM}link[@rel='alternate']").get("href") == (
        f"http://testserver{BOARD}1/en.pdf"
    )
    assert first.findtext(f"{ATOM}published") == "2026-03-15T07:42:05+00:00"
    assert first.findtext(f"{ATOM}updated") == "2026-03-15T07:42:05+00:00"
    assert first.findtext(f"{ATOM}id") == "tag:testserver,2026-03-15:board/pcca-2026/r3/1"
    summary = first.findtext(f"{ATOM}summary")
    assert "Grid" in summary and "Superseded by document 5" in summary
    assert old.editions.get().sha256 in summary
    assert "Supersedes document 1" in entries[4].findtext(f"{ATOM}summary")


def test_the_feeds_ids_stay_the_same_in_chinese_and_name_the_chinese_title(client, meeting):
    publish(meeting, 2)

    _root, english = feed_entries(client)
    _root, chinese = feed_entries(client, "/zh-hans" + FEED)

    assert [e.findtext(f"{ATOM}id") for e in chinese] == [e.findtext(f"{ATOM}id") for e in english]
    assert "公告 1" in chinese[0].findtext(f"{ATOM}title")


def test_a_feed_entry_without_a_pdf_yet_links_to_its_line_on_the_board(client, meeting):
    generated(meeting)

    _root, entries = feed_entries(client)

    assert entries[0].find(f"{ATOM}link[@rel='alternate']").get("href") == (
        f"http://testserver{BOARD}#doc-1"
    )
    assert "PDF being prepared" in entries[0].findtext(f"{ATOM}summary")


# Query counts -----------------------------------------------------------------------------


def full_board(meeting, count):
    """``count`` documents: each with a Chinese edition too, every other one superseded."""
    documents = publish(meeting, count // 2)
    for document in documents:
        _edition(document, "zh-hans", PDF + b"%zh\n")
        make_board_document(meeting, f"{document.title_en} corrected", supersedes=document)


# The championship, the meeting, the documents, their editions (and the series menu, a page's).
@pytest.mark.parametrize(
    "url, queries", [(BOARD, 5), ("/zh-hans" + BOARD, 5), (FEED, 4), ("/zh-hans" + FEED, 4)]
)
def test_the_board_and_its_feed_cost_the_same_queries_for_2_and_40_documents(
    client, meeting, url, queries, django_assert_num_queries
):
    full_board(meeting, 2)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    full_board(meeting, 38)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    assert "Bulletin 19 corrected" in response.content.decode()
