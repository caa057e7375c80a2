"""The back office takes a season off the public site, publishes, archives and features it,
through the services and only for those who may change championships."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from championships.models import Championship, SeasonStatus, Series
from tests.factories import (
    form_fields,
    get_changelist,
    make_championship,
    make_series,
    make_staff,
)

CHANGELIST = reverse("admin:championships_championship_changelist")


def change_url(championship: Championship) -> str:
    return reverse("admin:championships_championship_change", args=[championship.pk])


def act(client, action: str, *seasons: Championship, follow: bool = True):
    data = {"action": action, "_selected_action": [s.pk for s in seasons]}
    return client.post(CHANGELIST, data, follow=follow)


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def stored(championship: Championship) -> tuple[str, bool]:
    championship.refresh_from_db()
    return championship.status, championship.featured


@pytest.fixture
def manager_client(db, client):
    client.force_login(
        make_staff(
            "manager", "championships.view_championship", "championships.change_championship"
        )
    )
    return client


@pytest.fixture
def viewer_client(db, client):
    client.force_login(make_staff("viewer", "championships.view_championship"))
    return client


# The list ---------------------------------------------------------------------------------


def test_the_list_shows_each_seasons_status_and_filters_by_it(staff_client):
    make_championship("cup-live", name="Cup live")
    make_championship("cup-hidden", name="Cup hidden", status=SeasonStatus.DRAFT)

    response = staff_client.get(CHANGELIST, {"status__exact": SeasonStatus.DRAFT})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Cup hidden" in page and "Cup live" not in page
    assert "Draft" in page
    assert "column-featured" in page and "field-featured" in page


def test_the_list_reads_the_same_number_of_queries_for_more_seasons(
    staff_client, django_assert_num_queries
):
    make_championship(featured=True)
    with CaptureQueriesContext(connection) as few:
        assert get_changelist(staff_client, "championships", "championship").status_code == 200
    for _ in range(4):
        make_championship(status=SeasonStatus.ARCHIVED)

    with django_assert_num_queries(len(few.captured_queries)):
        get_changelist(staff_client, "championships", "championship")


# Status actions ---------------------------------------------------------------------------


def test_taking_seasons_off_the_public_site_makes_them_drafts_and_deletes_nothing(
    manager_client,
):
    first, second = make_championship(), make_championship()
    untouched = make_championship()

    response = act(manager_client, "season_draft", first, second)

    assert stored(first) == (SeasonStatus.DRAFT, False)
    assert stored(second) == (SeasonStatus.DRAFT, False)
    assert stored(untouched) == (SeasonStatus.PUBLISHED, False)
    assert first.classes.count() == 3
    assert "2 seasons taken off the public site" in said(response)[0]


def test_publishing_and_archiving_set_the_status_with_a_message(manager_client):
    season = make_championship(status=SeasonStatus.DRAFT)

    published = act(manager_client, "season_publish", season)
    assert stored(season) == (SeasonStatus.PUBLISHED, False)
    assert said(published) == ["1 season published: the public site shows it."]

    archived = act(manager_client, "season_archive", season)
    assert stored(season) == (SeasonStatus.ARCHIVED, False)
    assert "1 season archived" in said(archived)[0]


def test_taking_the_featured_season_off_the_site_unfeatures_it_and_says_so(manager_client):
    season = make_championship(featured=True)

    response = act(manager_client, "season_draft", season)

    assert stored(season) == (SeasonStatus.DRAFT, False)
    assert any("is featured no more" in message for message in said(response))


def test_a_staff_member_who_may_only_view_seasons_gets_no_status_action(viewer_client):
    season = make_championship(featured=True)

    page = get_changelist(viewer_client, "championships", "championship").content.decode()
    for action in ("season_draft", "season_publish", "season_archive", "season_feature_one"):
        response = act(viewer_client, action, season, follow=False)
        assert f'value="{action}"' not in page
        assert response.status_code in {200, 302}

    assert stored(season) == (SeasonStatus.PUBLISHED, True)


# Featuring --------------------------------------------------------------------------------


def test_featuring_a_season_unfeatures_the_one_before(manager_client):
    before = make_championship(featured=True)
    season = make_championship()

    response = act(manager_client, "season_feature_one", season)

    assert stored(season) == (SeasonStatus.PUBLISHED, True)
    assert stored(before) == (SeasonStatus.PUBLISHED, False)
    assert said(response) == [
        f"{season} is now featured: /standings/, /calendar/ and /entries/ show it."
    ]


def test_featuring_two_seasons_at_once_is_refused_with_a_message(manager_client):
    first, second = make_championship(), make_championship()

    response = act(manager_client, "season_feature_one", first, second)

    assert said(response) == [
        "Select exactly one season to feature: the site features one at a time."
    ]
    assert not Championship.objects.filter(featured=True).exists()


def test_featuring_a_draft_is_refused_with_the_services_reason(manager_client):
    before = make_championship(featured=True)
    draft = make_championship(status=SeasonStatus.DRAFT)

    response = act(manager_client, "season_feature_one", draft)

    assert said(response) == [
        f"{draft.name} is not published: only a published season can be featured."
    ]
    assert stored(draft) == (SeasonStatus.DRAFT, False)
    assert stored(before) == (SeasonStatus.PUBLISHED, True)


# The change form --------------------------------------------------------------------------


def test_the_change_form_shows_the_status_and_featured(manager_client, championship):
    fields = form_fields(manager_client, change_url(championship), "championship_form")

    assert fields["status"] == [SeasonStatus.PUBLISHED]
    assert "feature" not in fields  # not featured: the box is unticked


def test_a_staff_member_who_may_only_view_reads_the_status_and_featured(viewer_client):
    season = make_championship(featured=True)

    response = viewer_client.get(change_url(season))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="status"' not in page and 'name="feature"' not in page
    assert "field-status" in page and "field-feature" in page
    assert page.index("field-feature") < page.index('alt="True"')  # its box, ticked


def test_featuring_a_draft_through_the_form_is_refused_with_a_clear_error(
    manager_client, championship
):
    before = make_championship(featured=True)
    url = change_url(championship)
    fields = form_fields(manager_client, url, "championship_form")

    response = manager_client.post(url, {**fields, "status": SeasonStatus.DRAFT, "feature": "on"})

    assert response.status_code == 200
    assert "Only a published season can be featured: set its status to published" in (
        response.content.decode()
    )
    assert stored(championship) == (SeasonStatus.PUBLISHED, False)
    assert stored(before) == (SeasonStatus.PUBLISHED, True)


def test_featuring_through_the_form_unfeatures_the_season_featured_before(
    manager_client, championship
):
    before = make_championship(featured=True)
    url = change_url(championship)
    fields = form_fields(manager_client, url, "championship_form")

    response = manager_client.post(url, {**fields, "feature": "on"})

    assert response.status_code == 302
    assert stored(championship) == (SeasonStatus.PUBLISHED, True)
    assert stored(before) == (SeasonStatus.PUBLISHED, False)


def test_making_the_featured_season_a_draft_through_the_form_unfeatures_it(manager_client):
    season = make_championship(featured=True)
    url = change_url(season)
    fields = form_fields(manager_client, url, "championship_form")
    fields.pop("feature")

    response = manager_client.post(url, {**fields, "status": SeasonStatus.DRAFT})

    assert response.status_code == 302
    assert stored(season) == (SeasonStatus.DRAFT, False)
    assert season.history.first().status == SeasonStatus.DRAFT


def test_a_new_season_may_be_added_as_the_featured_one(client, championship):
    permissions = ("view", "add", "change")
    client.force_login(
        make_staff("adder", *(f"championships.{p}_championship" for p in permissions))
    )
    before = make_championship(featured=True)
    url = reverse("admin:championships_championship_add")
    fields = form_fields(client, url, "championship_form")
    name = ["Cup 2031"]
    fields.update(series=[championship.series_id], name=name, name_en=name, slug=["cup-2031"])
    fields.update(race_points=["25, 20, 17"])

    response = client.post(url, {**fields, "year": "2031", "feature": "on"})

    assert response.status_code == 302, response.content.decode()[:3000]
    assert stored(Championship.objects.get(slug="cup-2031")) == (SeasonStatus.PUBLISHED, True)
    assert stored(before) == (SeasonStatus.PUBLISHED, False)


# Series -----------------------------------------------------------------------------------


def test_a_series_position_is_edited_in_the_list(staff_client):
    sprint = make_series("Sprint Challenge")
    url = reverse("admin:championships_series_changelist")
    fields = form_fields(staff_client, url, "changelist-form")
    row = next(k for k, v in fields.items() if k.endswith("-id") and v == [str(sprint.pk)])
    fields[row.replace("-id", "-position")] = ["7"]

    response = staff_client.post(url, {**fields, "_save": "Save"})

    assert response.status_code == 302
    assert Series.objects.get(pk=sprint.pk).position == 7
