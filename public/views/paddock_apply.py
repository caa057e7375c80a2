"""Entrants' pages (see public/urls/paddock.py): the championships open to entries, a team's
application for its cars (a season, or one meeting as guests), and its applications with
their steps and fees. A team's own only: any other id answers 404."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from championships.models import Meeting
from core.ratelimit import rate_limit_hit
from core.security import client_ip
from paddock.access import entrant_required
from paddock.forms import BaseCarFormSet, DeclarationForm, car_formset
from paddock.models import (
    EntrantTeam,
    EntrantTeamQuerySet,
    EntryApplication,
    EntryWindow,
)
from paddock.services.applications import (
    WITHDRAWABLE,
    ApplicationRefused,
    Declaration,
    application_withdraw,
    applications_submit,
    window_problems,
)

SESSION_RECEIVED = "paddock_received"


@entrant_required
def entries_open(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    windows = (
        EntryWindow.objects.open_at(timezone.now())
        .select_related("championship__series")
        .prefetch_related(
            "classes",
            Prefetch(
                "championship__meetings",
                queryset=Meeting.objects.filter(start_date__gt=today).with_circuit(),
                to_attr="meetings_ahead",
            ),
        )
        .with_places_taken()
        .order_by("closes_at", "pk")
    )
    for window in windows:
        window.places_left = max(window.places - window.places_taken, 0)
    teams = EntrantTeam.objects.managed_by(request.user)
    return render(request, "paddock/apply_open.html", {"windows": windows, "teams": list(teams)})


def _apply_context(request: HttpRequest, team: int, championship: str) -> dict:
    """The team (managed by the user, else 404), the window and the meeting asked for."""
    team_obj = get_object_or_404(EntrantTeam.objects.managed_by(request.user), pk=team)
    window = (
        EntryWindow.objects.select_related("championship__series")
        .filter(championship__slug=championship)
        .first()
    )
    if window is None:
        raise Http404
    meeting = None
    if request.GET.get("meeting"):
        try:
            meeting = window.championship.meetings.with_circuit().get(pk=request.GET["meeting"])
        except (Meeting.DoesNotExist, ValueError) as exc:
            raise Http404 from exc
    return {"team": team_obj, "window": window, "meeting": meeting}


def _cars_count(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("cars", 1))
    except ValueError:
        return 1


@entrant_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, team: int, championship: str) -> HttpResponse:
    context = _apply_context(request, team, championship)
    if window_problems(context["window"], context["meeting"]):
        return render(request, "paddock/apply_closed.html", context)
    if request.method == "POST" and rate_limit_hit(
        request, "paddock-apply", settings.PADDOCK_APPLICATION_RATE_LIMIT
    ):
        return render(request, "paddock/apply_limited.html", context, status=429)
    data = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    count = _cars_count(request)
    kwargs = {k: context[k] for k in ("window", "team", "meeting")}
    cars = car_formset(count - 1)(*data, prefix="car", form_kwargs=kwargs)
    declaration = DeclarationForm(data[0], window=context["window"])
    context.update(cars=cars, declaration=declaration, next_count=min(count + 1, 10))
    if cars.is_bound and cars.is_valid() & declaration.is_valid():
        try:
            return _submit(request, context, cars, declaration)
        except ApplicationRefused as refused:
            context["problems"] = refused.problems
    return render(request, "paddock/apply_form.html", context)


def _submit(
    request: HttpRequest, context: dict, cars: BaseCarFormSet, declaration: DeclarationForm
) -> HttpResponse:
    window, team = context["window"], context["team"]
    applications = applications_submit(
        window=window,
        team=team,
        cars=cars.cars(),
        declaration=Declaration(
            name=declaration.cleaned_data["declared_name"],
            address=client_ip(request),
            regulations_version=window.regulations_version,
            at=timezone.now(),
        ),
        meeting=context["meeting"],
        by=request.user,
        language=request.LANGUAGE_CODE,
    )
    request.session[SESSION_RECEIVED] = [a.reference for a in applications]
    return redirect("paddock:applications", team=team.pk)


def _readable_teams(request: HttpRequest) -> EntrantTeamQuerySet:
    return EntrantTeam.objects.run_by(request.user)


@entrant_required
def applications(request: HttpRequest, team: int) -> HttpResponse:
    team_obj = get_object_or_404(_readable_teams(request), pk=team)
    rows = (
        EntryApplication.objects.visible_to(request.user)
        .filter(team=team_obj)
        .select_related("championship", "meeting__circuit", "driver", "entry_class")
    )
    context = {
        "team": team_obj,
        "applications": rows,
        "received": request.session.pop(SESSION_RECEIVED, None),
    }
    return render(request, "paddock/application_list.html", context)


def _visible(request: HttpRequest, pk: int) -> EntryApplication:
    return get_object_or_404(
        EntryApplication.objects.visible_to(request.user).select_related(
            "championship", "meeting__circuit", "driver", "entry_class", "team", "entry"
        ),
        pk=pk,
    )


@entrant_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    shown = _visible(request, pk)
    manages = EntrantTeam.objects.managed_by(request.user).filter(pk=shown.team_id).exists()
    context = {
        "application": shown,
        "events": shown.events.select_related("by"),
        "fees": shown.fees.all(),
        "can_withdraw": manages and shown.status in WITHDRAWABLE,
    }
    return render(request, "paddock/application_detail.html", context)


@entrant_required
@require_POST
def application_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    shown = _visible(request, pk)
    if not EntrantTeam.objects.managed_by(request.user).filter(pk=shown.team_id).exists():
        raise Http404
    try:
        application_withdraw(application=shown, by=request.user)
    except ApplicationRefused:
        pass  # withdrawn or decided meanwhile: the page shows its status
    return redirect("paddock:application", pk=shown.pk)
