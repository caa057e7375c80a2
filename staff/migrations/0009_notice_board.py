"""The meetings' notice boards (issue 19). The series manager and race control publish
documents and read them (nobody holds the change or delete permission: a published document
never changes), read which teams acknowledged which document and when, and take the stewards'
steps on the protests and appeals the teams filed (change: summons, outcome, decision, deposit;
a filing is never added or deleted in the back office), reading each championship's time
limits and deposits, which the series manager sets. Read-only staff read the documents, the
filings and the time limits. Literal, as migrations must be; ``tests/site/test_roles.py`` asserts that the groups and
``staff.roles`` agree."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

PUBLISHER = [
    ("championships", "add_boarddocument"),
    ("championships", "view_boarddocument"),
    ("paddock", "view_acknowledgement"),
    ("paddock", "change_protest"),
    ("paddock", "view_protest"),
    ("paddock", "view_hearingrules"),
]

READER = [
    ("championships", "view_boarddocument"),
    ("paddock", "view_protest"),
    ("paddock", "view_hearingrules"),
]

GRANTS = {
    "Series manager": [
        *PUBLISHER,
        ("paddock", "add_hearingrules"),
        ("paddock", "change_hearingrules"),
    ],
    "Race control": PUBLISHER,
    "Read-only staff": READER,
}


def _permissions(apps, db, wanted):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.using(db).get(content_type__app_label=app, codename=codename)
        for app, codename in wanted
    ]


def grant(apps, schema_editor):
    db = schema_editor.connection.alias
    for label in ("championships", "paddock"):
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
        ("staff", "0008_paddock"),
        ("championships", "0014_notice_board"),
        ("paddock", "0003_notice_board"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
