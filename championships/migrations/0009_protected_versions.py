"""Issue 14.9: classification versions protect their race instead of going with it, and the
versions of a replaced season are archived (detached, with where they were) rather than lost."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("championships", "0008_race_control"),
    ]

    operations = [
        migrations.AddField(
            model_name="classificationversion",
            name="archived_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="archived at"
            ),
        ),
        migrations.AddField(
            model_name="classificationversion",
            name="archived_championship",
            field=models.SlugField(
                blank=True, editable=False, verbose_name="championship of the archived race"
            ),
        ),
        migrations.AddField(
            model_name="classificationversion",
            name="archived_names",
            field=models.JSONField(
                blank=True,
                default=dict,
                editable=False,
                verbose_name="drivers of the archived race",
            ),
        ),
        migrations.AddField(
            model_name="classificationversion",
            name="archived_race_number",
            field=models.PositiveSmallIntegerField(
                blank=True, editable=False, null=True, verbose_name="number of the archived race"
            ),
        ),
        migrations.AddField(
            model_name="classificationversion",
            name="archived_round",
            field=models.PositiveSmallIntegerField(
                blank=True, editable=False, null=True, verbose_name="round of the archived race"
            ),
        ),
        migrations.AlterField(
            model_name="classificationversion",
            name="race",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="classification_versions",
                to="championships.race",
                verbose_name="race",
            ),
        ),
        migrations.AddConstraint(
            model_name="classificationversion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("race__isnull", False), ("archived_at__isnull", True)),
                    models.Q(
                        ("race__isnull", True),
                        ("archived_at__isnull", False),
                        models.Q(("archived_championship", ""), _negated=True),
                        ("archived_round__isnull", False),
                        ("archived_race_number__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="version_of_a_race_or_archived",
            ),
        ),
    ]
