"""The edition's application window in the back office is shown in the edition's time zone,
as the words beside it say (issue 14.22c), to a reviewer who only views it as to a manager."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.factories import make_edition, role_client

KUALA_LUMPUR = ZoneInfo("Asia/Kuala_Lumpur")  # UTC+8: 00:00 there is 16:00 UTC the day before


@pytest.fixture
def edition(db):
    return make_edition(
        opens_at=dt.datetime(2026, 3, 1, 0, 0, tzinfo=KUALA_LUMPUR),
        closes_at=dt.datetime(2026, 4, 30, 23, 59, tzinfo=KUALA_LUMPUR),
    )


def change_page(client, edition) -> str:
    response = client.get(f"/admin/talentpool/talentpooledition/{edition.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_reviewer_sees_the_window_in_the_editions_time_zone(client, edition):
    page = change_page(role_client(client, "Talent Pool reviewer", name="reviewer"), edition)

    assert "In the edition&#x27;s time zone." in page or "In the edition's time zone." in page
    assert "March 1, 2026, midnight" in page and "April 30, 2026, 11:59 p.m." in page
    assert "Feb. 28, 2026" not in page and "4 p.m." not in page


def test_a_manager_edits_the_window_in_the_editions_time_zone(staff_client, edition):
    page = change_page(staff_client, edition)

    assert 'value="2026-03-01"' in page and 'value="00:00:00"' in page
    assert 'value="2026-04-30"' in page and 'value="23:59:00"' in page


def test_the_list_shows_the_window_in_the_editions_time_zone(staff_client, edition):
    page = staff_client.get("/admin/talentpool/talentpooledition/").content.decode()

    assert "2026-03-01 00:00 – 2026-04-30 23:59 Asia/Kuala_Lumpur" in page
