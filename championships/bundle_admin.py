"""Season bundle import (upload with a dry run) and export (download) in the back office.

The import is checked, then applied, through ``core.check_then_apply``: the dry run shows the
preview or every problem, and "Apply import" imports the very file previewed.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from championships.bundle import (
    ImportSummary,
    season_export_zip,
    season_import,
    uploaded_bundle,
)
from championships.models import Championship
from core.check_then_apply import CheckThenApplyMixin
from core.downloads import attachment
from core.models import CheckedUpload


class BundleUploadForm(forms.Form):
    bundle = forms.FileField(
        label=gettext_lazy("Season bundle (.zip)"),
        help_text=gettext_lazy(
            "A .zip of championship.toml, calendar.csv, entries.csv, results/ and, "
            "optionally, penalties.csv. It is checked first; nothing is written until you "
            "apply the import."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    replace = forms.BooleanField(
        label=gettext_lazy("Replace the existing championship with the same slug"),
        required=False,
        help_text=gettext_lazy(
            "Deletes that championship's calendar, entries, results and penalties and imports "
            "the bundle in their place, all at once."
        ),
    )

    def clean_bundle(self) -> UploadedFile:
        upload = self.cleaned_data["bundle"]
        if upload.size > settings.SEASON_BUNDLE_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(max)s bytes.")
                % {"max": settings.SEASON_BUNDLE_MAX_BYTES}
            )
        return upload


def zip_response(data: bytes, filename: str) -> HttpResponse:
    return attachment(data, filename, "application/zip")


class SeasonBundleAdminMixin(CheckThenApplyMixin):
    """Adds the bundle import and export views to the championship admin.

    Use it first among the bases: ``class ChampionshipAdmin(SeasonBundleAdminMixin,
    admin.ModelAdmin)``. It sets the change list and change form templates, which add the
    "Import season bundle" and "Export bundle" links to the object tools.
    """

    change_list_template = "admin/championships/championship/change_list.html"
    change_form_template = "admin/championships/championship/change_form.html"
    import_template = "admin/championships/championship/import_bundle.html"
    upload_kind = "season_bundle"
    upload_form = BundleUploadForm
    upload_field = "bundle"
    upload_expired = gettext_lazy("The checked upload has expired; upload the bundle again.")

    def get_urls(self) -> list[URLPattern]:
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path(
                "import-bundle/",
                wrap(self.import_bundle_view),
                name="{}_{}_import_bundle".format(*info),
            ),
            path(
                "<path:object_id>/export-bundle/",
                wrap(self.export_bundle_view),
                name="{}_{}_export_bundle".format(*info),
            ),
            *super().get_urls(),
        ]

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        if self.actions is not None and IS_POPUP_VAR not in request.GET:
            if self.has_view_permission(request):
                func, name, description = self.get_action("export_season_bundles")
                actions[name] = (func, name, description)
        return actions

    @admin.action(description=gettext_lazy("Export selected championships as season bundles"))
    def export_season_bundles(
        self, request: HttpRequest, queryset: QuerySet[Championship]
    ) -> HttpResponse:
        championships = list(queryset.select_related("series"))
        if len(championships) == 1:
            return zip_response(season_export_zip(championships[0]), f"{championships[0].slug}.zip")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:  # bundles are compressed already
            for championship in championships:
                archive.writestr(f"{championship.slug}.zip", season_export_zip(championship))
        return zip_response(buffer.getvalue(), "season-bundles.zip")

    def export_bundle_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        championship = self.get_object(request, unquote(object_id))
        if championship is None:
            raise Http404(_("No championship with this id."))
        if not self.has_view_permission(request, championship):
            raise PermissionDenied
        return zip_response(season_export_zip(championship), f"{championship.slug}.zip")

    def import_bundle_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        return self.upload_view(request)

    def may_replace(self, request: HttpRequest) -> bool:
        """Replacing deletes a championship's season, so it takes change and delete rights."""
        return self.has_change_permission(request) and self.has_delete_permission(request)

    def upload_dry_run(
        self, request: HttpRequest, subject: None, *, form: forms.Form, content: bytes, name: str
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        replace = form.cleaned_data["replace"]
        if replace and not self.may_replace(request):
            raise forms.ValidationError({"replace": _("You may not replace championships.")})
        summary = season_import(uploaded_bundle(content, name), replace=replace, dry_run=True)
        return {"summary": summary}, {"replace": replace}

    def upload_apply(
        self, request: HttpRequest, subject: None, upload: CheckedUpload
    ) -> HttpResponse:
        replace = upload.options["replace"]
        if replace and not self.may_replace(request):
            raise PermissionDenied
        source = uploaded_bundle(upload.data, upload.file_name)
        return self._imported(request, season_import(source, replace=replace, user=request.user))

    def _imported(self, request: HttpRequest, summary: ImportSummary) -> HttpResponse:
        championship = Championship.objects.get(pk=summary.championship_id)
        messages.success(request, _("Imported %(summary)s.") % {"summary": summary})
        name = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change"
        return HttpResponseRedirect(reverse(name, args=[championship.pk]))

    def upload_render(self, request: HttpRequest, subject: None, **context: Any) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import season bundle"),
            "max_bytes": settings.SEASON_BUNDLE_MAX_BYTES,
            **context,
        }
        return TemplateResponse(request, self.import_template, context)
