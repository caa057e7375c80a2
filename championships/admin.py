"""The back office where series managers keep their season: calendar, results, penalties.

Every admin that writes something a table depends on inherits ``StandingsInvalidatingAdmin``
(championships/admin_mixins.py), whose saves and deletes go through the services that mark
the championship's tables as changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from championships import (
    board_admin,  # noqa: F401  (the notice board's documents)
    live_admin,  # noqa: F401  (live timing: read, cleared)
    sheets,
)
from championships.admin_mixins import (
    SeasonChoicesMixin,
    StandingsInvalidatingAdmin,
    entry_label,
    limit_entries,
)
from championships.bundle_admin import SeasonBundleAdminMixin
from championships.forms import (
    ChampionshipClassForm,
    ChampionshipForm,
    CircuitStartForm,
    PointsListField,
    TimingDurationField,
)
from championships.models import (
    BoardDocument,
    Championship,
    ChampionshipClass,
    Circuit,
    ClassificationVersion,
    Meeting,
    Penalty,
    Prize,
    Race,
    Result,
    Series,
    VersionCause,
)
from championships.race_control_admin import (
    STALE_FORM,
    PenaltyAdminMixin,
    PenaltyVersionForm,
    RaceControlAdminMixin,
    RaceVersionFormMixin,
    ResultVersionForm,
)
from championships.season_admin import SeasonAdminMixin
from championships.services import (
    classification_baseline,
    classification_record,
    penalty_change,
    penalty_delete,
    penalty_save,
    race_kept_reason,
    races_kept,
)
from championships.standings import rules
from championships.weekend_admin import LapsAdminMixin, RaceGridAdminMixin, SessionInline
from core.admin import CarNumberSearchMixin, HistoryAdmin
from entries.forms import EntryForm
from entries.models import Driver, Entry, Team

# --- Shared behaviour ---------------------------------------------------------------------


class KeptRacesDeleteMixin:
    """Races with classification versions are never deleted: the delete page
    names each and says why, in place of the bare list of protected versions."""

    # Lookup from Race to this model's primary key.
    race_path: str = "pk"

    def get_deleted_objects(
        self, objs: Iterable[models.Model], request: HttpRequest
    ) -> tuple[list, dict, set, list]:
        deleted, counts, perms, protected = super().get_deleted_objects(objs, request)
        races = Race.objects.filter(**{f"{self.race_path}__in": [obj.pk for obj in objs]})
        kept = races_kept(races)
        if kept:
            versions = f"{capfirst(ClassificationVersion._meta.verbose_name)}: "
            others = [line for line in protected if not str(line).startswith(versions)]
            protected = [race_kept_reason(race) for race in kept] + others
            # Said before the notice board documents nobody deletes, which would go with it.
            perms = {name for name in perms if name != BoardDocument._meta.verbose_name}
        return deleted, counts, perms, protected


class SeasonEntryAutocompleteView(AutocompleteJsonView):
    """The admin's autocomplete search, its entries labelled and limited as above."""

    def get_queryset(self) -> QuerySet:
        championship = self.request.GET.get("championship", "")
        found = super().get_queryset()
        return found.filter(championship_id=championship) if championship.isdecimal() else found

    def serialize_result(self, obj: models.Model, to_field_name: str) -> dict[str, str]:
        return {"id": str(getattr(obj, to_field_name)), "text": entry_label(obj)}


class SeasonEntriesInlineMixin:
    """An inline under a race: its entry choices are the race's championship's."""

    def get_formset(
        self, request: HttpRequest, obj: Race | None = None, **kwargs: Any
    ) -> type[BaseInlineFormSet]:
        formset = super().get_formset(request, obj, **kwargs)
        limit_entries(formset.form.base_fields, obj.meeting.championship_id if obj else None)
        return formset


class EntryColumnsMixin:
    """Changelist columns for models that point at an entry: car, driver, team, class."""

    @admin.display(description=_("car"), ordering="entry__car_number")
    def car_number(self, obj: Result | Penalty) -> int:
        return obj.entry.car_number

    @admin.display(description=_("driver"), ordering="entry__driver__last_name")
    def driver(self, obj: Result | Penalty) -> Driver:
        return obj.entry.driver

    @admin.display(description=_("team"), ordering="entry__team__name")
    def team(self, obj: Result | Penalty) -> Team:
        return obj.entry.team

    @admin.display(description=_("class"), ordering="entry__entry_class__code")
    def entry_class(self, obj: Result | Penalty) -> ChampionshipClass:
        return obj.entry.entry_class


def timing(value: dt.timedelta | None) -> str | None:
    """A race or lap time as timing sheets print it; None (the admin's empty value) for none."""
    return sheets.timing(value) or None


