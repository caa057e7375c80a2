"""results_import and POST /api/v1/races/<id>/results/: checked whole, written whole."""

import datetime as dt

import pytest
from django.contrib.admin.models import LogEntry
from rest_framework.test import APIClient

from championships.models import Championship, Race, Result
from championships.results_import import ResultsError, results_import
from tests.factories import (
    EXAMPLE_R1_1,
    EXAMPLE_SEASON,
    RESULT_PERMISSIONS,
    get_race,
    token_client,
)

pytestmark = pytest.mark.django_db


def held(pcca: Championship) -> Race:
    return get_race(pcca, 1, 1)


def recorded(race: Race) -> list[tuple]:
    return list(
        race.results.order_by("entry__car_number").values_list(
            "entry__car_number", "position", "status", "laps", "total_time", "best_lap", "grid"
        )
    )


def swapped_first_two(text: str) -> str:
    """R1-1 with cars 99 and 55 swapped at the front, and car 18's best lap changed."""
    lines = text.splitlines()
    lines[1] = "1,55,Kai LINDQVIST,15,30:01.632,1:58.560,1"
    lines[2] = "2,99,Ming ZHAO,15,30:02.978,1:58.452,2"
    lines[4] = lines[4].replace("1:58.930", "1:58.900")
    return "\n".join(lines) + "\n"


# The function ------------------------------------------------------------------------------


def test_importing_the_same_file_changes_nothing(pcca):
    diff = results_import(race=held(pcca), source=EXAMPLE_R1_1.encode(), dry_run=False)

    assert (diff.added, diff.changed, diff.removed) == ((), (), ())
    assert diff.unchanged == 18 and not diff.has_changes


def test_a_dry_run_lists_every_change_and_writes_nothing(pcca):
    before = recorded(held(pcca))
    changed_at = Championship.objects.get(pk=pcca.pk).tables_changed_at

    diff = results_import(race=held(pcca), source=swapped_first_two(EXAMPLE_R1_1), dry_run=True)

    assert diff.dry_run
    changes = {
        c.car_number: {f.field: (f.before, f.after) for f in c.changes} for c in diff.changed
    }
    assert changes[55] == {"position": (2, 1), "total_time": (_t(30, 2.978), _t(30, 1.632))}
    assert changes[99]["position"] == (1, 2)
    assert changes[18] == {"best_lap": (_t(1, 58.93), _t(1, 58.9))}
    assert [c.line for c in diff.changed] == [2, 3, 5]
    assert diff.unchanged == 15
    assert recorded(held(pcca)) == before
    assert Championship.objects.get(pk=pcca.pk).tables_changed_at == changed_at


def _t(minutes: int, seconds: float) -> dt.timedelta:
    return dt.timedelta(minutes=minutes, seconds=seconds)


def test_an_import_replaces_the_results_and_invalidates_the_tables(pcca, staff):
    changed_at = Championship.objects.get(pk=pcca.pk).tables_changed_at
    text = "\n".join(EXAMPLE_R1_1.splitlines()[:3]) + "\nDNS,18,Hiro,0,,,\n"

    diff = results_import(race=held(pcca), source=text, dry_run=False, user=staff)

    assert [row.car_number for row in diff.added] == []
    assert len(diff.removed) == 15 and diff.changed[0].car_number == 18
    assert [(r[0], r[1], r[2]) for r in recorded(held(pcca))] == [
        (18, None, "DNS"),
        (55, 2, "CLASSIFIED"),
        (99, 1, "CLASSIFIED"),
    ]
    assert Championship.objects.get(pk=pcca.pk).tables_changed_at > changed_at
    log = LogEntry.objects.get(object_id=str(held(pcca).pk))
    assert log.user == staff and "15 removed" in log.change_message


def test_a_race_not_held_gets_its_first_results(pcca):
    target = get_race(pcca, 5, 1)

    diff = results_import(race=target, source=EXAMPLE_R1_1, dry_run=False)

    assert len(diff.added) == 18 and target.results.count() == 18
    assert diff.added[0].line == 2


def test_every_problem_is_reported_with_line_and_column_and_nothing_written(pcca):
    before = recorded(held(pcca))
    lines = EXAMPLE_R1_1.splitlines()
    lines[1] = lines[1].replace(",99,", ",777,")  # not an entry
    lines[3] = lines[3].replace("30:05.975", "30:5")  # not a time
    lines[5] = lines[5].replace("5,", "2,", 1)  # position 2 twice
    text = "\n".join(lines)

    with pytest.raises(ResultsError) as refused:
        results_import(race=held(pcca), source=text, dry_run=False)

    where = {(i.file, i.line, i.column) for i in refused.value.issues}
    assert where == {
        ("results/R1-1.csv", 2, "NO"),
        ("results/R1-1.csv", 4, "TIME"),
        ("results/R1-1.csv", 6, "POS"),
    }
    assert "car 777 is not an entry of pcca-2024" in str(refused.value)
    assert recorded(held(pcca)) == before


