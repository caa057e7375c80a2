"""The series manager runs the whole season's operation: prizes, driver categories and their
eligibility flags and review requests, and the arrive-and-drive fleet (operators, cars, seat
packages, allocations, damage reports); race control views the cars, since the results form
picks each result's chassis from them (an autocomplete, which asks for that permission).

These models came after the groups' first lists (championships/0004, staff/0001). Literal, as
migrations must be; ``tests/site/test_roles.py`` and
``tests/championships/test_admin_permissions.py`` assert that the groups in the database and
``staff.roles`` / ``championships.permissions`` agree.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

_FULL = ("view", "add", "change", "delete")
SERIES_MANAGER = [
    (app, f"{action}_{model}")
    for app, model in (
        ("championships", "prize"),
        ("entries", "driverclassification"),
        ("entries", "eligibilityflag"),
        ("entries", "reviewrequest"),
        ("entries", "operator"),
        ("entries", "car"),
        ("entries", "seatpackage"),
        ("entries", "carallocation"),
        ("entries", "damagereport"),
    )
    for action in _FULL
]
RACE_CONTROL = [("entries", "view_car")]

GRANTS = {"Series manager": SERIES_MANAGER, "Race control": RACE_CONTROL}


def permissions(apps, db, wanted):
    Permission = apps.get_model("auth", "Permission")
    known = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.using(db)
        .filter(content_type__app_label__in=("championships", "entries"))
        .select_related("content_type")
    }
    missing = sorted(set(wanted) - set(known))
    if missing:
        raise RuntimeError(f"Permissions missing: {missing}")
    return [known[key] for key in wanted]


def grant(apps, schema_editor):
    db = schema_editor.connection.alias
    for app_label in ("championships", "entries"):
        create_permissions(global_apps.get_app_config(app_label), apps=apps, using=db, verbosity=0)
    Group = apps.get_model("auth", "Group")
    for name, wanted in GRANTS.items():
        Group.objects.using(db).get(name=name).permissions.add(*permissions(apps, db, wanted))


def revoke(apps, schema_editor):
    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    for name, wanted in GRANTS.items():
        Group.objects.using(db).get(name=name).permissions.remove(*permissions(apps, db, wanted))


class Migration(migrations.Migration):
    dependencies = [("staff", "0001_roles")]

    operations = [migrations.RunPython(grant, revoke)]
