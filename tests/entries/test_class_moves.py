"""Issue 14.16 and rule 7: a move to another class takes effect from a date, so the entry's
earlier results stay in the class it held then."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from championships.standings.loader import season_load
from championships.standings.tables import SeasonTables
from entries.models import EligibilityDecision, EligibilityFlag, EntryClassChange
from entries.services import driver_classify, eligibility_flag_resolve, entry_class_move
from tests.factories import (
    ROUND_2_DAY,
    make_result,
    management_form,
)

pytestmark = pytest.mark.django_db


def promote(entry, effective_from=dt.date(2025, 5, 1)):
    """The FIA makes the driver Gold, which PRO_AM does not admit: a flag is raised."""
    driver_classify(
        driver=entry.driver, category="GOLD", effective_from=effective_from, source="FIA_REVIEW"
    )
    return EligibilityFlag.objects.get(entry=entry)


def pro_am_rows(championship):
    tables = SeasonTables(season_load(championship))
    return {row.entry.car_number: row for row in tables.table("drivers", "PRO_AM").rows}


def test_a_moved_drivers_earlier_second_place_stays_in_the_pro_am_table(
    silver_season, staff_client
):
    championship, silver = silver_season
    flag = promote(silver)

    staff_client.post(
        reverse("admin:entries_eligibilityflag_changelist"),
        {
            "action": "move_to_admitting_class",
            "_selected_action": [flag.pk],
            "apply": "1",
            "move_from": "2025-05-01",
        },
    )

    silver.refresh_from_db()
    assert silver.entry_class.code == "PRO_AM"  # its class at its first race
    change = EntryClassChange.objects.get(entry=silver)
    assert (change.entry_class.code, change.from_date) == ("PRO", dt.date(2025, 5, 1))
    rows = pro_am_rows(championship)
    assert (rows[7].position, rows[7].points) == (1, Decimal(25))  # 2nd overall, 1st in class
    assert rows[8].position == 2
    flag.refresh_from_db()
    assert flag.decision_note == "Moved from PRO_AM to PRO as GOLD from 2025-05-01."


def test_the_move_action_asks_from_which_day_the_move_counts(silver_season, staff_client):
    _, silver = silver_season
    flag = promote(silver)

    response = staff_client.post(
        reverse("admin:entries_eligibilityflag_changelist"),
        {"action": "move_to_admitting_class", "_selected_action": [flag.pk]},
    )

    assert response.status_code == 200
    assert response.context["form"].initial["move_from"] == dt.date(2025, 5, 1)
    assert "moved from" in response.content.decode().lower()
    flag.refresh_from_db()
    assert flag.is_open  # nothing done until the date is given
    assert not EntryClassChange.objects.exists()


def test_the_move_action_refuses_a_missing_date(silver_season, staff_client):
    _, silver = silver_season
    flag = promote(silver)

    response = staff_client.post(
        reverse("admin:entries_eligibilityflag_changelist"),
        {"action": "move_to_admitting_class", "_selected_action": [flag.pk], "apply": "1"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["move_from"]
    flag.refresh_from_db()
    assert flag.is_open


def test_the_flag_form_moves_the_entry_from_the_day_given(silver_season, staff_client):
    championship, silver = silver_season
    flag = promote(silver)
    pro = championship.classes.get(code="PRO")

    response = staff_client.post(
        reverse("admin:entries_eligibilityflag_change", args=[flag.pk]),
        {"decision": "MOVED", "move_to": pro.pk, "move_from": "2025-05-10", "decision_note": ""},
    )

    assert response.status_code == 302
    assert EntryClassChange.objects.get(entry=silver).from_date == dt.date(2025, 5, 10)


def test_a_move_without_a_date_counts_from_the_day_the_new_category_takes_effect(silver_season):
    _, silver = silver_season
    flag = promote(silver, effective_from=dt.date(2025, 5, 3))

    eligibility_flag_resolve(flag=flag, decision=EligibilityDecision.MOVED, user=None)

    assert EntryClassChange.objects.get(entry=silver).from_date == dt.date(2025, 5, 3)


def test_a_move_from_the_first_race_day_or_before_changes_the_entrys_class_itself(silver_season):
    championship, silver = silver_season
    pro = championship.classes.get(code="PRO")
    promote(silver)

    entry_class_move(entry=silver, entry_class=pro, from_date=dt.date(2025, 4, 20), category="GOLD")

    silver.refresh_from_db()
    assert (silver.entry_class, silver.category) == (pro, "GOLD")
    assert not EntryClassChange.objects.exists()


def test_a_move_to_the_class_the_entry_already_has_that_day_is_refused(silver_season):
    championship, silver = silver_season
    pro_am = championship.classes.get(code="PRO_AM")

    with pytest.raises(ValidationError, match="is in class PRO_AM on 2025-05-01 already"):
        entry_class_move(entry=silver, entry_class=pro_am, from_date=dt.date(2025, 5, 1))


def test_a_second_move_on_one_day_is_refused(silver_season):
    championship, silver = silver_season
    promote(silver)
    pro, am = championship.classes.get(code="PRO"), championship.classes.get(code="AM")
    entry_class_move(entry=silver, entry_class=pro, from_date=dt.date(2025, 5, 1))

    with pytest.raises(ValidationError):
        entry_class_move(
            entry=silver, entry_class=am, from_date=dt.date(2025, 5, 1), category="BRONZE"
        )
    assert EntryClassChange.objects.count() == 1


def test_a_move_to_a_class_that_does_not_admit_the_category_of_the_day_is_refused(silver_season):
    championship, silver = silver_season
    am = championship.classes.get(code="AM")

    with pytest.raises(ValidationError, match="Class AM admits BRONZE, not SILVER"):
        entry_class_move(entry=silver, entry_class=am, from_date=dt.date(2025, 5, 1))


def test_the_database_refuses_two_class_changes_of_one_entry_on_one_day(silver_season):
    championship, silver = silver_season
    pro = championship.classes.get(code="PRO")
    EntryClassChange.objects.create(entry=silver, entry_class=pro, from_date=ROUND_2_DAY)

    with pytest.raises(IntegrityError):
        EntryClassChange.objects.create(entry=silver, entry_class=pro, from_date=ROUND_2_DAY)


def test_an_entry_knows_its_class_on_a_day(silver_season):
    championship, silver = silver_season
    pro = championship.classes.get(code="PRO")
    EntryClassChange.objects.create(entry=silver, entry_class=pro, from_date=ROUND_2_DAY)

    assert silver.class_on(dt.date(2025, 5, 17)).code == "PRO_AM"
    assert silver.class_on(ROUND_2_DAY) == pro


# The entry's page -----------------------------------------------------------------------------


def entry_page_data(entry, *moves: dict[str, str]) -> dict[str, object]:
    """The entry's change form as it stands, with ``moves`` to add in its class-move inline."""
    data: dict[str, object] = {
        "car_number": entry.car_number,
        "driver": entry.driver_id,
        "team": entry.team_id,
        "entry_class": entry.entry_class_id,
        "category": entry.category,
        **management_form("class_changes", total=len(moves)),
    }
    for i, move in enumerate(moves):
        data |= {f"class_changes-{i}-{name}": value for name, value in move.items()}
    return data


