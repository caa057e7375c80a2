"""Entrants' pages (see public/urls/paddock.py): a team's protests, requests for review,
notices of intention to appeal and appeals, filed online on the clock of the notice board
document they are about.

Only a team's managers and team staff file, read and withdraw its filings; another team's
filing is a 404. Attachments are streamed by ``attachment`` after the check (to the team, and
to staff who may view protests), never from a storage URL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from championships.models import BoardDocument, Race
from core.ratelimit import posts_limited
from core.times import circuit_clock, zone_name
from entries.models import Entry
from paddock.access import entrant_required
from paddock.deadlines import (
    document_label,
    filing_deadline,
    in_time,
    kinds_about,
)
from paddock.downloads import attachment_response
from paddock.models import (
    EntrantTeam,
    FilingKind,
    FilingStatus,
    Protest,
    ProtestAttachment,
)
from paddock.services.protests import (
    MAX_ATTACHMENTS,
    notice_for_appeal,
    open_windows,
    protest_file,
    protest_withdraw,
    rules_for,
)

VIEW_PERMISSION = "paddock.view_protest"


# --- The form ----------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (each checked by content in ``protest_file``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(one, initial) for one in data if one]
        return [super().clean(data, initial)] if data else []


class CarChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Entry) -> str:
        return f"#{obj.car_number} {obj.driver} ({obj.team})"


class ProtestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What you file"))
    entry = CarChoiceField(queryset=Entry.objects.none(), label=_("Filed for"))
    against = CarChoiceField(
        queryset=Entry.objects.none(),
        label=_("Against"),
        required=False,
        help_text=_("The car protested, if any."),
    )
    race = forms.ModelChoiceField(queryset=Race.objects.none(), label=_("Race"), required=False)
    incident = forms.CharField(
        label=_("Incident"),
        max_length=300,
        help_text=_("Where and when: lap, corner, time."),
    )
    rule = forms.CharField(
        label=_("Rule breached"),
        max_length=200,
        required=False,
        help_text=_("The article of the regulations, e.g. Sporting Regulations 12.3."),
    )
    grounds = forms.CharField(
        label=_("Grounds"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )
    files = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Up to %(count)s files: PDF, JPEG or PNG, 5 MB each.")
        % {"count": MAX_ATTACHMENTS},
    )

    def __init__(
        self,
        *args: Any,
        kinds: Iterable[str],
        cars: QuerySet[Entry],
        others: QuerySet[Entry],
        races: QuerySet[Race],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, FilingKind(kind).label) for kind in kinds]
        self.fields["entry"].queryset = cars
        self.fields["against"].queryset = others
        self.fields["race"].queryset = races


def _errors_to_form(form: forms.Form, error: ValidationError) -> None:
    """The service's refusal shown beside the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- What a team may still file ----------------------------------------------------------------


def _teams(request: HttpRequest) -> list[EntrantTeam]:
    return list(EntrantTeam.objects.run_by(request.user).order_by("pk"))


def _cars(teams: list[EntrantTeam], championship_id: int) -> dict[int, EntrantTeam]:
    """The cars the user's teams race in the championship: entry id -> its team."""
    cars: dict[int, EntrantTeam] = {}
    for team in teams:
        ids = (
            team.racing_entries()
            .filter(championship_id=championship_id)
            .values_list("pk", flat=True)
        )
        for pk in ids:
            cars.setdefault(pk, team)
    return cars


def _clock(deadline: dt.datetime, now: dt.datetime, zone: str) -> dict[str, Any]:
    """A deadline as the pages show it: in the circuit's time with the zone named."""
    return {
        "deadline": deadline,
        "time": circuit_clock(deadline, zone, same_day_as=now),
        "zone": zone_name(deadline, zone),
        "left": timeuntil(deadline, now) if in_time(now=now, deadline=deadline) else "",
    }


def _open_windows(teams: list[EntrantTeam], now: dt.datetime) -> list[dict[str, Any]]:
    """The filings the teams may still make (``open_windows``), as the list page shows them."""
    return [
        {
            "kind": FilingKind(window.kind).label,
            "document": window.document,
            "label": document_label(window.document.number, window.document.title),
            **_clock(window.deadline, now, window.document.meeting.circuit.timezone),
        }
        for window in open_windows(teams=teams, now=now)
    ]


# --- Pages ---------------------------------------------------------------------------------------


def _filings(teams: list[EntrantTeam]) -> QuerySet[Protest]:
    return Protest.objects.filter(team__in=teams).select_related(
        "team",
        "document",
        "meeting__circuit",
        "meeting__championship",
        "entry__driver",
        "against__driver",
        "race",
        "summons",
        "outcome_document",
    )


