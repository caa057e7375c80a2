"""The series manager enters the Talent Pool's winners in the championship (issue 14.19): the
"Talent Pool winners" page (a proxy of the applications showing only the selected ones, with
what an entry needs) and its action, which also needs ``entries.add_driver`` and
``entries.add_entry``, held already. Literal, as migrations must be; ``tests/site/test_roles.py``
asserts that the group and ``staff.roles`` agree."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Series manager"
PERMISSIONS = [("talentpool", "view_winner")]


def _permissions(apps, db):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.using(db).get(content_type__app_label=app, codename=codename)
        for app, codename in PERMISSIONS
    ]


def grant(apps, schema_editor):
    db = schema_editor.connection.alias
    create_permissions(global_apps.get_app_config("talentpool"), apps=apps, using=db, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Group.objects.using(db).get(name=GROUP).permissions.add(*_permissions(apps, db))


def revoke(apps, schema_editor):
    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Group.objects.using(db).get(name=GROUP).permissions.remove(*_permissions(apps, db))


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0004_provider_token"),
        ("talentpool", "0004_winner"),
        ("championships", "0004_series_manager_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
