"""``import_classifications``: the former name of ``import_fia_categories``, kept because
scripts call it."""

from entries.management.commands.import_fia_categories import Command

__all__ = ["Command"]
