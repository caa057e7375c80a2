"""The tyres' back office (issue 20): the scan page on a phone in the paddock (race control and
the series manager scan; a refusal is shown with its reason and nothing is written), the
receipt of sets, the stock of a round in a fixed number of queries, scans read only."""

import datetime as dt
import importlib

import pytest
from django.urls import reverse

from entries.models import TyreCompound, TyreDirection, TyreScan, TyreSet
from entries.tyres import tyre_scan, tyre_sets_receive
from staff.roles import (
    RACE_CONTROL_GROUP,
    READ_ONLY_STAFF_GROUP,
    SERIES_MANAGER_GROUP,
    TYRES_MANAGER_GRANTS,
    TYRES_RACE_CONTROL_GRANTS,
    TYRES_READER_GRANTS,
    permissions_of,
)
from tests.factories import (
    form_fields,
    make_championship,
    make_entry,
    make_meeting,
    make_operator,
    make_series,
    role_client,
)

SCAN = "/admin/entries/tyrescan/add/"
STOCK = "/admin/entries/tyreset/stock/"
RECEIVE = "/admin/entries/tyreset/add/"


@pytest.fixture
def meeting(db):
    championship = make_championship(year=2025)
    meeting = make_meeting(championship, 1, start_date=dt.date(2025, 4, 19))
    make_entry(championship, 7)
    make_entry(championship, 12)
    return meeting


@pytest.fixture
def operator(meeting):
    return make_operator("Cup Operations", meeting.championship.series)


def receive(meeting, operator, *barcodes):
    return tyre_sets_receive(
        operator=operator,
        meeting=meeting,
        compound=TyreCompound.DRY,
        barcodes=barcodes,
        user=None,
    )


def scan_form(meeting, barcode, car="7", direction="OUT") -> dict:
    return {"meeting": meeting.pk, "car_number": car, "direction": direction, "barcode": barcode}


def alert(response) -> str:
    """The text of the page's role="alert" paragraph: the outcome of the scan."""
    html = response.content.decode()
    start = html.index('id="scan-result" role="alert"')
    return " ".join(html[start : html.index("</p>", start)].split("\n")).split(">", 1)[1]


@pytest.fixture
def race_control(client, db):
    return role_client(client, RACE_CONTROL_GROUP, name="steward")


# --- The scan page ---------------------------------------------------------------------------


def test_the_scan_page_labels_every_field_and_lets_a_scanner_type_the_barcode(
    race_control, meeting
):
    response = race_control.get(f"{SCAN}?meeting={meeting.pk}")
    html = response.content.decode()

    assert response.status_code == 200
    barcode = html[html.index('name="barcode"') - 200 : html.index('name="barcode"') + 400]
    assert "autofocus" in barcode and 'autocomplete="off"' in barcode
    assert 'inputmode="text"' in barcode
    for field in ("id_meeting", "id_car_number", "id_barcode"):
        assert f'<label for="{field}"' in html, field
    assert "<legend" in html and "Direction" in html  # the In/Out radios in a fieldset
    assert "css/tyres-admin.css" in html
    assert form_fields(race_control, f"{SCAN}?meeting={meeting.pk}", "barcode")["direction"] == [
        "OUT"
    ]


def test_race_control_scans_a_set_out_and_the_page_keeps_round_direction_and_car(
    race_control, meeting, operator
):
    receive(meeting, operator, "MX-001")

    response = race_control.post(SCAN, scan_form(meeting, "mx-001"))

    scan = TyreScan.objects.get()
    assert (scan.tyre_set.barcode, scan.entry.car_number, scan.direction) == ("MX-001", 7, "OUT")
    assert scan.scanned_by.username == "steward"
    assert response.status_code == 200
    assert "Set MX-001 fitted to car #7: new set 1 of 4." in alert(response)
    assert "scan-done" in response.content.decode()
    form = response.context["form"]
    assert not form.is_bound
    assert (form.initial["meeting"], form.initial["direction"], form.initial["car_number"]) == (
        meeting,
        "OUT",
        7,
    )


