"""The public application form, its racing-record rows, and the status look-up.

The field labels are part of the Talent Pool's contract with applicants, word for word.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.documents import validate_cv, validate_licence_scan, validate_photo
from talentpool.kept import KeptUpload, upload_keep, upload_keep_discard, upload_restore
from talentpool.models import DOCUMENT_FIELDS, Application, RacingRecord, TalentPoolEdition

PDF_ACCEPT = ".pdf,application/pdf"
IMAGE_ACCEPT = ".jpg,.jpeg,.png,image/jpeg,image/png"


def country_choices() -> list[tuple[str, str]]:
    return [("", _("Choose a country")), *countries]


class ApplicationForm(forms.ModelForm):
    nationality = forms.ChoiceField(label=_("Nationality"), choices=country_choices)
    cv = forms.FileField(
        label=_("CV"),
        validators=[validate_cv],
        help_text=_("PDF, at most 5 MB."),
        widget=forms.FileInput(attrs={"accept": PDF_ACCEPT}),
    )
    licence_scan = forms.FileField(
        label=_("Licence scan"),
        validators=[validate_licence_scan],
        help_text=_("PDF, JPEG or PNG, at most 5 MB."),
        widget=forms.FileInput(attrs={"accept": f"{PDF_ACCEPT},{IMAGE_ACCEPT}"}),
    )
    photo = forms.FileField(
        label=_("Photo"),
        validators=[validate_photo],
        help_text=_("JPEG or PNG, at most 5 MB."),
        widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT}),
    )
    data_consent = forms.BooleanField(
        label=_("I agree to the processing of my data"),
        error_messages={"required": _("You must agree to the processing of your data to apply.")},
    )
    # The honeypot: hidden from people by the style sheet, filled in by careless robots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    class Meta:
        model = Application
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "nationality",
            "email",
            "phone",
            "licence_type",
            "licence_number",
            "fia_category",
            "motivation",
            "guardian_name",
            "guardian_email",
            "guardian_consent",
        ]
        labels = {
            "first_name": _("First name"),
            "last_name": _("Last name"),
            "date_of_birth": _("Date of birth"),
            "email": _("Email"),
            "phone": _("Phone"),
            "licence_type": _("Licence type"),
            "licence_number": _("Licence number"),
            "fia_category": _("FIA category"),
            "motivation": _("Motivation"),
            "guardian_name": _("Guardian name"),
            "guardian_email": _("Guardian email"),
            "guardian_consent": _("Guardian consent"),
        }
        help_texts = {
            "phone": _("With the country code, e.g. +60 12 345 6789."),
            "fia_category": _("Leave empty if you have none."),
            "motivation": _("Why you, in up to 3000 characters."),
            "guardian_consent": _(
                "Your parent or legal guardian agrees to this application and to the processing "
                "of your data."
            ),
        }
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "motivation": forms.Textarea(attrs={"rows": 6, "maxlength": 3000}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }

    def __init__(
        self, data: Any = None, files: Any = None, *, edition: TalentPoolEdition, **kwargs: Any
    ) -> None:
        # Documents kept from a refused submission (``talentpool.kept``) stand in for the ones
        # not chosen again; a newly chosen file replaces its kept one.
        self.kept: dict[str, KeptUpload] = {}
        if data is not None and files is not None:
            files = self._with_kept_documents(data, files)
        super().__init__(data, files, label_suffix="", **kwargs)
        self.edition = edition
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["licence_type"].choices = [
            ("", _("Choose a licence type")),
            *self.fields["licence_type"].choices[1:],
        ]
        self.fields["fia_category"].choices = [
            ("", _("None")),
            *self.fields["fia_category"].choices[1:],
        ]

    def _with_kept_documents(self, data: Any, files: Any) -> Any:
        files = files.copy()
        for field in DOCUMENT_FIELDS:
            token = data.get(f"{field}_kept")
            restored = upload_restore(field, token) if token and field not in files else None
            if restored:
                files[field], self.kept[field] = restored
        return files

    def keep_documents(self) -> None:
        """After a refusal: keep each document that passed its checks, for the next try."""
        if self.has_error(NON_FIELD_ERRORS, "spam"):
            return
        for field in DOCUMENT_FIELDS:
            if field not in self.cleaned_data:  # refused, or not given
                self.kept.pop(field, None)
                continue
            if field not in self.kept:
                self.kept[field] = upload_keep(field, self.cleaned_data[field])
            self.fields[field].required = False  # the browser must not ask for it again

    def discard_kept_documents(self) -> None:
        """Once the submission was received, its kept documents are not needed any more."""
        for field, kept in self.kept.items():
            upload_keep_discard(field, kept.token)

    def clean_email(self) -> str:
        # Whether this address already applied is never said here: the form answers alike and
        # the person on file is told by email (``talentpool.services.application_receive``).
        return self.cleaned_data["email"].strip().lower()

    def clean_date_of_birth(self) -> Any:
        date_of_birth = self.cleaned_data["date_of_birth"]
        problem = self.edition.age_problem(date_of_birth)
        if problem:
            raise forms.ValidationError(problem, code="age")
        return date_of_birth

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(_("This application could not be accepted."), code="spam")
        self._check_guardian(cleaned)
        return cleaned

    def _check_guardian(self, cleaned: dict[str, Any]) -> None:
        date_of_birth = cleaned.get("date_of_birth")
        if not date_of_birth or not self.edition.is_minor(date_of_birth):
            return
        if not cleaned.get("guardian_name"):
            self.add_error("guardian_name", _("Applicants under 18 must give a guardian's name."))
        if not cleaned.get("guardian_email"):
            self.add_error("guardian_email", _("Applicants under 18 must give a guardian's email."))
        if not cleaned.get("guardian_consent"):
            self.add_error(
                "guardian_consent",
                _("Applicants under 18 need their guardian's consent to apply."),
            )

    def applicant(self) -> dict[str, Any]:
        """The applicant's data for ``application_submit``."""
        return {
            **{f: self.cleaned_data[f] for f in self.Meta.fields},
            "data_consent": self.cleaned_data["data_consent"],
        }

    def documents(self) -> dict[str, Any]:
        return {f: self.cleaned_data[f] for f in DOCUMENT_FIELDS}