# Race and lap times typed and shown as timing sheets write them, not as 00:29:58.123000.
TIMING_FIELDS = {models.DurationField: {"form_class": TimingDurationField}}


# --- Series and championships -------------------------------------------------------------


@admin.register(Series)
class SeriesAdmin(TranslationAdmin):
    list_display = ("name", "slug", "position", "championship_count")
    list_editable = ("position",)
    search_fields = ("name_en", "name_zh_hans")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(championship_count=Count("championships"))

    @admin.display(description=_("championships"), ordering="championship_count")
    def championship_count(self, obj: Series) -> int:
        return obj.championship_count


class ChampionshipClassInline(admin.TabularInline):
    model = ChampionshipClass
    form = ChampionshipClassForm
    extra = 0
    fields = (
        "code",
        "categories",
        "min_age",
        "race_points",
        "pole_points",
        "fastest_lap_points",
        "sort_order",
    )


class PrizeInline(TranslationTabularInline):
    model = Prize
    extra = 0
    fields = ("table", "class_code", "after_round", "position", "award", "description")
    # The season page shows a prize's description under its award: two short lines fit a row.
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}


class EntryInline(admin.TabularInline):
    model = Entry
    form = EntryForm
    extra = 0
    fields = (
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
    autocomplete_fields = ("driver", "team")
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("driver", "team", "entry_class")

    def get_formset(
        self, request: HttpRequest, obj: Championship | None = None, **kwargs: Any
    ) -> type[BaseInlineFormSet]:
        formset = super().get_formset(request, obj, **kwargs)
        if "entry_class" in formset.form.base_fields:
            # Only this championship's classes; none before its classes are saved.
            championship_id = obj.pk if obj else None
            formset.form.base_fields["entry_class"].queryset = ChampionshipClass.objects.filter(
                championship_id=championship_id
            )
        return formset


def dropped_results_help(championship: Championship | None) -> str:
    """Rule 3.2 in one sentence for the championship form: "Now best 14 of 16 results count"
    from the calendar's scoring races (points factor not 0, held or not)."""
    if championship is None or championship.pk is None:
        return gettext("The calendar has no race yet to count results from.")
    scoring = Race.objects.filter(meeting__championship=championship).scoring().count()
    kept = rules.results_kept(championship.dropped_results, scoring)
    kept = scoring if kept is None else kept  # no drops: every result counts
    return ngettext(
        "Now best %(kept)s of %(scoring)s result counts (the calendar's scoring race).",
        "Now best %(kept)s of %(scoring)s results count (the calendar's scoring races).",
        scoring,
    ) % {"kept": kept, "scoring": scoring}


@admin.register(Championship)
class ChampionshipAdmin(
    SeasonBundleAdminMixin,
    SeasonAdminMixin,
    StandingsInvalidatingAdmin,
    HistoryAdmin,
    TranslationAdmin,
):
    form = ChampionshipForm
    championship_path = "pk"
    list_display = (
        "name",
        "series",
        "year",
        "status",
        "featured",
        "meeting_count",
        "entry_count",
    )
    list_select_related = ("series",)
    list_filter = ("status", "series", "year")
    search_fields = ("name_en", "name_zh_hans", "slug", "series__name_en", "series__name_zh_hans")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("tables_changed_at",)
    fieldsets = (
        (_("Identity"), {"fields": ("series", "name", "slug", "year", "status", "feature")}),
        (
            _("Drivers points scheme"),
            {
                "fields": (
                    "race_points",
                    "pole_points",
                    "fastest_lap_points",
                    "dropped_results",
                    "drop_disqualified",
                )
            },
        ),
        (
            _("Tables settings"),
            {
                "fields": (
                    "tie_break",
                    "positions",
                    "team_cars_per_race",
                    "dealer_cars_per_race",
                    "tables_changed_at",
                )
            },
        ),
        (
            _("Grids"),
            {"fields": ("qualifying_merge", "later_grids", "reversed_top")},
        ),
        (
            _("Rookies points scheme"),
            {
                "fields": (
                    "rookies_race_points",
                    "rookies_pole_points",
                    "rookies_fastest_lap_points",
                )
            },
        ),
    )
    inlines = (ChampionshipClassInline, PrizeInline, EntryInline)

    def get_form(
        self, request: HttpRequest, obj: Championship | None = None, change: bool = False, **kwargs
    ) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        field = form.base_fields.get("dropped_results")
        if field is not None:  # the form class is new on each call: its fields are its own
            field.help_text = f"{field.help_text} {dropped_results_help(obj)}"
        return form

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(
                meeting_count=Count("meetings", distinct=True),
                entry_count=Count("entries", distinct=True),
            )
        )

    @admin.display(description=_("meetings"), ordering="meeting_count")
    def meeting_count(self, obj: Championship) -> int:
        return obj.meeting_count

    @admin.display(description=_("entries"), ordering="entry_count")
    def entry_count(self, obj: Championship) -> int:
        return obj.entry_count


