"""The series manager enters the Talent Pool's winners in the championship (issue 14.19):
a page of the selected applicants only, with what an entry needs and nothing else."""

import pytest

from entries.models import Entry
from talentpool.models import Application
from tests.factories import make_team, role_client, submit

WINNERS = "/admin/talentpool/winner/"


@pytest.fixture
def manager(client, db):
    return role_client(client, "Series manager", name="manager")


def test_the_series_manager_sees_the_winners_and_no_other_applicant(manager, edition):
    winner = submit(edition, phone="+60 11 111 1111")
    other = submit(edition, email="ann@example.com", first_name="Ann")
    Application.objects.filter(pk=winner.pk).update(status="selected")

    html = manager.get(WINNERS).content.decode()

    assert winner.reference in html and other.reference not in html
    assert winner.email not in html and "+60 11 111 1111" not in html


def test_a_winners_page_shows_no_contact_details_or_documents(manager, edition):
    winner = submit(edition)
    Application.objects.filter(pk=winner.pk).update(status="selected")

    html = manager.get(f"{WINNERS}{winner.pk}/change/").content.decode()
    # The page itself, not the sidebar (which lists the entrants' documents among the models).
    page = html.split('id="content-start"', 1)[1]

    assert winner.last_name in page
    assert winner.email not in page and "document" not in page


def test_the_series_manager_enters_a_winner_in_the_championship(manager, edition):
    winner = submit(edition)
    Application.objects.filter(pk=winner.pk).update(status="selected")
    championship = edition.championship
    team = make_team("Talent Pool Racing")

    response = manager.post(
        WINNERS,
        {
            "action": "place_on_grid",
            "_selected_action": [winner.pk],
            "apply": "1",
            "team": team.pk,
            "entry_class": championship.classes.get(code="PRO").pk,
            "default_category": "SILVER",
            "first_car_number": 77,
        },
    )

    assert response.status_code == 302
    entry = Entry.objects.get()
    assert (entry.car_number, entry.driver.full_name, entry.arrive_and_drive) == (
        77,
        "Mei Tan",
        True,
    )


def test_the_series_manager_still_cannot_open_the_applications(manager, edition):
    application = submit(edition)

    assert manager.get("/admin/talentpool/application/").status_code == 403
    document = f"/admin/talentpool/application/{application.pk}/document/cv/"
    assert manager.get(document).status_code == 403


def test_nobody_changes_or_deletes_an_application_through_the_winners_page(manager, edition):
    winner = submit(edition)
    Application.objects.filter(pk=winner.pk).update(status="selected")

    manager.post(f"{WINNERS}{winner.pk}/change/", {"first_name": "Changed"})
    deleted = manager.post(f"{WINNERS}{winner.pk}/delete/", {"post": "yes"})

    assert deleted.status_code == 403
    assert Application.objects.get().first_name == "Mei"
