"""Create the "Series manager" group with the permissions that role needs in the back office.

The list is a literal copy of ``championships.permissions.SERIES_MANAGER_PERMISSIONS`` as it
stood when this migration was written; ``tests/championships/test_admin_permissions.py``
asserts that the two agree.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Series manager"

PERMISSIONS = [
    ("championships", "view_series"),
    ("championships", "add_series"),
    ("championships", "change_series"),
    ("championships", "view_championship"),
    ("championships", "add_championship"),
    ("championships", "change_championship"),
    ("championships", "delete_championship"),
    ("championships", "view_championshipclass"),
    ("championships", "add_championshipclass"),
    ("championships", "change_championshipclass"),
    ("championships", "delete_championshipclass"),
    ("championships", "view_circuit"),
    ("championships", "add_circuit"),
    ("championships", "change_circuit"),
    ("championships", "delete_circuit"),
    ("championships", "view_meeting"),
    ("championships", "add_meeting"),
    ("championships", "change_meeting"),
    ("championships", "delete_meeting"),
    ("championships", "view_race"),
    ("championships", "add_race"),
    ("championships", "change_race"),
    ("championships", "delete_race"),
    ("championships", "view_result"),
    ("championships", "add_result"),
    ("championships", "change_result"),
    ("championships", "delete_result"),
    ("championships", "view_penalty"),
    ("championships", "add_penalty"),
    ("championships", "change_penalty"),
    ("championships", "delete_penalty"),
    ("entries", "view_driver"),
    ("entries", "add_driver"),
    ("entries", "change_driver"),
    ("entries", "delete_driver"),
    ("entries", "view_team"),
    ("entries", "add_team"),
    ("entries", "change_team"),
    ("entries", "delete_team"),
    ("entries", "view_entry"),
    ("entries", "add_entry"),
    ("entries", "change_entry"),
    ("entries", "delete_entry"),
]


def create_group(apps, schema_editor):
    # On a fresh database permissions are only created by post_migrate, after every
    # migration has run; create them now so that the group can refer to them.
    db = schema_editor.connection.alias
    for app_label in ("championships", "entries"):
        create_permissions(global_apps.get_app_config(app_label), apps=apps, using=db, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = set(PERMISSIONS)
    found = [
        p
        for p in Permission.objects.using(db)
        .filter(content_type__app_label__in={app for app, _ in wanted})
        .select_related("content_type")
        if (p.content_type.app_label, p.codename) in wanted
    ]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
    if missing:
        raise RuntimeError(f"Permissions missing for the {GROUP_NAME} group: {sorted(missing)}")
    group, _ = Group.objects.using(db).get_or_create(name=GROUP_NAME)
    group.permissions.set(found)


def remove_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("championships", "0003_tables_changed_at"),
        ("entries", "0003_entry_class_admits_category"),
    ]

    operations = [
        migrations.RunPython(create_group, remove_group),
    ]
