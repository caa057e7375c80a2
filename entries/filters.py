"""The filters of entries, drivers and teams, shared by the public pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from championships.filters import CodeFilter, SeriesFilter
from championships.models import FiaCategory
from championships.visibility import in_visible_seasons
from entries.models import Driver, Entry, Team


class EntryFilter(django_filters.FilterSet):
    """Filter entries by class, FIA category, team, nationality and the entry's flags."""

    championship = django_filters.CharFilter(
        field_name="championship__slug", label=_("Championship")
    )
    entry_class = CodeFilter(
        field_name="entry_class__code", label=_("Class"), method="filter_class"
    )
    category = django_filters.ChoiceFilter(
        choices=FiaCategory.choices, label=_("FIA category"), method="filter_category"
    )
    team = django_filters.CharFilter(field_name="team__slug", label=_("Team"))
    nationality = CodeFilter(field_name="driver__nationality", label=_("Nationality"))
    rookie = django_filters.BooleanFilter(label=_("Rookie"))
    guest = django_filters.BooleanFilter(label=_("Guest"))
    arrive_and_drive = django_filters.BooleanFilter(label=_("Arrive-and-drive"))
    dealer_trophy = django_filters.BooleanFilter(label=_("Dealer trophy"))

    class Meta:
        model = Entry
        fields = [
            "championship",
            "entry_class",
            "category",
            "team",
            "nationality",
            "rookie",
            "guest",
            "arrive_and_drive",
            "dealer_trophy",
        ]

    def filter_class(self, queryset: QuerySet[Entry], name: str, value: str) -> QuerySet:
        """Rule 7: the class in force, as the entry list and the API show it."""
        if "class_in_force" not in queryset.query.annotations:
            queryset = queryset.with_class_on(timezone.localdate())
        return queryset.filter(class_in_force=value)

    def filter_category(self, queryset: QuerySet[Entry], name: str, value: str) -> QuerySet:
        """The category in force, as the entry list and the API show it."""
        if "category_in_force" not in queryset.query.annotations:
            queryset = queryset.with_category_on(timezone.localdate(), within_season=True)
        return queryset.filter(category_in_force=value)


class EntryApiFilter(EntryFilter):
    """The API's entries, of every championship: a series can be picked too (the entry list
    page is one championship's, so its filter has no series)."""

    series = SeriesFilter(field_name="championship__series__slug")

    class Meta(EntryFilter.Meta):
        fields = [*EntryFilter.Meta.fields, "series"]


def visible_entries(request: object) -> QuerySet[Entry]:
    """The entries of the seasons the user of ``request`` may see: a draft's stay hidden."""
    return in_visible_seasons(Entry.objects.all(), "championship", request)


class DriverFilter(django_filters.FilterSet):
    """Drivers by nationality and category, or by an entry in a championship or a team."""

    championship = django_filters.CharFilter(
        field_name="championship__slug", label=_("Championship"), method="filter_by_entry"
    )
    team = django_filters.CharFilter(
        field_name="team__slug", label=_("Team"), method="filter_by_entry"
    )
    nationality = CodeFilter(label=_("Nationality"))
    category = django_filters.ChoiceFilter(choices=FiaCategory.choices, label=_("FIA category"))
    series = SeriesFilter(field_name="championship__series__slug", method="filter_by_entry")

    class Meta:
        model = Driver
        fields = ["championship", "team", "nationality", "category", "series"]

    def filter_by_entry(self, queryset: QuerySet[Driver], name: str, value: str) -> QuerySet:
        # A subquery rather than a join, so a driver with two such entries is listed once.
        entries = visible_entries(self.request).filter(**{name: value}).values("driver_id")
        return queryset.filter(pk__in=entries)


class TeamFilter(django_filters.FilterSet):
    """Teams with an entry in a championship, or in a series."""

    championship = django_filters.CharFilter(
        field_name="championship__slug", label=_("Championship"), method="filter_by_entry"
    )
    series = SeriesFilter(field_name="championship__series__slug", method="filter_by_entry")

    class Meta:
        model = Team
        fields = ["championship", "series"]

    def filter_by_entry(self, queryset: QuerySet[Team], name: str, value: str) -> QuerySet:
        entries = visible_entries(self.request).filter(**{name: value}).values("team_id")
        return queryset.filter(pk__in=entries)
