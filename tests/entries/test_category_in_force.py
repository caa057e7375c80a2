"""Issue 14.16: a driver's FIA category has one source, the dated records. The driver form
records them inline (no undated choice beside them), and the entry list, the driver page and
the API show the category in force, as the back office does."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from entries.models import Driver, DriverClassification, EligibilityFlag
from tests.factories import (
    driver_form_inlines,
    make_championship,
    make_classification,
    make_driver,
    make_entry,
)

TODAY = timezone.localdate()
THIS_YEAR = TODAY.year


@pytest.fixture
def revised(db):
    """Kai entered this season as Gold (the entry's category); the FIA made him Silver from
    1 January of this year, which is the category in force today."""
    kai = make_driver("Kai", "Lindqvist", category="GOLD")
    championship = make_championship("pcca-now", year=THIS_YEAR)
    entry = make_entry(championship, 55, driver=kai, category="GOLD")
    make_classification(kai, "SILVER", dt.date(THIS_YEAR, 1, 1), source="FIA_REVIEW")
    return entry


# The driver form --------------------------------------------------------------------------


def test_the_driver_form_has_no_undated_category_beside_the_dated_records(revised, staff_client):
    response = staff_client.get(reverse("admin:entries_driver_change", args=[revised.driver_id]))

    assert "category" not in response.context["adminform"].form.fields
    inlines = [formset.opts.model for formset in response.context["inline_admin_formsets"]]
    assert inlines == [DriverClassification, DriverClassification]
    assert "Silver" in response.content.decode()


def test_adding_a_driver_records_their_category_as_a_dated_record(db, staff_client):
    data = {
        "first_name": "Ana",
        "last_name": "Lee",
        "slug": "ana-lee",
        "nationality": "SG",
        "date_of_birth": "2004-05-06",
        **driver_form_inlines(
            None, {"category": "BRONZE", "effective_from": "2026-01-01", "source": "FIA_LIST"}
        ),
    }

    response = staff_client.post(reverse("admin:entries_driver_add"), data)

    assert response.status_code == 302
    record = DriverClassification.objects.get(driver__slug="ana-lee")
    assert (record.category, record.effective_from, record.source) == (
        "BRONZE",
        dt.date(2026, 1, 1),
        "FIA_LIST",
    )


def test_a_new_driver_needs_a_dated_category(db, staff_client):
    data = {
        "first_name": "Ana",
        "last_name": "Lee",
        "slug": "ana-lee",
        "nationality": "SG",
        "date_of_birth": "2004-05-06",
        **driver_form_inlines(None),
    }

    response = staff_client.post(reverse("admin:entries_driver_add"), data)

    assert response.status_code == 200
    assert not Driver.objects.filter(slug="ana-lee").exists()


def test_a_category_recorded_on_the_driver_form_flags_the_entries_it_no_longer_fits(
    revised, staff_client
):
    driver = revised.driver
    data = {
        "first_name": driver.first_name,
        "last_name": driver.last_name,
        "slug": driver.slug,
        "nationality": driver.nationality,
        "date_of_birth": driver.date_of_birth.isoformat(),
        **driver_form_inlines(
            driver,
            {"category": "BRONZE", "effective_from": f"{THIS_YEAR}-01-02", "source": "SERIES"},
        ),
    }

    response = staff_client.post(
        reverse("admin:entries_driver_change", args=[driver.pk]), data, follow=True
    )

    assert response.status_code == 200
    assert driver.category_on(dt.date(THIS_YEAR, 1, 2)) == "BRONZE"
    assert EligibilityFlag.objects.get().entry == revised  # PRO admits no Bronze
    assert "no longer fits its class" in response.content.decode()


def test_the_driver_list_shows_and_filters_the_category_in_force_today(revised, staff_client):
    changelist = reverse("admin:entries_driver_changelist")

    silver = staff_client.get(changelist, {"category__exact": "SILVER"})
    gold = staff_client.get(changelist, {"category__exact": "GOLD"})

    assert list(silver.context["cl"].result_list) == [revised.driver]
    assert list(gold.context["cl"].result_list) == []


# What the public sees ------------------------------------------------------------------------


def test_the_entry_list_shows_the_category_in_force_not_the_entrys_own(revised, client):
    html = client.get("/championships/pcca-now/entries/").content.decode()

    assert '<span class="badge badge-silver">Silver</span>' in html
    assert "badge-gold" not in html


def test_the_entry_list_filters_by_the_category_in_force(revised, client):
    silver = client.get("/championships/pcca-now/entries/?category=SILVER").content.decode()
    gold = client.get("/championships/pcca-now/entries/?category=GOLD").content.decode()

    assert "Kai Lindqvist" in silver and "Kai Lindqvist" not in gold


def test_a_past_seasons_entry_list_shows_the_category_its_driver_ended_that_season_with(
    revised, client
):
    past = make_championship("pcca-past", year=THIS_YEAR - 1)
    make_entry(past, 55, driver=revised.driver, category="GOLD")

    html = client.get("/championships/pcca-past/entries/").content.decode()

    assert '<span class="badge badge-gold">Gold</span>' in html  # Silver only from this year


def test_the_driver_page_shows_the_category_in_force_today(revised, client):
    html = client.get(f"/drivers/{revised.driver.slug}/").content.decode()

    assert '<span class="badge badge-silver">Silver</span>' in html
    assert "badge-gold" not in html


def test_the_api_gives_entries_and_drivers_the_category_in_force(revised, client):
    entry = client.get(f"/api/v1/entries/{revised.pk}/").json()
    driver = client.get(f"/api/v1/drivers/{revised.driver.slug}/").json()
    silver = client.get("/api/v1/drivers/", {"category": "SILVER"}).json()

    assert (entry["category"], driver["category"]) == ("SILVER", "SILVER")
    assert [d["slug"] for d in silver["results"]] == [revised.driver.slug]


# The migration ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_carries_each_undated_category_over_to_a_dated_record():
    before, after = (
        ("entries", "0006_entry_class_history"),
        ("entries", "0007_dated_categories_only"),
    )
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    OldDriver = old.get_model("entries", "Driver")
    OldRecord = old.get_model("entries", "DriverClassification")
    dob = dt.date(2000, 1, 1)
    OldDriver.objects.create(
        slug="no-record", nationality="SE", date_of_birth=dob, category="SILVER"
    )
    typed = OldDriver.objects.create(
        slug="typed", nationality="SE", date_of_birth=dob, category="BRONZE"
    )
    kept = OldDriver.objects.create(
        slug="kept", nationality="SE", date_of_birth=dob, category="GOLD"
    )
    for driver in (typed, kept):
        OldRecord.objects.create(
            driver=driver, category="GOLD", effective_from=dt.date(2024, 1, 1), source="FIA_LIST"
        )

    executor = MigrationExecutor(connection)
    executor.migrate([after])
    # The migration's "today", read as it ran: TODAY was read when this module was imported,
    # which may be the day before on a run that crosses midnight.
    today = timezone.localdate()
    # Back to the latest state for the tests after this one: going back to 0006 undid the
    # migrations that depend on 0007 too.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    on_today = dict(Driver.objects.with_category_on(today).values_list("slug", "category_in_force"))
    assert on_today == {"no-record": "SILVER", "typed": "BRONZE", "kept": "GOLD"}
    assert DriverClassification.objects.filter(driver__slug="kept").count() == 1
    carried = DriverClassification.objects.get(driver__slug="typed", source="SERIES")
    assert carried.effective_from == today
