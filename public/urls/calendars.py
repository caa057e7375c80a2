"""The calendar of every series and its feeds. Included by ``public.urls.championships``, so
that its names are in the ``championships`` namespace (``championships:calendar-all``)."""

from django.urls import path

from public.views import calendars as views

urlpatterns = [
    path("calendars/", views.CalendarsView.as_view(), name="calendar-all"),
    path("calendars/all.ics", views.AllSeriesFeedView.as_view(), name="calendar-all-feed"),
    path(
        "series/<slug:slug>/calendar.ics",
        views.SeriesFeedView.as_view(),
        name="series-calendar-feed",
    ),
]
