"""Season bundle import (upload with a dry run) and export (download) in the back office.

The import is two steps. The upload is checked with a dry run, which shows the preview or
every problem; the uploaded file waits in a private temporary folder, named in a signed token
that the "Apply import" form posts back. The token is bound to the user, expires after an
hour and carries the file's SHA-256, so the file applied is the file previewed.
"""

from __future__ import annotations

import hashlib
import io
import re
import tempfile
import time
import zipfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from championships.bundle import BundleError, ImportSummary, season_export_zip, season_import
from championships.models import Championship

PENDING_MAX_AGE = 60 * 60  # seconds an upload waits for "Apply import"
_PENDING_NAME = re.compile(r"bundle-[A-Za-z0-9_]+\.zip")


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


class PendingUploads:
    """Uploads kept between the dry run and "Apply import", in a folder only we can read."""

    salt = "championships.bundle_admin.pending"

    def __init__(self) -> None:
        self.folder = Path(tempfile.gettempdir()) / "cupmanager-season-bundles"

    def keep(self, upload: UploadedFile, *, user_id: int, replace: bool) -> str:
        """Store the upload; the signed token to apply it."""
        self.folder.mkdir(mode=0o700, exist_ok=True)
        self._forget_old()
        digest = hashlib.sha256()
        with tempfile.NamedTemporaryFile(
            dir=self.folder, prefix="bundle-", suffix=".zip", delete=False
        ) as file:
            for chunk in upload.chunks():
                digest.update(chunk)
                file.write(chunk)
        name = Path(file.name).name
        payload = {"file": name, "sha256": digest.hexdigest(), "user": user_id, "replace": replace}
        return signing.dumps(payload, salt=self.salt)

    def open(self, token: str, *, user_id: int) -> tuple[Path, bool]:
        """The kept file and whether to replace; ValueError if the token is not good."""
        try:
            payload = signing.loads(token, salt=self.salt, max_age=PENDING_MAX_AGE)
        except signing.BadSignature:
            raise ValueError("bad or expired token") from None
        path = self.folder / payload["file"]
        if payload["user"] != user_id or not _PENDING_NAME.fullmatch(payload["file"]):
            raise ValueError("token for another user or file")
        if not path.is_file() or _sha256(path) != payload["sha256"]:
            raise ValueError("the kept file is gone or changed")
        return path, bool(payload["replace"])

    def forget(self, path: Path) -> None:
        path.unlink(missing_ok=True)

    def _forget_old(self) -> None:
        """Uploads that were never applied."""
        cutoff = time.time() - PENDING_MAX_AGE
        for kept in self.folder.glob("bundle-*.zip"):
            if kept.stat().st_mtime < cutoff:
                kept.unlink(missing_ok=True)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def zip_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class SeasonBundleAdminMixin:
    """Adds the bundle import and export views to the championship admin.

    Use it first among the bases: ``class ChampionshipAdmin(SeasonBundleAdminMixin,
    admin.ModelAdmin)``. It sets the change list and change form templates, which add the
    "Import season bundle" and "Export bundle" links to the object tools.
    """

    change_list_template = "admin/championships/championship/change_list.html"
    change_form_template = "admin/championships/championship/change_form.html"
    import_template = "admin/championships/championship/import_bundle.html"
    pending_uploads = PendingUploads()

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
        if request.method == "POST" and "apply" in request.POST:
            return self._apply_import(request)
        form = BundleUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            return self._preview_import(request, form)
        return self._render_import(request, form=form)

    def may_replace(self, request: HttpRequest) -> bool:
        """Replacing deletes a championship's season, so it takes change and delete rights."""
        return self.has_change_permission(request) and self.has_delete_permission(request)

    def _preview_import(self, request: HttpRequest, form: BundleUploadForm) -> HttpResponse:
        upload, replace = form.cleaned_data["bundle"], form.cleaned_data["replace"]
        if replace and not self.may_replace(request):
            form.add_error("replace", _("You may not replace championships."))
            return self._render_import(request, form=form)
        try:
            summary = season_import(upload, replace=replace, dry_run=True)
        except BundleError as error:
            return self._render_import(request, form=form, issues=error.issues)
        token = self.pending_uploads.keep(upload, user_id=request.user.pk, replace=replace)
        return self._render_import(request, summary=summary, token=token)

    def _apply_import(self, request: HttpRequest) -> HttpResponse:
        try:
            path, replace = self.pending_uploads.open(
                request.POST.get("token", ""), user_id=request.user.pk
            )
        except ValueError:
            messages.error(request, _("The checked upload has expired; upload the bundle again."))
            return HttpResponseRedirect(request.path)
        if replace and not self.may_replace(request):
            raise PermissionDenied
        try:
            summary = season_import(path, replace=replace, user=request.user)
        except BundleError as error:
            return self._render_import(request, form=BundleUploadForm(), issues=error.issues)
        finally:
            self.pending_uploads.forget(path)
        return self._imported(request, summary)

    def _imported(self, request: HttpRequest, summary: ImportSummary) -> HttpResponse:
        championship = Championship.objects.get(pk=summary.championship_id)
        messages.success(request, _("Imported %(summary)s.") % {"summary": summary})
        name = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change"
        return HttpResponseRedirect(reverse(name, args=[championship.pk]))

    def _render_import(self, request: HttpRequest, **context: object) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import season bundle"),
            "max_bytes": settings.SEASON_BUNDLE_MAX_BYTES,
            **context,
        }
        return TemplateResponse(request, self.import_template, context)
