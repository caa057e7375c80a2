"""Practice and qualifying classifications (``session_import``) and the races' grids
(``grid_plan``, ``grid_publish``), through the database: each refusal, each grid setting, the
board documents, and a race's classification taking its GRID from the published grid."""

import datetime as dt
from decimal import Decimal

import pytest

from championships.models import (
    BoardDocument,
    BoardKind,
    GridSlot,
    LaterGrid,
    PenaltyKind,
    QualifyingMerge,
    Session,
    SessionKind,
    SessionResult,
)
from championships.results_import import results_import
from championships.standings.loader import season_load
from championships.standings.rules import pole_winner
from championships.weekend import (
    GridError,
    SessionConflict,
    SessionFileError,
    grid_plan,
    grid_publish,
    session_import,
)
from tests.factories import (
    make_championship,
    make_entry,
    make_meeting,
    make_penalty,
    make_race,
    make_result,
)

QUALIFYING = (
    "POS,NO,LAPS,BEST_LAP,SECOND_BEST\n"
    "1,7,6,1:58.100,1:58.400\n"
    "2,3,5,1:58.200,1:58.300\n"
    "3,5,6,1:58.900,\n"
    "DNS,9,0,,\n"
)
TIMING = (
    "POSITION;NUMBER;STATUS;LAPS;FL_TIME;SECOND_BEST\n"
    "1;3;Classified;5;1'58.050;1'58.300\n"
    "2;7;Classified;6;1'58,100;1'58.400\n"
    "3;5;Classified;6;1'58.900;\n"
    "4;9;Not started;0;;\n"
)


@pytest.fixture
def weekend(db):
    championship = make_championship(pole_points=Decimal(1))
    meeting = make_meeting(championship, round=2)
    entries = {n: make_entry(championship, n) for n in (3, 5, 7, 9)}
    session = Session.objects.create(
        meeting=meeting,
        kind=SessionKind.QUALIFYING,
        number=1,
        starts_at=dt.datetime(2024, 4, 20, 3, 0, tzinfo=dt.UTC),
    )
    race1, race2 = make_race(meeting, 1), make_race(meeting, 2)
    return {"session": session, "entries": entries, "race1": race1, "race2": race2}


def test_a_dry_run_checks_the_file_and_writes_nothing(weekend):
    diff = session_import(session=weekend["session"], source=QUALIFYING, dry_run=True)

    assert (diff.added, diff.changed, diff.removed, diff.version) == (4, 0, 0, None)
    assert [line.position_label for line in diff.lines] == ["1", "2", "3", "DNS"]
    assert not SessionResult.objects.exists()
    assert not BoardDocument.objects.exists()


def test_applied_it_is_a_version_and_a_board_document(weekend, django_user_model):
    user = django_user_model.objects.create_user("timekeeper", is_staff=True)
    session = weekend["session"]

    diff = session_import(session=session, source=QUALIFYING, dry_run=False, user=user)

    assert diff.version == 1
    assert list(session.results.values_list("entry__car_number", "position")) == [
        (7, 1),
        (3, 2),
        (5, 3),
        (9, None),
    ]
    [version] = session.versions.all()
    assert (version.number, version.created_by, version.lines[1]["gap"]) == (1, user, "+0.100")
    [document] = BoardDocument.objects.all()
    assert document.kind == BoardKind.PROVISIONAL_CLASSIFICATION
    assert document.session == session and document.template == "board/pdf/session.html"
    assert document.content["lines"][0]["best"] == "1:58.100"


def test_the_timing_export_is_read_alike_and_a_second_upload_supersedes(weekend):
    session = weekend["session"]
    session_import(session=session, source=QUALIFYING, dry_run=False)

    diff = session_import(session=session, source=TIMING, dry_run=False, expected_version=1)

    assert (diff.version, diff.changed, diff.unchanged) == (2, 2, 2)
    assert session.results.get(position=1).entry.car_number == 3
    first, second = BoardDocument.objects.order_by("number")
    assert second.supersedes == first


