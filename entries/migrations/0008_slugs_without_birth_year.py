"""Public driver slugs without the birth year (issue 14.12): every slug that holds its
driver's birth year as a word (kai-lindqvist-2002) becomes the name's slug (kai-lindqvist),
namesakes told apart by -2, -3 in the order they were recorded; the former slug is kept as a
DriverSlugAlias, so that its addresses answer 301 with the new one. Other slugs stay.

The slug rule is copied here, as a migration must not import code that may change later.
"""

import re

import django.db.models.deletion
from django.db import migrations, models
from django.db.models.functions import Cast, Concat
from django.utils.text import slugify

# A placeholder no slug can be ("~" is not a slug's character), while slugs swap places.
PLACEHOLDER = Concat(models.Value("~"), Cast("pk", models.CharField()))


def _has_birth_year(driver):
    return re.search(rf"(^|-){driver.date_of_birth.year}(-|$)", driver.slug) is not None


def _free(base, taken):
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def drop_birth_years(apps, schema_editor):
    db = schema_editor.connection.alias
    Driver = apps.get_model("entries", "Driver")
    DriverSlugAlias = apps.get_model("entries", "DriverSlugAlias")
    drivers = list(Driver.objects.using(db).order_by("pk"))
    moving = [d for d in drivers if _has_birth_year(d)]
    taken = {d.slug for d in drivers if not _has_birth_year(d)}
    aliases = []
    for driver in moving:
        base = slugify(f"{driver.first_name} {driver.last_name}")[:160] or "driver"
        aliases.append(DriverSlugAlias(slug=driver.slug, driver=driver))
        driver.slug = _free(base, taken)
        taken.add(driver.slug)
    # Free the old slugs first: a new slug may be another driver's old one.
    Driver.objects.using(db).filter(pk__in=[d.pk for d in moving]).update(slug=PLACEHOLDER)
    Driver.objects.using(db).bulk_update(moving, ["slug"])
    DriverSlugAlias.objects.using(db).bulk_create(aliases)


def restore_birth_years(apps, schema_editor):
    db = schema_editor.connection.alias
    DriverSlugAlias = apps.get_model("entries", "DriverSlugAlias")
    Driver = apps.get_model("entries", "Driver")
    aliases = list(DriverSlugAlias.objects.using(db).select_related("driver"))
    Driver.objects.using(db).filter(pk__in=[a.driver_id for a in aliases]).update(slug=PLACEHOLDER)
    for alias in aliases:
        alias.driver.slug = alias.slug
    Driver.objects.using(db).bulk_update([a.driver for a in aliases], ["slug"])


class Migration(migrations.Migration):

    dependencies = [
        ('entries', '0007_dated_categories_only'),
    ]

    operations = [
        migrations.CreateModel(
            name='DriverSlugAlias',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=170, unique=True, verbose_name='former slug')),
                ('driver', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='slug_aliases', to='entries.driver', verbose_name='driver')),
            ],
            options={
                'verbose_name': 'former driver slug',
                'verbose_name_plural': 'former driver slugs',
                'ordering': ['slug'],
            },
        ),
        migrations.RunPython(drop_birth_years, restore_birth_years),
    ]
