"""Public driver slugs carry no birth data (issue 14.12), also for minors placed from the
Talent Pool; former slugs answer 301 with the current address."""

import datetime as dt
import importlib
import json

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.forms.models import model_to_dict
from django.test import RequestFactory

from championships.bundle import season_import
from entries.models import Driver, DriverSlugAlias, driver_slugs_free
from talentpool.models import Application
from talentpool.services import PlacementPlan, placements_create
from tests.factories import make_driver, make_edition, make_team, submit

slugs_migration = importlib.import_module("entries.migrations.0008_slugs_without_birth_year")

BORN = dt.date(2010, 3, 1)  # a minor on the edition's reference date


@pytest.fixture
def placed_minor(db, django_user_model, upload_root):
    edition = make_edition()
    application = submit(
        edition,
        first_name="Lin",
        last_name="Wei",
        date_of_birth=BORN,
        guardian_name="Hua Wei",
        guardian_email="hua.wei@example.com",
        guardian_consent=True,
    )
    Application.objects.filter(pk=application.pk).update(status="selected")
    plan = PlacementPlan(
        team=make_team("Talent Pool Racing"),
        entry_class=edition.championship.classes.get(code="PRO"),
        default_category="SILVER",
        first_car_number=70,
    )
    by = django_user_model.objects.create_user("manager")
    (entry,) = placements_create(applications=[application], plan=plan, by=by)
    return entry.driver


def birth_data(driver: Driver) -> list[str]:
    born = driver.date_of_birth
    return [str(born.year), born.isoformat(), born.strftime("%d/%m/%Y")]


def test_a_minor_placed_from_the_talent_pool_gets_a_slug_without_birth_data(placed_minor):
    assert placed_minor.slug == "lin-wei"


def test_a_minors_public_page_and_json_carry_no_birth_year_anywhere(client, placed_minor):
    page = client.get(f"/drivers/{placed_minor.slug}/")
    detail = client.get(f"/api/v1/drivers/{placed_minor.slug}/")
    listed = client.get("/api/v1/drivers/")
    entries = client.get("/api/v1/entries/")

    assert page.status_code == detail.status_code == 200
    for response in (page, detail, listed, entries):
        text = response.content.decode()
        for datum in birth_data(placed_minor):
            assert datum not in text, (response.request["PATH_INFO"], datum)
    assert json.loads(detail.content)["url"].endswith("/api/v1/drivers/lin-wei/")


def test_namesakes_are_told_apart_without_birth_data(db):
    first = make_driver("Mei", "Tan", date_of_birth=dt.date(2004, 5, 17))
    second = make_driver("Mei", "Tan", date_of_birth=dt.date(2009, 1, 2))

    assert (first.slug, second.slug) == ("mei-tan", "mei-tan-2")
    assert driver_slugs_free([("Mei", "Tan"), ("Mei", "Tan"), ("Ann", "Lee")]) == [
        "mei-tan-3",
        "mei-tan-4",
        "ann-lee",
    ]


def test_a_former_slug_is_never_given_again(db):
    driver = make_driver("Mei", "Tan")
    DriverSlugAlias.objects.create(slug="mei-tan-2", driver=driver)

    assert driver_slugs_free([("Mei", "Tan")]) == ["mei-tan-3"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/drivers/lin-wei-2010/", "/drivers/lin-wei/"),
        ("/zh-hans/drivers/lin-wei-2010/", "/zh-hans/drivers/lin-wei/"),
        ("/api/v1/drivers/lin-wei-2010/", "http://testserver/api/v1/drivers/lin-wei/"),
    ],
)
def test_a_former_slug_redirects_permanently_to_the_current_one(client, placed_minor, old, new):
    DriverSlugAlias.objects.create(slug="lin-wei-2010", driver=placed_minor)

    response = client.get(old)

    assert response.status_code == 301
    assert response["Location"] == new


def test_an_unknown_slug_is_still_a_404(client, db):
    assert client.get("/drivers/nobody-at-all/").status_code == 404
    assert client.get("/api/v1/drivers/nobody-at-all/").status_code == 404


