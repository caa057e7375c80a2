"""Public pages of a championship. Without a slug they show the current (latest) season."""

from django.urls import include, path

from public.views import board, live
from public.views import championships as views

app_name = "championships"

urlpatterns = [
    path("", views.OrganiserHomeView.as_view(), name="home"),  # every series at a glance
    path("series/<slug:slug>/", views.SeriesView.as_view(), name="series"),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("calendar.ics", views.CalendarFeedView.as_view(), name="calendar-feed"),
    path("standings/", views.StandingsView.as_view(), name="standings"),
    path("archive/", views.ArchiveView.as_view(), name="archive"),
    path("championships/<slug:slug>/", views.HomeView.as_view(), name="detail"),
    path(
        "championships/<slug:slug>/calendar/",
        views.CalendarView.as_view(),
        name="calendar",
    ),
    path(
        "championships/<slug:slug>/calendar.ics",
        views.CalendarFeedView.as_view(),
        name="calendar-feed",
    ),
    path(
        "championships/<slug:slug>/standings/",
        views.StandingsView.as_view(),
        name="standings",
    ),
    path(
        "championships/<slug:slug>/rounds/<int:round>/",
        views.MeetingView.as_view(),
        name="meeting",
    ),
    # A race's or a session's live timing (unofficial): the page, its changing part for
    # polling, and its Server-Sent Events. ``name``: race-1, qualifying-1, practice-2-a.
    path(
        "championships/<slug:slug>/rounds/<int:round>/live/<str:name>/",
        live.live_page,
        name="live",
    ),
    path(
        "championships/<slug:slug>/rounds/<int:round>/live/<str:name>/now/",
        live.live_now,
        name="live-now",
    ),
    path(
        "championships/<slug:slug>/rounds/<int:round>/live/<str:name>/events/",
        live.live_events,
        name="live-events",
    ),
    # The round's official notice board, its Atom feed and each document's PDF editions.
    path(
        "championships/<slug:slug>/rounds/<int:round>/board/",
        board.BoardView.as_view(),
        name="board",
    ),
    path(
        "championships/<slug:slug>/rounds/<int:round>/board/feed.atom",
        board.BoardFeed(),
        name="board-feed",
    ),
    path(
        "championships/<slug:slug>/rounds/<int:round>/board/<int:number>/<str:language>.pdf",
        board.board_pdf,
        name="board-pdf",
    ),
    # The calendar of every series and its feeds, named in this namespace.
    path("", include("public.urls.calendars")),
]
