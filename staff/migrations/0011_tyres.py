"""Tyres (issue 20). The series manager sets each championship's quota of new sets, receives
the sets into the operators' stock, scans them, cancels a mistaken scan and delivers the Talent
Pool winners' prize sets; race control scans the sets in the paddock and reads the stock;
read-only staff read it all. Literal, as migrations must be; ``tests/site/test_roles.py``
asserts that the groups and ``staff.roles`` agree."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = [
    ("entries", "view_tyrequota"),
    ("entries", "view_tyreset"),
    ("entries", "view_tyrescan"),
]

GRANTS = {
    "Series manager": [
        *READ,
        ("entries", "add_tyrequota"),
        ("entries", "change_tyrequota"),
        ("entries", "delete_tyrequota"),
        ("entries", "add_tyreset"),
        ("entries", "change_tyreset"),
        ("entries", "delete_tyreset"),
        ("entries", "add_tyrescan"),
        ("entries", "delete_tyrescan"),
        ("talentpool", "view_prizetyredelivery"),
        ("talentpool", "add_prizetyredelivery"),
    ],
    "Race control": [
        ("entries", "view_tyreset"),
        ("entries", "view_tyrescan"),
        ("entries", "add_tyrescan"),
    ],
    "Read-only staff": READ,
}


def _permissions(apps, db, wanted):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.using(db).get(content_type__app_label=app, codename=codename)
        for app, codename in wanted
    ]


def grant(apps, schema_editor):
    db = schema_editor.connection.alias
    for label in ("entries", "talentpool"):
        create_permissions(global_apps.get_app_config(label), apps=apps, using=db, verbosity=0)
    Group = apps.get_model("auth", "Group")
    for name, wanted in GRANTS.items():
        group, _ = Group.objects.using(db).get_or_create(name=name)
        group.permissions.add(*_permissions(apps, db, wanted))


def revoke(apps, schema_editor):
    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    for name, wanted in GRANTS.items():
        group = Group.objects.using(db).filter(name=name).first()
        if group is not None:
            group.permissions.remove(*_permissions(apps, db, wanted))


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0010_sessions_and_grids"),
        ("entries", "0009_tyres"),
        ("talentpool", "0006_prize_tyres"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
