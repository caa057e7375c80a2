"""The entrants' pages (paddock namespace): their home, team, drivers, documents and
applications. Every view is for a signed-in entrant and shows only their own team's data."""

from django.urls import path

from public.views import paddock_home

app_name = "paddock"

urlpatterns: list = [
    # --- home (public/views/paddock_home.py)
    path("paddock/", paddock_home.home, name="home"),
    # --- team and invitations (public/views/paddock_team.py)
    # --- drivers and documents (public/views/paddock_documents.py)
    # --- applications (public/views/paddock_apply.py)
]
