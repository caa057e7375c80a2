"""The entrant's own page: their teams, entries, documents, fees, cars, results and the
stewards' decisions about their cars."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from paddock.access import entrant_required
from public.pages import paddock as pages


@entrant_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "paddock/home.html", pages.home_page(request.user))
