"""Issue 14.16: a driver's FIA category lives only in the dated classifications.

The driver's undated ``category`` goes. Before it does, its value is carried over to a dated
record where the records do not already say it: a driver without any record gets one (a
series decision from 1 January of their first season, or from today without an entry), and
a driver whose undated category differs from the record in force today (typed into the old
driver form) gets a series decision from today.
"""

import datetime as dt

from django.db import migrations
from django.utils import timezone

NOTE = "Carried over from the driver's undated category."


def _in_force(classifications, day):
    effective = [c for c in classifications if c.effective_from <= day]
    latest = max(effective, key=lambda c: (c.effective_from, c.recorded_at, c.pk), default=None)
    return latest.category if latest else None


def _first_day(driver, today):
    years = [entry.championship.year for entry in driver.entries.all()]
    return dt.date(min(years), 1, 1) if years else today


def carry_over(apps, schema_editor):
    Driver = apps.get_model("entries", "Driver")
    DriverClassification = apps.get_model("entries", "DriverClassification")
    today = timezone.localdate()
    new = []
    drivers = Driver.objects.prefetch_related("classifications", "entries__championship")
    for driver in drivers:
        records = list(driver.classifications.all())
        if not records:
            day = _first_day(driver, today)
        elif _in_force(records, today) != driver.category:
            day = today
            if any(r.effective_from == day and r.source == "SERIES" for r in records):
                continue  # a series decision of today is recorded already, and wins
        else:
            continue
        new.append(
            DriverClassification(
                driver=driver,
                category=driver.category,
                effective_from=day,
                source="SERIES",
                note=NOTE,
                recorded_at=timezone.now(),
            )
        )
    DriverClassification.objects.bulk_create(new)


def restore(apps, schema_editor):
    """Back: each driver's undated category is the one in force today (or the latest)."""
    Driver = apps.get_model("entries", "Driver")
    today = timezone.localdate()
    drivers = list(Driver.objects.prefetch_related("classifications"))
    for driver in drivers:
        records = list(driver.classifications.all())
        latest = max(records, key=lambda c: (c.effective_from, c.recorded_at, c.pk), default=None)
        driver.category = _in_force(records, today) or (latest.category if latest else "BRONZE")
    Driver.objects.bulk_update(drivers, ["category"])


class Migration(migrations.Migration):
    dependencies = [
        ("entries", "0006_entry_class_history"),
    ]

    operations = [
        migrations.RunPython(carry_over, restore),
        migrations.RemoveConstraint(
            model_name="driver",
            name="driver_category_valid",
        ),
        migrations.RemoveField(
            model_name="driver",
            name="category",
        ),
    ]
