from django.db import migrations, models


def copy_driver_category(apps, schema_editor) -> None:
    Entry = apps.get_model("entries", "Entry")
    for entry in Entry.objects.select_related("driver"):
        entry.category = entry.driver.category
        entry.save(update_fields=["category"])


class Migration(migrations.Migration):
    dependencies = [
        ("entries", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="entry",
            name="category",
            field=models.CharField(
                choices=[
                    ("PLATINUM", "Platinum"),
                    ("GOLD", "Gold"),
                    ("SILVER", "Silver"),
                    ("BRONZE", "Bronze"),
                ],
                default="",
                help_text="The driver's category for this season, under which the class admits them.",
                max_length=10,
                verbose_name="FIA category",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(copy_driver_category, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="entry",
            constraint=models.CheckConstraint(
                condition=models.Q(("category__in", ["PLATINUM", "GOLD", "SILVER", "BRONZE"])),
                name="entry_category_valid",
            ),
        ),
    ]