def test_an_upload_from_an_older_version_is_refused_naming_the_newer(weekend):
    session = weekend["session"]
    session_import(session=session, source=QUALIFYING, dry_run=False)

    with pytest.raises(SessionConflict, match="version 1"):
        session_import(session=session, source=TIMING, dry_run=False, expected_version=0)
    assert session.versions.count() == 1


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("POS,NO,LAPS,BEST_LAP\n1,7,6,\n", 2, "BEST_LAP", "session ranks on best laps"),
        ("POS,NO,LAPS,BEST_LAP\n1,7,6,1:59.000\n2,3,6,1:58.000\n", 2, "BEST_LAP", "car 3"),
        ("POS,NO,LAPS,BEST_LAP\n1,7,6,1:58.000\n1,3,6,1:59.000\n", 3, "POS", "position 1"),
        ("POS,NO,LAPS,BEST_LAP\n1,7,6,1:58.000\n2,7,6,1:59.000\n", 3, "NO", "car 7"),
        ("POS,NO,LAPS,BEST_LAP\n1,44,6,1:58.000\n", 2, "NO", "not an entry"),
        ("POS,NO,LAPS,BEST_LAP,SECOND_BEST\n1,7,6,1:58.000,1:57.000\n", 2, "SECOND_BEST", "faster"),
        ("POS,NO,LAPS,BEST_LAP\n1,7,six,1:58.000\n", 2, "LAPS", ""),
        ("POS,NO,LAPS,BEST_LAP\nDNS,7,0,1:58.000\n", 2, "BEST_LAP", "did not start"),
        (
            "POSITION;NUMBER;STATUS;LAPS;FL_TIME\n1;7;Classified;6;1'58.000\n;3;Flying;6;\n",
            3,
            "STATUS",
            "expected a status",
        ),
        (
            "POSITION;NUMBER;STATUS;LAPS;FL_TIME\n;7;Classified;6;1'58.000\n",
            2,
            "POSITION",
            "classified",
        ),
    ],
)
def test_a_bad_line_is_refused_with_its_line_and_column_and_nothing_written(
    weekend, text, line, column, words
):
    with pytest.raises(SessionFileError) as refused:
        session_import(session=weekend["session"], source=text, dry_run=False)

    issue = next(i for i in refused.value.issues if i.line == line and i.column == column)
    assert words in issue.message
    assert issue.file == "sessions/R2-Q1.csv"
    assert not SessionResult.objects.exists() and not weekend["session"].versions.exists()


def test_a_file_that_is_not_csv_is_refused(weekend):
    with pytest.raises(SessionFileError):
        session_import(session=weekend["session"], source=b"\xff\xfe\x00garbage", dry_run=True)


# Grids ---------------------------------------------------------------------------------


def qualify(weekend, text=QUALIFYING, session=None):
    session_import(session=session or weekend["session"], source=text, dry_run=False)


def grid_cars(race):
    return [slot.car_number for slot in grid_plan(race).slots]


def test_race_1_starts_in_qualifying_order_by_best_time(weekend):
    qualify(weekend)

    plan = grid_plan(weekend["race1"])

    assert [s.car_number for s in plan.slots] == [7, 3, 5, 9]
    assert plan.slots[0].time == dt.timedelta(minutes=1, seconds=58, milliseconds=100)
    assert "Qualifying 1" in plan.basis


def test_race_2_from_second_best_times(weekend):
    qualify(weekend)

    assert grid_cars(weekend["race2"]) == [3, 7, 5, 9]


def test_race_2_from_race_1_finishing_order_after_the_decisions(weekend):
    championship = weekend["race1"].meeting.championship
    championship.later_grids = LaterGrid.FINISH
    championship.save()
    e, race1 = weekend["entries"], weekend["race1"]
    make_result(race1, e[5], 1, total_time=dt.timedelta(minutes=30))
    make_result(race1, e[3], 2, total_time=dt.timedelta(minutes=30, seconds=2))
    make_result(race1, e[7], None, status="DNF", laps=3)
    make_result(race1, e[9], 3, total_time=dt.timedelta(minutes=30, seconds=3))
    make_penalty(e[5], PenaltyKind.TIME, race=race1, value=Decimal(10))

    assert grid_cars(weekend["race2"]) == [3, 9, 5, 7]


def test_race_2_from_race_1_with_its_top_n_reversed(weekend):
    championship = weekend["race1"].meeting.championship
    championship.later_grids, championship.reversed_top = LaterGrid.REVERSED, 3
    championship.save()
    e, race1 = weekend["entries"], weekend["race1"]
    for position, car in enumerate((3, 5, 7, 9), start=1):
        make_result(race1, e[car], position)

    assert grid_cars(weekend["race2"]) == [7, 5, 3, 9]


