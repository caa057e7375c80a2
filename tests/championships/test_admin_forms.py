"""The add and change forms of the season's admins open, with their inlines."""

import datetime as dt

import pytest
from django.urls import reverse

from championships.models import PenaltyKind
from tests.factories import (
    make_championship,
    make_circuit,
    make_entry,
    make_meeting,
    make_penalty,
    make_race,
    make_result,
    make_series,
    management_form,
    race_form,
)


def make_season():
    """A championship with a round, a race, two cars, a result and both kinds of penalty."""
    championship = make_championship()
    meeting = make_meeting(championship)
    race = make_race(meeting)
    first, second = make_entry(championship), make_entry(championship)
    result = make_result(race, first, position=1, best_lap=dt.timedelta(seconds=118))
    make_result(race, second)
    penalty = make_penalty(second, race=race)
    make_penalty(first, PenaltyKind.POINTS, meeting=meeting)
    return {
        "series": championship.series,
        "championship": championship,
        "circuit": meeting.circuit,
        "meeting": meeting,
        "race": race,
        "result": result,
        "penalty": penalty,
    }


MODELS = ["series", "championship", "circuit", "meeting", "race", "result", "penalty"]


@pytest.mark.parametrize("model_name", MODELS)
def test_change_form_opens_for_the_superuser(model_name, staff_client):
    obj = make_season()[model_name]

    response = staff_client.get(reverse(f"admin:championships_{model_name}_change", args=[obj.pk]))

    assert response.status_code == 200


@pytest.mark.parametrize("model_name", MODELS)
def test_add_form_opens_for_the_superuser(model_name, staff_client):
    make_season()

    response = staff_client.get(reverse(f"admin:championships_{model_name}_add"))

    assert response.status_code == 200


def test_championship_change_form_lists_its_classes_and_entries(staff_client):
    season = make_season()

    response = staff_client.get(
        reverse("admin:championships_championship_change", args=[season["championship"].pk])
    )

    formsets = {f.formset.prefix: f.formset for f in response.context["inline_admin_formsets"]}
    assert len(formsets["classes"].forms) == 3
    assert len(formsets["entries"].forms) == 2


def test_championship_entry_inline_offers_only_this_championships_classes(staff_client):
    season = make_season()
    make_championship()  # another season with classes of the same codes

    response = staff_client.get(
        reverse("admin:championships_championship_change", args=[season["championship"].pk])
    )

    formsets = {f.formset.prefix: f.formset for f in response.context["inline_admin_formsets"]}
    offered = formsets["entries"].forms[0].fields["entry_class"].queryset
    assert {c.championship_id for c in offered} == {season["championship"].pk}


def test_race_change_form_lists_results_by_position_and_its_penalties(staff_client):
    season = make_season()

    response = staff_client.get(
        reverse("admin:championships_race_change", args=[season["race"].pk])
    )

    formsets = {f.formset.prefix: f.formset for f in response.context["inline_admin_formsets"]}
    positions = [form.instance.position for form in formsets["results"].forms]
    assert positions == [1, None]
    assert len(formsets["penalties"].forms) == 1


def test_a_penalty_added_under_a_race_belongs_to_the_races_meeting(staff_client):
    championship = make_championship()
    race = make_race(make_meeting(championship))
    entry = make_entry(championship)
    data = {
        "meeting": race.meeting_id,
        "number": race.number,
        "starts_at_0": "2024-04-20",
        "starts_at_1": "10:35:00",
        "points_factor": race.points_factor,
        "seen_version": race.classification_version,
        **management_form("results", total=0),
        **management_form("penalties", total=1),
        "penalties-0-entry": entry.pk,
        "penalties-0-kind": PenaltyKind.TIME,
        "penalties-0-value": "10",
        "penalties-0-reason_en": "Track limits",
    }

    response = staff_client.post(reverse("admin:championships_race_change", args=[race.pk]), data)

    assert response.status_code == 302
    assert race.penalties.get().meeting_id == race.meeting_id


def test_meeting_choices_name_their_championship(staff_client):
    season = make_season()

    response = staff_client.get(reverse("admin:championships_race_add"))

    labels = [label for _, label in response.context["adminform"].form.fields["meeting"].choices]
    assert f"{season['championship']} · {season['meeting']}" in labels


def test_series_add_form_prepopulates_the_slug_from_the_name(staff_client):
    make_series()

    response = staff_client.get(reverse("admin:championships_series_add"))

    assert response.context["prepopulated_fields"][0]["field"].name == "slug"


def test_circuit_search_finds_a_circuit_by_country(staff_client):
    make_circuit("Sepang International Circuit", country="MY", timezone="Asia/Kuala_Lumpur")
    make_circuit()

    response = staff_client.get(reverse("admin:championships_circuit_changelist"), {"q": "MY"})

    assert [c.name for c in response.context["cl"].result_list] == ["Sepang International Circuit"]


def test_a_race_start_is_typed_and_shown_in_the_circuits_local_time(staff_client):
    meeting = make_meeting(
        make_championship(), circuit=make_circuit("Suzuka", country="JP", timezone="Asia/Tokyo")
    )
    race = make_race(meeting, starts_at=dt.datetime(2024, 5, 11, 0, 0, tzinfo=dt.UTC))
    url = reverse("admin:championships_race_change", args=[race.pk])

    response = staff_client.post(url, race_form(race, "2024-05-11", "10:35:00"))

    assert response.status_code == 302
    race.refresh_from_db()
    assert race.starts_at == dt.datetime(2024, 5, 11, 1, 35, tzinfo=dt.UTC)
    assert 'value="10:35:00"' in staff_client.get(url).content.decode()


def test_a_race_start_that_the_clocks_skip_is_refused(staff_client):
    meeting = make_meeting(
        make_championship(),
        circuit=make_circuit("Melbourne", country="AU", timezone="Australia/Melbourne"),
    )
    race = make_race(meeting)

    response = staff_client.post(
        reverse("admin:championships_race_change", args=[race.pk]),
        race_form(race, "2024-10-06", "02:30:00"),
    )

    assert response.status_code == 200
    assert "does not exist in Australia/Melbourne (clocks change)" in response.content.decode()
