"""Back-office behaviour any app's admin shares; it knows no project model."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's History pages, but a past record's form saves only for those
    who may change the model: the package checks the view permission alone before saving."""

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class CarNumberSearchMixin:
    """A search for "55" or "#55" finds car 55 exactly (and not 155 or 550)."""

    car_number_field: str = "car_number"

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        number = search_term.strip().removeprefix("#")
        if number.isdecimal() and len(number) <= 3:
            found |= queryset.filter(**{self.car_number_field: int(number)})
        return found, may_have_duplicates