class RacingRecordForm(forms.ModelForm):
    class Meta:
        model = RacingRecord
        fields = ["year", "series", "position", "wins"]
        labels = {
            "year": _("Year"),
            "series": _("Series"),
            "position": _("Championship position"),
            "wins": _("Wins"),
        }
        widgets = {
            "year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "position": forms.NumberInput(attrs={"min": 1}),
            "wins": forms.NumberInput(attrs={"min": 0}),
        }

    def __init__(self, *args: Any, edition: TalentPoolEdition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.fields["year"].widget.attrs.update({"min": 1990, "max": edition.year})
        # No preset 0 wins, so that an untouched extra row counts as empty.
        self.initial.pop("wins", None)
        self.fields["wins"].initial = None
        self.fields["wins"].required = False

    def clean_wins(self) -> int:
        return self.cleaned_data["wins"] or 0

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if year > self.edition.year:
            raise forms.ValidationError(
                _("Give seasons up to %(year)s."), params={"year": self.edition.year}
            )
        return year


RacingRecordFormSet = forms.formset_factory(
    RacingRecordForm, extra=3, max_num=15, validate_max=True, absolute_max=15
)


class StatusLookupForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference"), max_length=20, help_text=_("For example TP26-7K3M-9QXD.")
    )
    email = forms.EmailField(label=_("Email"))

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper()

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def application(self) -> Application | None:
        return (
            Application.objects.select_related("edition")
            .filter(reference=self.cleaned_data["reference"], email=self.cleaned_data["email"])
            .first()
        )