@admin.register(ChampionshipClass)
class ChampionshipClassAdmin(StandingsInvalidatingAdmin, HistoryAdmin):
    """Classes are kept on the championship's page; here for their history of changes."""

    form = ChampionshipClassForm
    list_display = ("code", "championship", "categories_display", "min_age", "points_display")
    list_select_related = ("championship",)
    list_filter = ("championship",)
    search_fields = ("code", "championship__name")

    @admin.display(description=_("admitted FIA categories"))
    def categories_display(self, obj: ChampionshipClass) -> str:
        return ", ".join(obj.categories)

    @admin.display(description=_("points by rank"))
    def points_display(self, obj: ChampionshipClass) -> str | None:
        return PointsListField().prepare_value(obj.race_points) or None


# --- Calendar -----------------------------------------------------------------------------


@admin.register(Circuit)
class CircuitAdmin(StandingsInvalidatingAdmin, TranslationAdmin):
    # A circuit's name labels table columns and its time zone dates the races.
    championship_path = "meetings__championship"
    list_display = ("name", "country", "timezone")
    list_filter = ("country",)
    search_fields = ("name_en", "name_zh_hans", "country")


class RaceStartForm(CircuitStartForm):
    """Series managers type a race's start as the circuit's wall-clock time, as on the
    timetable; it is stored as an aware datetime."""

    class Meta:
        model = Race
        fields = ("meeting", "number", "starts_at", "points_factor")


class RaceControlForm(RaceVersionFormMixin, RaceStartForm):
    """The race with the version its classification was at when the editor opened it."""

    change_reason = forms.CharField(
        label=_("Why"),
        max_length=300,
        required=False,
        help_text=_("Kept with the new classification version when results or decisions change."),
    )

    class Meta(RaceStartForm.Meta):
        pass


class RaceInline(admin.TabularInline):
    model = Race
    form = RaceStartForm
    extra = 0
    fields = ("number", "starts_at", "points_factor")


@admin.register(Meeting)
class MeetingAdmin(
    KeptRacesDeleteMixin, SeasonChoicesMixin, StandingsInvalidatingAdmin, TranslationAdmin
):
    race_path = "meeting"
    list_display = (
        "championship",
        "round",
        "circuit",
        "start_date",
        "end_date",
        "supporting_event",
        "race_count",
    )
    list_display_links = ("round",)
    list_select_related = ("championship", "circuit")
    list_filter = ("championship",)
    search_fields = (
        "circuit__name_en",
        "circuit__name_zh_hans",
        "supporting_event_en",
        "supporting_event_zh_hans",
    )
    inlines = (RaceInline, SessionInline)
    # With a link to the round's notice board (championships/board_admin.py).
    change_form_template = "admin/championships/board_meeting_change_form.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(race_count=Count("races"))

    @admin.display(description=_("races"), ordering="race_count")
    def race_count(self, obj: Meeting) -> int:
        return obj.race_count


class ResultInline(SeasonEntriesInlineMixin, SeasonChoicesMixin, admin.TabularInline):
    model = Result
    formfield_overrides = TIMING_FIELDS
    extra = 0
    fields = ("position", "status", "entry", "laps", "total_time", "best_lap", "grid", "chassis")
    autocomplete_fields = ("entry", "chassis")
    ordering = (F("position").asc(nulls_last=True), "id")


class RacePenaltyFormSet(BaseInlineFormSet):
    """Penalties added under a race belong to that race's meeting, decided when entered."""

    def save_new(self, form: forms.ModelForm, commit: bool = True) -> Penalty:
        form.instance.meeting_id = self.instance.meeting_id
        form.instance.decided_at = form.instance.decided_at or timezone.now()
        return super().save_new(form, commit=commit)


class PenaltyInline(SeasonEntriesInlineMixin, SeasonChoicesMixin, TranslationTabularInline):
    model = Penalty
    formset = RacePenaltyFormSet
    fk_name = "race"
    extra = 0
    fields = ("number", "entry", "kind", "value", "reason")
    autocomplete_fields = ("entry",)


