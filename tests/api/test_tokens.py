"""Tokens are issued per staff user in the back office, by DRF's own token admin."""

import pytest
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def test_the_back_office_issues_a_token_for_a_staff_user(staff_client, staff):
    page = staff_client.get("/admin/authtoken/tokenproxy/add/")
    added = staff_client.post("/admin/authtoken/tokenproxy/add/", {"user": staff.pk})

    assert page.status_code == 200
    assert added.status_code == 302
    assert Token.objects.filter(user=staff).exists()


def test_a_token_authenticates_the_staff_user(api, staff):
    token = Token.objects.create(user=staff)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = api.get("/api/v1/penalties/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert response.wsgi_request.user == staff
