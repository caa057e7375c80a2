"""Create the "Talent Pool reviewer" group, holding the permission of the same name.

Staff in this group see the Talent Pool's applications, documents and reviews in the back
office, score applications and move them through the selection. Erasing applications and
entering winners in a championship take further permissions, granted separately.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Talent Pool reviewer"
PERMISSIONS = [("talentpool", "review_application"), ("talentpool", "view_talentpooledition")]


def create_group(apps, schema_editor):
    # On a fresh database permissions are only created after every migration has run.
    db = schema_editor.connection.alias
    create_permissions(global_apps.get_app_config("talentpool"), apps=apps, using=db, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    found = [
        Permission.objects.using(db).get(content_type__app_label=app, codename=codename)
        for app, codename in PERMISSIONS
    ]
    group, _ = Group.objects.using(db).get_or_create(name=GROUP_NAME)
    group.permissions.add(*found)


def remove_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("talentpool", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
