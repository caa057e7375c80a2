"""Issue 14.4 and 14.17 in the back office: points typed as a list, categories as checkboxes,
times as timing sheets write them, and dates or text out of bounds refused as field errors."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from championships.forms import (
    ChampionshipClassForm,
    ChampionshipForm,
    PointsListField,
    TimingDurationField,
)
from core.numbers import timing
from tests.factories import (
    edition_form_data,
    make_championship,
    make_circuit,
    make_edition,
    make_entry,
    make_meeting,
    make_race,
    make_result,
    race_form,
)

# Times ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.timedelta(minutes=29, seconds=58, milliseconds=123), "29:58.123"),
        (dt.timedelta(hours=1, minutes=2, seconds=3, milliseconds=456), "1:02:03.456"),
        (dt.timedelta(minutes=1, seconds=58, milliseconds=56), "1:58.056"),
        (None, ""),
    ],
)
def test_a_time_is_written_as_timing_sheets_write_it(value, text):
    assert timing(value) == text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("29:58.123", dt.timedelta(minutes=29, seconds=58, milliseconds=123)),
        ("1:02:03.456", dt.timedelta(hours=1, minutes=2, seconds=3, milliseconds=456)),
        ("1'58.056", dt.timedelta(minutes=1, seconds=58, milliseconds=56)),
        ("", None),
    ],
)
def test_the_time_field_reads_what_timing_sheets_write(text, value):
    assert TimingDurationField(required=False).clean(text) == value


@pytest.mark.parametrize("text", ["99999999999:00:00.000", "100:00:00", "-1:00", "x", "a\x00"])
def test_the_time_field_refuses_what_is_not_a_time_under_100_hours(text):
    field = TimingDurationField(required=False)

    with pytest.raises(Exception, match="under 100 hours"):
        field.clean(text)


def test_the_result_form_and_list_show_times_as_timing_sheets_write_them(staff_client):
    race = make_race(make_meeting(make_championship()))
    result = make_result(
        race,
        make_entry(race.meeting.championship),
        position=1,
        total_time=dt.timedelta(minutes=29, seconds=58, milliseconds=123),
        best_lap=dt.timedelta(minutes=1, seconds=58, milliseconds=56),
    )

    form = staff_client.get(reverse("admin:championships_result_change", args=[result.pk]))
    race_form = staff_client.get(reverse("admin:championships_race_change", args=[race.pk]))
    changelist = staff_client.get(reverse("admin:championships_result_changelist"))

    for page in (form, race_form):
        assert 'value="29:58.123"' in page.content.decode()
        assert 'value="1:58.056"' in page.content.decode()
        assert "00:29:58.123000" not in page.content.decode()
    assert "29:58.123" in changelist.content.decode()


# Points and categories ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "points"),
    [
        ("25, 20, 17", [25, 20, 17]),
        ("25,18.5,15,", [25, 18.5, 15]),
        ("[10, 8]", [10, 8]),
        ("0", [0]),
        ("25，20，17", [25, 20, 17]),
        ("25、20、17", [25, 20, 17]),
    ],
)
def test_points_by_rank_are_typed_separated_by_commas(text, points):
    assert PointsListField().clean(text) == points


@pytest.mark.parametrize(
    "text", ["25, x", "25,,20", "-1", "10000", "1e400", "1" + "0" * 400, "12.345", "2\x005"]
)
def test_points_by_rank_out_of_bounds_are_a_field_error(text):
    with pytest.raises(Exception, match="separated by commas"):
        PointsListField().clean(text)


def test_the_championship_form_shows_points_as_a_list_not_json(db):
    championship = make_championship(race_points=[25, 18.5, 15], rookies_race_points=None)

    form = ChampionshipForm(instance=championship)

    assert 'value="25, 18.5, 15"' in str(form["race_points"])
    assert 'value=""' in str(form["rookies_race_points"]) or "null" not in str(
        form["rookies_race_points"]
    )


def test_the_class_form_offers_categories_as_checkboxes_and_keeps_their_order(db):
    championship = make_championship(classes=False)

    form = ChampionshipClassForm(
        {
            "championship": championship.pk,
            "code": "X",
            "categories": ["BRONZE", "GOLD"],
            "race_points": "",
            "pole_points": "0",
            "fastest_lap_points": "0",
            "sort_order": "0",
        },
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["categories"] == ["GOLD", "BRONZE"]
    assert form.cleaned_data["race_points"] is None
    assert 'type="checkbox"' in str(form["categories"])


def test_the_class_admin_saves_checked_categories_and_typed_points(staff_client):
    championship = make_championship()
    am = championship.classes.get(code="AM")
    url = reverse("admin:championships_championshipclass_change", args=[am.pk])
    data = {
        "championship": championship.pk,
        "code": "AM",
        "categories": ["SILVER", "BRONZE"],
        "min_age": "",
        "race_points": "10, 8, 6.5",
        "pole_points": "1",
        "fastest_lap_points": "0",
        "sort_order": "0",
    }

    response = staff_client.post(url, data)
    refused = staff_client.post(url, {**data, "race_points": "10, " + "9" * 500})

    assert response.status_code == 302
    am.refresh_from_db()
    assert (am.categories, am.race_points, am.pole_points) == (
        ["SILVER", "BRONZE"],
        [10, 8, 6.5],
        Decimal(1),
    )
    assert refused.status_code == 200 and "separated by commas" in refused.content.decode()


# Dates out of bounds --------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "3000-01-01"])
def test_a_race_start_outside_the_era_is_a_field_error_not_a_server_error(staff_client, day):
    meeting = make_meeting(
        make_championship(),
        circuit=make_circuit("Shanghai", country="CN", timezone="Asia/Shanghai"),
    )
    race = make_race(meeting)

    response = staff_client.post(
        reverse("admin:championships_race_change", args=[race.pk]), race_form(race, day, "00:00")
    )

    assert response.status_code == 200
    assert "Enter a date from 1900 to 2999." in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [("opens_at_0", "0001-01-01"), ("closes_at_0", "0001-01-01"), ("reference_date", "0001-01-01")],
)
def test_a_talent_pool_edition_date_outside_the_era_is_a_field_error(staff_client, field, value):
    edition = make_edition()
    url = reverse("admin:talentpool_talentpooledition_change", args=[edition.pk])

    response = staff_client.post(url, edition_form_data(edition, **{field: value}))

    assert response.status_code == 200
    assert "Enter a date from 1900 to 2999." in response.content.decode()


def test_a_nul_in_a_talent_pool_edition_name_is_a_field_error(staff_client):
    edition = make_edition()
    url = reverse("admin:talentpool_talentpooledition_change", args=[edition.pk])

    response = staff_client.post(url, edition_form_data(edition, name="T\x00P"))

    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
