"""Filters of the championships app, one FilterSet per model, shared by the API and the pages.

A championship is named by its slug everywhere; a round by its number.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from championships.models import (
    Championship,
    Circuit,
    Meeting,
    Penalty,
    PenaltyKind,
    Race,
    Session,
    SessionKind,
)
from championships.visibility import in_visible_seasons

# The largest value a database id or small number column can be compared with on every backend.
MAX_ID = 2**63 - 1
MAX_SMALL = 32767


class WholeNumberFilter(django_filters.NumberFilter):
    """A whole number within what the column holds: "1.5", "1e3" and 10**30 are refused."""

    field_class = forms.IntegerField
    max_value = MAX_SMALL

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, min_value=0, max_value=self.max_value, **kwargs)


class IdFilter(WholeNumberFilter):
    """An object's id."""

    max_value = MAX_ID


class CodeField(forms.CharField):
    """A code (class, country) as typed in any case, with spaces around it: upper-cased."""

    def to_python(self, value: object) -> str:
        return super().to_python(value).upper()


class CodeFilter(django_filters.CharFilter):
    """A code compared upper-cased: "pro", " PRO" and "PRO" are one filter, and one kept
    answer (the kept key reads the filter's cleaned value)."""

    field_class = CodeField


class SeriesFilter(django_filters.CharFilter):
    """A series by its slug: ``field_name`` leads to the series' slug. An unknown slug finds
    nothing, as the championship and team filters do (``?series=`` on the championships list
    always answered so): a series with no public season cannot be told from one that is not."""

    def __init__(self, field_name: str = "series__slug", **kwargs: object) -> None:
        kwargs.setdefault("label", _("Series (slug)"))
        super().__init__(field_name=field_name, **kwargs)


class ChampionshipFilter(django_filters.FilterSet):
    series = SeriesFilter()
    year = WholeNumberFilter(label=_("Year"))

    class Meta:
        model = Championship
        fields = ["series", "year"]


class CircuitFilter(django_filters.FilterSet):
    country = CodeFilter(label=_("Country"))
    championship = django_filters.CharFilter(
        field_name="meetings__championship__slug",
        label=_("Championship (slug)"),
        method="filter_in_championship",
    )
    series = SeriesFilter(field_name="championship__series__slug", method="filter_in_championship")

    class Meta:
        model = Circuit
        fields = ["country", "championship", "series"]

    def filter_in_championship(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # A subquery rather than a join: a circuit visited twice in a season is listed once.
        # A draft season's calendar stays hidden from those who may not see it.
        meetings = in_visible_seasons(Meeting.objects.all(), "championship", self.request)
        visited = meetings.filter(**{name.removeprefix("meetings__"): value})
        return queryset.filter(pk__in=visited.values("circuit_id"))


class MeetingFilter(django_filters.FilterSet):
    championship = django_filters.CharFilter(
        field_name="championship__slug", label=_("Championship (slug)")
    )
    round = WholeNumberFilter(label=_("Round"))
    circuit = IdFilter(field_name="circuit_id", label=_("Circuit (id)"))
    series = SeriesFilter(field_name="championship__series__slug")

    class Meta:
        model = Meeting
        fields = ["championship", "round", "circuit", "series"]


class RaceFilter(django_filters.FilterSet):
    championship = django_filters.CharFilter(
        field_name="meeting__championship__slug", label=_("Championship (slug)")
    )
    round = WholeNumberFilter(field_name="meeting__round", label=_("Round"))
    held = django_filters.BooleanFilter(label=_("Held (has results)"), method="filter_held")
    series = SeriesFilter(field_name="meeting__championship__series__slug")

    class Meta:
        model = Race
        fields = ["championship", "round", "held", "series"]

    def filter_held(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        held = Race.objects.held().values("pk")
        return queryset.filter(pk__in=held) if value else queryset.exclude(pk__in=held)


class PenaltyFilter(django_filters.FilterSet):
    championship = django_filters.CharFilter(
        field_name="meeting__championship__slug", label=_("Championship (slug)")
    )
    round = WholeNumberFilter(field_name="meeting__round", label=_("Round"))
    race = IdFilter(field_name="race_id", label=_("Race (id)"))
    car_number = WholeNumberFilter(field_name="entry__car_number", label=_("Car number"))
    kind = django_filters.ChoiceFilter(choices=PenaltyKind.choices, label=_("Kind"))
    series = SeriesFilter(field_name="meeting__championship__series__slug")

    class Meta:
        model = Penalty
        fields = ["championship", "round", "race", "car_number", "kind", "series"]


class SessionFilter(django_filters.FilterSet):
    championship = django_filters.CharFilter(
        field_name="meeting__championship__slug", label=_("Championship (slug)")
    )
    round = WholeNumberFilter(field_name="meeting__round", label=_("Round"))
    meeting = IdFilter(field_name="meeting_id", label=_("Meeting (id)"))
    kind = django_filters.ChoiceFilter(choices=SessionKind.choices, label=_("Kind"))
    series = SeriesFilter(field_name="meeting__championship__series__slug")

    class Meta:
        model = Session
        fields = ["championship", "round", "meeting", "kind", "series"]
