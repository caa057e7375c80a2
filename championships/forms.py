"""Forms of the public pages (the standings page's table and after-round control), and the
back office's fields that read values as people write them, bounded like every import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from championships.models import (
    Championship,
    ChampionshipClass,
    FiaCategory,
    SeasonStatus,
    aware_from_local,
)
from championships.standings.data import DRIVERS
from championships.table_choices import TableChoice, choice_for, table_choices
from championships.timing import duration
from core import limits
from core.imports import fields
from core.numbers import plain, timing


class StandingsForm(forms.Form):
    """A GET form: which table, and after which round (empty: after the latest)."""

    table = forms.ChoiceField(label=_("Table"), required=False)
    after_round = forms.TypedChoiceField(
        label=_("After round"), coerce=int, required=False, empty_value=None
    )

    def __init__(
        self, data: Mapping[str, str], *, class_codes: Sequence[str], rounds: Sequence[int]
    ) -> None:
        super().__init__(data)
        self.class_codes = class_codes
        self.fields["table"].choices = [(c.value, c.label) for c in table_choices(class_codes)]
        latest = [("", _("Latest round"))]
        self.fields["after_round"].choices = latest + [
            (str(r), _("Round %(round)s") % {"round": r}) for r in rounds
        ]

    def selection(self) -> tuple[TableChoice, int | None]:
        """The table and round asked for; for a value in error, the drivers table or the latest.

        ``cleaned_data`` keeps the fields that are valid, so one bad field spoils only itself.
        """
        self.is_valid()
        value = self.cleaned_data.get("table") or DRIVERS
        choice = choice_for(self.class_codes, value) or table_choices(self.class_codes)[0]
        return choice, self.cleaned_data.get("after_round")


# --- Back-office fields: values typed as people write them, bounded like every import --------


def validate_year(value: dt.date | dt.datetime) -> None:
    """A date of this era: what a season, an edition or a birth can have (and a UTC time)."""
    if not limits.year_in_range(value.year):
        raise forms.ValidationError(
            _("Enter a date from %(first)s to %(last)s."),
            code="year",
            params={"first": limits.FIRST_YEAR, "last": limits.LAST_YEAR},
        )


def bound_dates(form: forms.BaseForm) -> None:
    """Every date and date-time field of ``form`` refuses a year outside the era, as a field
    error: a year-1 time east of UTC has no UTC time, and would end in a server error."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField | forms.DateTimeField | forms.SplitDateTimeField):
            field.validators.append(validate_year)


class TimingDurationField(forms.DurationField):
    """A race or lap time typed and shown as timing sheets write it: 29:58.123, 1:02:03.456,
    1'58.056 (not Django's 00:29:58.123000), read by the timing format's own parser."""

    default_error_messages = {
        "invalid": _("Enter a time such as 1:02:03.456, 29:58.123 or 1:58.056, under 100 hours.")
    }

    def prepare_value(self, value: object) -> object:
        return timing(value) if isinstance(value, dt.timedelta) else value

    def to_python(self, value: object) -> dt.timedelta | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.timedelta):
            return value
        try:
            return duration(str(value).strip())
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class PointsListField(forms.CharField):
    """Points by rank typed as a list separated by commas (25, 20, 17), each 0 to 9999.99
    with at most two decimals, as championship.toml's [points] race; stored as a JSON list."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", limits.MAX_RANKS * 9)
        super().__init__(**kwargs)

    def prepare_value(self, value: object) -> object:
        if isinstance(value, list | tuple):
            return ", ".join(plain(points) for points in value)
        return "" if value is None else value

    def has_changed(self, initial: object, data: object) -> bool:
        try:
            return self.to_python(data) != (initial or None)
        except forms.ValidationError:
            return True

    def to_python(self, value: object) -> list[int | float] | None:
        if isinstance(value, list):
            return value
        # Chinese keyboards type the full-width comma or the enumeration comma.
        text = super().to_python(value).translate(WIDE_COMMAS)
        text = text.strip().strip("[]").strip().rstrip(",")
        if not text:
            return None
        points = [_points(part.strip()) for part in text.split(",")]
        if None in points or len(points) > limits.MAX_RANKS:
            raise forms.ValidationError(
                _(
                    "Enter points for rank 1, 2, 3, … separated by commas, e.g. 25, 20, 17: "
                    "at most %(ranks)s, each from 0 to %(max)s with at most 2 decimals."
                ),
                code="invalid",
                params={"ranks": limits.MAX_RANKS, "max": plain(limits.MAX_POINTS)},
            )
        return points


WIDE_COMMAS = str.maketrans({"，": ",", "、": ","})


def _points(text: str) -> int | float | None:
    """25 for "25", 12.5 for "12.5"; None for anything that is not points."""
    number = Decimal(text) if fields.DECIMAL.fullmatch(text) else None
    if number is None or not limits.points_in_range(number):
        return None
    return int(number) if number == number.to_integral_value() else float(number)


class CategoriesField(forms.TypedMultipleChoiceField):
    """The FIA categories a class admits, as checkboxes; stored in the categories' order."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("choices", FiaCategory.choices)
        super().__init__(**kwargs)

    def clean(self, value: object) -> list[str]:
        chosen = super().clean(value)
        return [category for category in FiaCategory.values if category in chosen]


