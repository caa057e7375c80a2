"""The entrants' side (issue 18): the series manager opens entries, reviews applications,
records fees and opens drivers' documents; race control records the administrative checks
at the meeting and opens the documents it checks; read-only staff read the entries' progress,
never a document. Literal, as migrations must be; ``tests/site/test_roles.py`` asserts that
the groups and ``staff.roles`` agree."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

SERIES_MANAGER = [
    ("paddock", "add_entrywindow"),
    ("paddock", "add_fee"),
    ("paddock", "add_meetingcheck"),
    ("paddock", "change_entrantdriver"),
    ("paddock", "change_entrantteam"),
    ("paddock", "change_entryapplication"),
    ("paddock", "change_entrywindow"),
    ("paddock", "change_fee"),
    ("paddock", "change_meetingcheck"),
    ("paddock", "delete_entrywindow"),
    ("paddock", "delete_fee"),
    ("paddock", "delete_meetingcheck"),
    ("paddock", "open_driverdocument"),
    ("paddock", "review_entryapplication"),
    ("paddock", "view_driverdocument"),
    ("paddock", "view_entrantdriver"),
    ("paddock", "view_entrantteam"),
    ("paddock", "view_entryapplication"),
    ("paddock", "view_entrywindow"),
    ("paddock", "view_fee"),
    ("paddock", "view_meetingcheck"),
]

RACE_CONTROL = [
    ("paddock", "add_meetingcheck"),
    ("paddock", "change_meetingcheck"),
    ("paddock", "open_driverdocument"),
    ("paddock", "view_driverdocument"),
    ("paddock", "view_entrantdriver"),
    ("paddock", "view_meetingcheck"),
]

READ_ONLY = [
    ("paddock", "view_entryapplication"),
    ("paddock", "view_entrywindow"),
    ("paddock", "view_fee"),
    ("paddock", "view_meetingcheck"),
]

GRANTS = {
    "Series manager": SERIES_MANAGER,
    "Race control": RACE_CONTROL,
    "Read-only staff": READ_ONLY,
}


def _permissions(apps, db, wanted):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.using(db).get(content_type__app_label=app, codename=codename)
        for app, codename in wanted
    ]


def grant(apps, schema_editor):
    db = schema_editor.connection.alias
    create_permissions(global_apps.get_app_config("paddock"), apps=apps, using=db, verbosity=0)
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
        ("staff", "0007_staff_profile_language"),
        ("paddock", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
