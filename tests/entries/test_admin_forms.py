"""The driver, team and entry forms: they open, and the entry form applies class admission."""

import pytest
from django.urls import reverse

from entries.models import Entry
from tests.factories import make_championship, make_driver, make_entry, make_team


@pytest.mark.parametrize("model_name", ["driver", "team", "entry"])
def test_change_form_opens_for_the_superuser(model_name, staff_client):
    entry = make_entry(make_championship())
    obj = {"driver": entry.driver, "team": entry.team, "entry": entry}[model_name]

    response = staff_client.get(reverse(f"admin:entries_{model_name}_change", args=[obj.pk]))

    assert response.status_code == 200


@pytest.mark.parametrize("model_name", ["driver", "team", "entry"])
def test_add_form_opens_for_the_superuser(model_name, staff_client):
    make_entry(make_championship())

    response = staff_client.get(reverse(f"admin:entries_{model_name}_add"))

    assert response.status_code == 200


def entry_data(championship, driver, class_code: str, car_number: int = 7) -> dict:
    return {
        "championship": championship.pk,
        "car_number": car_number,
        "driver": driver.pk,
        "team": make_team().pk,
        "entry_class": championship.classes.get(code=class_code).pk,
    }


def test_a_gold_driver_is_refused_in_the_am_class_on_the_class_field(staff_client, championship):
    gold = make_driver(category="GOLD")

    response = staff_client.post(
        reverse("admin:entries_entry_add"), entry_data(championship, gold, "AM")
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["entry_class"] == ["Class AM admits BRONZE, not GOLD."]
    assert not Entry.objects.exists()


def test_a_bronze_driver_is_entered_in_the_am_class(staff_client, championship):
    bronze = make_driver(category="BRONZE")

    response = staff_client.post(
        reverse("admin:entries_entry_add"), entry_data(championship, bronze, "AM")
    )

    assert response.status_code == 302
    assert Entry.objects.get().entry_class.code == "AM"


def test_entry_change_form_offers_only_its_championships_classes(staff_client, championship):
    entry = make_entry(championship)
    make_championship()  # another season with classes of the same codes

    response = staff_client.get(reverse("admin:entries_entry_change", args=[entry.pk]))

    offered = response.context["adminform"].form.fields["entry_class"].queryset
    assert sorted(c.code for c in offered) == ["AM", "PRO", "PRO_AM"]
    assert {c.championship_id for c in offered} == {championship.pk}


def test_entry_add_form_for_a_championship_offers_only_its_classes(staff_client, championship):
    make_championship()

    response = staff_client.get(
        reverse("admin:entries_entry_add"), {"championship": championship.pk}
    )

    form = response.context["adminform"].form
    assert str(form.initial["championship"]) == str(championship.pk)
    assert {c.championship_id for c in form.fields["entry_class"].queryset} == {championship.pk}


def test_entry_add_form_from_a_filtered_changelist_is_for_that_championship(
    staff_client, championship
):
    make_championship()

    response = staff_client.get(
        reverse("admin:entries_entry_add"),
        {"_changelist_filters": f"championship__id__exact={championship.pk}"},
    )

    form = response.context["adminform"].form
    assert {c.championship_id for c in form.fields["entry_class"].queryset} == {championship.pk}


def test_entry_add_form_names_the_championship_of_each_class(staff_client, championship):
    response = staff_client.get(reverse("admin:entries_entry_add"))

    labels = [
        label for _, label in response.context["adminform"].form.fields["entry_class"].choices
    ]
    assert f"{championship} · PRO_AM" in labels


def test_an_entry_cannot_move_to_another_championship(staff_client, championship):
    entry = make_entry(championship, car_number=7)
    other = make_championship()
    data = entry_data(other, entry.driver, "PRO")

    response = staff_client.post(reverse("admin:entries_entry_change", args=[entry.pk]), data)

    entry.refresh_from_db()
    assert entry.championship == championship
    assert response.status_code == 200  # the other season's class is not on offer


def test_a_car_number_taken_in_the_season_is_refused(staff_client, championship):
    make_entry(championship, car_number=7)
    entry = make_entry(championship, car_number=8)
    data = entry_data(championship, entry.driver, "PRO", car_number=7)

    response = staff_client.post(reverse("admin:entries_entry_change", args=[entry.pk]), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
