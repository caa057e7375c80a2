"""Downloads and printable timing sheets of a championship's races and standings."""

from django.urls import path

from public.views import exports as views

app_name = "exports"

RACE = "championships/<slug:slug>/rounds/<int:round>/races/<int:number>/"

urlpatterns = [
    path(f"{RACE}classification.csv", views.RaceClassificationCsvView.as_view(), name="race-csv"),
    path(f"{RACE}sheet/", views.RaceSheetView.as_view(), name="race-sheet"),
    path(
        "championships/<slug:slug>/standings.csv",
        views.StandingsCsvView.as_view(),
        name="standings-csv",
    ),
    path(
        "championships/<slug:slug>/standings/print/",
        views.StandingsSheetView.as_view(),
        name="standings-sheet",
    ),
]
