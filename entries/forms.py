"""Forms of the entries app's back office: entries, classifications, flags, reviews and the
arrive-and-drive fleet. Rules live on the models and in ``entries.services``; the forms only
collect input and ask them."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from championships.models import Championship, ChampionshipClass, FiaCategory, Meeting
from entries.eligibility import first_race_day_of
from entries.models import (
    Car,
    CarAllocation,
    DamageReport,
    Driver,
    EligibilityDecision,
    EligibilityFlag,
    Entry,
    EntryClassChange,
    ReviewOutcome,
    ReviewRequest,
)
from entries.services import class_move_check, flag_move_target, review_decision_check

REVISION_MAX_BYTES = getattr(settings, "CLASSIFICATION_REVISION_MAX_BYTES", 512 * 1024)


def season_category(driver: Driver, championship: Championship | None) -> str | None:
    """The driver's category in force on the season's first race day (1 January before the
    calendar is known); the one in force today if none is recorded by then; None if the
    driver has no category recorded at all."""
    today = timezone.localdate()
    if championship is None:
        return driver.category_on(today)
    day = championship.first_race_day() or dt.date(championship.year, 1, 1)
    return driver.category_on(day) or driver.category_on(today)


class EntryForm(forms.ModelForm):
    """An entry whose category, left empty, is the driver's category for the season."""

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
            "category": _("Empty: the driver's category in force on the season's first race."),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if "category" in self.fields:
            self.fields["category"].required = False

    def clean(self) -> dict:
        cleaned = super().clean()
        driver = cleaned.get("driver")
        if not cleaned.get("category") and driver is not None:
            championship = cleaned.get("championship") or getattr(
                self.instance, "championship", None
            )
            cleaned["category"] = season_category(driver, championship)
            if cleaned["category"] is None:
                self.add_error(
                    "category", _("This driver has no FIA category recorded; choose one.")
                )
        return cleaned


