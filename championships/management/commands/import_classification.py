"""``import_classification``: the former name of ``import_race_classification``, kept because
scripts call it."""

from championships.management.commands.import_race_classification import Command

__all__ = ["Command"]
