"""Demo Talent Pool edition: its window is open today, so `make run` shows a working form."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from championships.models import Championship, aware_from_local
from talentpool.models import TalentPoolEdition

DEMO_ZONE = "Asia/Kuala_Lumpur"


def _demo_dates(today: dt.date) -> dict[str, object]:
    """A window from 30 days ago to 60 days ahead, the assessment two weeks after it."""
    assessment = today + dt.timedelta(days=74)
    return {
        "opens_at": aware_from_local(dt.datetime.combine(today, dt.time(9)), DEMO_ZONE)
        - dt.timedelta(days=30),
        "closes_at": aware_from_local(
            dt.datetime.combine(today + dt.timedelta(days=60), dt.time(23, 59)), DEMO_ZONE
        ),
        "assessment_starts_on": assessment,
        "assessment_ends_on": assessment + dt.timedelta(days=2),
        "reference_date": assessment,
    }


def edition_demo_ensure(
    *, championship_slug: str, today: dt.date | None = None, year: int | None = None
) -> str:
    """Create (or reopen) the demo edition of ``year`` (today's by default), whose winners
    join the championship; say what was done."""
    # A given day (the demo's, or a test's) is taken at noon; without one, now.
    now = timezone.now() if today is None else aware_from_local(_noon(today), DEMO_ZONE)
    today = today or timezone.localdate()
    year = year or today.year
    championship = Championship.objects.get(slug=championship_slug)
    if TalentPoolEdition.objects.open_at(now).filter(championship=championship).exists():
        return "Talent Pool: an edition is open, left as it is."
    edition, created = TalentPoolEdition.objects.update_or_create(
        year=year,
        defaults={"championship": championship, "timezone": DEMO_ZONE, **_demo_dates(today)},
        create_defaults={
            "name": f"Talent Pool {year}",
            "championship": championship,
            "timezone": DEMO_ZONE,
            "assessment_venue": "Sepang International Circuit",
            "places": 2,
            "prizes": "A free season entry, four tyre sets a round and a season of coaching.",
            **_demo_dates(today),
        },
    )
    done = "created" if created else "reopened"
    return f"Talent Pool: {edition} {done}, open until {edition.closes_at:%Y-%m-%d}."


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12))
