"""What every endpoint of /api/v1/ shares: paging, strict filters, throttling, error docs.

The viewsets live in ``<app>/api.py``; ``cupmanager/api_urls.py`` routes them all.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import BaseCache
from django.core.signals import got_request_exception
from django.db.models import QuerySet
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_filters import BooleanFilter, FilterSet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, pagination, permissions, serializers, throttling
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.settings import api_settings

from core.middleware import service_unavailable
from core.security import counters_cache

if TYPE_CHECKING:  # DRF imports this module while it builds APIView
    from rest_framework.views import APIView

# What a slug or an id in a URL may be: anything else is a 404 before the database is asked.
SLUG = "[a-z0-9]+(?:-[a-z0-9]+)*"
ID = "[0-9]{1,18}"
# Parameters that every list accepts besides its filters.
PAGING_PARAMETERS = frozenset({"page", "page_size", "format"})
BOOLEAN_VALUES = frozenset({"true", "false", "True", "False"})


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class FilterBackend(DjangoFilterBackend):
    """django-filter, but an unknown parameter or a value that is not true/false is a 400.

    django-filter itself ignores both, so a typo (``?rokie=true``) would silently answer the
    unfiltered list.
    """

    def get_filterset(self, request: Request, queryset: QuerySet, view: APIView) -> FilterSet:
        filterset = super().get_filterset(request, queryset, view)
        if request.method in ("GET", "HEAD"):
            check_parameters(request, view, filterset)
        return filterset


def check_parameters(request: Request, view: APIView, filterset: FilterSet | None) -> None:
    filters_ = filterset.base_filters if filterset is not None else {}
    known = PAGING_PARAMETERS | set(filters_)
    if getattr(view, "ordering_fields", None):
        known |= {"ordering"}
    errors = {}
    for name, value in request.query_params.items():
        if name not in known:
            expected = ", ".join(sorted(known))
            errors[name] = [
                _("Unknown parameter; expected one of %(known)s.") % {"known": expected}
            ]
        elif (
            isinstance(filters_.get(name), BooleanFilter) and value and value not in BOOLEAN_VALUES
        ):
            errors[name] = [_("Expected true or false, not %(value)r.") % {"value": value}]
    if errors:
        raise ValidationError(errors)


class OrderingFilter(filters.OrderingFilter):
    """DRF's ordering, but a field that cannot be ordered by is a 400 rather than ignored."""

    def get_ordering(self, request: Request, queryset: QuerySet, view: APIView) -> Any:
        params = request.query_params.get(self.ordering_param)
        if params:
            fields = [param.strip() for param in params.split(",")]
            valid = {
                name for name, _label in self.get_valid_fields(queryset, view, {"request": request})
            }
            wrong = [field for field in fields if field.lstrip("-") not in valid]
            if wrong:
                expected = ", ".join(sorted(valid))
                message = _("Cannot order by %(wrong)s; use %(valid)s, each with an optional '-'.")
                raise ValidationError(
                    {
                        self.ordering_param: [
                            message % {"wrong": ", ".join(wrong), "valid": expected}
                        ]
                    }
                )
        return super().get_ordering(request, queryset, view)

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        fields = list(getattr(view, "ordering_fields", None) or ())
        if not fields:  # such a view refuses ?ordering as an unknown parameter
            return []
        parameters = super().get_schema_operation_parameters(view)
        one = f"-?({'|'.join(fields)})"
        for parameter in parameters:
            parameter["description"] = (
                "Comma-separated fields to order by, '-' before a field for descending: "
                f"{', '.join(fields)}."
            )
            parameter["schema"] = {"type": "string", "pattern": f"^{one}(,{one})*$"}
            parameter["example"] = f"-{fields[0]}"
        return parameters


class AnonRateThrottle(throttling.AnonRateThrottle):
    """Anonymous requests per address, counted in the counters cache; the rate
    (``API_ANON_RATE``) is read at request time.

    DRF's own class reads its rates once at import, so settings overrides would not reach it,
    and counts in the default cache, where the kept pages are.
    """

    @property
    def cache(self) -> BaseCache:  # type: ignore[override]
        return counters_cache()

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


# Writes: one rule for every endpoint ------------------------------------------------------


class StaffWritePermission(permissions.DjangoModelPermissions):
    """Reads for anyone; a write for an active staff user holding the model permissions.

    The permissions are the view's ``write_permissions`` when it names them (an import
    replaces a race's results: add, change and delete results), else those of the method on
    the view's model (add for POST, change for PUT and PATCH, delete for DELETE). A view with
    neither writes for no one. A token alone is not enough: its user must still be staff.
    """

    authenticated_users_only = False

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        user = request.user
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            return False
        needed = getattr(view, "write_permissions", None)
        if needed is not None:
            return user.has_perms(needed)
        if getattr(view, "queryset", None) is None and not hasattr(view, "get_queryset"):
            return False
        return super().has_permission(request, view)


# Errors: JSON, whatever went wrong ----------------------------------------------------------

logger = logging.getLogger("core.api")


def exception_handler(exc: Exception, context: dict[str, Any]) -> HttpResponse | None:
    """DRF's answers to its own errors; any other error (a bug) a JSON 500, logged with its
    traceback, instead of Django's HTML page. An outage of the database or the cache goes on
    to the middleware's 503, and with DEBUG on the traceback page stays for the developer."""
    from rest_framework.views import exception_handler as drf_exception_handler  # see above

    response = drf_exception_handler(exc, context)
    if response is not None or service_unavailable(exc) or settings.DEBUG:
        return response
    request = context.get("request")
    logger.error("Server error in the API", exc_info=exc)
    got_request_exception.send(sender=None, request=getattr(request, "_request", request))
    return server_error_response()


