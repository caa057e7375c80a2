"""The public site's sitemap (django.contrib.sitemaps): the home, the archive, each series'
section, each public season's pages (overview, calendar, standings, entry list, meetings) and
each driver of a public season, in both languages with their alternates. Never a draft."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from championships.models import Championship, Meeting
from entries.models import Entry
from public.pages.series import MenuSeries, series_menu


class Page(NamedTuple):
    """A page by its URL name and arguments; ``changed``: when its data last changed."""

    name: str
    kwargs: dict[str, object]
    changed: dt.datetime | None = None


class Bilingual(Sitemap):
    """Each page in English and Simplified Chinese, each listing the other as an alternate."""

    i18n = True
    alternates = True
    x_default = True


class SitePages(Bilingual):
    def items(self) -> list[str]:
        return ["championships:home", "championships:archive"]

    def location(self, item: str) -> str:
        return reverse(item)


class SeriesPages(Bilingual):
    def items(self) -> list[MenuSeries]:
        return series_menu()

    def location(self, item: MenuSeries) -> str:
        return reverse("championships:series", kwargs={"slug": item.slug})


SEASON_PAGES = (
    "championships:detail",
    "championships:calendar",
    "championships:standings",
    "entries:list",
)


class SeasonPages(Bilingual):
    """Every public season's pages and meetings: two queries whatever the number of seasons."""

    def items(self) -> list[Page]:
        seasons = Championship.objects.public().order_by("-year", "slug")
        found: list[Page] = []
        for season in seasons.only("slug", "tables_changed_at"):
            changed = season.tables_changed_at
            found += [Page(name, {"slug": season.slug}, changed) for name in SEASON_PAGES]
        meetings = Meeting.objects.filter(championship__in=Championship.objects.public())
        rows = meetings.order_by("championship__slug", "round")
        for slug, round_, changed in rows.values_list(
            "championship__slug", "round", "championship__tables_changed_at"
        ):
            found.append(Page("championships:meeting", {"slug": slug, "round": round_}, changed))
        return found

    def location(self, item: Page) -> str:
        return reverse(item.name, kwargs=item.kwargs)

    def lastmod(self, item: Page) -> dt.datetime | None:
        return item.changed


class DriverPages(Bilingual):
    """Each driver who entered a public season; one query."""

    def items(self) -> list[str]:
        entries = Entry.objects.filter(championship__in=Championship.objects.public())
        return list(
            entries.order_by("driver__slug").values_list("driver__slug", flat=True).distinct()
        )

    def location(self, item: str) -> str:
        return reverse("entries:driver", kwargs={"slug": item})


SITEMAPS = {
    "site": SitePages,
    "series": SeriesPages,
    "seasons": SeasonPages,
    "drivers": DriverPages,
}
