"""Forms of the entries app, shared by the back office's entry admin and entry inline."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from entries.models import Entry


class EntryForm(forms.ModelForm):
    """An entry whose category, left empty, is the driver's current category."""

    class Meta:
        model = Entry
        fields = (
            "championship",
            "car_number",
            "driver",
            "team",
            "entry_class",
            "category",
            "rookie",
            "guest",
            "arrive_and_drive",
            "dealer_trophy",
        )
        help_texts = {
            "category": _("Empty: the driver's current category."),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if "category" in self.fields:
            self.fields["category"].required = False

    def clean(self) -> dict:
        cleaned = super().clean()
        driver = cleaned.get("driver")
        if not cleaned.get("category") and driver is not None:
            cleaned["category"] = driver.category
        return cleaned
