"""Public pages of entries and drivers. The entry list without a slug is the current season's."""

from django.urls import path

from entries import views

app_name = "entries"

urlpatterns = [
    path("entries/", views.EntryListView.as_view(), name="list"),
    path("championships/<slug:slug>/entries/", views.EntryListView.as_view(), name="list"),
    path("drivers/<slug:slug>/", views.DriverView.as_view(), name="driver"),
]
