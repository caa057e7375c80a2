"""Webhooks (issue 21). The series manager keeps the subscriptions of media and apps (adds,
changes, deletes them, sends a test ping) and reads the deliveries' log, trying a failed one
again (the change permission of the subscriptions). Literal, as migrations must be;
``tests/site/test_roles.py`` asserts that the groups and ``staff.roles`` agree."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Series manager": [
        ("core", "view_webhooksubscription"),
        ("core", "add_webhooksubscription"),
        ("core", "change_webhooksubscription"),
        ("core", "delete_webhooksubscription"),
        ("core", "view_webhookdelivery"),
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
    create_permissions(global_apps.get_app_config("core"), apps=apps, using=db, verbosity=0)
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
        ("staff", "0011_tyres"),
        ("core", "0002_webhooks"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
