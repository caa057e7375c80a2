"""Issue 14.4 in the entries app: a parameter or file cell that does not parse is refused
where it is (a 400, or a located problem), never a server error."""

import datetime as dt

import pytest
from django.urls import reverse

from championships.bundle import BundleError
from entries.fia_categories import fia_category_revision_import
from entries.models import CarAllocation
from tests.factories import (
    make_allocation,
    make_car,
    make_championship,
    make_driver,
    make_entry,
    make_meeting,
)


@pytest.fixture
def allocation(db) -> CarAllocation:
    championship = make_championship(year=2025)
    meeting = make_meeting(championship, 1, start_date=dt.date(2025, 4, 19))
    return make_allocation(meeting, make_car(), make_entry(championship, 21, arrive_and_drive=True))


@pytest.mark.parametrize("release", ["abc", "", "1e3", "99999999999999999999999"])
def test_the_allocation_board_refuses_a_release_that_is_not_an_allocation_id(
    allocation, staff_client, release
):
    url = reverse("admin:entries_carallocation_board", args=[allocation.meeting_id])

    response = staff_client.post(url, {"release": release})

    assert response.status_code == 400
    assert "Expected an allocation of this meeting." in response.content.decode()
    assert CarAllocation.objects.count() == 1


def test_the_allocation_board_refuses_an_allocation_of_another_meeting(allocation, staff_client):
    other = make_meeting(allocation.meeting.championship, 2, start_date=dt.date(2025, 5, 19))
    url = reverse("admin:entries_carallocation_board", args=[other.pk])

    response = staff_client.post(url, {"release": allocation.pk})

    assert response.status_code == 400
    assert CarAllocation.objects.count() == 1


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        ("kai-berg-1990,GOLD,0001-01-01,FIA_LIST,,", "effective_date", "from 1900 to 2999"),
        ("kai-berg-1990,GOLD,2025-01-01,FIA_LIST,2025-01-01,a\x00b", "note", "U+0000"),
        ("kai\x00-berg,GOLD,2025-01-01,FIA_LIST,,", "driver", "U+0000"),
    ],
)
def test_the_revision_import_refuses_a_bad_date_or_a_nul_at_its_line_and_column(
    db, row, column, fragment
):
    make_driver("Kai", "Berg", date_of_birth=dt.date(1990, 1, 1))
    text = "driver,category,effective_date,source,published_on,note\n" + row + "\n"

    with pytest.raises(BundleError) as refused:
        fia_category_revision_import(text.encode(), dry_run=True)

    [issue] = refused.value.issues
    assert (issue.line, issue.column) == (2, column)
    assert fragment in issue.message
