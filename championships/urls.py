from django.urls import path

from championships import views

app_name = "championships"

urlpatterns = [
    path("", views.ChampionshipListView.as_view(), name="home"),
    path("championships/<slug:slug>/", views.ChampionshipDetailView.as_view(), name="detail"),
]
