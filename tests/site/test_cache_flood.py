"""Client input never multiplies the cache's entries, and never evicts the counters (issue 14.1).

3,000 requests with a random ?utm= grew two workers by about 96 MB and pushed the rate-limit
counts out of the cache they shared with the kept pages. Every kept answer is now keyed on
the parameters it reads, validated and normalised; the counters live in a cache of their own.
"""

from __future__ import annotations

import pytest
from django.core.cache import caches

from core.pagecache import accept_variant
from cupmanager.settings import cache_from_url, counters_cache_from_url

pytestmark = pytest.mark.django_db

STANDINGS_API = "/api/v1/championships/pcca-2024/standings/"
ENTRIES_API = "/api/v1/entries/?championship=pcca-2024"
PAGES = ["/", "/standings/", "/standings/?table=teams", "/calendar/", "/entries/", "/zh-hans/"]


def entries() -> int:
    """How many entries the default cache (kept pages, tables) holds."""
    return len(caches["default"]._cache)


def flood(client, url: str, count: int = 20, **headers) -> set[int]:
    separator = "&" if "?" in url else "?"
    return {
        client.get(f"{url}{separator}utm_source=n{n}", **headers).status_code for n in range(count)
    }


@pytest.mark.parametrize("url", PAGES)
def test_a_flood_of_random_utm_values_on_a_page_adds_no_entry(client, pcca, url):
    first = client.get(url)
    before = entries()

    assert flood(client, url) == {200}
    assert entries() == before
    again = client.get(f"{url}{'&' if '?' in url else '?'}utm_source=x")
    assert again.content == first.content  # the page never shows what it did not read


def test_a_page_shows_no_parameter_it_does_not_read(client, pcca):
    page = client.get("/standings/?table=teams&utm_source=evil-campaign").content.decode()

    assert "evil-campaign" not in page
    assert "table=teams" in page  # the language links keep what the page reads


def test_a_flood_of_random_parameters_on_the_standings_api_adds_no_entry(client, pcca):
    client.get(STANDINGS_API)
    before = entries()

    assert {client.get(f"{STANDINGS_API}?_={n}").status_code for n in range(20)} == {200}
    assert entries() == before


def test_a_random_accept_parameter_adds_no_entry(client, pcca):
    for url in (STANDINGS_API, ENTRIES_API):
        plain = client.get(url, HTTP_ACCEPT="application/json")
        before = entries()
        answers = [client.get(url, HTTP_ACCEPT=f"application/json; x={n}") for n in range(20)]

        assert {a.status_code for a in answers} == {200}
        assert {a.content for a in answers} == {plain.content}
        assert entries() == before, url


def test_indents_past_eight_are_one_rendering(client, pcca):
    eight = client.get(STANDINGS_API, HTTP_ACCEPT="application/json; indent=8")
    before = entries()
    wide = [client.get(STANDINGS_API, HTTP_ACCEPT=f"application/json; indent={n}") for n in (9, 40)]

    assert {w.content for w in wide} == {eight.content}
    assert entries() == before


def test_after_round_past_the_calendar_is_the_final_round(client, pcca):
    final = client.get(STANDINGS_API, {"after_round": "7"})  # the example season's last round
    before = entries()
    past = [client.get(STANDINGS_API, {"after_round": str(n)}) for n in (8, 999, 10**12)]

    assert {p.status_code for p in past} == {200}
    assert {p["ETag"] for p in past} == {final["ETag"]}
    assert {p.content for p in past} == {final.content}
    assert entries() == before


def test_a_flood_of_made_up_filter_values_adds_no_entry(client, pcca):
    client.get(ENTRIES_API)
    client.get("/entries/")
    before = entries()

    for n in range(20):
        assert client.get(f"{ENTRIES_API}&nationality=Z{n}").json()["count"] == 0
        assert client.get(f"/entries/?team=no-team-{n}").status_code == 200

    assert entries() == before


def test_pages_as_published_at_countless_moments_are_not_kept(client, pcca):
    def pages() -> int:
        return sum(":rendered:" in key for key in caches["default"]._cache)

    client.get("/standings/?at=2024-06-01")
    before = pages()

    for day in range(1, 21):
        assert client.get(f"/standings/?at=2024-07-{day:02}T10:00").status_code == 200
        assert (
            client.get(f"/championships/pcca-2024/rounds/1/?at=2024-07-{day:02}").status_code == 200
        )

    assert pages() == before == 0


