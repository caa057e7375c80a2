"""A parameter given twice is refused, never read one way by one layer and another way by the
next (issue 14.12): ``?dry_run=1&dry_run=0`` applied the import for real."""

import pytest

from championships.models import Championship, Result
from tests.factories import (
    ADD_CHAMPIONSHIP,
    EXAMPLE_R1_1,
    EXAMPLE_SEASON,
    RESULT_PERMISSIONS,
    get_race,
    token_client,
    zip_of,
)

pytestmark = pytest.mark.django_db


def test_a_repeated_dry_run_is_a_400_naming_it_and_writes_nothing(pcca, staff):
    race = get_race(pcca, 2, 1)
    Result.objects.filter(race=race).delete()
    url = f"/api/v1/races/{race.pk}/results/?dry_run=1&dry_run=0"

    response = token_client(staff, *RESULT_PERMISSIONS).post(
        url, EXAMPLE_R1_1, content_type="text/csv"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["dry_run"]
    assert not Result.objects.filter(race=race).exists()


def test_a_repeated_dry_run_of_a_season_bundle_is_refused(staff, db):
    url = "/api/v1/season-bundles/?dry_run=true&dry_run=false"

    response = token_client(staff, ADD_CHAMPIONSHIP).post(
        url, zip_of(EXAMPLE_SEASON), content_type="application/zip"
    )

    assert response.status_code == 400
    assert "dry_run" in response.json()
    assert not Championship.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/championships/pcca-2024/standings/?after_round=2&after_round=3",
        "/api/v1/championships/pcca-2024/standings/?table=drivers&table=teams",
        "/api/v1/entries/?page=1&page=2",
        "/api/v1/races/?round=1&round=2",
    ],
)
def test_every_api_read_refuses_a_repeated_parameter(api, pcca, url):
    response = api.get(url)

    assert response.status_code == 400
    name = url.rsplit("&", 1)[1].split("=")[0]
    assert list(response.json()) == [name]
    assert "once" in response.json()[name][0]


@pytest.mark.parametrize(
    "url",
    [
        "/standings/?after_round=1&after_round=2",
        "/entries/?rookie=true&rookie=false",
        "/championships/pcca-2024/rounds/1/?at=2024-05-01&at=2030-01-01",
    ],
)
def test_every_page_refuses_a_repeated_parameter_naming_it(client, pcca, url):
    response = client.get(url)

    assert response.status_code == 400
    assert url.rsplit("&", 1)[1].split("=")[0] in response.content.decode()


def test_a_parameter_given_once_is_read_as_before(api, pcca):
    assert api.get("/api/v1/championships/pcca-2024/standings/?after_round=2").status_code == 200
    assert api.get("/standings/?after_round=2&table=teams").status_code == 200