def server_error_response() -> JsonResponse:
    detail = _("Server error: the request could not be answered. Please try again later.")
    return JsonResponse({"detail": detail}, status=500)


# Uploads --------------------------------------------------------------------------------


class RawUploadParser(BaseParser):
    """A request body that is the file itself; ``request.data`` is then its bytes."""

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Any = None
    ) -> bytes:
        # One more byte than any upload may have, so that a larger one is told apart.
        return stream.read(settings.SEASON_BUNDLE_MAX_BYTES + 1) if stream else b""


class CsvParser(RawUploadParser):
    media_type = "text/csv"


class ZipParser(RawUploadParser):
    media_type = "application/zip"


class UploadSerializer(serializers.Serializer):
    """The file as the form field ``file`` of a multipart/form-data request."""

    file = serializers.FileField()


def uploaded_file(request: Request, *, max_bytes: int) -> tuple[str | None, bytes]:
    """(file name if known, content) of the file sent as the body or as the field ``file``."""
    if isinstance(request.data, bytes):
        name, content = None, request.data
    else:
        upload = request.data.get("file")
        if not hasattr(upload, "read"):
            message = _("Send the file as the request body or as the form field file.")
            raise ValidationError({"file": [message]})
        if upload.size > max_bytes:
            raise _too_large(max_bytes)
        name, content = upload.name, upload.read()
    if len(content) > max_bytes:
        raise _too_large(max_bytes)
    if not content:
        raise ValidationError({"file": [_("The file is empty.")]})
    return name, content


def _too_large(max_bytes: int) -> ValidationError:
    return ValidationError(
        {"file": [_("The file is larger than %(max)s bytes.") % {"max": max_bytes}]}
    )


def file_errors(issues: list[Any]) -> dict[str, Any]:
    """The 400 body of a refused file: every problem with its file, line and column."""
    count = len(issues)
    detail = ngettext(
        "The file has %(count)d problem; nothing was written.",
        "The file has %(count)d problems; nothing was written.",
        count,
    ) % {"count": count}
    errors = [
        {"file": i.file, "line": i.line, "column": i.column, "message": i.message} for i in issues
    ]
    return {"detail": detail, "errors": errors}


# OpenAPI: the error answers every endpoint may give -------------------------------------

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FILE_ISSUE_SCHEMA = {
    "type": "object",
    "properties": {
        "file": {"type": "string", "example": "results/R1-2.csv"},
        "line": {"type": "integer", "nullable": True, "example": 4},
        "column": {
            "oneOf": [{"type": "string"}, {"type": "integer"}],
            "nullable": True,
            "example": "TIME",
        },
        "message": {"type": "string", "example": "expected a race time H:MM:SS.sss"},
    },
    "required": ["file", "line", "column", "message"],
}
FILE_ERRORS_SCHEMA = {
    "type": "object",
    "description": "A refused file: every problem found. Other 400s name the parameter.",
    "properties": {
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/FileIssue"}},
    },
    "additionalProperties": {},
}
FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "description": "Each parameter or field in error, with what was expected.",
    "additionalProperties": {},
}


def _error(description: str, example: dict[str, Any], schema: str = "Error") -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/json": {
                "schema": {"$ref": f"#/components/schemas/{schema}"},
                "examples": {"Example": {"value": example}},
            }
        },
    }


BAD_REQUEST = _error(
    "A parameter or field is wrong; each is named with what was expected.",
    {"rookie": ["Expected true or false, not 'maybe'."]},
    "FieldErrors",
)
NOT_FOUND = _error("No such object, or a page past the last.", {"detail": "No Race matches."})
NOT_AUTHENTICATED = _error(
    "No valid token (header `Authorization: Token <key>`) or staff session.",
    {"detail": "Authentication credentials were not provided."},
)
FORBIDDEN = _error(
    "The user lacks the model permission this write needs.",
    {"detail": "You do not have permission to perform this action."},
)
THROTTLED = {
    **_error(
        "Too many anonymous requests from this address; retry after the seconds given.",
        {"detail": "Request was throttled. Expected available in 12 seconds."},
    ),
    "headers": {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
}
NOT_MODIFIED = {"description": "Not modified: the copy named by If-None-Match is current."}
WRITE_METHODS = ("post", "put", "patch", "delete")


def document_errors(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """drf-spectacular hook: add the shared error answers to every operation of the schema."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR_SCHEMA)
    schemas.setdefault("FieldErrors", FIELD_ERRORS_SCHEMA)
    schemas.setdefault("FileIssue", FILE_ISSUE_SCHEMA)
    schemas.setdefault("FileErrors", FILE_ERRORS_SCHEMA)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            _add_errors(operation, method, has_path_parameter="{" in path)
    return result


def _add_errors(operation: dict[str, Any], method: str, *, has_path_parameter: bool) -> None:
    responses = operation.setdefault("responses", {})
    query = [p for p in operation.get("parameters", []) if p.get("in") == "query"]
    if query or "requestBody" in operation:
        responses.setdefault("400", BAD_REQUEST)
    if has_path_parameter or any(p["name"] == "page" for p in query):
        responses.setdefault("404", NOT_FOUND)
    if method in WRITE_METHODS:
        responses.setdefault("401", NOT_AUTHENTICATED)
        responses.setdefault("403", FORBIDDEN)
    if method == "get":
        responses.setdefault("304", NOT_MODIFIED)
    responses.setdefault("429", THROTTLED)
