"""The entrant's own page: their teams, entries, documents, fees, cars, results and the
stewards' decisions about their cars."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from paddock.access import entrant_required
from paddock.models import EntrantTeam


@entrant_required
def home(request: HttpRequest) -> HttpResponse:
    teams = EntrantTeam.objects.of(request.user)
    return render(request, "paddock/home.html", {"teams": teams})
