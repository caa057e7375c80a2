"""The public download of a meeting's entry list for broadcasters and timing (CSV or JSON)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views import View

from championships.models import Meeting
from entries.exports import FORMATS, entry_list_export, entry_list_file_name
from public.pages import championships as pages


class EntryListFileView(View):
    """``/championships/<slug>/rounds/<round>/entry-list.csv`` (or ``.json``)."""

    file_format = "csv"

    def get(self, request: HttpRequest, slug: str, round: int) -> HttpResponse:
        championship = pages.championship_or_404(slug)
        meeting = get_object_or_404(
            Meeting.objects.with_circuit(), championship=championship, round=round
        )
        response = HttpResponse(
            entry_list_export(meeting, self.file_format), content_type=FORMATS[self.file_format]
        )
        name = entry_list_file_name(meeting, self.file_format)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
