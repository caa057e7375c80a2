"""The 403 page names the role that opens the refused page (issue 14.19), read from the
roles themselves (staff/needs.py)."""

import pytest

from staff.needs import roles_needed
from tests.factories import role_client


def test_a_series_manager_refused_the_applications_is_told_the_role_needed(client, db):
    client = role_client(client, "Series manager")

    response = client.get("/admin/talentpool/application/")

    assert response.status_code == 403
    html = response.content.decode()
    assert "This page needs the Talent Pool reviewer role." in html
    assert "Ask an owner of the installation" in html


def test_read_only_staff_refused_an_add_page_are_told_who_adds(client, db):
    client = role_client(client, "Read-only staff")

    response = client.get("/admin/entries/entry/add/")

    assert response.status_code == 403
    assert "This page needs the Series manager role." in response.content.decode()


def test_pages_no_role_opens_are_said_to_be_the_owners(client, db):
    client = role_client(client)

    response = client.get("/admin/auth/user/")

    assert response.status_code == 403
    assert "it is for the owners of the installation" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "roles"),
    [
        (
            "/admin/championships/result/",
            ["Race control", "Read-only staff", "Series manager", "Timing provider"],
        ),
        (
            "/admin/championships/result/3/delete/",
            ["Race control", "Series manager", "Timing provider"],
        ),
        ("/admin/talentpool/review/1/change/", ["Talent Pool reviewer"]),
        ("/admin/talentpool/application/4/document/cv/", ["Talent Pool reviewer"]),
        ("/admin/talentpool/winner/", ["Series manager"]),
        ("/admin/authtoken/tokenproxy/", []),
        ("/admin/token/", None),
        ("/standings/", None),
        ("/admin/nothing/here/", None),
    ],
)
def test_the_roles_needed_are_those_whose_group_holds_the_pages_permission(path, roles):
    assert roles_needed(path) == roles
