"""Forms of the entrants' pages: team, invitations, drivers, documents, applications."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from championships.models import FiaCategory, Meeting
from core.documents import validate_photo, validate_scan
from paddock.models import DocumentKind, EntrantTeam, EntryWindow, SeatRequest
from paddock.models.documents import KIND_DETAILS
from paddock.models.teams import validate_birth_date
from paddock.services.applications import CarRequest, DocumentUpload, NewDriver

MAX_CARS = 10
SCAN_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
IMAGE_ACCEPT = ".jpg,.jpeg,.png,image/jpeg,image/png"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

NEW_DRIVER_FIELDS = ("first_name", "last_name", "date_of_birth", "nationality", "email")

# A new driver's documents on the car form: each kind's file field and the prefix of its
# details' fields ("licence" + "_" + a detail of KIND_DETAILS: "licence_expires_on").
CAR_DOCUMENTS: dict[str, tuple[str, str]] = {
    DocumentKind.LICENCE: ("licence_file", "licence"),
    DocumentKind.MEDICAL: ("medical_file", "medical"),
    DocumentKind.AUTHORISATION: ("authorisation_file", "authorisation"),
    DocumentKind.PHOTO: ("photo", "photo"),
}


def _scan(label: str, *, photo: bool = False) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=False,
        validators=[validate_photo if photo else validate_scan],
        help_text=_("JPEG or PNG, at most 5 MB.")
        if photo
        else _("PDF, JPEG or PNG, at most 5 MB."),
        widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT if photo else SCAN_ACCEPT}),
    )


def _date(label: str, **options: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DATE, **options)


def _text(label: str, max_length: int) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=False)


class CarForm(forms.Form):
    """One car: its driver (one of the team's, or a new one with their documents), number,
    class, the driver's FIA category when none is recorded, and the seat package."""

    driver = forms.ModelChoiceField(
        label=_("Driver"),
        queryset=None,
        required=False,
        empty_label=_("A new driver (fill in below)"),
    )
    first_name = _text(_("First name"), 80)
    last_name = _text(_("Last name"), 80)
    # The entered driver's own rule (EntrantDriver.date_of_birth): in the past, within a lifetime.
    date_of_birth = _date(_("Date of birth"), validators=[validate_birth_date])
    nationality = forms.ChoiceField(
        label=_("Nationality"), required=False, choices=lambda: [("", "—"), *countries]
    )
    email = forms.EmailField(label=_("Driver's e-mail address"), required=False)
    licence_file = _scan(_("Racing licence"))
    licence_grade = _text(_("Licence grade"), 40)
    licence_issued_by = _text(_("Issuing authority (ASN)"), 120)
    licence_number = _text(_("Licence number"), 60)
    licence_expires_on = _date(_("Licence expires on"))
    medical_file = _scan(_("Medical certificate"))
    medical_expires_on = _date(_("Medical certificate expires on"))
    authorisation_file = _scan(_("Home authority's authorisation (optional)"))
    authorisation_expires_on = _date(_("Authorisation expires on"))
    photo = _scan(_("Photo (optional)"), photo=True)
    car_number = forms.IntegerField(label=_("Car number"), min_value=1, max_value=999)
    entry_class = forms.ModelChoiceField(
        label=_("Class"), queryset=None, empty_label=_("Choose a class")
    )
    category = forms.ChoiceField(
        label=_("FIA category"),
        required=False,
        choices=[("", _("Not needed: a category is on record")), *FiaCategory.choices],
        help_text=_("Only for a driver with no FIA category on record: their category."),
    )
    seat = forms.ChoiceField(label=_("Seat package"), required=False)

    def __init__(
        self,
        *args: Any,
        window: EntryWindow,
        team: EntrantTeam,
        meeting: Meeting | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["driver"].queryset = team.drivers.all()
        self.fields["entry_class"].queryset = window.classes.all()
        seats = [(SeatRequest.NONE, SeatRequest.NONE.label)]
        if meeting is None and window.seat_season_price is not None:
            seats.append((SeatRequest.FULL_SEASON, SeatRequest.FULL_SEASON.label))
        if meeting is not None and window.seat_meeting_price is not None:
            seats.append((SeatRequest.SINGLE_MEETING, SeatRequest.SINGLE_MEETING.label))
        self.fields["seat"].choices = seats
        self.offers_seats = len(seats) > 1
        if not self.offers_seats:
            self.fields["seat"].widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("driver") is None:
            for name in (*NEW_DRIVER_FIELDS[:4], "licence_file", "medical_file"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Required for a new driver."))
        for kind, (file_field, prefix) in CAR_DOCUMENTS.items():
            if not cleaned.get(file_field):
                continue
            for detail in KIND_DETAILS[kind]:
                name = f"{prefix}_{detail}"
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Required with this document."))
        return cleaned

    def documents(self) -> list[DocumentUpload]:
        """Each document uploaded, with the details its kind needs (``KIND_DETAILS``)."""
        data = self.cleaned_data
        return [
            DocumentUpload(
                kind,
                data[file_field],
                {detail: data[f"{prefix}_{detail}"] for detail in KIND_DETAILS[kind]},
            )
            for kind, (file_field, prefix) in CAR_DOCUMENTS.items()
            if data.get(file_field)
        ]

    def car(self) -> CarRequest:
        data = self.cleaned_data
        new = None
        if data["driver"] is None:
            new = NewDriver(**{name: data[name] for name in NEW_DRIVER_FIELDS})
        return CarRequest(
            car_number=data["car_number"],
            entry_class=data["entry_class"],
            driver=data["driver"],
            new_driver=new,
            declared_category=data["category"],
            seat=data.get("seat") or SeatRequest.NONE,
            documents=self.documents(),
        )


class BaseCarFormSet(forms.BaseFormSet):
    def cars(self) -> list[CarRequest]:
        return [form.car() for form in self.forms if form.has_changed()]


def car_formset(extra: int) -> type[forms.BaseFormSet]:
    """One car required, ``extra`` more rows offered (the "add another car" link asks for
    one more without JavaScript)."""
    return forms.formset_factory(
        CarForm,
        formset=BaseCarFormSet,
        extra=max(0, min(extra, MAX_CARS - 1)),
        min_num=1,
        validate_min=True,
        max_num=MAX_CARS,
        validate_max=True,
    )


class DeclarationForm(forms.Form):
    regulations_accepted = forms.BooleanField(
        error_messages={"required": _("You must accept the regulations to apply.")}
    )
    declared_name = forms.CharField(
        label=_("Your full name, as your signature"),
        max_length=160,
        error_messages={"required": _("Type your full name to sign the declaration.")},
    )

    def __init__(self, *args: Any, window: EntryWindow, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["regulations_accepted"].label = _(
            "I have read and accept the %(title)s, version %(version)s, for every car of this "
            "application."
        ) % {"title": window.regulations_title, "version": window.regulations_version}
