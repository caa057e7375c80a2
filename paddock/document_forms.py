"""The forms of the drivers' pages: a manager enters a driver; the driver or a manager uploads
a document with the details its kind needs. A file is checked by its content (``core.
documents``): a photo is a JPEG or PNG, every other document a PDF, JPEG or PNG."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.documents import validate_photo, validate_scan
from paddock.models import DocumentKind, EntrantDriver
from paddock.models.documents import KIND_DETAILS

PDF_ACCEPT = ".pdf,application/pdf"
IMAGE_ACCEPT = ".jpg,.jpeg,.png,image/jpeg,image/png"


def country_choices() -> list[tuple[str, str]]:
    return [("", _("Choose a country")), *countries]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class EntrantDriverForm(forms.ModelForm):
    nationality = forms.ChoiceField(label=_("Nationality"), choices=country_choices)

    class Meta:
        model = EntrantDriver
        fields = ["first_name", "last_name", "date_of_birth", "nationality", "email"]
        widgets = {"date_of_birth": DateInput()}
        help_texts = {
            "first_name": _("As on the racing licence."),
            "email": _("Optional: the driver's own address."),
        }


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, at most 5 MB; the photo a JPEG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": f"{PDF_ACCEPT},{IMAGE_ACCEPT}"}),
    )
    grade = forms.CharField(
        label=_("Licence grade"),
        max_length=40,
        required=False,
        help_text=_("Licences only, e.g. International C."),
    )
    issued_by = forms.CharField(
        label=_("Issuing authority"),
        max_length=120,
        required=False,
        help_text=_("Licences only: the national sporting authority (ASN) that issued it."),
    )
    number = forms.CharField(
        label=_("Licence number"), max_length=60, required=False, help_text=_("Licences only.")
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DateInput(),
        help_text=_("Every document but the photo."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind is None:
            return cleaned
        upload = cleaned.get("file")
        if upload is not None:
            validator = validate_photo if kind == DocumentKind.PHOTO else validate_scan
            try:
                validator(upload)
            except forms.ValidationError as error:
                self.add_error("file", error)
        label = DocumentKind(kind).label
        for name in KIND_DETAILS[kind]:
            if cleaned.get(name) in (None, "") and name not in self.errors:
                self.add_error(
                    name,
                    forms.ValidationError(
                        _("%(document)s: this field is required."),
                        code="required",
                        params={"document": label},
                    ),
                )
        expires_on = cleaned.get("expires_on")
        if "expires_on" in KIND_DETAILS[kind] and expires_on and expires_on < timezone.localdate():
            self.add_error(
                "expires_on",
                forms.ValidationError(
                    _("%(document)s: it expired on %(day)s; upload the current one."),
                    code="expired",
                    params={"document": label, "day": date_format(expires_on, "DATE_FORMAT")},
                ),
            )
        return cleaned

    def details(self) -> dict[str, Any]:
        """The details of the kind uploaded, none of the others."""
        kind = self.cleaned_data["kind"]
        return {name: self.cleaned_data[name] for name in KIND_DETAILS[kind]}
