"""The entrants' pages (paddock namespace): their home, team, drivers, documents and
applications. Every view is for a signed-in entrant and shows only their own team's data."""

from django.urls import path

from public.views import (
    paddock_apply,
    paddock_board,
    paddock_documents,
    paddock_home,
    paddock_protests,
    paddock_team,
)

app_name = "paddock"

urlpatterns: list = [
    # --- home (public/views/paddock_home.py)
    path("paddock/", paddock_home.home, name="home"),
    # --- team and invitations (public/views/paddock_team.py)
    path("paddock/teams/new/", paddock_team.team_create, name="team-create"),
    path("paddock/teams/<int:pk>/", paddock_team.team, name="team"),
    path(
        "paddock/teams/<int:pk>/invitations/",
        paddock_team.invitation_create,
        name="invitation-create",
    ),
    path(
        "paddock/teams/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        paddock_team.invitation_revoke,
        name="invitation-revoke",
    ),
    path(
        "paddock/teams/<int:pk>/members/<int:member_pk>/remove/",
        paddock_team.member_remove,
        name="member-remove",
    ),
    path("paddock/invitations/<str:token>/", paddock_team.invitation, name="invitation"),
    # --- drivers and documents (public/views/paddock_documents.py)
    path(
        "paddock/teams/<int:team>/drivers/new/",
        paddock_documents.driver_create,
        name="driver-create",
    ),
    path("paddock/drivers/<int:pk>/", paddock_documents.driver_detail, name="driver"),
    path(
        "paddock/drivers/<int:pk>/documents/new/",
        paddock_documents.document_add,
        name="document-add",
    ),
    path("paddock/documents/<int:pk>/", paddock_documents.document, name="document"),
    path(
        "paddock/documents/<int:pk>/delete/",
        paddock_documents.document_delete,
        name="document-delete",
    ),
    # --- applications (public/views/paddock_apply.py)
    path("paddock/entries/", paddock_apply.entries_open, name="entries-open"),
    path(
        "paddock/teams/<int:team>/apply/<slug:championship>/",
        paddock_apply.apply,
        name="apply",
    ),
    path(
        "paddock/teams/<int:team>/applications/",
        paddock_apply.applications,
        name="applications",
    ),
    path("paddock/applications/<int:pk>/", paddock_apply.application, name="application"),
    path(
        "paddock/applications/<int:pk>/withdraw/",
        paddock_apply.application_withdraw_view,
        name="application-withdraw",
    ),
    # --- the notice board and its acknowledgements (public/views/paddock_board.py)
    path("paddock/board/", paddock_board.board, name="board"),
    path("paddock/board/<int:meeting_id>/", paddock_board.board_meeting, name="board-meeting"),
    path(
        "paddock/board/<int:meeting_id>/acknowledge/",
        paddock_board.board_acknowledge,
        name="board-acknowledge",
    ),
    # --- protests, requests for review and appeals (public/views/paddock_protests.py)
    path("paddock/protests/", paddock_protests.protests, name="protests"),
    path(
        "paddock/protests/new/<int:document_id>/",
        paddock_protests.protest_new,
        name="protest-new",
    ),
    path("paddock/protests/<int:pk>/", paddock_protests.protest_detail, name="protest-detail"),
    path(
        "paddock/protests/<int:pk>/withdraw/",
        paddock_protests.protest_withdraw_view,
        name="protest-withdraw",
    ),
    path(
        "paddock/protests/attachments/<int:pk>/",
        paddock_protests.attachment,
        name="protest-attachment",
    ),
]