@admin.register(Race)
class RaceAdmin(
    KeptRacesDeleteMixin,
    LapsAdminMixin,
    RaceGridAdminMixin,
    RaceControlAdminMixin,
    SeasonChoicesMixin,
    StandingsInvalidatingAdmin,
):
    championship_path = "meeting__championship"
    list_display = (
        "__str__",
        "championship",
        "local_start_in_zone",
        "points_factor",
        "result_count",
        "classification_state",
        "classification_version",
    )
    list_select_related = ("meeting__circuit", "meeting__championship")
    list_filter = ("meeting__championship", "points_factor", "classification_state")
    form = RaceControlForm
    fields = (
        "meeting",
        "number",
        "starts_at",
        "points_factor",
        "classification_state",
        "classification_version",
        "change_reason",
        "seen_version",
    )
    readonly_fields = ("classification_state", "classification_version")
    inlines = (ResultInline, PenaltyInline)

    def save_related(
        self,
        request: HttpRequest,
        form: forms.ModelForm,
        formsets: list[BaseInlineFormSet],
        change: bool,
    ) -> None:
        """A change to the results or decisions is a correction: a new classification version."""
        changed = any(formset.has_changed() for formset in formsets)
        if changed and change:
            classification_baseline(race=form.instance)
        super().save_related(request, form, formsets, change)
        if changed:
            reason = form.cleaned_data.get("change_reason") or gettext("Edited in the back office")
            classification_record(
                race=form.instance, cause=VersionCause.CORRECTION, user=request.user, reason=reason
            )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(result_count=Count("results"))

    @admin.display(description=_("championship"), ordering="meeting__championship")
    def championship(self, obj: Race) -> Championship:
        return obj.meeting.championship

    @admin.display(description=_("local start"), ordering="starts_at")
    def local_start_in_zone(self, obj: Race) -> str | None:
        if not (obj.pk and obj.meeting_id):
            return None
        start = formats.date_format(obj.local_start, "Y-m-d H:i")
        return f"{start} ({obj.meeting.circuit.timezone})"

    @admin.display(description=_("results"), ordering="result_count")
    def result_count(self, obj: Race) -> int:
        return obj.result_count


# --- Results and penalties ----------------------------------------------------------------


class CorrectionVersionsMixin:
    """Single results edited here are corrections: each race touched gets a new version."""

    def races_of(self, pks: Iterable[Any] | QuerySet) -> set[int]:
        return set(self.model._default_manager.filter(pk__in=pks).values_list("race_id", flat=True))

    def before_change(self, race_ids: Iterable[int]) -> list[Race]:
        races = list(Race.objects.filter(pk__in=race_ids))
        for race in races:
            classification_baseline(race=race)
        return races

    def after_change(self, request: HttpRequest, races: Iterable[Race]) -> None:
        reason = gettext("Result edited in the back office")
        for race in races:
            classification_record(
                race=race, cause=VersionCause.CORRECTION, user=request.user, reason=reason
            )

    def save_model(
        self, request: HttpRequest, obj: Result, form: forms.ModelForm, change: bool
    ) -> None:
        races = self.before_change((self.races_of([obj.pk]) if change else set()) | {obj.race_id})
        super().save_model(request, obj, form, change)
        self.after_change(request, races)

    def delete_model(self, request: HttpRequest, obj: Result) -> None:
        races = self.before_change({obj.race_id})
        super().delete_model(request, obj)
        self.after_change(request, races)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        races = self.before_change(self.races_of(queryset.values("pk")))
        super().delete_queryset(request, queryset)
        self.after_change(request, races)


