"""Team accounts: made by their first manager, seen by their members only, and the manager's
invitations (sent in the team's language, accepted once, revoked) and removals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from paddock.models import EntrantTeam, Invitation, TeamMember, TeamRole
from paddock.services import teams
from tests.paddock.factories import (
    entrant_client,
    make_account,
    make_entrant_driver,
    make_entrant_team,
    manager_of,
)

pytestmark = pytest.mark.django_db


def invite(team, email="new@example.com", role=TeamRole.DRIVER, driver=None) -> Invitation:
    return teams.invitation_send(
        team=team,
        email=email,
        role=role,
        driver=driver,
        by=manager_of(team),
        accept_url_builder=lambda invitation: f"https://cup.test/i/{invitation.token}/",
    )


def team_with_member(role=TeamRole.STAFF):
    team = make_entrant_team()
    member = make_account()
    TeamMember.objects.create(team=team, user=member, role=role)
    return team, member


# --- making a team


def test_an_entrant_makes_a_team_and_manages_it():
    user = make_account()
    response = entrant_client(user).post("/paddock/teams/new/", {"name": "  Lion Racing "})

    team = EntrantTeam.objects.get()
    assert response["Location"] == f"/paddock/teams/{team.pk}/"
    assert team.name == "Lion Racing"
    assert team.language == "en"
    assert list(team.members.values_list("user", "role")) == [(user.pk, TeamRole.MANAGER)]


def test_a_team_made_on_the_chinese_site_writes_its_e_mails_in_chinese():
    entrant_client(make_account()).post("/zh-hans/paddock/teams/new/", {"name": "Dragon GT"})
    assert EntrantTeam.objects.get().language == "zh-hans"


def test_a_team_name_taken_in_any_case_is_refused_naming_the_field():
    make_entrant_team("Lion Racing")
    response = entrant_client(make_account()).post("/paddock/teams/new/", {"name": "LION racing"})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "name": ["A team account of this name exists already."]
    }
    assert EntrantTeam.objects.count() == 1


def test_the_service_refuses_a_taken_name_too():
    make_entrant_team("Lion Racing")
    with pytest.raises(ValidationError) as refused:
        teams.team_create(name="lion RACING", user=make_account(), language="en")
    assert "name" in refused.value.message_dict


def test_an_empty_team_name_is_refused():
    response = entrant_client(make_account()).post("/paddock/teams/new/", {"name": "  "})
    assert response.status_code == 400
    assert "name" in response.context["form"].errors


def test_making_a_team_needs_an_account(client):
    response = client.get("/paddock/teams/new/")
    assert response["Location"].startswith("/accounts/login/")


# --- the team page


def test_the_team_page_shows_members_drivers_and_open_invitations():
    team = make_entrant_team("Lion Racing")
    driver = make_entrant_driver(team, "Mia", last_name="Tan")
    invite(team, "coach@example.com", TeamRole.STAFF)
    expired = invite(team, "late@example.com", TeamRole.STAFF)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())

    response = entrant_client(manager_of(team)).get(f"/paddock/teams/{team.pk}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert manager_of(team).email in page
    assert f'href="/paddock/drivers/{driver.pk}/"' in page and "Mia Tan" in page
    assert "coach@example.com" in page
    assert "late@example.com" not in page
    assert "Invite someone to the team" in page


def test_a_member_who_does_not_manage_sees_the_team_but_not_the_managers_forms():
    team, member = team_with_member(TeamRole.DRIVER)
    page = entrant_client(member).get(f"/paddock/teams/{team.pk}/").content.decode()
    assert team.name in page
    assert "Invite someone to the team" not in page
    assert "Remove " not in page


def test_a_driver_member_sees_their_own_profile_but_no_address_invitation_or_other_driver():
    team = make_entrant_team("Lion Racing")
    member = make_account("mia@example.com")
    TeamMember.objects.create(team=team, user=member, role=TeamRole.DRIVER)
    own = make_entrant_driver(team, "Mia", last_name="Tan", user=member)
    make_entrant_driver(team, "Kai", last_name="Wong")
    invite(team, "coach@example.com", TeamRole.STAFF)

    response = entrant_client(member).get(f"/paddock/teams/{team.pk}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="/paddock/drivers/{own.pk}/"' in page and "Mia Tan" in page
    assert "Your role: Driver." in page
    assert manager_of(team).email not in page
    assert "coach@example.com" not in page
    assert "Kai Wong" not in page
    assert "Open invitations" not in page


def test_team_staff_see_neither_the_members_nor_the_drivers():
    team, member = team_with_member(TeamRole.STAFF)
    make_entrant_driver(team, "Kai", last_name="Wong")
    invite(team, "coach@example.com", TeamRole.STAFF)

    page = entrant_client(member).get(f"/paddock/teams/{team.pk}/").content.decode()

    assert "Your role: Team staff." in page
    assert manager_of(team).email not in page
    assert "coach@example.com" not in page
    assert "Kai Wong" not in page


def test_another_teams_page_is_a_404():
    team = make_entrant_team()
    outsider = manager_of(make_entrant_team())
    assert entrant_client(outsider).get(f"/paddock/teams/{team.pk}/").status_code == 404


@pytest.mark.parametrize("rows", [1, 6])
def test_the_team_page_reads_a_set_number_of_queries(rows, django_assert_num_queries):
    team = make_entrant_team()
    for number in range(rows):
        make_entrant_driver(team, f"Driver{number}")
        invite(team, f"person{number}@example.com")
        TeamMember.objects.create(team=team, user=make_account(), role=TeamRole.STAFF)
    client = entrant_client(manager_of(team))
    # session, user, membership with its team, the series menu, members with their accounts,
    # the entered drivers, open invitations with their drivers, the form's choice of driver
    with django_assert_num_queries(8):
        assert client.get(f"/paddock/teams/{team.pk}/").status_code == 200


# --- invitations


def test_an_invitation_is_e_mailed_in_the_teams_language():
    team = make_entrant_team()
    EntrantTeam.objects.filter(pk=team.pk).update(language="zh-hans")
    team.refresh_from_db()
    driver = make_entrant_driver(team, "Mia", last_name="Tan")

    invitation = invite(team, "mia@example.com", TeamRole.DRIVER, driver)

    assert invitation.driver == driver
    (message,) = mail.outbox
    assert message.to == ["mia@example.com"]
    assert f"https://cup.test/i/{invitation.token}/" in message.body
    assert team.name in message.subject
    assert "车手" in message.body  # the role, in the team's language
    assert "Mia Tan" in message.body


def test_a_manager_invites_from_the_team_page_with_a_link_in_the_teams_language():
    team = make_entrant_team()
    EntrantTeam.objects.filter(pk=team.pk).update(language="zh-hans")
    client = entrant_client(manager_of(team))

    response = client.post(
        f"/paddock/teams/{team.pk}/invitations/", {"email": "coach@example.com", "role": "STAFF"}
    )

    assert response["Location"] == f"/paddock/teams/{team.pk}/"
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role) == ("coach@example.com", TeamRole.STAFF)
    assert f"http://testserver/zh-hans/paddock/invitations/{invitation.token}/" in (
        mail.outbox[0].body
    )
    assert (
        "Invitation sent to coach@example.com." in client.get(response["Location"]).content.decode()
    )


def test_a_second_open_invitation_to_an_address_is_refused():
    team = make_entrant_team()
    invite(team, "Coach@example.com")
    client = entrant_client(manager_of(team))

    response = client.post(
        f"/paddock/teams/{team.pk}/invitations/", {"email": "coach@EXAMPLE.com", "role": "STAFF"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "email": ["This address has an open invitation already."]
    }
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


def test_an_expired_invitation_does_not_stop_a_new_one():
    team = make_entrant_team()
    old = invite(team, "coach@example.com")
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now())
    new = invite(team, "coach@example.com")
    assert list(Invitation.objects.all()) == [new]


def test_a_member_cannot_be_invited_again():
    team, member = team_with_member()
    with pytest.raises(ValidationError) as refused:
        invite(team, member.email.upper())
    assert "email" in refused.value.message_dict


def test_an_invitation_naming_a_driver_must_be_a_driver_invitation_of_the_same_team():
    team = make_entrant_team()
    driver = make_entrant_driver(team)
    other_driver = make_entrant_driver(make_entrant_team())
    client = entrant_client(manager_of(team))

    as_staff = client.post(
        f"/paddock/teams/{team.pk}/invitations/",
        {"email": "x@example.com", "role": "STAFF", "driver": driver.pk},
    )
    elsewhere = client.post(
        f"/paddock/teams/{team.pk}/invitations/",
        {"email": "y@example.com", "role": "DRIVER", "driver": other_driver.pk},
    )

    assert as_staff.status_code == elsewhere.status_code == 400
    assert list(as_staff.context["form"].errors) == ["driver"]
    assert list(elsewhere.context["form"].errors) == ["driver"]
    assert not Invitation.objects.exists()


def test_only_a_manager_invites():
    team, member = team_with_member(TeamRole.STAFF)
    response = entrant_client(member).post(
        f"/paddock/teams/{team.pk}/invitations/", {"email": "x@example.com", "role": "DRIVER"}
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_a_manager_of_another_team_cannot_invite_to_this_one():
    team = make_entrant_team()
    outsider = manager_of(make_entrant_team())
    response = entrant_client(outsider).post(
        f"/paddock/teams/{team.pk}/invitations/", {"email": "x@example.com", "role": "DRIVER"}
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()


# --- accepting


def test_accepting_a_driver_invitation_links_the_account_to_the_driver():
    team = make_entrant_team()
    driver = make_entrant_driver(team)
    invitation = invite(team, "mia@example.com", TeamRole.DRIVER, driver)
    mia = make_account("mia@example.com")
    client = entrant_client(mia)

    page = client.get(f"/paddock/invitations/{invitation.token}/")
    assert page.status_code == 200
    response = client.post(f"/paddock/invitations/{invitation.token}/")

    assert response["Location"] == f"/paddock/teams/{team.pk}/"
    assert team.members.get(user=mia).role == TeamRole.DRIVER
    driver.refresh_from_db()
    assert driver.user == mia
    invitation.refresh_from_db()
    assert invitation.accepted_by == mia and invitation.accepted_at is not None


def test_an_invitation_is_for_the_account_of_its_address_only():
    invitation = invite(make_entrant_team(), "coach@example.com", TeamRole.STAFF)
    other = entrant_client(make_account("personal@example.com"))

    assert other.get(f"/paddock/invitations/{invitation.token}/").status_code == 404
    assert other.post(f"/paddock/invitations/{invitation.token}/").status_code == 404
    assert invitation.team.members.count() == 1
    assert Invitation.objects.get().accepted_at is None


def test_an_invitation_waits_for_its_address_to_be_verified():
    invitation = invite(make_entrant_team(), "coach@example.com", TeamRole.STAFF)
    unverified = entrant_client(make_account("coach@example.com", verified=False))

    assert unverified.post(f"/paddock/invitations/{invitation.token}/").status_code == 404
    assert Invitation.objects.get().accepted_at is None


def test_a_used_invitation_cannot_be_used_again():
    team = make_entrant_team()
    invitation = invite(team)
    invitee = entrant_client(make_account("new@example.com"))
    invitee.post(f"/paddock/invitations/{invitation.token}/")

    response = invitee.post(f"/paddock/invitations/{invitation.token}/")

    assert response.status_code == 410
    assert "This invitation can no longer be used" in response.content.decode()
    assert team.members.count() == 2


def test_an_expired_invitation_is_a_clear_410():
    invitation = invite(make_entrant_team())
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    user = make_account("new@example.com")

    response = entrant_client(user).post(f"/paddock/invitations/{invitation.token}/")

    assert response.status_code == 410
    assert "It expired on" in response.content.decode()
    assert not TeamMember.objects.filter(user=user).exists()


def test_an_unknown_token_is_a_404():
    response = entrant_client(make_account()).get("/paddock/invitations/not-a-token/")
    assert response.status_code == 404


def test_opening_an_invitation_signed_out_asks_to_sign_in_first(client):
    invitation = invite(make_entrant_team())
    response = client.get(f"/paddock/invitations/{invitation.token}/")
    assert response["Location"].startswith("/accounts/login/?next=/paddock/invitations/")


def test_a_member_accepting_again_is_told_so():
    team, member = team_with_member(TeamRole.STAFF)
    # Sent before they joined by another way: the invitation stays open.
    invitation = Invitation.objects.create(
        team=team, email=member.email, role=TeamRole.STAFF, invited_by=manager_of(team)
    )
    response = entrant_client(member).post(f"/paddock/invitations/{invitation.token}/")
    assert response.status_code == 400
    assert "You are a member of this team already." in response.content.decode()
    assert Invitation.objects.get().accepted_at is None


def test_an_account_can_belong_to_several_teams():
    user = make_account("new@example.com")
    for team in (make_entrant_team(), make_entrant_team()):
        teams.invitation_accept(invitation=invite(team), user=user)
    assert TeamMember.objects.filter(user=user).count() == 2


def test_a_driver_already_linked_to_another_account_is_refused():
    team = make_entrant_team()
    driver = make_entrant_driver(team, user=make_account())
    invitation = invite(team, "second@example.com", TeamRole.DRIVER, driver)
    with pytest.raises(ValidationError):
        teams.invitation_accept(invitation=invitation, user=make_account("second@example.com"))
    assert Invitation.objects.get().accepted_at is None
    assert team.members.count() == 1


# --- revoking and removing


def test_a_manager_revokes_an_open_invitation():
    team = make_entrant_team()
    invitation = invite(team)
    client = entrant_client(manager_of(team))

    response = client.post(f"/paddock/teams/{team.pk}/invitations/{invitation.pk}/revoke/")

    assert response["Location"] == f"/paddock/teams/{team.pk}/"
    assert not Invitation.objects.exists()
    user = make_account()
    assert entrant_client(user).get(f"/paddock/invitations/{invitation.token}/").status_code == 404


def test_an_accepted_invitation_is_not_revoked():
    team = make_entrant_team()
    invitation = invite(team)
    teams.invitation_accept(invitation=invitation, user=make_account("new@example.com"))
    client = entrant_client(manager_of(team))

    response = client.post(
        f"/paddock/teams/{team.pk}/invitations/{invitation.pk}/revoke/", follow=True
    )

    assert "it cannot be revoked" in response.content.decode()
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_only_a_manager_revokes_and_only_in_their_team():
    team, member = team_with_member(TeamRole.DRIVER)
    invitation = invite(team)
    outsider = manager_of(make_entrant_team())
    address = f"/paddock/teams/{team.pk}/invitations/{invitation.pk}/revoke/"

    assert entrant_client(member).post(address).status_code == 404
    assert entrant_client(outsider).post(address).status_code == 404
    other_team = EntrantTeam.objects.exclude(pk=team.pk).get()
    wrong_team = f"/paddock/teams/{other_team.pk}/invitations/{invitation.pk}/revoke/"
    assert entrant_client(outsider).post(wrong_team).status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_revoking_needs_a_post():
    team = make_entrant_team()
    invitation = invite(team)
    address = f"/paddock/teams/{team.pk}/invitations/{invitation.pk}/revoke/"
    assert entrant_client(manager_of(team)).get(address).status_code == 405


def test_a_manager_removes_a_member_and_their_link_to_a_driver():
    team, member = team_with_member(TeamRole.DRIVER)
    driver = make_entrant_driver(team, user=member)
    membership = team.members.get(user=member)
    client = entrant_client(manager_of(team))

    response = client.post(f"/paddock/teams/{team.pk}/members/{membership.pk}/remove/")

    assert response["Location"] == f"/paddock/teams/{team.pk}/"
    assert not team.members.filter(user=member).exists()
    driver.refresh_from_db()
    assert driver.user is None
    assert entrant_client(member).get(f"/paddock/teams/{team.pk}/").status_code == 404


def test_the_last_manager_is_not_removed():
    team = make_entrant_team()
    manager = manager_of(team)
    membership = team.members.get(user=manager)

    response = entrant_client(manager).post(
        f"/paddock/teams/{team.pk}/members/{membership.pk}/remove/", follow=True
    )

    assert "A team keeps at least one manager" in response.content.decode()
    assert team.members.filter(pk=membership.pk).exists()


def test_a_manager_may_leave_when_another_manages():
    team, second = team_with_member(TeamRole.MANAGER)
    manager = manager_of(team)
    membership = team.members.get(user=manager)
    response = entrant_client(manager).post(
        f"/paddock/teams/{team.pk}/members/{membership.pk}/remove/"
    )
    assert response["Location"] == "/paddock/"
    assert list(team.members.values_list("user", flat=True)) == [second.pk]


def test_only_a_manager_removes_and_only_in_their_team():
    team, member = team_with_member(TeamRole.STAFF)
    manager_membership = team.members.get(role=TeamRole.MANAGER)
    outsider = manager_of(make_entrant_team())
    address = f"/paddock/teams/{team.pk}/members/{manager_membership.pk}/remove/"

    assert entrant_client(member).post(address).status_code == 404
    assert entrant_client(outsider).post(address).status_code == 404
    other = EntrantTeam.objects.exclude(pk=team.pk).get()
    across = f"/paddock/teams/{other.pk}/members/{manager_membership.pk}/remove/"
    assert entrant_client(outsider).post(across).status_code == 404
    assert team.members.count() == 2
