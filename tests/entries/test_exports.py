"""The entry list of a meeting for broadcasters and timing, as CSV and JSON."""

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from entries.exports import entry_list_csv, entry_list_json
from tests.factories import (
    make_allocation,
    make_car,
    make_championship,
    make_classification,
    make_driver,
    make_entry,
    make_meeting,
    make_team,
)


@pytest.fixture
def meeting(db):
    """Round 2 on 17 May 2025; Lena was reclassified Gold from 1 May."""
    championship = make_championship("pcca-2025", year=2025)
    meeting = make_meeting(championship, 2, start_date=dt.date(2025, 5, 17))
    lena = make_driver("Lena", "Wu", category="GOLD", nationality="CN")
    make_classification(lena, "SILVER", dt.date(2025, 1, 1))
    make_classification(lena, "GOLD", dt.date(2025, 5, 1), source="FIA_REVIEW")
    make_entry(
        championship,
        88,
        driver=lena,
        category="SILVER",
        team=make_team("Team Jebsen"),
        arrive_and_drive=True,
    )
    make_entry(
        championship,
        7,
        driver=make_driver("Max", "Lee", category="BRONZE", nationality="MY"),
        team=make_team("Absolute Racing"),
        class_code="AM",
    )
    make_allocation(meeting, make_car("WP0ZZZ99ZPS000188"), championship.entries.get(car_number=88))
    return meeting


def test_the_csv_lists_every_car_with_its_category_in_force_chassis_and_nationality(meeting):
    assert entry_list_csv(meeting) == (
        "number,driver,team,class,category,chassis,nationality\n"
        "7,Max Lee,Absolute Racing,AM,BRONZE,,MY\n"
        "88,Lena Wu,Team Jebsen,PRO,GOLD,WP0ZZZ99ZPS000188,CN\n"
    )


def test_the_json_names_the_meeting_and_lists_the_same_entries(meeting):
    document = json.loads(entry_list_json(meeting))

    assert document == {
        "championship": "pcca-2025",
        "round": 2,
        "circuit": "Shanghai International Circuit",
        "start_date": "2025-05-17",
        "end_date": "2025-05-18",
        "entries": [
            {
                "number": 7,
                "driver": "Max Lee",
                "team": "Absolute Racing",
                "class": "AM",
                "category": "BRONZE",
                "chassis": None,
                "nationality": "MY",
            },
            {
                "number": 88,
                "driver": "Lena Wu",
                "team": "Team Jebsen",
                "class": "PRO",
                "category": "GOLD",
                "chassis": "WP0ZZZ99ZPS000188",
                "nationality": "CN",
            },
        ],
    }


def test_an_earlier_meeting_lists_the_category_in_force_on_its_day(meeting):
    first = make_meeting(meeting.championship, 1, start_date=dt.date(2025, 4, 19))

    rows = json.loads(entry_list_json(first))["entries"]

    assert [(row["number"], row["category"], row["chassis"]) for row in rows] == [
        (7, "BRONZE", None),
        (88, "SILVER", None),
    ]


def test_the_entry_list_reads_one_query(meeting, django_assert_num_queries):
    from entries.exports import entry_list

    with django_assert_num_queries(1):
        entry_list(meeting)


@pytest.mark.parametrize(
    ("file_format", "content_type"),
    [("csv", "text/csv; charset=utf-8"), ("json", "application/json")],
)
def test_staff_download_the_entry_list(meeting, staff_client, file_format, content_type):
    url = reverse("admin:entries_entry_entry_list", args=[meeting.pk, file_format])

    response = staff_client.get(url)

    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="pcca-2025-round-2-entry-list.{file_format}"'
    )
    assert "WP0ZZZ99ZPS000188" in response.content.decode()


def test_the_entry_list_download_is_for_staff_only(meeting, client):
    response = client.get(reverse("admin:entries_entry_entry_list", args=[meeting.pk, "csv"]))

    assert response.status_code == 302  # to the login page


def test_an_unknown_format_is_not_found(meeting, staff_client):
    response = staff_client.get(
        reverse("admin:entries_entry_entry_list", args=[meeting.pk, "xlsx"])
    )

    assert response.status_code == 404


def test_the_entry_lists_page_links_each_meetings_downloads(meeting, staff_client):
    response = staff_client.get(reverse("admin:entries_entry_entry_lists"))

    page = response.content.decode()
    assert reverse("admin:entries_entry_entry_list", args=[meeting.pk, "json"]) in page


def test_the_command_writes_the_entry_list(meeting, tmp_path, capsys):
    path = tmp_path / "entry-list.json"

    call_command("export_entry_list", "pcca-2025", "2", "--format", "json", "--output", str(path))

    assert json.loads(path.read_text())["entries"][1]["chassis"] == "WP0ZZZ99ZPS000188"


def test_the_command_prints_csv_without_an_output(meeting, capsys):
    call_command("export_entry_list", "pcca-2025", "2")

    assert capsys.readouterr().out == entry_list_csv(meeting)


def test_the_command_refuses_an_unknown_meeting(meeting):
    with pytest.raises(CommandError, match="No meeting of round 9"):
        call_command("export_entry_list", "pcca-2025", "9")


def public_url(file_format: str, round: int = 2, slug: str = "pcca-2025") -> str:
    return reverse(f"entries:entry-list-{file_format}", kwargs={"slug": slug, "round": round})


@pytest.mark.parametrize(
    ("file_format", "content_type"),
    [("csv", "text/csv; charset=utf-8"), ("json", "application/json")],
)
def test_anyone_downloads_the_entry_list_at_its_public_address(
    meeting, client, file_format, content_type
):
    response = client.get(public_url(file_format))

    assert public_url(file_format) == f"/championships/pcca-2025/rounds/2/entry-list.{file_format}"
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="pcca-2025-round-2-entry-list.{file_format}"'
    )
    expected = entry_list_csv(meeting) if file_format == "csv" else entry_list_json(meeting)
    assert response.content.decode() == expected


def test_the_public_entry_list_of_a_meeting_or_championship_not_held_is_not_found(meeting, client):
    assert client.get(public_url("csv", round=9)).status_code == 404
    assert client.get(public_url("json", slug="no-such-cup")).status_code == 404


def test_the_api_gives_the_meeting_and_its_entry_list(meeting, client):
    response = client.get(f"/api/v1/entry-lists/{meeting.pk}/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert response.json() == json.loads(entry_list_json(meeting))
    assert response.json()["entries"][0]["nationality"] == "MY"


def test_the_api_answers_404_for_a_meeting_that_does_not_exist(meeting, client):
    response = client.get("/api/v1/entry-lists/999999/", HTTP_ACCEPT="application/json")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_the_api_entry_list_is_documented(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/entry-lists/{id}/"]["get"]
    assert operation["summary"]
    row = schema["components"]["schemas"]["EntryListRow"]["properties"]
    assert list(row) == ["number", "driver", "team", "class", "category", "chassis", "nationality"]


@pytest.mark.parametrize("cars", [1, 8])
def test_the_api_entry_list_costs_the_same_queries_for_any_number_of_cars(
    client, db, django_assert_num_queries, cars
):
    championship = make_championship("count-cup", year=2025)
    meeting = make_meeting(championship)
    for number in range(1, cars + 1):
        make_entry(championship, number)

    # 1 the meeting with its circuit and championship; 2 the entries with their people.
    with django_assert_num_queries(2):
        response = client.get(f"/api/v1/entry-lists/{meeting.pk}/", HTTP_ACCEPT="application/json")

    assert len(response.json()["entries"]) == cars