def test_a_race_with_a_time_penalty_needs_every_classified_time(pcca):
    penalised = get_race(pcca, 1, 2)
    text = (EXAMPLE_SEASON / "results" / "R1-2.csv").read_text().splitlines()
    text[3] = ",".join(v if i != 4 else "" for i, v in enumerate(text[3].split(",")))

    with pytest.raises(ResultsError) as refused:
        results_import(race=penalised, source="\n".join(text), dry_run=True)

    [issue] = refused.value.issues
    assert (issue.line, issue.column) == (4, "TIME")


@pytest.mark.parametrize(
    ("source", "line", "column"),
    [
        (b"POS,NO,LAPS\n1,55,\xff15\n", 2, None),  # not UTF-8
        ("POS,LAPS\n1,15\n", 1, "NO"),  # a required column missing
        ("POS,NO,LAPS\n", None, None),  # no results
    ],
)
def test_an_unreadable_file_is_refused(pcca, source, line, column):
    with pytest.raises(ResultsError) as refused:
        results_import(race=held(pcca), source=source, dry_run=False)

    assert (refused.value.issues[0].line, refused.value.issues[0].column) == (line, column)


def test_semicolons_and_a_byte_order_mark_are_read_the_same(pcca):
    text = "\ufeff" + EXAMPLE_R1_1.replace(",", ";")

    diff = results_import(race=held(pcca), source=text.encode(), dry_run=True)

    assert diff.unchanged == 18


# The endpoint ------------------------------------------------------------------------------


def post(client: APIClient, target: Race, body: str | bytes, **params) -> object:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.post(f"/api/v1/races/{target.pk}/results/?{query}", body, content_type="text/csv")


def test_anonymous_cannot_import(api, pcca):
    response = post(api, held(pcca), EXAMPLE_R1_1)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


def test_a_wrong_token_is_refused(pcca):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert post(client, held(pcca), EXAMPLE_R1_1).status_code == 401


def test_staff_without_the_result_permissions_cannot_import(pcca, staff):
    client = token_client(staff, "championships.add_result", "championships.change_result")

    assert post(client, held(pcca), EXAMPLE_R1_1).status_code == 403


def test_a_dry_run_answers_the_difference(pcca, staff):
    client = token_client(staff, *RESULT_PERMISSIONS)
    before = recorded(held(pcca))

    response = post(client, held(pcca), swapped_first_two(EXAMPLE_R1_1), dry_run=1)

    assert response.status_code == 200
    body = response.json()
    assert body["dry_run"] is True and body["race"] == held(pcca).pk
    change = next(c for c in body["changed"] if c["car_number"] == 55)
    assert change["line"] == 2
    assert change["changes"] == [
        {"field": "position", "before": 2, "after": 1},
        {"field": "total_time", "before": "30:02.978", "after": "30:01.632"},
    ]
    assert recorded(held(pcca)) == before


def test_an_import_writes_and_answers_what_changed(pcca, staff):
    client = token_client(staff, *RESULT_PERMISSIONS)

    response = post(client, held(pcca), swapped_first_two(EXAMPLE_R1_1), expected_version=0)

    assert response.status_code == 200 and response.json()["dry_run"] is False
    assert Result.objects.get(race=held(pcca), entry__car_number=55).position == 1


def test_a_file_can_be_sent_as_a_form_field(pcca, staff):
    client = token_client(staff, *RESULT_PERMISSIONS)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("R1-1.csv", EXAMPLE_R1_1.encode(), content_type="text/csv")
    response = client.post(f"/api/v1/races/{held(pcca).pk}/results/?dry_run=true", {"file": upload})

    assert response.status_code == 200 and response.json()["unchanged"] == 18


def test_a_malformed_csv_is_a_400_listing_every_error_and_nothing_is_written(pcca, staff):
    client = token_client(staff, *RESULT_PERMISSIONS)
    before = recorded(held(pcca))
    text = EXAMPLE_R1_1.replace("1,99,", "1,777,").replace("30:05.975", "half an hour")

    response = post(client, held(pcca), text, expected_version=0)

    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "The file has 2 problems; nothing was written."
    assert [(e["line"], e["column"]) for e in body["errors"]] == [(2, "NO"), (4, "TIME")]
    assert all(e["file"] == "results/R1-1.csv" and e["message"] for e in body["errors"])
    assert recorded(held(pcca)) == before


