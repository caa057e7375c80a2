"""Back-office behaviour the championships' and the entries' admins share: writes that
mark the tables changed, and choices labelled with their season. Not an admin module, so
that another app's admin may use it without importing this app's back office."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import models
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse

from championships.models import Championship, ChampionshipClass, Meeting, Race
from championships.services import standings_source_save, standings_sources_delete
from entries.models import Entry


class StandingsInvalidatingAdmin(admin.ModelAdmin):
    """Every save and delete of an object the tables read goes through the services that
    write it and mark its championships' tables changed, in one transaction."""

    # Lookup from this model to the championship(s) whose tables depend on it.
    championship_path: str = "championship"

    def save_model(
        self, request: HttpRequest, obj: models.Model, form: forms.ModelForm, change: bool
    ) -> None:
        save = partial(super().save_model, request, obj, form, change)
        standings_source_save(obj=obj, path=self.championship_path, save=save)

    def save_related(
        self,
        request: HttpRequest,
        form: forms.ModelForm,
        formsets: list[BaseInlineFormSet],
        change: bool,
    ) -> None:
        save = partial(super().save_related, request, form, formsets, change)
        if any(formset.has_changed() for formset in formsets):
            standings_source_save(obj=form.instance, path=self.championship_path, save=save)
        else:
            save()

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        rows = self.model._default_manager.filter(pk=obj.pk)
        delete = partial(super().delete_model, request, obj)
        standings_sources_delete(rows=rows, path=self.championship_path, delete=delete)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        delete = partial(super().delete_queryset, request, queryset)
        standings_sources_delete(rows=queryset, path=self.championship_path, delete=delete)


class SeasonChoiceField(forms.ModelChoiceField):
    """A choice labelled with its championship: "Round 1 · Shanghai" recurs every season."""

    def __init__(self, *args: Any, season_of: Callable[[Any], Championship], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.season_of = season_of

    def label_from_instance(self, obj: models.Model) -> str:
        return f"{self.season_of(obj)} · {obj}"


# Per related model: the choices, fetched with what their labels read, and their championship.
SEASON_CHOICES: dict[type[models.Model], tuple[Callable[[], QuerySet], Callable[[Any], Any]]] = {
    Meeting: (lambda: Meeting.objects.with_circuit(), lambda meeting: meeting.championship),
    Race: (
        lambda: Race.objects.select_related("meeting__circuit", "meeting__championship"),
        lambda race: race.meeting.championship,
    ),
    ChampionshipClass: (
        lambda: ChampionshipClass.objects.select_related("championship"),
        lambda entry_class: entry_class.championship,
    ),
}


def entry_label(entry: Entry) -> str:
    """An entry as choices name it, as SeasonChoiceField does: "PCCA 2024 · #99 Ming Zhao"."""
    return f"{entry.championship} · {entry}"


class SeasonEntryAutocomplete(AutocompleteSelect):
    """The entry autocomplete of results and penalties: its choices are labelled
    with their championship and, once the edited object's championship is known, limited to
    it (``championship_id``, passed in the search address)."""

    championship_id: int | None = None

    def get_url(self) -> str:
        url = reverse(f"{self.admin_site.name}:championships_result_entry_autocomplete")
        return f"{url}?championship={self.championship_id}" if self.championship_id else url


def limit_entries(fields: dict[str, forms.Field], championship_id: int | None) -> None:
    """The ``entry`` autocomplete of a form searching the championship being edited. (What
    is saved is checked by the model: the entry of the result's or decision's own season, so
    a result moved to another season's race may take an entry of that season.)"""
    field = fields.get("entry")
    if field is None or championship_id is None:
        return
    widget = getattr(field.widget, "widget", field.widget)
    if isinstance(widget, SeasonEntryAutocomplete):
        widget.championship_id = championship_id


class SeasonChoicesMixin:
    """Foreign key selects that name the championship and read their labels in one query."""

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        choices = SEASON_CHOICES.get(db_field.related_model)
        autocomplete = db_field.name in self.get_autocomplete_fields(request)
        if choices and not autocomplete:
            queryset, season_of = choices
            kwargs.setdefault("queryset", queryset())
            kwargs.update(form_class=SeasonChoiceField, season_of=season_of)
        elif db_field.related_model is Entry:
            # The autocomplete widget labels the chosen entry with its driver and season.
            kwargs.setdefault("queryset", Entry.objects.select_related("driver", "championship"))
            kwargs.update(form_class=SeasonChoiceField, season_of=lambda entry: entry.championship)
            if autocomplete and "widget" not in kwargs:
                using = kwargs.get("using")
                kwargs["widget"] = SeasonEntryAutocomplete(db_field, self.admin_site, using=using)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
