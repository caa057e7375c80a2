"""What fans read, in English and Simplified Chinese (django-modeltranslation).

Each field named here gets a column per language (``name_en``, ``name_zh_hans``); the field
itself (``series.name``) reads the active language's text, else the English one. English is
required wherever the field was; Chinese is optional. A unique name stays unique in each
language: an empty Chinese name is stored as NULL, so untranslated rows never clash.

The audit trail's copies of Championship and Penalty (django-simple-history) are registered
too: a historical row keeps both languages, as the row it copies has them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from modeltranslation.translator import TranslationOptions, translator
from modeltranslation.utils import build_localized_fieldname

from championships.models import (
    BoardDocument,
    Championship,
    Circuit,
    Meeting,
    Penalty,
    Prize,
    Series,
)

ENGLISH = ("en",)


class SeriesTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ENGLISH
    empty_values = {"name": None}


class ChampionshipTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ENGLISH


class CircuitTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ENGLISH
    empty_values = {"name": None}


class MeetingTranslation(TranslationOptions):
    fields = ("supporting_event",)


class BoardDocumentTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ENGLISH


class PrizeTranslation(TranslationOptions):
    fields = ("award", "description")
    required_languages = {"en": ("award",)}


class PenaltyTranslation(TranslationOptions):
    """Only the published reason: ``withdrawn_reason`` is the stewards' own record."""

    fields = ("reason",)
    required_languages = ENGLISH


class HistoricalTranslation(TranslationOptions):
    """A historical row as written: no form edits it, so nothing is required."""


translator.register(Series, SeriesTranslation)
translator.register(Championship, ChampionshipTranslation)
translator.register(Circuit, CircuitTranslation)
translator.register(Meeting, MeetingTranslation)
translator.register(Prize, PrizeTranslation)
translator.register(Penalty, PenaltyTranslation)
translator.register(BoardDocument, BoardDocumentTranslation)


def _register_history(model: type[models.Model], fields: tuple[str, ...]) -> None:
    """The historical model gets the columns; ``record.instance`` (what the History page
    reverts to) is built from the fields simple_history knew before they existed, so it is
    given their values too."""
    historical = model.history.model
    translator.register(historical, HistoricalTranslation, fields=fields)
    columns = [
        build_localized_fieldname(field, language)
        for field in fields
        for language in settings.MODELTRANSLATION_LANGUAGES
    ]
    rebuild = historical.instance.fget

    def instance(record: Any) -> models.Model:
        past = rebuild(record)
        for column in columns:
            setattr(past, column, getattr(record, column))
        return past

    historical.instance = property(instance)


_register_history(Championship, ("name",))
_register_history(Penalty, ("reason",))