def test_a_race_with_its_own_qualifying_starts_from_it(weekend):
    qualify(weekend)
    own = Session.objects.create(
        meeting=weekend["session"].meeting,
        kind=SessionKind.QUALIFYING,
        number=2,
        starts_at=dt.datetime(2024, 4, 21, 1, 0, tzinfo=dt.UTC),
    )
    qualify(weekend, "POS,NO,LAPS,BEST_LAP\n1,9,5,1:57.000\n2,5,5,1:57.500\n", session=own)

    assert grid_cars(weekend["race2"]) == [9, 5]


def test_groups_merged_by_time_or_alternating(weekend):
    meeting = weekend["session"].meeting
    weekend["session"].delete()
    for group, text in (
        ("A", "POS,NO,LAPS,BEST_LAP\n1,7,5,1:58.000\n2,3,5,1:58.500\n"),
        ("B", "POS,NO,LAPS,BEST_LAP\n1,5,5,1:58.100\n2,9,5,1:58.200\n"),
    ):
        session = Session.objects.create(
            meeting=meeting,
            kind=SessionKind.QUALIFYING,
            group=group,
            starts_at=dt.datetime(2024, 4, 20, 3, 0, tzinfo=dt.UTC),
        )
        qualify(weekend, text, session=session)

    assert grid_cars(weekend["race1"]) == [7, 5, 9, 3]
    meeting.championship.qualifying_merge = QualifyingMerge.ALTERNATE
    meeting.championship.save()
    assert grid_cars(weekend["race1"]) == [7, 5, 3, 9]


def test_grid_penalties_of_earlier_decisions_apply_and_withdrawn_ones_do_not(weekend):
    qualify(weekend)
    e, race1 = weekend["entries"], weekend["race1"]
    make_penalty(
        e[7], PenaltyKind.GRID, race=None, meeting=race1.meeting, value=Decimal(2), grid_race=race1
    )
    withdrawn = make_penalty(
        e[3], PenaltyKind.GRID, race=None, meeting=race1.meeting, value=Decimal(3), grid_race=race1
    )
    withdrawn.withdrawn_at, withdrawn.withdrawn_reason = dt.datetime.now(dt.UTC), "Appeal"
    withdrawn.save()

    slots = grid_plan(race1).slots

    assert [s.car_number for s in slots] == [3, 5, 7, 9]
    assert (slots[2].qualified, slots[2].places_back) == (1, 2)


def test_a_grid_without_its_basis_is_refused_saying_what_is_missing(weekend):
    with pytest.raises(GridError, match="Qualifying 1"):
        grid_plan(weekend["race1"])
    championship = weekend["race1"].meeting.championship
    championship.later_grids = LaterGrid.FINISH
    championship.save()
    with pytest.raises(GridError, match="race 1"):
        grid_plan(weekend["race2"])


def test_publishing_writes_the_grid_and_posts_it_superseding_the_previous(weekend):
    qualify(weekend)
    race1 = weekend["race1"]

    first = grid_publish(race=race1)
    second = grid_publish(race=race1)

    assert list(race1.grid_slots.values_list("entry__car_number", "position")) == [
        (7, 1),
        (3, 2),
        (5, 3),
        (9, 4),
    ]
    assert (first.kind, second.supersedes) == (BoardKind.GRID, first)
    assert second.content["rows"][0][0]["time"] == "1:58.100"
    assert GridSlot.objects.count() == 4


def test_a_refused_grid_writes_nothing(weekend):
    with pytest.raises(GridError):
        grid_publish(race=weekend["race1"])
    assert not GridSlot.objects.exists() and not BoardDocument.objects.exists()


# The race's classification and its GRID ---------------------------------------------------

RACE_WITHOUT_GRID = "POS,NO,LAPS,TIME\n1,3,15,30:00.000\n2,7,15,30:01.000\n3,5,15,30:02.000\n"


def test_a_race_file_without_grid_takes_the_published_grid_and_says_so(weekend):
    qualify(weekend)
    race1 = weekend["race1"]
    grid_publish(race=race1)

    diff = results_import(race=race1, source=RACE_WITHOUT_GRID, dry_run=False)

    assert dict(race1.results.values_list("entry__car_number", "grid")) == {3: 2, 7: 1, 5: 3}
    [warning] = diff.warnings
    assert warning.column == "GRID" and "published" in warning.message
    # The standings' pole is still the lowest grid: car 7, from the published grid.
    season = season_load(race1.meeting.championship)
    [held] = [r for r in season.races if r.id == race1.pk]
    assert pole_winner(held.results, {e.pk for e in weekend["entries"].values()}) == (
        weekend["entries"][7].pk
    )


