"""The Talent Pool reviewers read the erasure records (issue 14.11): who erased which
application reference, and when. Literal, as migrations must be; ``tests/site/test_roles.py``
asserts that the group and ``staff.roles`` agree."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Talent Pool reviewer"
PERMISSION = ("talentpool", "view_erasurerecord")


def _permission(apps, db):
    Permission = apps.get_model("auth", "Permission")
    app_label, codename = PERMISSION
    return Permission.objects.using(db).get(content_type__app_label=app_label, codename=codename)


def grant(apps, schema_editor):
    db = schema_editor.connection.alias
    create_permissions(global_apps.get_app_config("talentpool"), apps=apps, using=db, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Group.objects.using(db).get(name=GROUP).permissions.add(_permission(apps, db))


def revoke(apps, schema_editor):
    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Group.objects.using(db).get(name=GROUP).permissions.remove(_permission(apps, db))


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0002_season_operations"),
        ("talentpool", "0003_erasure_record"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
