"""Entrants' pages (see public/urls/paddock.py): a team's drivers and their documents.

A manager enters a driver; the driver and their team's managers read the driver's page,
upload documents and download them; a manager deletes one. Any other account, another
team's manager included, gets a 404. A document is streamed by ``document`` after the check,
never from a storage URL."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_countries import countries

from core.ratelimit import posts_limited
from paddock.access import entrant_required
from paddock.document_forms import DocumentForm, EntrantDriverForm
from paddock.downloads import document_response
from paddock.models import DriverDocument, EntrantDriver, EntrantTeam
from paddock.services.documents import document_add as document_store
from paddock.services.documents import document_delete as document_remove
from paddock.services.drivers import entrant_driver_create


def _errors_to_form(form: Form, error: ValidationError) -> None:
    """A model's refusal shown beside the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@entrant_required
def driver_create(request: HttpRequest, team: int) -> HttpResponse:
    team = get_object_or_404(EntrantTeam.objects.managed_by(request.user), pk=team)
    form = EntrantDriverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            driver = entrant_driver_create(team=team, fields=form.cleaned_data, by=request.user)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            return redirect("paddock:driver", pk=driver.pk)
    return render(request, "paddock/driver_form.html", {"team": team, "form": form})


def _driver_of(request: HttpRequest, pk: int) -> EntrantDriver:
    return get_object_or_404(
        EntrantDriver.objects.visible_to(request.user).select_related("team"), pk=pk
    )


@entrant_required
def driver_detail(request: HttpRequest, pk: int) -> HttpResponse:
    driver = _driver_of(request, pk)
    current = list(driver.documents.current().select_related("uploaded_by"))
    older = list(
        driver.documents.exclude(pk__in=[d.pk for d in current]).select_related("uploaded_by")
    )
    today = timezone.localdate()
    for document in (*current, *older):
        document.expired = document.expires_on is not None and document.expires_on < today
    manages = EntrantTeam.objects.managed_by(request.user).filter(pk=driver.team_id).exists()
    return render(
        request,
        "paddock/driver_detail.html",
        {
            "driver": driver,
            "nationality": countries.name(driver.nationality) or driver.nationality,
            "current": current,
            "older": older,
            "manages": manages,
        },
    )


@entrant_required
# Every upload attempt counts: the files are checked and written on the server.
@posts_limited("paddock-upload", "PADDOCK_UPLOAD_RATE_LIMIT")
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    driver = _driver_of(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document_store(
                driver=driver,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                details=form.details(),
                by=request.user,
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            return redirect("paddock:driver", pk=driver.pk)
    return render(
        request,
        "paddock/document_form.html",
        {"driver": driver, "form": form},
    )


@entrant_required
def document(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(
        DriverDocument.objects.visible_to(request.user).select_related("driver"), pk=pk
    )
    return document_response(document)


@require_POST
@entrant_required
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    managed = EntrantTeam.objects.managed_by(request.user).values("pk")
    document = get_object_or_404(DriverDocument.objects.filter(driver__team__in=managed), pk=pk)
    driver_pk = document.driver_id
    document_remove(document=document)
    return redirect("paddock:driver", pk=driver_pk)
