"""Create the "Race control" and "Read-only staff" groups with exactly their permissions.

The lists are a literal copy of ``staff.roles`` as it stood when this migration was written;
``tests/site/test_roles.py`` asserts that the two agree. The "Series manager" and "Talent Pool
reviewer" groups come from their own apps' migrations, on which this one depends.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

RACE_CONTROL = [
    ("championships", "view_series"),
    ("championships", "view_championship"),
    ("championships", "view_championshipclass"),
    ("championships", "view_circuit"),
    ("championships", "view_meeting"),
    ("championships", "view_race"),
    ("championships", "change_race"),
    ("championships", "view_result"),
    ("championships", "add_result"),
    ("championships", "change_result"),
    ("championships", "delete_result"),
    ("championships", "view_penalty"),
    ("championships", "add_penalty"),
    ("championships", "change_penalty"),
    ("championships", "delete_penalty"),
    ("entries", "view_driver"),
    ("entries", "view_team"),
    ("entries", "view_entry"),
]

READ_ONLY_STAFF = [
    ("championships", "view_series"),
    ("championships", "view_championship"),
    ("championships", "view_championshipclass"),
    ("championships", "view_circuit"),
    ("championships", "view_meeting"),
    ("championships", "view_race"),
    ("championships", "view_result"),
    ("championships", "view_penalty"),
    ("championships", "view_prize"),
    ("entries", "view_driver"),
    ("entries", "view_team"),
    ("entries", "view_entry"),
    ("entries", "view_driverclassification"),
    ("entries", "view_eligibilityflag"),
    ("entries", "view_reviewrequest"),
    ("entries", "view_operator"),
    ("entries", "view_car"),
    ("entries", "view_seatpackage"),
    ("entries", "view_carallocation"),
    ("entries", "view_damagereport"),
]

GROUPS = {"Race control": RACE_CONTROL, "Read-only staff": READ_ONLY_STAFF}


def create_groups(apps, schema_editor):
    # On a fresh database permissions are only created by post_migrate, after every
    # migration has run; create them now so that the groups can refer to them.
    db = schema_editor.connection.alias
    for app_label in ("championships", "entries"):
        create_permissions(global_apps.get_app_config(app_label), apps=apps, using=db, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    known = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.using(db)
        .filter(content_type__app_label__in=("championships", "entries"))
        .select_related("content_type")
    }
    for name, wanted in GROUPS.items():
        missing = sorted(set(wanted) - set(known))
        if missing:
            raise RuntimeError(f"Permissions missing for the {name} group: {missing}")
        group, _ = Group.objects.using(db).get_or_create(name=name)
        group.permissions.set([known[key] for key in wanted])


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("championships", "0007_result_chassis"),
        ("entries", "0004_categories_and_fleet"),
        ("talentpool", "0002_reviewer_group"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