def test_a_refused_scan_shows_its_reason_and_writes_nothing(race_control, meeting, operator):
    receive(meeting, operator, "MX-001")
    tyre_scan(barcode="MX-001", car_number=7, meeting=meeting, direction="OUT", user=None)

    response = race_control.post(SCAN, scan_form(meeting, "MX-001", car="12"))

    assert response.status_code == 200
    assert "Refused:" in alert(response)
    assert "Set MX-001 is car #7&#x27;s (fitted at" in alert(response)
    assert "a set used by one car is never fitted to another." in alert(response)
    assert "scan-refused" in response.content.decode()
    assert TyreScan.objects.count() == 1


def test_an_unknown_barcode_is_refused_on_the_page(race_control, meeting):
    response = race_control.post(SCAN, scan_form(meeting, "MX-404"))

    assert "No tyre set has barcode MX-404: check the code or receive the set first." in alert(
        response
    )
    assert not TyreScan.objects.exists()


def test_a_scan_out_without_a_car_number_is_an_error_of_the_form(race_control, meeting, operator):
    receive(meeting, operator, "MX-001")

    response = race_control.post(SCAN, scan_form(meeting, "MX-001", car=""))

    assert response.context["form"].errors == {
        "car_number": ["Give the car number: a set is fitted to one car."]
    }
    assert not TyreScan.objects.exists()


def test_a_set_scanned_in_without_a_car_number_goes_back_to_its_car(
    race_control, meeting, operator
):
    receive(meeting, operator, "MX-001")
    race_control.post(SCAN, scan_form(meeting, "MX-001"))

    response = race_control.post(SCAN, scan_form(meeting, "MX-001", car="", direction="IN"))

    assert "Set MX-001 returned by car #7." in alert(response)
    assert response.context["form"].initial["direction"] == "IN"
    assert list(TyreScan.objects.order_by("pk").values_list("direction", flat=True)) == [
        "OUT",
        "IN",
    ]


def test_the_round_chosen_is_remembered_for_the_next_visit(race_control, meeting, operator):
    later = make_meeting(meeting.championship, 2, start_date=dt.date(2025, 5, 17))
    race_control.get(f"{SCAN}?meeting={later.pk}")

    response = race_control.get(SCAN)

    assert response.context["form"].initial["meeting"] == later.pk
    assert response.context["meeting"] == later


def test_the_scan_page_lists_the_latest_scans_of_the_round(race_control, meeting, operator):
    receive(meeting, operator, "MX-001", "MX-002")
    race_control.post(SCAN, scan_form(meeting, "MX-001"))

    response = race_control.post(SCAN, scan_form(meeting, "MX-002", car="12"))

    assert [s.tyre_set.barcode for s in response.context["latest"]] == ["MX-002", "MX-001"]


@pytest.mark.parametrize("role", [READ_ONLY_STAFF_GROUP, None])
def test_staff_who_may_not_scan_are_refused_the_scan_page(client, meeting, operator, role):
    receive(meeting, operator, "MX-001")
    client = role_client(client, role)

    page = client.get(SCAN)
    posted = client.post(SCAN, scan_form(meeting, "MX-001"))

    assert (page.status_code, posted.status_code) == (403, 403)
    assert not TyreScan.objects.exists()


def test_the_series_manager_scans_too(client, meeting, operator):
    receive(meeting, operator, "MX-001")
    manager = role_client(client, SERIES_MANAGER_GROUP, name="manager")

    manager.post(SCAN, scan_form(meeting, "MX-001"))

    assert TyreScan.objects.get().scanned_by.username == "manager"


# --- Scans are read only ---------------------------------------------------------------------


def test_race_control_reads_a_scan_but_cannot_change_or_delete_it(race_control, meeting, operator):
    receive(meeting, operator, "MX-001")
    scan = tyre_scan(barcode="MX-001", car_number=7, meeting=meeting, direction="OUT", user=None)

    page = race_control.get(reverse("admin:entries_tyrescan_change", args=[scan.pk]))
    deleted = race_control.post(
        reverse("admin:entries_tyrescan_delete", args=[scan.pk]), {"post": "yes"}
    )

    assert page.status_code == 200 and page.context["has_change_permission"] is False
    assert deleted.status_code == 403
    assert TyreScan.objects.count() == 1


