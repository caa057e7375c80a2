"""Forms of the Talent Pool back office: edition times, status changes, placements, reviews."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from championships.forms import bound_dates
from championships.models import ChampionshipClass, FiaCategory, aware_from_local
from entries.models import Team
from entries.tyres import barcodes_of
from talentpool.models import Application, ApplicationStatus, Review, TalentPoolEdition
from talentpool.services import PlacementPlan

WINDOW_FIELDS = ("opens_at", "closes_at")


class EditionForm(forms.ModelForm):
    """The application window is typed as wall-clock time in the edition's time zone."""

    class Meta:
        model = TalentPoolEdition
        fields = [
            "year",
            "name",
            "championship",
            "timezone",
            "opens_at",
            "closes_at",
            "assessment_venue",
            "assessment_starts_on",
            "assessment_ends_on",
            "reference_date",
            "min_age",
            "max_age",
            "places",
            "prizes",
            "prize_tyre_sets",
        ]
        help_texts = {
            "opens_at": _("In the edition's time zone."),
            "closes_at": _("In the edition's time zone."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound_dates(self)
        if "prize_tyre_sets" in self.fields:  # not on a page that only shows the edition
            self.fields["prize_tyre_sets"].required = False  # left empty: none
        if self.instance.pk:
            for name in WINDOW_FIELDS:
                local = getattr(self.instance, name).astimezone(self.instance.zone)
                self.initial[name] = local.replace(tzinfo=None)

    def clean_prize_tyre_sets(self) -> int:
        return self.cleaned_data["prize_tyre_sets"] or 0

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        zone = cleaned.get("timezone")
        for name in WINDOW_FIELDS:
            if zone and cleaned.get(name):
                # The field read the time in the site's zone; take the same wall-clock time there.
                try:
                    cleaned[name] = aware_from_local(timezone.make_naive(cleaned[name]), zone)
                except ValueError as exc:
                    self.add_error(name, str(exc))
        return cleaned


class StatusChoiceMixin(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For the record; the applicant does not see it."),
    )
    notify = forms.BooleanField(
        label=_("Email the applicant"),
        required=False,
        help_text=_("Sends the new status (and a copy to the guardian of a minor)."),
    )


class ApplicationStatusForm(StatusChoiceMixin, forms.ModelForm):
    """The application's own data is read-only; a reviewer may move it to a next status."""

    new_status = forms.ChoiceField(label=_("Move to"), required=False)

    class Meta:
        model = Application
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        nexts = self.instance.next_statuses() if self.instance.pk else ()
        self.fields["new_status"].choices = [
            ("", _("(keep the current status)")),
            *((s, ApplicationStatus(s).label) for s in nexts),
        ]


class BulkStatusForm(StatusChoiceMixin):
    to_status = forms.ChoiceField(label=_("Move to"), choices=ApplicationStatus.choices)


class PlacementForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all())
    entry_class = forms.ModelChoiceField(
        label=_("Class"), queryset=ChampionshipClass.objects.none()
    )
    default_category = forms.ChoiceField(
        label=_("FIA category for applicants without one"),
        choices=FiaCategory.choices,
        # Young drivers without a classification are rated Silver by the FIA's rules.
        initial=FiaCategory.SILVER,
    )
    first_car_number = forms.IntegerField(
        label=_("Car numbers from"),
        min_value=1,
        max_value=999,
        initial=1,
        help_text=_("Each winner gets the next number not yet taken in the championship."),
    )

    def __init__(self, *args: Any, championship_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        classes = ChampionshipClass.objects.filter(championship_id__in=championship_ids)
        self.fields["entry_class"].queryset = classes.select_related("championship")

    def plan(self) -> PlacementPlan:
        return PlacementPlan(**self.cleaned_data)


class ReviewForm(forms.ModelForm):
    """A reviewer's own scores; the reviewer is whoever is signed in."""

    reviewer: AbstractBaseUser | None = None

    class Meta:
        model = Review
        fields = [
            "application",
            "racing_record",
            "lap_times",
            "technical_feedback",
            "fitness",
            "media",
            "attitude",
            "notes",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        application = cleaned.get("application")
        others = Review.objects.filter(application=application, reviewer=self.reviewer)
        if application and others.exclude(pk=self.instance.pk).exists():
            self.add_error("application", _("You have already reviewed this application."))
        return cleaned


class PrizeTyresForm(forms.Form):
    """The prize sets delivered to a winner, their barcodes scanned or typed one a line."""

    barcodes = forms.CharField(
        label=_("Barcodes"),
        help_text=_("One a line: the sets handed over, each new and received for a round."),
        widget=forms.Textarea(
            attrs={"rows": 6, "autocomplete": "off", "spellcheck": "false", "autofocus": True}
        ),
    )

    def clean_barcodes(self) -> list[str]:
        return barcodes_of(self.cleaned_data["barcodes"])