def test_a_race_file_without_grid_and_no_grid_published_warns_pole_points_lost(weekend):
    diff = results_import(race=weekend["race1"], source=RACE_WITHOUT_GRID, dry_run=True)

    [warning] = diff.warnings
    assert "no grid is published" in warning.message and "pole points" in warning.message


def test_a_race_file_with_its_own_grid_keeps_it(weekend):
    qualify(weekend)
    grid_publish(race=weekend["race1"])
    text = "POS,NO,LAPS,GRID\n1,3,15,3\n2,7,15,1\n3,5,15,2\n"

    diff = results_import(race=weekend["race1"], source=text, dry_run=False)

    assert not diff.warnings
    assert dict(weekend["race1"].results.values_list("entry__car_number", "grid")) == {
        3: 3,
        7: 1,
        5: 2,
    }


# A season goes with its weekend -------------------------------------------------------------


@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_a_season_with_sessions_laps_and_grids_is_deleted_or_replaced_whole(weekend, how):
    from championships.bundle.write import championship_delete
    from championships.models import Championship, Lap
    from championships.services import season_delete
    from championships.weekend import laps_import
    from tests.factories import make_staff

    qualify(weekend)
    grid_publish(race=weekend["race1"])
    laps = "NUMBER;LAP_NUMBER;LAP_TIME\n7;1;2'00.000\n3;1;2'01.000\n"
    laps_import(subject=weekend["race1"], source=laps, dry_run=False)
    laps_import(subject=weekend["session"], source=laps, dry_run=False)
    championship = weekend["race1"].meeting.championship

    if how == "deleted":
        season_delete(
            championship_id=championship.pk, by=make_staff("boss"), confirm_name=championship.slug
        )
    else:
        championship_delete(championship)

    assert not Championship.objects.filter(pk=championship.pk).exists()
    for model in (Session, SessionResult, Lap, GridSlot):
        assert not model.objects.exists(), model


def test_a_car_that_did_not_start_qualifying_never_takes_pole_with_a_time(weekend):
    qualify(weekend, "POS,NO,LAPS,BEST_LAP\n1,7,5,1:58.000\n2,3,5,1:58.500\nDNF,5,2,1:57.000\n")

    assert grid_cars(weekend["race1"]) == [7, 3, 5]


def test_a_split_qualifying_with_a_group_still_to_import_is_refused_naming_it(weekend):
    meeting = weekend["session"].meeting
    weekend["session"].delete()
    a, b = (
        Session.objects.create(
            meeting=meeting,
            kind=SessionKind.QUALIFYING,
            group=group,
            starts_at=dt.datetime(2024, 4, 20, 3, 0, tzinfo=dt.UTC),
        )
        for group in "AB"
    )
    qualify(weekend, "POS,NO,LAPS,BEST_LAP\n1,7,5,1:58.000\n", session=a)

    with pytest.raises(GridError, match="Qualifying 1 · Group B"):
        grid_plan(weekend["race1"])


def test_a_car_in_two_groups_is_refused_at_the_import_naming_its_line(weekend):
    meeting = weekend["session"].meeting
    other = Session.objects.create(
        meeting=meeting,
        kind=SessionKind.QUALIFYING,
        group="B",
        starts_at=dt.datetime(2024, 4, 20, 3, 0, tzinfo=dt.UTC),
    )
    qualify(weekend)

    with pytest.raises(SessionFileError) as refused:
        session_import(
            session=other,
            source="POS,NO,LAPS,BEST_LAP\n1,7,5,1:59.000\n",
            dry_run=True,
        )

    [issue] = refused.value.issues
    assert (issue.line, issue.column) == (2, "NO") and "Qualifying 1" in issue.message


def test_the_second_best_time_from_the_laps_is_never_faster_than_the_official_best(weekend):
    from championships.weekend import lap_second_best

    def s(x):
        return dt.timedelta(seconds=x)

    # 118.0 was deleted by the timekeepers: the official best is 118.5.
    assert lap_second_best([s(118.0), s(118.1), s(118.5), s(119.0)], s(118.5)) == s(119.0)
    assert lap_second_best([s(118.5), s(118.5)], s(118.5)) == s(118.5)
    assert lap_second_best([s(118.5)], s(118.5)) is None
    assert lap_second_best([s(119), s(118)]) == s(119)
