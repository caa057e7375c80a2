"""Issue 14.17 and 14.20: what the one results import (admin upload, API, bundle) checks and
warns about beyond each cell: laps against positions, grids where pole scores, statuses."""

import shutil
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from championships.bundle import BundleError, season_import
from championships.models import Result
from championships.results_import import ResultsError, results_import
from championships.timing import status_of
from tests.factories import make_championship, make_entry, make_meeting, make_race

TIMING = "POSITION;NUMBER;STATUS;LAPS;TOTAL_TIME;FL_TIME\n"
TIMING_ROWS = (
    "1;1;Classified;15;29:59.900;1'58.000\n"
    "2;2;Classified;15;30:00.500;1'58.100\n"
    "3;3;RET;10;;2'01.000\n"
)


@pytest.fixture
def race(db):
    championship = make_championship("checks-cup", pole_points=Decimal(1))
    for number in (1, 2, 3):
        make_entry(championship, number)
    return make_race(make_meeting(championship))


def refused(race, text: str) -> list:
    with pytest.raises(ResultsError) as error:
        results_import(race=race, source=text, dry_run=True)
    assert not Result.objects.filter(race=race).exists()
    return [(i.line, i.column, i.message) for i in error.value.issues]


# Laps against positions ----------------------------------------------------------------------


def test_a_car_classified_ahead_on_fewer_laps_is_refused_on_its_line(race):
    text = "POS,NO,LAPS,TIME\n1,1,14,29:59.900\n2,2,15,30:00.500\n3,3,15,30:01.000\n"

    [(line, column, message)] = refused(race, text)

    assert (line, column) == (2, "LAPS")
    assert "car 1 is classified 1 on 14 laps, but car 2 behind it (line 3) did 15" in message


def test_the_timing_format_is_checked_the_same_way(race):
    text = TIMING + TIMING_ROWS.replace("2;2;Classified;15;", "2;2;Classified;16;")

    [(line, column, message)] = refused(race, text)

    assert (line, column) == (2, "LAPS") and "car 2 behind it (line 3) did 16" in message


def test_cars_not_classified_may_have_more_laps_than_a_classified_car(race):
    text = "POS,NO,LAPS\n1,1,15\n2,2,14\nDNF,3,15\n"

    assert len(results_import(race=race, source=text, dry_run=True).added) == 3


def test_a_bundle_whose_results_contradict_their_laps_is_refused(tmp_path, db, example_season_path):
    bundle = shutil.copytree(example_season_path, tmp_path / "bundle")
    results = bundle / "results" / "R1-1.csv"
    results.write_text(results.read_text().replace("1,99,Ming ZHAO,15,", "1,99,Ming ZHAO,14,"))

    with pytest.raises(BundleError) as error:
        season_import(bundle)

    [issue] = error.value.issues
    assert (issue.file, issue.line, issue.column) == ("results/R1-1.csv", 2, "LAPS")


# Statuses --------------------------------------------------------------------------------------


def test_ret_is_read_as_retired(race):
    diff = results_import(race=race, source=TIMING + TIMING_ROWS, dry_run=True)

    assert [row.status for row in diff.added] == ["CLASSIFIED", "CLASSIFIED", "DNF"]


def test_the_refusal_of_an_unknown_status_lists_every_accepted_spelling():
    with pytest.raises(ValueError, match="expected a status") as error:
        status_of("Crashed")

    for spelling in ("Classified", "Not classified", "NC", "Retired", "RET", "DNF", "DNS", "DSQ"):
        assert spelling in str(error.value)


# Pole points without a grid --------------------------------------------------------------------


def test_a_dry_run_without_grid_warns_when_the_scheme_gives_pole_points(race):
    diff = results_import(race=race, source=TIMING + TIMING_ROWS, dry_run=True)

    [warning] = diff.warnings
    assert (warning.line, warning.column) == (None, "GRID")
    assert "no car gets the pole points" in warning.message


def test_a_class_giving_pole_points_is_enough_for_the_warning(db):
    championship = make_championship("class-pole")
    championship.classes.filter(code="AM").update(pole_points=2)
    for number in (1, 2, 3):
        make_entry(championship, number)
    race = make_race(make_meeting(championship))

    assert results_import(race=race, source=TIMING + TIMING_ROWS, dry_run=True).warnings


def test_no_warning_with_a_grid_or_without_pole_points(race):
    with_grid = "POS,NO,LAPS,GRID\n1,1,15,2\n2,2,15,1\n"
    assert not results_import(race=race, source=with_grid, dry_run=True).warnings

    race.meeting.championship.__class__.objects.update(pole_points=0)
    race.refresh_from_db()
    assert not results_import(race=race, source=TIMING + TIMING_ROWS, dry_run=True).warnings


def test_the_api_dry_run_answers_the_warning(race, django_user_model):
    user = django_user_model.objects.create_superuser("api", "api@example.com", "pw")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")

    response = client.post(
        f"/api/v1/races/{race.pk}/results/?dry_run=1",
        TIMING + TIMING_ROWS,
        content_type="text/csv",
    )

    assert response.status_code == 200
    [warning] = response.json()["warnings"]
    assert warning["column"] == "GRID" and "pole points" in warning["message"]


def test_the_admin_dry_run_shows_the_warning(race, staff_client):
    response = staff_client.post(
        reverse("admin:championships_race_import_classification", args=[race.pk]),
        {"classification": SimpleUploadedFile("TSL.csv", (TIMING + TIMING_ROWS).encode())},
    )

    page = response.content.decode()
    assert 'id="classification-warnings"' in page
    assert "TSL.csv, column GRID: has no grid positions" in page


# Bounds through the import ---------------------------------------------------------------------


@pytest.mark.parametrize("time", ["99999999999:00:00.000", "9999999999:00:00.000"])
def test_a_race_time_of_unbounded_hours_is_refused_on_its_line(race, time):
    text = f"POS,NO,LAPS,TIME\n1,1,15,{time}\n"

    assert refused(race, text) == [
        (2, "TIME", f"expected a race time under 100 hours, not '{time}'")
    ]


def test_a_nul_in_a_cell_is_refused_by_the_dry_run_already(race):
    assert refused(race, "POS,NO,LAPS\n1,1\x00,15\n")[0][:2] == (2, "NO")
