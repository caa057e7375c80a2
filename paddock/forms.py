"""Forms of the entrants' pages: team, invitations, drivers, documents, applications."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from championships.models import FiaCategory, Meeting
from core.documents import validate_photo, validate_scan
from paddock.models import DocumentKind, EntrantTeam, EntryWindow, SeatRequest
from paddock.services.applications import CarRequest, DocumentUpload, NewDriver

MAX_CARS = 10
SCAN_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
IMAGE_ACCEPT = ".jpg,.jpeg,.png,image/jpeg,image/png"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

NEW_DRIVER_FIELDS = ("first_name", "last_name", "date_of_birth", "nationality", "email")


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


def _date(label: str) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DATE)


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
    date_of_birth = _date(_("Date of birth"))
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
        self._require_details("licence_file", ("licence_grade", "licence_issued_by"))
        self._require_details("licence_file", ("licence_number", "licence_expires_on"))
        self._require_details("medical_file", ("medical_expires_on",))
        self._require_details("authorisation_file", ("authorisation_expires_on",))
        return cleaned

    def _require_details(self, file_field: str, names: tuple[str, ...]) -> None:
        if not self.cleaned_data.get(file_field):
            return
        for name in names:
            if not self.cleaned_data.get(name) and name not in self.errors:
                self.add_error(name, _("Required with this document."))

    def documents(self) -> list[DocumentUpload]:
        data = self.cleaned_data
        found = [
            DocumentUpload(
                DocumentKind.LICENCE,
                data["licence_file"],
                {
                    "grade": data["licence_grade"],
                    "issued_by": data["licence_issued_by"],
                    "number": data["licence_number"],
                    "expires_on": data["licence_expires_on"],
                },
            )
            if data.get("licence_file")
            else None,
            DocumentUpload(
                DocumentKind.MEDICAL,
                data["medical_file"],
                {"expires_on": data["medical_expires_on"]},
            )
            if data.get("medical_file")
            else None,
            DocumentUpload(
                DocumentKind.AUTHORISATION,
                data["authorisation_file"],
                {"expires_on": data["authorisation_expires_on"]},
            )
            if data.get("authorisation_file")
            else None,
            DocumentUpload(DocumentKind.PHOTO, data["photo"]) if data.get("photo") else None,
        ]
        return [document for document in found if document is not None]

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
