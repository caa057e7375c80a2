"""Done when (issue 21): a fan watches a race's live page while the timing provider's script
pushes five updates, a guest leading and the race at half points; the running order and the
table as it stands change with each push without the page reloading, streamed by Server-Sent
Events from the ASGI server, and the table on the page is the one the standings rules give."""

import json
import urllib.request
from decimal import Decimal

import pytest

from championships.live import as_it_stands
from championships.models import LiveTiming, PointsFactor, Prize
from championships.services import standings_invalidate
from championships.standings.data import DRIVERS
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

# Each push's running order after the guest (#911), who leads every time.
ORDERS = [
    (55, 7, 21, 3),
    (7, 55, 21, 3),
    (7, 21, 55, 3),
    (21, 7, 3, 55),
    (3, 21, 7, 55),
]


@pytest.fixture
def race_day(django_user_model):
    championship = factories.make_championship("live-2026", year=2026)
    round_1 = factories.make_meeting(championship, 1)
    round_2 = factories.make_meeting(championship, 2)
    entries = {n: factories.make_entry(championship, n) for n in (3, 7, 21, 55)}
    entries[911] = factories.make_entry(championship, 911, guest=True)
    held = factories.make_race(round_1, 1)
    for position, number in enumerate((55, 7, 21, 3), start=1):
        factories.make_result(held, entries[number], position)
    race = factories.make_race(round_2, 1, points_factor=PointsFactor.HALF)
    Prize.objects.create(
        championship=championship, table="drivers", after_round=2, position=1, award="Le Mans"
    )
    standings_invalidate(championship_id=championship.pk)
    user = factories.make_staff("timing", "championships.change_livetiming")
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=user)
    return race, token.key


def push(server: str, race, token: str, sequence: int, order: tuple[int, ...]) -> dict:
    """What the timing provider's script sends: the JSON body, with its token."""
    cars = [
        {"position": k, "number": n, "laps": 4 + sequence, "gap": "" if k == 1 else f"+{k}.25",
         "best_lap": f"2:0{k}.500", "status": "RUNNING"}
        for k, n in enumerate((911, *order), start=1)
    ]  # fmt: skip
    body = json.dumps({"sequence": sequence, "flag": "GREEN", "cars": cars}).encode()
    request = urllib.request.Request(
        f"{server}/api/v1/races/{race.pk}/live/",
        data=body,
        headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        return json.load(response)


def test_a_fan_sees_five_pushes_change_the_order_and_the_table_without_reloading(
    asgi_server, page, race_day
):
    from playwright.sync_api import expect

    race, token = race_day
    page.goto(f"{asgi_server}/championships/live-2026/rounds/2/live/race-1/")
    expect(page.locator("#live")).to_contain_text("Nothing live yet")
    expect(page.locator("#live-connection")).to_have_text("Updates arrive by themselves.")
    page.evaluate("window.notReloaded = true")

    for sequence, order in enumerate(ORDERS, start=1):
        push(asgi_server, race, token, sequence, order)

        running = page.locator("table.live-order tbody tr")
        expect(running.first).to_have_attribute("data-car", "911")  # the guest leads
        expected_running = ["911", *map(str, order)]
        expect(running).to_have_count(5)
        assert [running.nth(i).get_attribute("data-car") for i in range(5)] == expected_running
        # The table on the page is the one the rules give for this order.
        standing = as_it_stands(race, LiveTiming.objects.get(race=race).cars)
        drivers = next(view for view in standing.tables if view.choice.value == DRIVERS)
        rows = page.locator(f"table.live-stands[data-table='{DRIVERS}'] tbody tr")
        expect(rows.first).to_have_attribute(
            "data-car", str(drivers.table.rows[0].entry.car_number)
        )
        shown = [
            (rows.nth(i).get_attribute("data-car"), rows.nth(i).locator("td.total").inner_text())
            for i in range(rows.count())
        ]
        assert shown == [
            (str(row.entry.car_number), f"{row.points.normalize():f}") for row in drivers.table.rows
        ]
        assert "911" not in {car for car, _points in shown}  # the guest scores nothing
        leader = drivers.table.rows[0]
        expect(page.locator(".live-prizes")).to_contain_text(f"#{leader.entry.car_number}")

    # Half points: the race's winner among the eligible has half the winner's points.
    winner = next(
        line
        for row in drivers.table.rows
        for line in row.races
        if line.score.race.id == race.pk and line.score.rank == 1
    )
    assert winner.score.points == Decimal(race.meeting.championship.race_points[0]) / 2
    assert page.evaluate("window.notReloaded") is True
