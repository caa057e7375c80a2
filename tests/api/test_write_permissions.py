"""Every write of the API needs an active staff user with the model permissions (issue 14.8).

A token outlives the staff status of its user: a Series manager whose staff status was
removed keeps the group's permissions and the token, and must still be refused everywhere.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import get_resolver
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from championships.models import Penalty, Race, Result
from core.api import StaffWritePermission
from staff.roles import SERIES_MANAGER_GROUP
from tests.factories import (
    EXAMPLE_R1_1,
    EXAMPLE_SEASON,
    zip_of,
)

pytestmark = pytest.mark.django_db


def member_client(user) -> APIClient:
    user.groups.add(Group.objects.get(name=SERIES_MANAGER_GROUP))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def former_staff(django_user_model):
    """A Series manager whose staff status was taken away; the group and token stay."""
    user = django_user_model.objects.create_user("former", password="pw-for-tests")
    return member_client(user)


@pytest.fixture
def manager(django_user_model):
    user = django_user_model.objects.create_user("manager", password="pw", is_staff=True)
    return member_client(user)


def r1_1() -> Race:
    return Race.objects.get(meeting__championship__slug="pcca-2024", meeting__round=1, number=1)


def penalty_body() -> dict:
    race = r1_1()
    entry = race.results.order_by("position").first().entry
    return {"race": race.pk, "entry": entry.pk, "kind": "TIME", "value": 5, "reason": "Limits"}


def writes() -> list[tuple[str, str, dict]]:
    """(method, address, keyword arguments) of each write the API offers."""
    penalty = f"/api/v1/penalties/{Penalty.objects.order_by('pk').first().pk}/"
    return [
        (
            "post",
            f"/api/v1/races/{r1_1().pk}/results/?expected_version=0",
            {"data": EXAMPLE_R1_1, "content_type": "text/csv"},
        ),
        ("post", "/api/v1/penalties/", {"data": penalty_body(), "format": "json"}),
        ("put", penalty, {"data": penalty_body(), "format": "json"}),
        ("patch", penalty, {"data": {"value": 20}, "format": "json"}),
        ("delete", penalty, {}),
        (
            "post",
            "/api/v1/season-bundles/?replace=1",
            {"data": zip_of(EXAMPLE_SEASON), "content_type": "application/zip"},
        ),
    ]


def test_a_series_manager_without_staff_status_writes_nothing(former_staff, pcca):
    results = list(Result.objects.order_by("pk").values_list("pk", "position"))
    penalties = list(Penalty.objects.order_by("pk").values_list("pk", "value"))

    for method, url, kwargs in writes():
        response = getattr(former_staff, method)(url, **kwargs)
        assert response.status_code == 403, (method, url, response.content)

    assert list(Result.objects.order_by("pk").values_list("pk", "position")) == results
    assert list(Penalty.objects.order_by("pk").values_list("pk", "value")) == penalties


def if_match(client: APIClient, url: str) -> dict[str, str]:
    """A penalty's change or deletion sends the ETag it read just before (issue 14.10)."""
    if not url.startswith("/api/v1/penalties/") or url == "/api/v1/penalties/":
        return {}
    return {"HTTP_IF_MATCH": client.get(url)["ETag"]}


def test_the_same_series_manager_with_staff_status_writes(manager, pcca):
    answers = [
        getattr(manager, method)(url, **kwargs, **if_match(manager, url)).status_code
        for method, url, kwargs in writes()
    ]

    assert answers == [200, 201, 200, 200, 204, 201]


def test_an_inactive_staff_users_token_is_refused(django_user_model, pcca):
    user = django_user_model.objects.create_user("gone", password="pw", is_staff=True)
    client = member_client(user)
    user.is_active = False
    user.save()

    response = client.post("/api/v1/penalties/", penalty_body(), format="json")

    assert response.status_code == 401


def test_reads_stay_public(api, pcca):
    for url in ["/api/v1/penalties/", f"/api/v1/races/{r1_1().pk}/versions/", "/api/v1/races/"]:
        assert api.get(url).status_code == 200, url


WRITES = {"post", "put", "patch", "delete"}


def writing_views() -> list[type]:
    """Each view under /api/v1/ that accepts a write."""
    views = []
    for pattern in get_resolver("cupmanager.api_urls").url_patterns:
        callback = getattr(pattern, "callback", None)
        view = getattr(callback, "cls", None)
        methods = set(getattr(callback, "actions", None) or {}) or {
            m for m in WRITES if hasattr(view, m)
        }
        if view is not None and methods & WRITES:
            views.append(view)
    return views


def test_every_api_view_that_writes_checks_with_the_one_permission_class():
    """The class rule: no view of /api/v1/ that writes brings a permission class of its own."""
    views = writing_views()

    assert {v.__name__ for v in views} >= {"PenaltyViewSet", "RaceViewSet", "SeasonBundleView"}
    for view in views:
        classes = view.permission_classes
        assert all(issubclass(c, StaffWritePermission) for c in classes), view