def test_one_filter_spelled_apart_is_one_kept_answer(client, pcca):
    client.get("/entries/?rookie=true")
    client.get(f"{ENTRIES_API}&entry_class=PRO&page=1")
    before = entries()

    client.get("/entries/?rookie=True")
    client.get(f"{ENTRIES_API}&entry_class=%20pro&page=01")

    assert entries() == before


def test_unknown_and_refused_list_parameters_are_never_kept(client, pcca):
    client.get(ENTRIES_API)
    before = entries()

    for n in range(10):
        assert client.get(f"{ENTRIES_API}&utm={n}").status_code == 400
        assert client.get(f"{ENTRIES_API}&page=x{n}").status_code == 404

    assert entries() == before


# --- The counters -----------------------------------------------------------------------------


def small_caches(settings) -> None:
    """A default cache of 30 entries, as a crowd's pages would fill a larger one."""
    default = {**cache_from_url(""), "OPTIONS": {"MAX_ENTRIES": 30, "CULL_FREQUENCY": 2}}
    settings.CACHES = {"default": default, "counters": counters_cache_from_url("", "")}


def test_a_flood_of_pages_does_not_evict_the_api_throttle(client, pcca, settings):
    small_caches(settings)
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min"},
    }
    assert [client.get("/api/v1/series/").status_code for _ in range(3)] == [200] * 3

    for round_ in range(1, 8):  # many different kept pages, each a new entry
        for table in ("drivers", "teams", "rookies", "dealers"):
            client.get(f"/standings/?table={table}&after_round={round_}")
    assert entries() < 30 * 7 * 4  # the default cache did cull

    assert client.get("/api/v1/series/").status_code == 429


def test_a_flood_of_pages_does_not_evict_the_talent_pool_counts(rf, pcca, settings):
    from core.ratelimit import rate_limit_hit

    small_caches(settings)
    request = rf.post("/talent-pool/apply/", REMOTE_ADDR="203.0.113.9")
    assert [rate_limit_hit(request, "apply", "2/h") for _ in range(2)] == [False, False]

    for n in range(100):
        caches["default"].set(f"page-{n}", "x" * 100)

    assert rate_limit_hit(request, "apply", "2/h") is True


def test_the_counters_have_a_cache_of_their_own():
    memory = counters_cache_from_url("", "")
    redis = counters_cache_from_url("", "redis://127.0.0.1:6379/1")
    own = counters_cache_from_url("redis://counters.example:6379/0", "redis://127.0.0.1:6379/1")

    assert memory["LOCATION"] == "counters" != cache_from_url("").get("LOCATION")
    assert (redis["LOCATION"], redis["KEY_PREFIX"]) == ("redis://127.0.0.1:6379/1", "counters")
    assert own["LOCATION"] == "redis://counters.example:6379/0"
    assert cache_from_url("db://")["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


# --- The page cache (PAGE_CACHE_SECONDS) ------------------------------------------------------


@pytest.fixture
def page_cache(settings):
    settings.MIDDLEWARE = [
        *settings.PAGE_CACHE_MIDDLEWARE,
        *settings.MIDDLEWARE,
        "core.pagecache.FetchFromCacheMiddleware",
    ]
    settings.CACHE_MIDDLEWARE_SECONDS = 5


def test_the_page_cache_adds_no_entry_for_random_parameters_or_headers(client, pcca, page_cache):
    client.get("/standings/")
    client.get("/api/v1/series/", HTTP_ACCEPT="application/json")
    before = entries()

    for n in range(20):
        client.get(f"/standings/?utm_source={n}")
        client.get(f"/archive/?utm_source={n}")
        client.get("/standings/", HTTP_ACCEPT_LANGUAGE=f"en-x-{n}")
        client.get("/api/v1/series/", HTTP_ACCEPT=f"application/json; x={n}")

    assert entries() == before


def test_the_page_cache_still_serves_a_plain_address(
    client, pcca, page_cache, django_assert_num_queries
):
    client.get("/standings/")

    with django_assert_num_queries(0):
        assert client.get("/standings/").status_code == 200


@pytest.mark.parametrize(
    ("accept", "variant"),
    [
        ("", "*/*"),
        ("*/*", "*/*"),
        ("application/json", "application/json"),
        ("application/json; x=1", "application/json"),
        ("application/json; indent=4", "application/json; indent=4"),
        ("application/json; indent=40", "application/json; indent=8"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", None),
    ],
)
def test_the_page_cache_keys_accept_as_the_rendering_it_gets(accept, variant):
    assert accept_variant(accept) == variant
