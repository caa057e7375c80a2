"""The demo's live timing: the season's next race under way, lap 8, as a timing provider
would have pushed it, so that `make run` shows a live page with the championship as it stands."""

from __future__ import annotations

from championships.live import live_push
from championships.live_feed import parse_live_json
from championships.models import Championship, LiveTiming, Race
from entries.models import Entry

LAP = 8


def live_demo_ensure(*, championship: Championship) -> list[str]:
    """Live timing of the championship's first race without results, unless it has some."""
    race = (
        Race.objects.filter(meeting__championship=championship)
        .with_held()
        .filter(held=False)
        .select_related("meeting__championship", "meeting__circuit")
        .order_by("meeting__round", "number")
        .first()
    )
    if race is None:
        return [f"Live timing: {championship.slug} has no race still to run."]
    where = f"round {race.meeting.round}, race {race.number}"
    if LiveTiming.objects.filter(race=race).exists():
        return [f"Live timing: {where} has its running order already, left as it is."]
    entries = list(Entry.objects.filter(championship=championship).order_by("-guest", "car_number"))
    # A shuffled field, the same each time: guests first, then by (number x 7) mod 31.
    order = sorted(entries, key=lambda e: (not e.guest, (e.car_number * 7) % 31))
    cars = [_car(position, entry.car_number) for position, entry in enumerate(order, start=1)]
    if len(cars) > 3:
        cars[-1].update(status="DNF", laps=LAP - 3, gap="")
        cars[-2].update(status="PIT", pit=True)
    live_push(subject=race, feed=parse_live_json({"sequence": LAP, "flag": "GREEN", "cars": cars}))
    slug, round_ = championship.slug, race.meeting.round
    return [
        f"Live timing: {where} under way, lap {LAP} of {len(cars)} cars: "
        f"/championships/{slug}/rounds/{round_}/live/race-{race.number}/"
    ]


def _car(position: int, number: int) -> dict:
    tenths = position * 1371
    return {
        "position": position,
        "number": number,
        "laps": LAP,
        "gap": "" if position == 1 else f"+{tenths // 1000}.{tenths % 1000:03d}",
        "last_lap": f"2:05.{(position * 137) % 1000:03d}",
        "best_lap": f"2:04.{(position * 211) % 1000:03d}",
        "status": "RUNNING",
    }
