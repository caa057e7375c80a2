"""A season's status, its place as the featured season, and its deletion, in the back office.

Status and featuring go through ``season_status_set``, ``season_feature`` and
``season_unfeature``; deleting goes through ``season_delete`` after a page that lists what
goes, offers the season bundle first and asks for the season's slug, never through Django's
cascade (which stops at what the season's records protect).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from championships.models import Championship, SeasonStatus
from championships.services import (
    season_delete,
    season_deletion_blockers,
    season_deletion_summary,
    season_feature,
    season_status_set,
    season_unfeature,
)


class SeasonDeleteForm(forms.Form):
    confirm_name = forms.CharField(
        label=gettext_lazy("The season's slug"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class SeasonAdminMixin:
    """The Championship admin's status and feature actions, its form's status and Featured
    fields applied through the services, and its deletion page. Put it before
    ``StandingsInvalidatingAdmin`` among the bases, so that a form's save still goes through
    the services that mark the tables changed."""

    actions = ("season_publish", "season_draft", "season_archive", "season_feature_one")
    season_delete_template = "admin/championships/championship/delete_confirmation.html"

    # --- The form ------------------------------------------------------------------------

    @admin.display(description=gettext_lazy("Featured"), boolean=True)
    def feature(self, obj: Championship) -> bool:
        """The form's Featured field, shown read-only to those who may not change seasons."""
        return obj.featured

    def save_model(
        self, request: HttpRequest, obj: Championship, form: forms.ModelForm, change: bool
    ) -> None:
        """The form's other fields saved as the admin saves them; its status and Featured
        then through the services, which keep one featured season, published only."""
        status, wanted = obj.status, form.cleaned_data.get("feature")
        stored = Championship.objects.filter(pk=obj.pk).values("status", "featured").first()
        obj.status = stored["status"] if stored else status
        obj.featured = bool(stored and stored["featured"])
        super().save_model(request, obj, form, change)
        if obj.status != status:
            obj.featured = season_status_set(championship_id=obj.pk, status=status).featured
        if wanted is not None and bool(wanted) != obj.featured:
            (season_feature if wanted else season_unfeature)(championship_id=obj.pk)
        obj.refresh_from_db(fields=["status", "featured", "tables_changed_at"])

    # --- Actions -------------------------------------------------------------------------

    @admin.action(description=gettext_lazy("Publish"), permissions=("change",))
    def season_publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = self._status_set(request, queryset, SeasonStatus.PUBLISHED)
        message = ngettext(
            "%(count)d season published: the public site shows it.",
            "%(count)d seasons published: the public site shows them.",
            count,
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(
        description=gettext_lazy("Take off the public site (draft)"), permissions=("change",)
    )
    def season_draft(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = self._status_set(request, queryset, SeasonStatus.DRAFT)
        message = ngettext(
            "%(count)d season taken off the public site: only staff see it. Nothing was deleted.",
            "%(count)d seasons taken off the public site: only staff see them. "
            "Nothing was deleted.",
            count,
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Archive"), permissions=("change",))
    def season_archive(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = self._status_set(request, queryset, SeasonStatus.ARCHIVED)
        message = ngettext(
            "%(count)d season archived: the public site shows it among earlier seasons.",
            "%(count)d seasons archived: the public site shows them among earlier seasons.",
            count,
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    def _status_set(self, request: HttpRequest, queryset: QuerySet, status: str) -> int:
        """Each selected season set to ``status``; a warning for a featured one unfeatured."""
        seasons = list(Championship.objects.filter(pk__in=queryset.values("pk")).order_by("pk"))
        for season in seasons:
            season_status_set(championship_id=season.pk, status=status)
            if season.featured and status != SeasonStatus.PUBLISHED:
                warning = _(
                    "%(season)s is featured no more: the site's own addresses show another "
                    "published season until you feature one."
                )
                self.message_user(request, warning % {"season": season}, messages.WARNING)
        return len(seasons)

    @admin.action(
        description=gettext_lazy("Feature on the site's own pages"), permissions=("change",)
    )
    def season_feature_one(self, request: HttpRequest, queryset: QuerySet) -> None:
        chosen = list(queryset.values_list("pk", flat=True)[:2])
        if len(chosen) != 1:
            refusal = _("Select exactly one season to feature: the site features one at a time.")
            self.message_user(request, refusal, messages.ERROR)
            return
        try:
            season = season_feature(championship_id=chosen[0])
        except ValidationError as refusal:
            self.message_user(request, " ".join(refusal.messages), messages.ERROR)
            return
        done = _("%(season)s is now featured: /standings/, /calendar/ and /entries/ show it.")
        self.message_user(request, done % {"season": season}, messages.SUCCESS)

    # --- Deletion ------------------------------------------------------------------------

    def get_actions(self, request: HttpRequest) -> dict:
        """Django's "Delete selected" replaced by the way to this admin's deletion page."""
        actions = super().get_actions(request)
        if "delete_selected" in actions:  # there only for those who may delete
            func, _name, description = self.get_action("season_delete_selected")
            actions["delete_selected"] = (func, "delete_selected", description)
        return actions

    @admin.action(description=gettext_lazy("Delete the selected season…"))
    def season_delete_selected(
        self, request: HttpRequest, queryset: QuerySet
    ) -> HttpResponse | None:
        chosen = list(queryset.values_list("pk", flat=True)[:2])
        if len(chosen) != 1:
            refusal = _("Select one season to delete: each deletion asks for its own slug.")
            self.message_user(request, refusal, messages.ERROR)
            return None
        return HttpResponseRedirect(self._url("delete", chosen[0]))

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        """What goes and the bundle to keep first; deleted once the slug is typed."""
        season = self.get_object(request, unquote(object_id))
        if not self.has_delete_permission(request, season):
            raise PermissionDenied
        if season is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        form = SeasonDeleteForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                season_delete(
                    championship_id=season.pk,
                    by=request.user,
                    confirm_name=form.cleaned_data["confirm_name"],
                )
            except ValidationError as refusal:
                confirm = getattr(refusal, "code", None) == "confirm"
                form.add_error("confirm_name" if confirm else None, refusal)
            else:
                done = _("The season %(season)s was deleted, with everything under it.")
                self.message_user(request, done % {"season": season}, messages.SUCCESS)
                return HttpResponseRedirect(reverse(self._name("changelist")))
        return self._delete_page(request, season, form, extra_context)

    def _delete_page(
        self,
        request: HttpRequest,
        season: Championship,
        form: SeasonDeleteForm,
        extra_context: dict | None,
    ) -> HttpResponse:
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "title": _("Delete the season %(season)s") % {"season": season},
            "subtitle": None,
            "opts": self.opts,
            "object": season,
            "summary": season_deletion_summary(season),
            "blockers": season_deletion_blockers(season),
            "export_url": self._url("export_bundle", season.pk),
            "form": form,
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.season_delete_template, context)

    def _name(self, view: str) -> str:
        return f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{view}"

    def _url(self, view: str, pk: int) -> str:
        return reverse(self._name(view), args=[pk])
