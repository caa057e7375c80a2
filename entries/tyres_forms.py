"""The forms of the tyres' back office: a scan (typed, or by a hardware scanner that types the
barcode and presses Enter) and a receipt of sets pasted one a line."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from championships.models import Meeting
from entries.models import Operator, TyreCompound, TyreDirection
from entries.tyres import barcodes_of


class RoundField(forms.ModelChoiceField):
    """A round, labelled with its championship: "Round 1 · Shanghai" recurs every season."""

    def label_from_instance(self, obj: Meeting) -> str:
        return f"{obj.championship} · {obj}"


def rounds() -> QuerySet[Meeting]:
    return Meeting.objects.with_circuit().order_by("-start_date", "championship__name")


class RoundForm(forms.Form):
    """The round a page is about (the stock), chosen from a select that submits itself."""

    meeting = RoundField(queryset=Meeting.objects.none(), label=_("Round"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = rounds()


class TyreScanForm(RoundForm):
    car_number = forms.IntegerField(
        label=_("Car number"),
        required=False,
        min_value=1,
        max_value=999,
        help_text=_("Needed to fit a set; a returned set goes back to its own car."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=TyreDirection.choices,
        initial=TyreDirection.OUT,
        widget=forms.RadioSelect,
    )
    barcode = forms.CharField(
        label=_("Barcode"),
        max_length=40,
        help_text=_("Scan it, or type it and press Enter."),
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "inputmode": "text",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "autocorrect": "off",
                "spellcheck": "false",
                "enterkeyhint": "send",
            }
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("direction") == TyreDirection.OUT and cleaned.get("car_number") is None:
            if "car_number" not in self.errors:
                self.add_error("car_number", _("Give the car number: a set is fitted to one car."))
        return cleaned


class TyreReceiptForm(RoundForm):
    operator = forms.ModelChoiceField(
        queryset=Operator.objects.select_related("series"), label=_("Operator")
    )
    compound = forms.ChoiceField(label=_("Compound"), choices=TyreCompound.choices)
    barcodes = forms.CharField(
        label=_("Barcodes"),
        help_text=_("One a line: a scanner typing into this box ends each barcode with a line."),
        widget=forms.Textarea(
            attrs={"rows": 12, "autocomplete": "off", "spellcheck": "false", "autofocus": True}
        ),
    )

    field_order = ("operator", "meeting", "compound", "barcodes")

    def clean_barcodes(self) -> list[str]:
        return barcodes_of(self.cleaned_data["barcodes"])
