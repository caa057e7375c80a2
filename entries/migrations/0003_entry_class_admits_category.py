"""The database refuses an entry whose class does not admit the entry's FIA category.

The rule spans two tables (entry and class), which a CHECK constraint cannot express, so it
is a trigger on each backend, fired when an entry's class or category is written. The age
rule needs the season's first race in the circuit's time zone and is enforced by the one
admission function that every write path calls.
"""

from django.db import migrations

TRIGGER_MESSAGE = "entry_class_admits_category: the class does not admit the entry's category"

SQLITE_CHECK = """
WHEN NOT EXISTS (
    SELECT 1 FROM championships_championshipclass c, json_each(c.categories) j
    WHERE c.id = NEW.entry_class_id AND j.value = NEW.category
)
BEGIN SELECT RAISE(ABORT, '{message}'); END;
""".format(message=TRIGGER_MESSAGE.replace("'", "''"))

SQLITE_FORWARD = [
    "CREATE TRIGGER entry_class_admits_category_insert BEFORE INSERT ON entries_entry"
    + SQLITE_CHECK,
    "CREATE TRIGGER entry_class_admits_category_update"
    " BEFORE UPDATE OF entry_class_id, category ON entries_entry" + SQLITE_CHECK,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS entry_class_admits_category_insert",
    "DROP TRIGGER IF EXISTS entry_class_admits_category_update",
]

POSTGRES_FORWARD = [
    """
CREATE FUNCTION entry_class_admits_category() RETURNS trigger AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM championships_championshipclass c
        WHERE c.id = NEW.entry_class_id AND c.categories ? NEW.category
    ) THEN
        RAISE EXCEPTION '{message}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
""".format(message=TRIGGER_MESSAGE.replace("'", "''")),
    """
CREATE TRIGGER entry_class_admits_category
BEFORE INSERT OR UPDATE OF entry_class_id, category ON entries_entry
FOR EACH ROW EXECUTE FUNCTION entry_class_admits_category()
""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS entry_class_admits_category ON entries_entry",
    "DROP FUNCTION IF EXISTS entry_class_admits_category()",
]

STATEMENTS = {
    "sqlite": (SQLITE_FORWARD, SQLITE_REVERSE),
    "postgresql": (POSTGRES_FORWARD, POSTGRES_REVERSE),
}


def _run(schema_editor, index: int) -> None:
    statements = STATEMENTS.get(schema_editor.connection.vendor)
    if statements is None:  # another backend: the admission function still guards every write
        return
    for sql in statements[index]:
        schema_editor.execute(sql)


def forward(apps, schema_editor) -> None:
    _run(schema_editor, 0)


def reverse(apps, schema_editor) -> None:
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [
        ("entries", "0002_entry_category"),
        ("championships", "0002_initial"),
    ]

    operations = [migrations.RunPython(forward, reverse)]
