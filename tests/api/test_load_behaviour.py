"""Under load: anonymous throttling with Retry-After, conditional GETs answered with 304."""

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from championships.models import Race
from tests.factories import token_client

pytestmark = pytest.mark.django_db


def low_rate(rate: str = "2/min"):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": rate}
    return override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    )


def test_the_default_rate_is_120_a_minute():
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"] == "120/min"


@pytest.mark.parametrize("url", ["/api/v1/entries/", "/api/v1/championships/pcca-2024/standings/"])
def test_anonymous_requests_past_the_rate_get_429_with_retry_after(api, pcca, url):
    with low_rate():
        answers = [api.get(url).status_code for _ in range(3)]
        throttled = api.get(url)

    assert answers == [200, 200, 429]
    assert throttled.status_code == 429
    assert 0 < int(throttled["Retry-After"]) <= 60


def test_the_rate_counts_per_address(api, pcca):
    with low_rate("1/min"):
        first = api.get("/api/v1/series/", REMOTE_ADDR="10.0.0.1").status_code
        second = api.get("/api/v1/series/", REMOTE_ADDR="10.0.0.2").status_code
        again = api.get("/api/v1/series/", REMOTE_ADDR="10.0.0.1").status_code

    assert (first, second, again) == (200, 200, 429)


def test_staff_with_a_token_are_not_throttled(pcca, staff):
    client = token_client(staff)

    with low_rate("1/min"):
        answers = {client.get("/api/v1/series/").status_code for _ in range(3)}

    assert answers == {200}


@pytest.mark.parametrize("rate", ["fast", "0/min", "120/week", "120"])
def test_a_bad_rate_in_the_environment_stops_the_start(monkeypatch, rate):
    from cupmanager.settings import envrate

    monkeypatch.setenv("API_ANON_RATE", rate)

    with pytest.raises(ImproperlyConfigured, match="API_ANON_RATE"):
        envrate("API_ANON_RATE", "120/min")


def conditional_urls() -> list[str]:
    race = Race.objects.filter(results__isnull=False).first()
    return [
        "/api/v1/series/",
        "/api/v1/championships/",
        "/api/v1/championships/pcca-2024/",
        "/api/v1/meetings/",
        "/api/v1/races/",
        f"/api/v1/races/{race.pk}/",
        "/api/v1/entries/?rookie=true",
        "/api/v1/drivers/",
        "/api/v1/drivers/kai-lindqvist/",
        "/api/v1/teams/",
        "/api/v1/circuits/",
        "/api/v1/penalties/",
        "/api/v1/championships/pcca-2024/standings/",
    ]


def test_lists_details_and_standings_answer_a_current_etag_with_304(api, pcca):
    for url in conditional_urls():
        first = api.get(url, HTTP_ACCEPT="application/json")
        again = api.get(url, HTTP_ACCEPT="application/json", HTTP_IF_NONE_MATCH=first["ETag"])
        stale = api.get(url, HTTP_ACCEPT="application/json", HTTP_IF_NONE_MATCH='"stale"')

        assert first.status_code == 200 and first["ETag"], url
        assert (again.status_code, again.content) == (304, b""), url
        assert stale.status_code == 200, url


def test_a_changed_result_changes_the_etag(api, pcca):
    race = Race.objects.filter(results__isnull=False).first()
    url = f"/api/v1/races/{race.pk}/"
    etag = api.get(url)["ETag"]
    result = race.results.get(position=1)
    result.laps += 1
    result.save()
    from championships.services import standings_invalidate

    standings_invalidate(championship_id=pcca.pk)

    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200
