"""Public pages of entries and drivers. The entry list without a slug is the current season's.

A meeting's entry list for broadcasters and timing downloads as CSV or JSON."""

from django.urls import path

from public.views import entries as views
from public.views.entry_list import EntryListFileView

MEETING = "championships/<slug:slug>/rounds/<int:round>/"

app_name = "entries"

urlpatterns = [
    path("entries/", views.EntryListView.as_view(), name="list"),
    path("championships/<slug:slug>/entries/", views.EntryListView.as_view(), name="list"),
    path("drivers/<slug:slug>/", views.DriverView.as_view(), name="driver"),
    path("teams/<slug:slug>/", views.TeamView.as_view(), name="team"),
    path(
        f"{MEETING}entry-list.csv",
        EntryListFileView.as_view(file_format="csv"),
        name="entry-list-csv",
    ),
    path(
        f"{MEETING}entry-list.json",
        EntryListFileView.as_view(file_format="json"),
        name="entry-list-json",
    ),
]