def test_the_series_manager_cancels_the_latest_scan_of_a_set_only(client, meeting, operator):
    receive(meeting, operator, "MX-001")
    out = tyre_scan(barcode="MX-001", car_number=7, meeting=meeting, direction="OUT", user=None)
    back = tyre_scan(barcode="MX-001", car_number=7, meeting=meeting, direction="IN", user=None)
    manager = role_client(client, SERIES_MANAGER_GROUP, name="manager")

    earlier = manager.post(reverse("admin:entries_tyrescan_delete", args=[out.pk]), {"post": "yes"})
    latest = manager.post(reverse("admin:entries_tyrescan_delete", args=[back.pk]), {"post": "yes"})

    assert (earlier.status_code, latest.status_code) == (403, 302)
    assert list(TyreScan.objects.values_list("pk", flat=True)) == [out.pk]


def test_a_scanned_set_is_read_only_for_the_series_manager(client, meeting, operator):
    (tyre_set,) = receive(meeting, operator, "MX-001")
    tyre_scan(barcode="MX-001", car_number=7, meeting=meeting, direction="OUT", user=None)
    manager = role_client(client, SERIES_MANAGER_GROUP, name="manager")

    page = manager.get(reverse("admin:entries_tyreset_change", args=[tyre_set.pk]))

    assert page.status_code == 200
    assert set(page.context["adminform"].form.fields) == set()


def test_a_set_never_scanned_is_corrected_but_not_given_to_an_operator_of_another_series(
    client, meeting, operator
):
    (tyre_set,) = receive(meeting, operator, "MX-001")
    later = make_meeting(meeting.championship, 2, start_date=dt.date(2025, 5, 17))
    other = make_operator("Other Cup Operations", make_series("Another Cup"))
    manager = role_client(client, SERIES_MANAGER_GROUP, name="manager")
    url = reverse("admin:entries_tyreset_change", args=[tyre_set.pk])
    data = {"compound": "WET", "operator": operator.pk, "meeting": later.pk}

    moved = manager.post(url, data)
    refused = manager.post(url, {**data, "operator": other.pk})

    assert moved.status_code == 302
    assert refused.context["adminform"].form.errors == {
        "operator": [
            "Other Cup Operations supplies Another Cup, not the series of "
            "Round 2 · Shanghai International Circuit."
        ]
    }
    tyre_set.refresh_from_db()
    assert (tyre_set.compound, tyre_set.meeting, tyre_set.operator) == ("WET", later, operator)


def test_a_scan_is_found_by_its_cars_number(race_control, meeting, operator):
    receive(meeting, operator, "MX-001", "MX-002")
    tyre_scan(barcode="MX-001", car_number=7, meeting=meeting, direction="OUT", user=None)
    tyre_scan(barcode="MX-002", car_number=12, meeting=meeting, direction="OUT", user=None)

    response = race_control.get(reverse("admin:entries_tyrescan_changelist"), {"q": "#12"})

    assert [s.tyre_set.barcode for s in response.context["cl"].result_list] == ["MX-002"]


def test_the_sets_list_shows_each_sets_state(race_control, meeting, operator):
    receive(meeting, operator, "MX-001", "MX-002")
    tyre_scan(barcode="MX-001", car_number=12, meeting=meeting, direction="OUT", user=None)

    html = race_control.get(reverse("admin:entries_tyreset_changelist")).content.decode()

    assert "on car #12" in html and "new" in html


# --- Receiving sets --------------------------------------------------------------------------


