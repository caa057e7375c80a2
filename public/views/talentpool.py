"""Public pages of the Talent Pool: the edition, the application form, the confirmation and
the status look-up. Nothing here shows one applicant's data to anyone else."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView

from core.ratelimit import rate_limit_hit, rate_limit_reached
from talentpool.forms import ApplicationForm, RacingRecordFormSet, StatusLookupForm
from talentpool.models import TalentPoolEdition
from talentpool.services import application_receive

# Set after any accepted submission, stored or not: the confirmation page is the same for both.
SESSION_SUBMITTED = "talentpool_submitted"


class EditionView(TemplateView):
    template_name = "talentpool/talentpooledition_detail.html"

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        now = timezone.now()
        edition = TalentPoolEdition.objects.select_related("championship__series").current(now)
        is_open = bool(edition and edition.is_open(now))
        upcoming = bool(edition and edition.opens_at > now)
        context = super().get_context_data(**kwargs)
        return {**context, "edition": edition, "is_open": is_open, "upcoming": upcoming}


def _form_page(request: HttpRequest, edition: TalentPoolEdition, **context: object) -> HttpResponse:
    status = 429 if context.get("limited") else 200
    context = {
        "edition": edition,
        "retention_months": settings.TALENTPOOL_RETENTION_MONTHS,
        **context,
    }
    return render(request, "talentpool/application_form.html", context, status=status)


def _submit(
    request: HttpRequest, edition: TalentPoolEdition, form: ApplicationForm, records: object
) -> HttpResponse:
    """Receive a valid application and send the visitor to the confirmation, whether it was
    stored or its person had applied already (they are told by email at the address on file)."""
    application_receive(
        edition=edition,
        applicant=form.applicant(),
        records=[row for row in records.cleaned_data if row],
        documents=form.documents(),
        language=translation.get_language(),
        status_url=request.build_absolute_uri(reverse("talentpool:status")),
    )
    form.discard_kept_documents()
    # Only a received submission counts against TALENTPOOL_RATE_LIMIT, a refused one does not;
    # one by a person who applied already counts as a stored one would, as it must look alike.
    rate_limit_hit(request, "talentpool-apply", settings.TALENTPOOL_RATE_LIMIT)
    request.session[SESSION_SUBMITTED] = True
    return redirect("talentpool:thanks")


def _over_the_limits(request: HttpRequest) -> bool:
    """Every attempt counts against the looser TALENTPOOL_ATTEMPT_RATE_LIMIT; an address that
    sent TALENTPOOL_RATE_LIMIT applications already is refused before anything is checked."""
    attempts = rate_limit_hit(request, "talentpool-attempt", settings.TALENTPOOL_ATTEMPT_RATE_LIMIT)
    return attempts or rate_limit_reached(
        request, "talentpool-apply", settings.TALENTPOOL_RATE_LIMIT
    )


def _closed_page(request: HttpRequest, now: datetime) -> HttpResponse:
    current = TalentPoolEdition.objects.current(now)
    upcoming = bool(current and current.opens_at > now)
    context = {"edition": current, "upcoming": upcoming}
    return render(request, "talentpool/application_closed.html", context)


@require_http_methods(["GET", "POST"])
def application_apply(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    edition = TalentPoolEdition.objects.open_at(now).order_by("closes_at").first()
    if edition is None:
        return _closed_page(request, now)
    if request.method == "POST" and _over_the_limits(request):
        form = ApplicationForm(initial=request.POST.dict(), edition=edition)
        records = RacingRecordFormSet(prefix="record", form_kwargs={"edition": edition})
        return _form_page(request, edition, form=form, records=records, limited=True)
    data = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = ApplicationForm(*data, edition=edition)
    records = RacingRecordFormSet(data[0], prefix="record", form_kwargs={"edition": edition})
    if form.is_bound and form.is_valid() & records.is_valid():
        return _submit(request, edition, form, records)
    if form.is_bound:
        form.keep_documents()
    return _form_page(request, edition, form=form, records=records)


def application_thanks(request: HttpRequest) -> HttpResponse:
    if not request.session.get(SESSION_SUBMITTED):
        return redirect("talentpool:edition")
    return render(request, "talentpool/application_confirmation.html")


@require_http_methods(["GET", "POST"])
def application_status(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {"form": StatusLookupForm()}
    if request.method == "POST":
        if rate_limit_hit(request, "talentpool-status", settings.TALENTPOOL_RATE_LIMIT):
            return render(
                request,
                "talentpool/application_status.html",
                {**context, "limited": True},
                status=429,
            )
        form = StatusLookupForm(request.POST)
        context = {"form": form, "searched": form.is_valid()}
        if form.is_valid():
            context["application"] = form.application()
    return render(request, "talentpool/application_status.html", context)
