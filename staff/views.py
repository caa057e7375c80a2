"""Staff pages beside the back office: one's own API token, timing providers' tokens, one's
back-office language, and the 403 page that names the role a refused page needs."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

from staff.language import is_language, remember, staff_language_set
from staff.needs import roles_needed
from staff.roles import TIMING_PROVIDER_GROUP
from staff.tokens import (
    ISSUE_PROVIDER_TOKEN,
    REVOKE_PROVIDER_TOKEN,
    TokenRefused,
    is_timing_provider,
    may_hold_own_token,
    provider_token_issue,
    provider_token_revoke,
    token_issue,
    token_revoke,
)


def _page(request: HttpRequest, template: str, title: str, **context: object) -> HttpResponse:
    response = TemplateResponse(
        request,
        f"admin/staff/{template}",
        {**admin.site.each_context(request), "title": title, **context},
    )
    response["Cache-Control"] = "private, no-store"  # a new key is on it once
    return response


@require_http_methods(["GET", "POST"])
def own_token(request: HttpRequest) -> HttpResponse:
    """Issue (or rotate) and revoke one's own API token."""
    if not may_hold_own_token(request.user):
        raise PermissionDenied(
            _(
                "Managing an API token needs a role that writes, such as Series manager or "
                "Race control."
            )
        )
    issued = None
    action = request.POST.get("action")
    if action == "issue":
        issued = token_issue(user=request.user)
    elif action == "revoke":
        token_revoke(user=request.user)
    token = Token.objects.filter(user=request.user).first()
    return _page(request, "token.html", _("Your API token"), token=token, issued=issued)


def _providers() -> list:
    members = (
        get_user_model()
        .objects.filter(groups__name=TIMING_PROVIDER_GROUP)
        .select_related("auth_token")
        .order_by("username")
    )
    return [user for user in members if is_timing_provider(user)]


@require_http_methods(["GET", "POST"])
def provider_tokens(request: HttpRequest) -> HttpResponse:
    """A series manager issues and revokes the tokens of timing providers' accounts."""
    if not request.user.has_perms((ISSUE_PROVIDER_TOKEN, REVOKE_PROVIDER_TOKEN)):
        raise PermissionDenied(
            _("Timing providers' tokens are managed by the Series manager role.")
        )
    issued, refusal = None, None
    if request.method == "POST":
        user_id = request.POST.get("user", "")
        provider = get_object_or_404(get_user_model(), pk=int(user_id) if user_id.isdigit() else 0)
        try:
            issued = _provider_action(request, provider)
        except TokenRefused as exc:
            refusal = str(exc)
    context = {"providers": _providers(), "issued": issued, "refusal": refusal}
    status = 403 if refusal else 200
    response = _page(request, "provider_tokens.html", _("Timing providers' API tokens"), **context)
    response.status_code = status
    return response


def _provider_action(request: HttpRequest, provider: object) -> Token | None:
    if request.POST.get("action") == "issue":
        return provider_token_issue(provider=provider, by=request.user)
    provider_token_revoke(provider=provider, by=request.user)
    return None


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 403 page: what was refused and, for a back-office page, which role opens it."""
    message = str(exception) if exception and str(exception) else ""
    context = {"message": message, "roles": roles_needed(request.path_info)}
    return render(request, "403.html", context, status=403)


@require_http_methods(["POST"])
def language(request: HttpRequest) -> HttpResponse:
    """The header's language picker: remembers the staff member's choice and goes back."""
    chosen = request.POST.get("language", "")
    if not is_language(chosen):
        return HttpResponse(_("Choose one of the languages offered."), status=400)
    staff_language_set(user=request.user, language=chosen)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("admin:index")
    response = HttpResponseRedirect(back)
    remember(request, response, chosen)
    return response
