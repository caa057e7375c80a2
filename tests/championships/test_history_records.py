"""The audit trail: who changed entries, results, decisions, points schemes and classes, when and
what, and the history pages of the back office that show it."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from championships.models import Championship, ChampionshipClass, Penalty, PenaltyKind, Result
from championships.results_import import results_import
from championships.services import penalty_save, penalty_withdraw
from entries.models import Entry
from tests.factories import make_championship, make_entry, make_meeting, make_race, make_result

pytestmark = pytest.mark.django_db


@pytest.fixture
def steward(django_user_model):
    return django_user_model.objects.create_user("steward", is_staff=True)


@pytest.fixture
def race():
    championship = make_championship("history-cup")
    for number in (1, 2):
        make_entry(championship, number)
    return make_race(make_meeting(championship))


def test_an_import_records_each_result_removed_and_added_with_the_user_and_reason(race, steward):
    make_result(race, race.meeting.championship.entries.get(car_number=1), position=1)

    results_import(
        race=race,
        source="POS,NO,LAPS\n1,2,15\n2,1,15\n",
        dry_run=False,
        user=steward,
        reason="Provisional classification",
    )

    records = Result.history.filter(race_id=race.pk).order_by("history_id")
    assert [r.history_type for r in records] == ["+", "-", "+", "+"]
    assert {r.history_user for r in records[1:]} == {steward}
    assert {r.history_change_reason for r in records[1:]} == {"Provisional classification"}


def test_a_decision_and_its_withdrawal_are_recorded_with_who_and_why(race, steward):
    penalty = penalty_save(
        penalty=Penalty(
            meeting_id=race.meeting_id,
            entry_id=race.meeting.championship.entries.get(car_number=1).pk,
            kind=PenaltyKind.POINTS,
            value=Decimal(3),
            reason="Track limits",
            decided_at=timezone.now(),
        ),
        user=steward,
    )
    penalty_withdraw(penalty=penalty, reason="Appeal upheld", user=steward)

    created, withdrawn = Penalty.history.filter(id=penalty.pk).order_by("history_id")
    assert (created.history_type, created.history_user, created.withdrawn_at) == (
        "+",
        steward,
        None,
    )
    assert (withdrawn.history_type, withdrawn.history_user) == ("~", steward)
    assert withdrawn.history_change_reason == "Appeal upheld"
    assert withdrawn.withdrawn_at is not None and withdrawn.withdrawn_by == steward
    assert withdrawn.withdrawn_reason == "Appeal upheld"


def form_values(form, prefix: str = "") -> dict:
    """What the browser posts back for a form left as it is."""
    values = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None and value is not False:  # Decimal(0) == False
            values[f"{prefix}{name}"] = value
    return values


def posted_as_shown(page) -> dict:
    data = form_values(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(form_values(formset.management_form, f"{formset.prefix}-"))
        for i, form in enumerate(formset.initial_forms):
            data.update(form_values(form, f"{formset.prefix}-{i}-"))
    return data


def test_editing_the_points_scheme_in_the_back_office_is_recorded(staff_client, race):
    championship = race.meeting.championship
    url = reverse("admin:championships_championship_change", args=[championship.pk])
    data = posted_as_shown(staff_client.get(url))
    data.update(race_points="[30, 20, 10]", dropped_results=1)

    response = staff_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = Championship.history.filter(id=championship.pk).latest("history_date")
    assert latest.history_user.username == "admin"
    assert latest.race_points == [30, 20, 10] and latest.dropped_results == 1


def test_classes_and_entries_keep_their_history(race, steward):
    entry = Entry.objects.get(championship=race.meeting.championship, car_number=2)
    entry._history_user = steward
    entry.rookie = True
    entry.save()
    pro = ChampionshipClass.objects.get(championship=race.meeting.championship, code="PRO")
    pro.min_age = 18
    pro.save()

    assert entry.history.latest("history_date").history_user == steward
    assert [h.rookie for h in entry.history.order_by("history_id")] == [False, True]
    assert [h.min_age for h in pro.history.order_by("history_id")] == [None, 18]


@pytest.mark.parametrize(
    ("name", "obj"),
    [
        ("championships_championship_history", lambda race: race.meeting.championship),
        (
            "championships_championshipclass_history",
            lambda race: race.meeting.championship.classes.first(),
        ),
        (
            "championships_result_history",
            lambda race: make_result(race, race.meeting.championship.entries.first(), position=1),
        ),
        ("entries_entry_history", lambda race: race.meeting.championship.entries.first()),
    ],
)
def test_the_back_office_shows_each_history(staff_client, race, name, obj):
    target = obj(race)

    response = staff_client.get(reverse(f"admin:{name}", args=[target.pk]))

    assert response.status_code == 200
    assert "history" in response.content.decode().lower()


def test_a_decision_history_page_lists_the_withdrawal(staff_client, race, steward):
    penalty = penalty_save(
        penalty=Penalty(
            meeting_id=race.meeting_id,
            entry_id=race.meeting.championship.entries.first().pk,
            kind=PenaltyKind.WARNING,
            reason="Unsafe release",
            decided_at=timezone.now(),
        ),
        user=steward,
    )
    penalty_withdraw(penalty=penalty, reason="Appeal upheld", user=steward)

    response = staff_client.get(reverse("admin:championships_penalty_history", args=[penalty.pk]))

    page = response.content.decode()
    assert response.status_code == 200 and "steward" in page and "Appeal upheld" in page