def test_the_entry_page_records_a_move_with_its_date(silver_season, staff_client):
    championship, silver = silver_season
    pro = championship.classes.get(code="PRO")
    url = reverse("admin:entries_entry_change", args=[silver.pk])

    response = staff_client.post(
        url, entry_page_data(silver, {"entry_class": pro.pk, "from_date": "2025-05-01"})
    )

    assert response.status_code == 302
    assert moves_of(silver) == [("PRO", dt.date(2025, 5, 1))]
    silver.refresh_from_db()
    assert silver.entry_class.code == "PRO_AM"
    assert "PRO" in staff_client.get(url).content.decode()


def test_the_entry_page_refuses_a_move_to_the_class_the_entry_holds_that_day(
    silver_season, staff_client
):
    championship, silver = silver_season
    pro_am = championship.classes.get(code="PRO_AM")

    response = staff_client.post(
        reverse("admin:entries_entry_change", args=[silver.pk]),
        entry_page_data(silver, {"entry_class": pro_am.pk, "from_date": "2025-05-01"}),
    )

    assert response.status_code == 200
    assert "is in class PRO_AM on 2025-05-01 already" in response.content.decode()
    assert moves_of(silver) == []


def moves_of(entry) -> list[tuple[str, dt.date]]:
    rows = EntryClassChange.objects.filter(entry=entry).order_by("from_date")
    return list(rows.values_list("entry_class__code", "from_date"))


def test_the_driver_page_gives_the_place_in_each_class_table_the_entry_ran_in(
    silver_season, client
):
    championship, silver = silver_season
    pro = championship.classes.get(code="PRO")
    EntryClassChange.objects.create(entry=silver, entry_class=pro, from_date=ROUND_2_DAY)
    second_round = championship.meetings.get(round=2).races.get()
    make_result(second_round, silver, 1)

    response = client.get(f"/drivers/{silver.driver.slug}/")

    places = {
        place.choice.class_code: place.row.points
        for place in response.context["places"]
        if place.choice.table == "drivers"
    }
    # 2nd overall in round 1 (PRO_AM's first), 1st in round 2 (in PRO by then).
    assert places == {None: Decimal(45), "PRO_AM": Decimal(25), "PRO": Decimal(25)}
