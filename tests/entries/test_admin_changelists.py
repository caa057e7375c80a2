"""The driver, team and entry changelists read a fixed number of queries, however many rows."""

import pytest

from tests.factories import get_changelist, make_championship, make_driver, make_entry, make_team

ROWS = [1, 25]


@pytest.mark.parametrize("rows", ROWS)
def test_driver_changelist_reads_a_fixed_number_of_queries(
    rows, staff_client, django_assert_num_queries
):
    for n in range(rows):
        make_driver(nationality=["SE", "CN", "GB"][n % 3])
    # session, user, paginator count, "N total" count, the page, nationality filter choices
    with django_assert_num_queries(6):
        response = get_changelist(staff_client, "entries", "driver")
    assert len(response.context["cl"].result_list) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_team_changelist_reads_a_fixed_number_of_queries(
    rows, staff_client, django_assert_num_queries
):
    for _ in range(rows):
        make_team()
    # session, user, paginator count, "N total" count, the page
    with django_assert_num_queries(5):
        response = get_changelist(staff_client, "entries", "team")
    assert len(response.context["cl"].result_list) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_entry_changelist_reads_a_fixed_number_of_queries(
    rows, staff_client, django_assert_num_queries
):
    championship = make_championship()
    for n in range(rows):
        make_entry(championship, car_number=n + 1, driver=make_driver(), team=make_team())
    # session, user, championship filter choices, paginator count, "N total" count,
    # the page with driver, team, class and championship, class code filter choices
    with django_assert_num_queries(7):
        response = get_changelist(staff_client, "entries", "entry")
    assert len(response.context["cl"].result_list) == rows


def test_entry_changelist_shows_the_drivers_fia_category(staff_client):
    make_entry(make_championship(), driver=make_driver(category="PLATINUM"))

    response = get_changelist(staff_client, "entries", "entry")

    assert "Platinum" in response.content.decode()
