"""Live timing (issue 21). The timing provider pushes a session's running order and clears a
rehearsal; race control may do both; read-only staff read it. Literal, as migrations must be;
``tests/site/test_roles.py`` asserts that the groups and ``staff.roles`` agree."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

LIVE = [
    ("championships", "view_livetiming"),
    ("championships", "change_livetiming"),
    ("championships", "delete_livetiming"),
]

GRANTS = {
    "Timing provider": LIVE,
    "Race control": LIVE,
    "Read-only staff": [("championships", "view_livetiming")],
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
        ("staff", "0012_webhooks"),
        ("championships", "0019_live_timing"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