class EntryClassChangeForm(forms.ModelForm):
    """A move of the entry to another class from a date (rule 7), checked as the service
    ``entry_class_move`` checks it."""

    class Meta:
        model = EntryClassChange
        fields = ("entry_class", "from_date", "note")
        help_texts = {
            "from_date": _(
                "Races from this day on (in the circuit's local time) count the entry in this "
                "class; earlier races keep it in the class it held then."
            ),
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        entry = self.instance.entry
        target, day = cleaned.get("entry_class"), cleaned.get("from_date")
        if self.instance.pk is None and target is not None and day is not None:
            first_day = first_race_day_of(entry.championship_id)
            try:
                class_move_check(entry, target, day, entry.category_on(day), first_day)
            except forms.ValidationError as error:
                self.add_error("entry_class", error)
        return cleaned


# --- Categories ---------------------------------------------------------------------------


class ClassMoveDateForm(forms.Form):
    """The day a move to another class takes effect, asked by the flags' "move" action."""

    move_from = forms.DateField(
        label=_("moved from"),
        help_text=_(
            "Races from this day on (in the circuit's local time) count each entry in its "
            "new class; earlier races keep it in its old class. YYYY-MM-DD."
        ),
    )


class RevisionUploadForm(forms.Form):
    revision = forms.FileField(
        label=_("Category revision (.csv)"),
        help_text=_(
            "Columns driver (the driver's slug), category, effective_date (YYYY-MM-DD), "
            "source (FIA_LIST, FIA_REVIEW or SERIES) and, optionally, published_on and note. "
            "It is checked first; nothing is written until you apply it."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_revision(self) -> UploadedFile:
        upload = self.cleaned_data["revision"]
        if upload.size > REVISION_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(max)s bytes.") % {"max": REVISION_MAX_BYTES}
            )
        return upload


class EligibilityFlagResolveForm(forms.ModelForm):
    """The series manager's decision on a flag; the service applies it."""

    move_to = forms.ModelChoiceField(
        ChampionshipClass.objects.none(),
        required=False,
        label=_("move to class"),
        help_text=_("For a move; empty: the one class of the season that admits the driver."),
    )
    move_from = forms.DateField(
        required=False,
        label=_("moved from"),
        help_text=_(
            "For a move: races from this day on count the entry in its new class; earlier "
            "races keep it in its old class. Empty: the day the new category takes effect."
        ),
    )

    class Meta:
        model = EligibilityFlag
        fields = ("decision", "decision_note")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].required = True
        if self.instance.entry_id:
            championship_id = self.instance.entry.championship_id
            self.fields["move_to"].queryset = ChampionshipClass.objects.filter(
                championship_id=championship_id
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("decision") == EligibilityDecision.MOVED:
            try:
                target = flag_move_target(self.instance, cleaned.get("move_to"))
                self._check_day(target, cleaned.get("move_from"))
            except forms.ValidationError as error:
                self.add_error("move_to", error)
        return cleaned

    def _check_day(self, target: ChampionshipClass, day: dt.date | None) -> None:
        flag = self.instance
        entry = flag.entry
        day = day or flag.classification.effective_from
        first_day = first_race_day_of(entry.championship_id)
        class_move_check(entry, target, day, flag.classification.category, first_day)


class ReviewRequestForm(forms.ModelForm):
    """Files a request and, later, records the FIA's answer to it."""

    new_category = forms.ChoiceField(
        choices=[("", "---------"), *FiaCategory.choices],
        required=False,
        label=_("new category"),
        help_text=_("When the category changed: the category the FIA decided."),
    )

    class Meta:
        model = ReviewRequest
        fields = (
            "classification",
            "asked_on",
            "requested_category",
            "outcome",
            "decided_on",
            "note",
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        outcome = cleaned.get("outcome", self.instance.outcome)
        if outcome == ReviewOutcome.PENDING or not self.instance.pk:
            return cleaned
        if not cleaned.get("decided_on"):
            self.add_error("decided_on", _("A decided review needs the day of the decision."))
            return cleaned
        try:
            review_decision_check(
                review=self.instance,
                outcome=outcome,
                category=cleaned.get("new_category", ""),
                decided_on=cleaned["decided_on"],
            )
        except forms.ValidationError as error:
            self.add_error("new_category" if outcome == ReviewOutcome.CHANGED else None, error)
        return cleaned


# --- Arrive-and-drive ---------------------------------------------------------------------


class EntryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Entry) -> str:
        return f"#{obj.car_number} {obj.driver.full_name} ({obj.entry_class.code})"


class BoardAllocationForm(forms.Form):
    """Allocation board: give one of the spare cars to an entry without one."""

    entry = EntryChoiceField(Entry.objects.none(), label=_("entry"))
    car = forms.ModelChoiceField(Car.objects.none(), label=_("chassis"))

    def __init__(self, *args: object, meeting: Meeting, spare_cars: list[Car], **kwargs: object):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = (
            meeting.championship.entries.filter(arrive_and_drive=True)
            .exclude(car_allocations__meeting=meeting)
            .select_related("driver", "entry_class")
            .order_by("car_number")
        )
        self.fields["car"].queryset = Car.objects.filter(pk__in=[car.pk for car in spare_cars])


class ReleaseForm(forms.Form):
    """Allocation board: the allocation of this meeting to release, by its id."""

    release = forms.ModelChoiceField(
        CarAllocation.objects.none(),
        error_messages={
            "required": _("Expected an allocation of this meeting."),
            "invalid_choice": _("Expected an allocation of this meeting."),
        },
    )

    def __init__(self, *args: object, meeting: Meeting, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["release"].queryset = meeting.car_allocations.select_related(
            "car", "entry__driver"
        )


class DamageReportForm(forms.ModelForm):
    mark_damaged = forms.BooleanField(
        label=_("take the car out of service"),
        required=False,
        initial=True,
        help_text=_("Sets the car's status to damaged until someone sets it available again."),
    )

    class Meta:
        model = DamageReport
        fields = (
            "car",
            "meeting",
            "race",
            "description",
            "repair_cost",
            "currency",
            "billed_to",
        )
