"""A draft season is for staff only, and so is what exists only through it: a series whose only
season is a draft (API, calendar) and the draft's name and address on the Talent Pool page."""

import pytest
from rest_framework.test import APIClient

from championships.models import SeasonStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret_series():
    """The Cup, published, and a new series whose only season is a draft."""
    factories.make_championship("cup-2026", year=2026, series=factories.make_series("Cup"))
    trophy = factories.make_series("Sprint Trophy Thailand")
    return factories.make_championship(
        "stt-2027", year=2027, series=trophy, status=SeasonStatus.DRAFT
    )


def test_a_series_with_only_a_draft_is_absent_from_the_api_for_the_public(secret_series):
    api = APIClient()

    listed = api.get("/api/v1/series/").json()["results"]

    assert [row["slug"] for row in listed] == ["cup"]
    assert api.get("/api/v1/series/sprint-trophy-thailand/").status_code == 404


def test_staff_see_a_series_with_only_a_draft_in_the_api(secret_series):
    api = APIClient()
    api.force_authenticate(factories.make_staff("manager", "championships.view_championship"))

    listed = api.get("/api/v1/series/").json()["results"]

    assert {row["slug"] for row in listed} == {"cup", "sprint-trophy-thailand"}
    assert api.get("/api/v1/series/sprint-trophy-thailand/").status_code == 200


def test_the_talent_pool_names_a_draft_season_it_leads_to_without_its_address(
    client, secret_series
):
    factories.make_edition(secret_series)

    html = client.get("/talent-pool/").content.decode()

    assert "Sprint Trophy Thailand, 2027 season" in html
    assert "/championships/stt-2027/" not in html
    assert secret_series.name not in html


def test_the_talent_pool_links_a_published_season_it_leads_to(client, secret_series):
    factories.make_edition(secret_series)
    secret_series.status = SeasonStatus.PUBLISHED
    secret_series.save()

    html = client.get("/talent-pool/").content.decode()

    assert f'<a href="/championships/stt-2027/">{secret_series.name}</a>' in html
