"""Every list filter and search of the season's admins picks the right rows."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from championships.models import PenaltyKind, PointsFactor
from tests.factories import (
    make_championship,
    make_circuit,
    make_driver,
    make_entry,
    make_meeting,
    make_penalty,
    make_race,
    make_result,
    make_series,
)


@pytest.fixture
def seasons(db):
    """Two seasons that differ in everything the filters look at; ``b`` is the one to find."""
    a = make_championship(series=make_series("Cup Asia"), year=2023)
    b = make_championship(series=make_series("Cup China"), year=2024)
    sepang = make_circuit(
        "Sepang International Circuit", country="MY", timezone="Asia/Kuala_Lumpur"
    )
    meeting_a, meeting_b = make_meeting(a), make_meeting(b, circuit=sepang)
    race_a = make_race(meeting_a)
    race_b = make_race(meeting_b, points_factor=PointsFactor.HALF)
    entry_a = make_entry(a, car_number=55, driver=make_driver("Kai", "Lindqvist"))
    entry_b = make_entry(b, car_number=155, driver=make_driver("Wei", "Zhang"))
    return SimpleNamespace(
        a=a,
        b=b,
        sepang=sepang,
        meeting_b=meeting_b,
        race_b=race_b,
        result_a=make_result(race_a, entry_a, position=1),
        result_b=make_result(race_b, entry_b),
        penalty_a=make_penalty(entry_a, race=race_a),
        penalty_b=make_penalty(entry_b, PenaltyKind.POINTS, meeting=meeting_b),
    )


def listed(client, model_name: str, params: dict) -> list:
    response = client.get(reverse(f"admin:championships_{model_name}_changelist"), params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


FILTERS = [
    ("championship", lambda s: {"series__id__exact": s.b.series_id}, lambda s: s.b),
    ("championship", lambda s: {"year": 2024}, lambda s: s.b),
    ("circuit", lambda s: {"country": "MY"}, lambda s: s.sepang),
    ("meeting", lambda s: {"championship__id__exact": s.b.pk}, lambda s: s.meeting_b),
    ("race", lambda s: {"meeting__championship__id__exact": s.b.pk}, lambda s: s.race_b),
    ("race", lambda s: {"points_factor__exact": PointsFactor.HALF}, lambda s: s.race_b),
    (
        "result",
        lambda s: {"race__meeting__championship__id__exact": s.b.pk},
        lambda s: s.result_b,
    ),
    ("result", lambda s: {"status__exact": "DNF"}, lambda s: s.result_b),
    ("penalty", lambda s: {"meeting__championship__id__exact": s.b.pk}, lambda s: s.penalty_b),
    ("penalty", lambda s: {"kind__exact": PenaltyKind.POINTS}, lambda s: s.penalty_b),
]


@pytest.mark.parametrize(
    ("model_name", "params", "expected"),
    FILTERS,
    ids=[f"{model}-{n}" for n, (model, _, _) in enumerate(FILTERS)],
)
def test_list_filter_keeps_only_the_matching_rows(
    model_name, params, expected, seasons, staff_client
):
    assert listed(staff_client, model_name, params(seasons)) == [expected(seasons)]


@pytest.mark.parametrize("term", ["Zhang", "wei", "Wei Zhang"])
def test_result_search_finds_results_by_driver_name(term, seasons, staff_client):
    assert listed(staff_client, "result", {"q": term}) == [seasons.result_b]


@pytest.mark.parametrize("term", ["55", "#55", " 55 "])
def test_result_search_finds_a_car_by_its_exact_number(term, seasons, staff_client):
    # Car 155 is in the other season: "55" must not find it.
    assert listed(staff_client, "result", {"q": term}) == [seasons.result_a]


def test_penalty_search_finds_penalties_by_car_number(seasons, staff_client):
    assert listed(staff_client, "penalty", {"q": "155"}) == [seasons.penalty_b]


def test_penalty_search_finds_penalties_by_reason(seasons, staff_client):
    seasons.penalty_b.reason = "Unsafe release"
    seasons.penalty_b.save()

    assert listed(staff_client, "penalty", {"q": "unsafe"}) == [seasons.penalty_b]


def test_championship_search_finds_a_championship_by_series_name(seasons, staff_client):
    assert listed(staff_client, "championship", {"q": "China"}) == [seasons.b]