def _with_clock(protest: Protest, now: dt.datetime) -> Protest:
    zone = protest.meeting.circuit.timezone
    protest.deadline_shown = _clock(protest.deadline, now, zone)
    protest.filed_shown = circuit_clock(protest.filed_at, zone)
    protest.hearing_shown = (
        f"{circuit_clock(protest.hearing_at, zone)} ({zone_name(protest.hearing_at, zone)})"
        if protest.hearing_at
        else ""
    )
    protest.document_label = document_label(protest.document.number, protest.document.title)
    return protest


@entrant_required
def protests(request: HttpRequest) -> HttpResponse:
    teams = _teams(request)
    now = timezone.now()
    rows = _filings(teams).prefetch_related("outcome_document__editions")
    filings = [_with_clock(p, now) for p in rows.order_by("-filed_at", "-pk")]
    return render(
        request,
        "paddock/protest_list.html",
        {"filings": filings, "windows": _open_windows(teams, now), "teams": teams},
    )


def _kinds(document: BoardDocument, notices: dict[int, Protest]) -> list[str]:
    kinds = kinds_about(document.kind)
    if notices:
        kinds.append(FilingKind.APPEAL)
    return kinds


@entrant_required
@posts_limited("paddock-protest", "PADDOCK_UPLOAD_RATE_LIMIT")
def protest_new(request: HttpRequest, document_id: int) -> HttpResponse:
    document = get_object_or_404(
        BoardDocument.objects.select_related("meeting__circuit", "meeting__championship"),
        pk=document_id,
    )
    meeting = document.meeting
    cars = _cars(_teams(request), meeting.championship_id)
    if not cars:  # no car of the user's teams races there
        raise Http404
    notices = {
        team.pk: notice
        for team in set(cars.values())
        if (notice := notice_for_appeal(team=team, document=document)) is not None
    }
    kinds = _kinds(document, notices)
    if not kinds:  # nothing may be filed about this kind of document
        raise Http404
    now = timezone.now()
    rules = rules_for(meeting.championship)
    zone = meeting.circuit.timezone
    clocks = []
    for kind in kinds:
        notice = next(iter(notices.values()), None) if kind == FilingKind.APPEAL else None
        deadline = filing_deadline(
            kind=kind,
            published_at=document.published_at,
            notice_filed_at=notice.filed_at if notice else None,
            minutes=rules.minutes_for(kind),
        )
        clocks.append({"kind": FilingKind(kind).label, **_clock(deadline, now, zone)})
    form = ProtestForm(
        request.POST or None,
        request.FILES or None,
        kinds=kinds,
        cars=Entry.objects.filter(pk__in=cars).with_people().order_by("car_number"),
        others=Entry.objects.filter(championship_id=meeting.championship_id)
        .exclude(pk__in=cars)
        .with_people()
        .order_by("car_number"),
        races=Race.objects.filter(meeting=meeting).select_related("meeting__circuit"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        team = cars[data["entry"].pk]
        try:
            protest = protest_file(
                team=team,
                user=request.user,
                kind=data["kind"],
                document=document,
                entry=data["entry"],
                against=data["against"],
                race=data["race"],
                incident=data["incident"],
                rule=data["rule"],
                grounds=data["grounds"],
                files=data["files"],
                notice=notices.get(team.pk) if data["kind"] == FilingKind.APPEAL else None,
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            return redirect("paddock:protest-detail", pk=protest.pk)
    return render(
        request,
        "paddock/protest_form.html",
        {
            "document": document,
            "document_label": document_label(document.number, document.title),
            "published": f"{circuit_clock(document.published_at, zone)} "
            f"({zone_name(document.published_at, zone)})",
            "clocks": clocks,
            "rules": rules,
            "form": form,
        },
    )


@entrant_required
def protest_detail(request: HttpRequest, pk: int) -> HttpResponse:
    teams = _teams(request)
    rows = _filings(teams).select_related("notice", "filed_by")
    rows = rows.prefetch_related(
        "document__editions", "summons__editions", "outcome_document__editions"
    )
    protest = get_object_or_404(rows, pk=pk)
    _with_clock(protest, timezone.now())
    return render(
        request,
        "paddock/protest_detail.html",
        {
            "protest": protest,
            "attachments": list(protest.attachments.order_by("pk")),
            "withdrawable": protest.status == FilingStatus.FILED,
        },
    )


@require_POST
@entrant_required
def protest_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    protest = get_object_or_404(Protest.objects.visible_to(request.user), pk=pk)
    try:
        protest_withdraw(protest=protest, user=request.user)
    except ValidationError:
        pass  # already heard or withdrawn: the page shows its status
    return redirect("paddock:protest-detail", pk=protest.pk)


@entrant_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """One attachment, private and never cached nor sniffed, always a download: for the
    filing team's managers and staff, and staff who may view protests."""
    attachments = ProtestAttachment.objects.select_related("protest__meeting")
    if not request.user.has_perm(VIEW_PERMISSION):
        attachments = attachments.filter(protest__team__in=EntrantTeam.objects.run_by(request.user))
    found = get_object_or_404(attachments, pk=pk)
    return attachment_response(found)
