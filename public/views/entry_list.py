"""The public download of a meeting's entry list for broadcasters and timing (CSV or JSON)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views import View

from championships.models import Meeting
from entries.exports import entry_list_download
from public.pages import championships as pages


class EntryListFileView(View):
    """``/championships/<slug>/rounds/<round>/entry-list.csv`` (or ``.json``)."""

    file_format = "csv"

    def get(self, request: HttpRequest, slug: str, round: int) -> HttpResponse:
        championship = pages.championship_or_404(slug, request.user)
        meeting = get_object_or_404(
            Meeting.objects.with_circuit(), championship=championship, round=round
        )
        return entry_list_download(meeting, self.file_format)
