"""The weekend's practice and qualifying sessions and the races' grids (issue 20). The series
manager keeps the sessions; race control and the series manager upload their classifications
(change_session) and publish grids (change_race, already held); read-only staff read them; a
timing provider sends the sessions' classifications through the API. Literal, as migrations
must be; ``tests/site/test_roles.py`` asserts that the groups and ``staff.roles`` agree."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = [
    ("championships", "view_session"),
    ("championships", "view_sessionresult"),
    ("championships", "view_gridslot"),
]

GRANTS = {
    "Series manager": [
        *READ,
        ("championships", "add_session"),
        ("championships", "change_session"),
        ("championships", "delete_session"),
    ],
    "Race control": [*READ, ("championships", "change_session")],
    "Read-only staff": READ,
    "Timing provider": [
        ("championships", "view_session"),
        ("championships", "view_sessionresult"),
        ("championships", "add_sessionresult"),
        ("championships", "change_sessionresult"),
        ("championships", "delete_sessionresult"),
    ],
}


def _permissions(apps, db, wanted):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.using(db).get(content_type__app_label=app, codename=codename)
        for app, codename in wanted
    ]


def grant(apps, schema_editor):
    db = schema_editor.connection.alias
    create_permissions(global_apps.get_app_config("championships"), apps=apps, using=db, verbosity=0)
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
        ("staff", "0009_notice_board"),
        ("championships", "0016_sessions_and_grids"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
