"""Timing providers' API tokens (issue 14.19): the "Timing provider" group (the races, and the
results its classification import writes; nothing else), and the series manager's permission
to issue and revoke the tokens of its members' accounts. Literal, as migrations must be;
``tests/site/test_roles.py`` asserts that the groups and ``staff.roles`` agree."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

TIMING_PROVIDER = [
    ("championships", "view_race"),
    ("championships", "view_result"),
    ("championships", "add_result"),
    ("championships", "change_result"),
    ("championships", "delete_result"),
]
SERIES_MANAGER = [("staff", "add_providertoken"), ("staff", "delete_providertoken")]


def _permissions(apps, db, wanted):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.using(db).get(content_type__app_label=app, codename=codename)
        for app, codename in wanted
    ]


def grant(apps, schema_editor):
    db = schema_editor.connection.alias
    for app_label in ("championships", "staff"):
        create_permissions(global_apps.get_app_config(app_label), apps=apps, using=db, verbosity=0)
    Group = apps.get_model("auth", "Group")
    provider, _ = Group.objects.using(db).get_or_create(name="Timing provider")
    provider.permissions.set(_permissions(apps, db, TIMING_PROVIDER))
    manager = Group.objects.using(db).get(name="Series manager")
    manager.permissions.add(*_permissions(apps, db, SERIES_MANAGER))


def revoke(apps, schema_editor):
    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Group.objects.using(db).filter(name="Timing provider").delete()
    manager = Group.objects.using(db).get(name="Series manager")
    manager.permissions.remove(*_permissions(apps, db, SERIES_MANAGER))


class Migration(migrations.Migration):
    dependencies = [("staff", "0005_talentpool_winner_entry")]

    operations = [migrations.RunPython(grant, revoke)]