@pytest.mark.parametrize(
    ("query", "body", "parameter"),
    [("dry_run=perhaps", EXAMPLE_R1_1, "dry_run"), ("", "", "file")],
)
def test_bad_parameters_and_empty_bodies_are_400s(pcca, staff, query, body, parameter):
    client = token_client(staff, *RESULT_PERMISSIONS)

    response = client.post(
        f"/api/v1/races/{held(pcca).pk}/results/?{query}", body, content_type="text/csv"
    )

    assert response.status_code == 400 and parameter in response.json()


def test_importing_into_an_unknown_race_is_a_404(pcca, staff):
    client = token_client(staff, *RESULT_PERMISSIONS)

    response = client.post("/api/v1/races/999999/results/", EXAMPLE_R1_1, content_type="text/csv")

    assert response.status_code == 404


def test_a_json_body_is_415(pcca, staff):
    client = token_client(staff, *RESULT_PERMISSIONS)

    response = client.post(f"/api/v1/races/{held(pcca).pk}/results/", {"a": 1}, format="json")

    assert response.status_code == 415


# No lost update (issue 14.10) ----------------------------------------------------------------


def versions_etag(client: APIClient, target: Race) -> str:
    return client.get(f"/api/v1/races/{target.pk}/versions/")["ETag"]


def test_the_versions_list_sends_the_etag_of_the_classification_version(pcca, api):
    target = held(pcca)

    assert versions_etag(api, target) == f'"race-{target.pk}-v0"'


def test_an_import_with_the_etag_read_goes_through_and_answers_the_new_one(pcca, staff):
    client = token_client(staff, *RESULT_PERMISSIONS)
    target = held(pcca)

    response = client.post(
        f"/api/v1/races/{target.pk}/results/",
        swapped_first_two(EXAMPLE_R1_1),
        content_type="text/csv",
        HTTP_IF_MATCH=versions_etag(client, target),
    )

    assert response.status_code == 200
    assert response["ETag"] == f'"race-{target.pk}-v2"'  # 1: the results before, 2: this import
    assert versions_etag(client, target) == response["ETag"]


def test_an_import_after_a_back_office_correction_is_412_and_writes_nothing(pcca, staff):
    # The timing provider read version 0; then race control corrected the classification.
    client = token_client(staff, *RESULT_PERMISSIONS)
    target = held(pcca)
    etag = versions_etag(client, target)
    corrected = post(client, target, swapped_first_two(EXAMPLE_R1_1), expected_version=0)
    assert corrected.status_code == 200
    before = recorded(target)

    by_etag = client.post(
        f"/api/v1/races/{target.pk}/results/",
        EXAMPLE_R1_1,
        content_type="text/csv",
        HTTP_IF_MATCH=etag,
    )
    by_parameter = post(client, target, EXAMPLE_R1_1, expected_version=0)

    assert by_etag.status_code == by_parameter.status_code == 412
    assert "steward changed the classification" in by_etag.json()["detail"]
    assert recorded(target) == before


def test_replacing_results_without_saying_which_version_was_read_is_428(pcca, staff):
    client = token_client(staff, *RESULT_PERMISSIONS)
    before = recorded(held(pcca))

    response = post(client, held(pcca), swapped_first_two(EXAMPLE_R1_1))
    star = client.post(
        f"/api/v1/races/{held(pcca).pk}/results/",
        EXAMPLE_R1_1,
        content_type="text/csv",
        HTTP_IF_MATCH="*",
    )

    assert response.status_code == star.status_code == 428
    assert "If-Match" in response.json()["detail"]
    assert recorded(held(pcca)) == before


def test_a_race_s_first_results_and_a_dry_run_need_no_precondition(pcca, staff):
    client = token_client(staff, *RESULT_PERMISSIONS)
    not_held = get_race(pcca, 7, 2)
    not_held.results.all().delete()

    assert post(client, held(pcca), EXAMPLE_R1_1, dry_run=1).status_code == 200
    assert post(client, not_held, EXAMPLE_R1_1).status_code == 200


@pytest.mark.parametrize(
    "if_match", ['"race-1-v0x"', '"something-else"', '"race-999999-v0"', "garbage"]
)
def test_an_etag_that_is_not_of_this_race_is_412(pcca, staff, if_match):
    client = token_client(staff, *RESULT_PERMISSIONS)

    response = client.post(
        f"/api/v1/races/{held(pcca).pk}/results/",
        EXAMPLE_R1_1,
        content_type="text/csv",
        HTTP_IF_MATCH=if_match,
    )

    assert response.status_code == 412


def test_an_etag_and_an_expected_version_that_disagree_are_412(pcca, staff):
    client = token_client(staff, *RESULT_PERMISSIONS)
    target = held(pcca)

    response = client.post(
        f"/api/v1/races/{target.pk}/results/?expected_version=3",
        EXAMPLE_R1_1,
        content_type="text/csv",
        HTTP_IF_MATCH=f'W/"race-{target.pk}-v0"',
    )

    assert response.status_code == 412
