"""The calendar of every series: the current seasons' meetings on one page and in feeds.

A series' current calendar is that of its published seasons (an archived season is history,
a draft is for staff only and never listed here, whoever asks). Two series often race on the
same weekend at the same circuit; the page shows such a weekend once, with both series' races.
Every page and feed here costs the same few queries whatever the number of series.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from championships.models import Championship, Circuit, Meeting, Race, SeasonStatus, Series
from public.calendar_feed import calendar_text
from public.pages.championships import race_event

Context = dict[str, Any]

# The DTSTAMP of a feed with no season at all: any fixed moment keeps the feed byte-identical.
EMPTY_STAMP = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


class SeriesFilterForm(forms.Form):
    """``?series=<slug>``: one series' calendar; empty, every series'."""

    series = forms.ChoiceField(
        label=gettext_lazy("Series"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "There is no series “%(value)s”. Pick one from the list, or every series."
            )
        },
    )

    def __init__(self, data: Mapping[str, str], *, series: Sequence[Series]) -> None:
        super().__init__(data)
        choice = self.fields["series"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [("", _("Every series")), *((s.slug, s.name) for s in series)]

    def picked(self, series: Sequence[Series]) -> Series | None:
        """The series asked for; None for every series (or when the form has errors)."""
        slug = self.cleaned_data.get("series") if self.is_valid() else None
        return next((s for s in series if s.slug == slug), None)


def current_championships(series: Series | None = None) -> list[Championship]:
    """The published seasons (of ``series``, or of every series), in the series' order."""
    championships = Championship.objects.filter(status=SeasonStatus.PUBLISHED)
    if series is not None:
        championships = championships.filter(series=series)
    championships = championships.select_related("series")
    return list(championships.order_by("series__position", "series__name", "-year", "name"))


def meetings_of_seasons(championships: Sequence[Championship]) -> list[Meeting]:
    """Their meetings in date order, each with circuit, championship and races (2 queries)."""
    races = Prefetch("races", Race.objects.with_held().order_by("number"))
    meetings = Meeting.objects.filter(championship__in=championships)
    meetings = meetings.select_related("circuit", "championship__series")
    order = {c.pk: index for index, c in enumerate(championships)}
    found = list(meetings.prefetch_related(races))
    return sorted(found, key=lambda m: (m.start_date, order[m.championship_id], m.round))


@dataclass
class Weekend:
    """Meetings at one circuit whose dates overlap: one race weekend, one or more series."""

    circuit: Circuit
    start_date: dt.date
    end_date: dt.date
    meetings: list[Meeting] = field(default_factory=list)

    def takes(self, meeting: Meeting) -> bool:
        return (
            meeting.circuit_id == self.circuit.pk
            and meeting.start_date <= self.end_date
            and self.start_date <= meeting.end_date
        )

    def add(self, meeting: Meeting) -> None:
        self.meetings.append(meeting)
        self.start_date = min(self.start_date, meeting.start_date)
        self.end_date = max(self.end_date, meeting.end_date)

    @property
    def shared(self) -> bool:
        return len({m.championship.series_id for m in self.meetings}) > 1


def weekends(meetings: Sequence[Meeting]) -> list[Weekend]:
    """``meetings`` (in date order) as race weekends: a meeting joins a weekend already met at
    the same circuit whose dates overlap its own, else starts one."""
    found: list[Weekend] = []
    for meeting in meetings:
        weekend = next((w for w in found if w.takes(meeting)), None)
        if weekend is None:
            weekend = Weekend(meeting.circuit, meeting.start_date, meeting.end_date)
            found.append(weekend)
        weekend.add(meeting)
    return found


def calendars_page(query: Mapping[str, str]) -> Context:
    """Every series' current calendar, or one series' (``?series=``): the form's errors, if
    any, make the view answer 400."""
    series = list(Series.objects.public())
    form = SeriesFilterForm(query, series=series)
    picked = form.picked(series)
    championships = [] if form.errors else current_championships(picked)
    return {
        "form": form,
        "series": series,
        "picked": picked,
        "championships": championships,
        "weekends": weekends(meetings_of_seasons(championships)),
    }


# Feeds ---------------------------------------------------------------------------------------


def seasons_feed(
    name: str, championships: Sequence[Championship], absolute: Callable[[str], str]
) -> str:
    """The races of ``championships`` as one iCalendar feed called ``name``."""
    events = [
        race_event(meeting.championship, meeting, race, absolute)
        for meeting in meetings_of_seasons(championships)
        for race in meeting.races.all()
    ]
    stamp = max((c.tables_changed_at for c in championships), default=EMPTY_STAMP)
    return calendar_text(name, events, stamp)


def all_series_feed(absolute: Callable[[str], str]) -> str:
    return seasons_feed(_("Every series"), current_championships(), absolute)


def series_feed(slug: str, absolute: Callable[[str], str]) -> tuple[Series, str]:
    """The series of ``slug`` (404 if none, or if only a draft season has it) and its
    published seasons' feed."""
    series = get_object_or_404(Series.objects.public(), slug=slug)
    return series, seasons_feed(series.name, current_championships(series), absolute)