@admin.register(Result)
class ResultAdmin(
    CorrectionVersionsMixin,
    CarNumberSearchMixin,
    EntryColumnsMixin,
    SeasonChoicesMixin,
    StandingsInvalidatingAdmin,
    HistoryAdmin,
):
    form = ResultVersionForm
    formfield_overrides = TIMING_FIELDS
    championship_path = "race__meeting__championship"
    car_number_field = "entry__car_number"
    list_display = (
        "race",
        "position_or_status",
        "car_number",
        "driver",
        "team",
        "entry_class",
        "laps",
        "total_time_display",
        "best_lap_display",
        "grid",
        "chassis",
    )
    list_select_related = (
        "race__meeting__circuit",
        "entry__driver",
        "entry__team",
        "entry__entry_class",
        "chassis",
    )
    list_filter = ("race__meeting__championship", "status")
    search_fields = ("entry__driver__first_name", "entry__driver__last_name")
    autocomplete_fields = ("entry", "chassis")

    def get_urls(self) -> list[URLPattern]:
        view = SeasonEntryAutocompleteView.as_view(admin_site=self.admin_site)
        name = f"{self.opts.app_label}_{self.opts.model_name}_entry_autocomplete"
        wrapped = self.admin_site.admin_view(view)
        return [path("entry-autocomplete/", wrapped, name=name), *super().get_urls()]

    def get_form(
        self, request: HttpRequest, obj: Result | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        limit_entries(form.base_fields, obj.race.meeting.championship_id if obj else None)
        return form

    @admin.display(description=_("pos."), ordering="position")
    def position_or_status(self, obj: Result) -> str:
        return obj.position_label

    @admin.display(description=_("total time"), ordering="total_time")
    def total_time_display(self, obj: Result) -> str | None:
        return timing(obj.total_time)

    @admin.display(description=_("best lap"), ordering="best_lap")
    def best_lap_display(self, obj: Result) -> str | None:
        return timing(obj.best_lap)


@admin.register(Penalty)
class PenaltyAdmin(
    PenaltyAdminMixin,
    CarNumberSearchMixin,
    EntryColumnsMixin,
    SeasonChoicesMixin,
    HistoryAdmin,
    TranslationAdmin,
):
    """Stewards' decisions: every save, deletion and withdrawal goes through the services,
    which re-version the race concerned and invalidate the tables."""

    car_number_field = "entry__car_number"
    list_display = (
        "where",
        "number",
        "car_number",
        "driver",
        "kind",
        "value",
        "decided_at",
        "in_force",
        "reason",
    )
    list_select_related = ("meeting__circuit", "race__meeting__circuit", "entry__driver")
    list_filter = ("meeting__championship", "kind", ("withdrawn_at", admin.EmptyFieldListFilter))
    search_fields = (
        "entry__driver__first_name",
        "entry__driver__last_name",
        "reason_en",
        "reason_zh_hans",
    )
    autocomplete_fields = ("entry",)
    form = PenaltyVersionForm
    fields = (
        "meeting",
        "race",
        "number",
        "decided_at",
        "entry",
        "kind",
        "value",
        "grid_race",
        "reason",
        "withdrawn_at",
        "withdrawn_by",
        "withdrawn_reason",
        "filings",
        "seen_change",
    )
    readonly_fields = ("withdrawn_at", "withdrawn_by", "withdrawn_reason", "filings")

    def save_model(
        self, request: HttpRequest, obj: Penalty, form: forms.ModelForm, change: bool
    ) -> None:
        before = (
            Penalty.objects.filter(pk=obj.pk)
            .values_list("race_id", "kind", "meeting__championship_id")
            .first()
        )
        obj.decided_at = obj.decided_at or timezone.now()
        penalty_save(penalty=obj, user=request.user, before=before)

    def get_form(
        self, request: HttpRequest, obj: Penalty | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        limit_entries(form.base_fields, obj.meeting.championship_id if obj else None)
        return form

    delete_confirmation_template = "admin/championships/penalty/delete_confirmation.html"

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        """Django's deletion, refused if the decision changed after the page was opened."""
        if request.method != "POST" and str(object_id).isdigit():
            seen = penalty_change(penalty_id=int(object_id))
            extra_context = {**(extra_context or {}), "seen_change": seen}
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as refusal:  # PenaltyConflict, or no change sent
            self.message_user(request, " ".join(refusal.messages), messages.ERROR)
            return redirect(reverse("admin:championships_penalty_change", args=[object_id]))

    def delete_model(self, request: HttpRequest, obj: Penalty) -> None:
        seen = request.POST.get("seen_change", "")
        if not seen.isdigit():
            raise ValidationError(STALE_FORM)
        penalty_delete(penalty=obj, user=request.user, expected_change=int(seen))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for penalty in queryset.select_related("meeting"):
            penalty_delete(penalty=penalty, user=request.user)

    @admin.display(description=_("in force"), boolean=True, ordering="withdrawn_at")
    def in_force(self, obj: Penalty) -> bool:
        return not obj.is_withdrawn

    @admin.display(description=_("protests and appeals"))
    def filings(self, obj: Penalty) -> str:
        """The protest whose hearing produced the decision, or the appeal that withdrew it:
        read through the entrants' side's reverse accessor, never importing it."""
        filings = getattr(obj, "protests", None) if obj.pk else None
        rows = [
            (
                reverse("admin:paddock_protest_change", args=[filing.pk]),
                filing.reference,
                filing.get_status_display(),
            )
            for filing in (filings.all() if filings is not None else ())
        ]
        if not rows:
            return "-"
        return format_html_join(", ", '<a href="{}">{}</a> ({})', rows)

    @admin.display(description=_("round / race"), ordering="meeting")
    def where(self, obj: Penalty) -> Race | Meeting:
        return obj.race if obj.race_id else obj.meeting