def test_an_imported_season_gives_slugs_without_birth_year_and_finds_its_drivers_again(
    db, example_season_path
):
    season_import(example_season_path)
    slugs = set(Driver.objects.values_list("slug", flat=True))
    count = len(slugs)

    summary = season_import(example_season_path, replace=True)

    assert "kai-lindqvist" in slugs
    assert not any(str(d.date_of_birth.year) in d.slug for d in Driver.objects.all())
    assert Driver.objects.count() == count and summary.drivers_created == 0


# --- The migration of existing slugs ---------------------------------------------------------


EDITOR = type("Editor", (), {"connection": connection})()


def migrate() -> None:
    slugs_migration.drop_birth_years(apps, EDITOR)


def test_the_migration_drops_birth_years_and_keeps_the_old_slugs_redirecting(db):
    kai = make_driver(
        "Kai", "Lindqvist", slug="kai-lindqvist-2002", date_of_birth=dt.date(2002, 3, 14)
    )
    namesake = make_driver(
        "Kai", "Lindqvist", slug="kai-lindqvist-1999", date_of_birth=dt.date(1999, 1, 1)
    )
    # A slug without the birth year stays; so does a number that is not the birth year.
    mei = make_driver("Mei", "Tan", slug="mei-tan", date_of_birth=dt.date(2004, 5, 17))
    car = make_driver("Ann", "Lee", slug="ann-lee-911", date_of_birth=dt.date(2001, 1, 1))
    minor = make_driver("Lin", "Wei", slug="lin-wei-2010", date_of_birth=BORN)

    migrate()

    current = dict(Driver.objects.values_list("pk", "slug"))
    assert current[kai.pk] == "kai-lindqvist" and current[namesake.pk] == "kai-lindqvist-2"
    assert (current[mei.pk], current[car.pk], current[minor.pk]) == (
        "mei-tan",
        "ann-lee-911",
        "lin-wei",
    )
    assert dict(DriverSlugAlias.objects.values_list("slug", "driver")) == {
        "kai-lindqvist-2002": kai.pk,
        "kai-lindqvist-1999": namesake.pk,
        "lin-wei-2010": minor.pk,
    }


def test_the_migration_gives_a_namesake_the_next_free_number(db):
    first = make_driver("Ann", "Lee", slug="ann-lee", date_of_birth=dt.date(2001, 1, 1))
    second = make_driver("Ann", "Lee", slug="ann-lee-2", date_of_birth=dt.date(2002, 2, 2))
    third = make_driver("Ann", "Lee", slug="ann-lee-1980", date_of_birth=dt.date(1980, 1, 1))

    migrate()

    current = dict(Driver.objects.values_list("pk", "slug"))
    assert [current[d.pk] for d in (first, second, third)] == ["ann-lee", "ann-lee-2", "ann-lee-3"]


def test_the_migration_reverses(db):
    kai = make_driver(
        "Kai", "Lindqvist", slug="kai-lindqvist-2002", date_of_birth=dt.date(2002, 3, 14)
    )
    migrate()

    slugs_migration.restore_birth_years(apps, EDITOR)

    kai.refresh_from_db()
    assert kai.slug == "kai-lindqvist-2002"
    assert DriverSlugAlias.objects.count() == 1  # the alias goes with the migration's table


def test_a_slug_changed_in_the_back_office_keeps_its_old_address(client, admin_user, db):
    driver = make_driver("Mei", "Tan")
    driver_admin = admin.site._registry[Driver]
    request = RequestFactory().post("/")
    request.user = admin_user
    data = {**model_to_dict(driver), "slug": "mei-tan-racing"}
    form = driver_admin.get_form(request, driver, change=True)(data=data, instance=driver)
    assert form.is_valid(), form.errors

    driver_admin.save_model(request, form.save(commit=False), form, change=True)

    response = client.get("/drivers/mei-tan/")
    assert response.status_code == 301 and response["Location"] == "/drivers/mei-tan-racing/"
