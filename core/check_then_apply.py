"""One back-office upload in two steps, for every import: check, then apply.

The check runs the import as a dry run and shows what it would do, or every problem. A file
that passes waits as a ``CheckedUpload`` row (the database every app server reads), named by
its id in the "Apply" form's ``token`` field. The apply hands those very bytes, checked by
this user for this object, to the import again, in one transaction with the row's deletion.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from core.checked_uploads import (
    UploadGone,
    UploadOfAnother,
    checked_upload_keep,
    checked_upload_take,
)
from core.imports import FileError
from core.models import CheckedUpload


class CheckThenApplyMixin:
    """Add to a ModelAdmin and call ``upload_view`` from the upload's view.

    Set ``upload_kind``, ``upload_form`` (``upload_field`` names its file field) and
    ``upload_expired`` (the message for an id that names no waiting upload); write the hooks
    ``upload_dry_run``, ``upload_apply`` and ``upload_render``. Both import hooks raise
    ``FileError`` to list the file's problems.
    """

    upload_kind: str
    upload_form: type[forms.Form]
    upload_field: str
    upload_expired: str
    # Race control has always refused another's upload outright (403); the others said the
    # checked upload had expired, as they do for an id they do not know.
    upload_of_another_forbidden = False

    def upload_dry_run(
        self, request: HttpRequest, subject: Any, *, form: forms.Form, content: bytes, name: str
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The preview's context and the options to keep for the apply; ValidationError
        refuses the form."""
        raise NotImplementedError

    def upload_apply(
        self, request: HttpRequest, subject: Any, upload: CheckedUpload
    ) -> HttpResponse:
        raise NotImplementedError

    def upload_render(self, request: HttpRequest, subject: Any, **context: Any) -> HttpResponse:
        raise NotImplementedError

    def upload_view(
        self, request: HttpRequest, subject: models.Model | None = None
    ) -> HttpResponse:
        if request.method == "POST" and "apply" in request.POST:
            return self._upload_apply(request, subject)
        form = self.upload_form(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            return self._upload_check(request, subject, form)
        return self.upload_render(request, subject, form=form)

    def _upload_check(self, request: HttpRequest, subject: Any, form: forms.Form) -> HttpResponse:
        file = form.cleaned_data[self.upload_field]
        content, name = file.read(), file.name
        try:
            preview, options = self.upload_dry_run(
                request, subject, form=form, content=content, name=name
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.upload_render(request, subject, form=form)
        except FileError as error:
            return self.upload_render(request, subject, form=form, issues=error.issues)
        kept = checked_upload_keep(
            kind=self.upload_kind,
            user=request.user,
            file_name=name,
            content=content,
            subject=_key(subject),
            options=options,
        )
        return self.upload_render(request, subject, token=str(kept.pk), file_name=name, **preview)

    def _upload_apply(self, request: HttpRequest, subject: Any) -> HttpResponse:
        try:
            with transaction.atomic():
                upload = checked_upload_take(
                    upload_id=request.POST.get("token", ""),
                    kind=self.upload_kind,
                    user=request.user,
                    subject=_key(subject),
                )
                return self.upload_apply(request, subject, upload)
        except FileError as error:
            form = self.upload_form()
            return self.upload_render(request, subject, form=form, issues=error.issues)
        except UploadOfAnother:
            if self.upload_of_another_forbidden:
                raise PermissionDenied from None
            return self._upload_gone(request)
        except UploadGone:
            return self._upload_gone(request)

    def _upload_gone(self, request: HttpRequest) -> HttpResponse:
        messages.error(request, self.upload_expired)
        return HttpResponseRedirect(request.path)


def _key(subject: models.Model | None) -> str:
    return "" if subject is None else str(subject.pk)