def test_the_series_manager_receives_sets_pasted_one_a_line(client, meeting, operator):
    manager = role_client(client, SERIES_MANAGER_GROUP, name="manager")

    response = manager.post(
        RECEIVE,
        {
            "operator": operator.pk,
            "meeting": meeting.pk,
            "compound": "WET",
            "barcodes": "mw-001\r\nMW-002\r\n\r\n",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"{STOCK}?meeting={meeting.pk}"
    sets = TyreSet.objects.order_by("barcode")
    assert [(s.barcode, s.compound, s.received_by.username) for s in sets] == [
        ("MW-001", "WET", "manager"),
        ("MW-002", "WET", "manager"),
    ]


def test_a_refused_receipt_lists_each_problem_and_receives_nothing(client, meeting, operator):
    receive(meeting, operator, "MX-001")
    manager = role_client(client, SERIES_MANAGER_GROUP, name="manager")

    response = manager.post(
        RECEIVE,
        {
            "operator": operator.pk,
            "meeting": meeting.pk,
            "compound": "DRY",
            "barcodes": "MX-001\nMX-002\nMX-002",
        },
    )

    assert response.status_code == 200
    assert response.context["problems"] == [
        "MX-002 is listed 2 times.",
        "MX-001 was received already: Cup Operations, Round 1 · Shanghai International Circuit.",
    ]
    assert 'id="receipt-refused" role="alert"' in response.content.decode()
    assert TyreSet.objects.count() == 1


def test_race_control_does_not_receive_sets(race_control, meeting):
    assert race_control.get(RECEIVE).status_code == 403


# --- The stock of a round --------------------------------------------------------------------


@pytest.mark.parametrize("role", [RACE_CONTROL_GROUP, READ_ONLY_STAFF_GROUP, SERIES_MANAGER_GROUP])
def test_the_roles_that_see_tyres_read_the_stock(client, meeting, operator, role):
    receive(meeting, operator, "MX-001")
    tyre_scan(barcode="MX-001", car_number=12, meeting=meeting, direction="OUT", user=None)
    client = role_client(client, role)

    response = client.get(f"{STOCK}?meeting={meeting.pk}")

    assert response.status_code == 200
    cars = {c.entry.car_number: (c.new_sets, c.left) for c in response.context["stock"].cars}
    assert cars == {7: (0, 4), 12: (1, 3)}
    assert "1 / 4" in response.content.decode()


def test_staff_without_a_role_are_refused_the_stock(client, meeting):
    assert role_client(client).get(STOCK).status_code == 403


def season_with_tyres(cars: int):
    """A round where each of ``cars`` cars fitted two new sets and returned one."""
    championship = make_championship(year=2025)
    meeting = make_meeting(championship, 1, start_date=dt.date(2025, 4, 19))
    operator = make_operator("Cup Operations", championship.series)
    for number in range(1, cars + 1):
        make_entry(championship, number)
        codes = [f"MX-{number:03}-{n}" for n in (1, 2, 3)]
        receive(meeting, operator, *codes)
        for code in codes[:2]:
            tyre_scan(barcode=code, car_number=number, meeting=meeting, direction="OUT", user=None)
        tyre_scan(barcode=codes[0], car_number=None, meeting=meeting, direction="IN", user=None)
    return meeting


STOCK_PAGE_QUERIES = 13


@pytest.mark.parametrize("cars", [2, 20])
def test_the_stock_page_reads_a_fixed_number_of_queries_however_many_cars(
    client, db, cars, django_assert_num_queries
):
    meeting = season_with_tyres(cars)
    make_operator("Tyre Partner", meeting.championship.series)
    client = role_client(client, READ_ONLY_STAFF_GROUP)

    with django_assert_num_queries(STOCK_PAGE_QUERIES):
        response = client.get(f"{STOCK}?meeting={meeting.pk}")

    assert len(response.context["stock"].cars) == cars
    assert response.context["stock"].operators[0].on_cars == cars
    assert response.context["stock"].operators[0].returned == cars


def test_the_scan_page_links_to_the_stock_of_its_round(race_control, meeting):
    html = race_control.get(f"{SCAN}?meeting={meeting.pk}").content.decode()

    assert f'href="{STOCK}?meeting={meeting.pk}"' in html


def test_the_direction_choices_say_what_out_and_in_mean():
    assert dict(TyreDirection.choices) == {
        "OUT": "Out: fitted to the car",
        "IN": "In: returned",
    }


def test_the_tyres_migration_grants_exactly_the_roles_tyre_lists():
    migration = importlib.import_module("staff.migrations.0011_tyres")

    assert {name: set(grants) for name, grants in migration.GRANTS.items()} == {
        SERIES_MANAGER_GROUP: permissions_of(TYRES_MANAGER_GRANTS),
        RACE_CONTROL_GROUP: permissions_of(TYRES_RACE_CONTROL_GRANTS),
        READ_ONLY_STAFF_GROUP: permissions_of(TYRES_READER_GRANTS),
    }