def _model_label(model: type, name: str) -> dict[str, Any]:
    field = model._meta.get_field(name)
    return {"label": capfirst(field.verbose_name), "required": not field.blank}


class ChampionshipForm(forms.ModelForm):
    """The points scheme as people write it, not as JSON: points separated by commas."""

    race_points = PointsListField(
        **_model_label(Championship, "race_points"),
        help_text=_("Points for rank 1, 2, 3, … in the drivers table, e.g. 25, 20, 17."),
    )
    rookies_race_points = PointsListField(
        **_model_label(Championship, "rookies_race_points"),
        help_text=_("e.g. 25, 20, 17. Empty: the drivers table's points by rank."),
    )
    # Not the model's field: the admin applies it through season_feature, which unfeatures the
    # season featured before (the database keeps one at most).
    feature = forms.BooleanField(
        label=_("Featured"),
        required=False,
        help_text=_(
            "The season the site's own addresses show (/standings/, /calendar/, /entries/): "
            "one at most, published only. Featuring this one unfeatures the one before."
        ),
    )

    class Meta:
        model = Championship
        fields = ("race_points", "rookies_race_points")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["feature"].initial = self.instance.featured

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        status = cleaned.get("status", self.instance.status)
        if cleaned.get("feature") and status != SeasonStatus.PUBLISHED:
            self.add_error(
                "feature",
                forms.ValidationError(
                    _(
                        "Only a published season can be featured: set its status to "
                        "published, or untick Featured."
                    ),
                    code="unpublished",
                ),
            )
        # The model's checks then see the season as it will be once saved.
        self.instance.featured = bool(cleaned.get("feature")) and status == SeasonStatus.PUBLISHED
        return cleaned


class ChampionshipClassForm(forms.ModelForm):
    """A class: the FIA categories it admits as checkboxes, its points separated by commas."""

    categories = CategoriesField(**_model_label(ChampionshipClass, "categories"))
    race_points = PointsListField(
        **_model_label(ChampionshipClass, "race_points"),
        help_text=_("e.g. 25, 20, 17. Empty: the drivers table's points by rank."),
    )

    class Meta:
        model = ChampionshipClass
        fields = (
            "championship",
            "code",
            "categories",
            "min_age",
            "race_points",
            "pole_points",
            "fastest_lap_points",
            "sort_order",
        )


class CircuitStartForm(forms.ModelForm):
    """A race's or a session's start typed as the circuit's wall-clock time, as on the
    timetable, stored as an aware datetime: the model's ``meeting`` gives the circuit."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        bound_dates(self)
        if self.instance.pk and "starts_at" in self.fields:
            zone = self.instance.meeting.circuit.zone
            self.initial["starts_at"] = self.instance.starts_at.astimezone(zone).replace(
                tzinfo=None
            )
        if "starts_at" in self.fields:
            self.fields["starts_at"].help_text = _("Local time at the circuit.")

    def clean(self) -> dict:
        cleaned = super().clean()
        meeting = cleaned.get("meeting") or getattr(self.instance, "meeting", None)
        start = cleaned.get("starts_at")
        if meeting is None or start is None:
            return cleaned
        # The field read the typed time in the site's zone; take the same wall-clock time
        # at the circuit instead.
        wall_clock = timezone.make_naive(start)
        try:
            cleaned["starts_at"] = aware_from_local(wall_clock, meeting.circuit.timezone)
        except ValueError as exc:
            self.add_error("starts_at", str(exc))
        return cleaned
