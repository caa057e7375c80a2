"""Entrants' accounts: django-allauth's pages, with sign-up, sign-in and password-reset
requests counted per address in the counters' cache that every worker shares
(``core.ratelimit.limit_posts``), before allauth's own limits."""

from allauth.account import views as account_views
from django.urls import include, path

from core.ratelimit import limit_posts

urlpatterns = [
    path(
        "accounts/signup/",
        limit_posts(
            account_views.signup, scope="paddock-signup", rate_setting="PADDOCK_SIGNUP_RATE_LIMIT"
        ),
        name="account_signup",
    ),
    path(
        "accounts/login/",
        limit_posts(
            account_views.login, scope="paddock-login", rate_setting="PADDOCK_LOGIN_RATE_LIMIT"
        ),
        name="account_login",
    ),
    path(
        "accounts/password/reset/",
        limit_posts(
            account_views.password_reset,
            scope="paddock-reset",
            rate_setting="PADDOCK_PASSWORD_RESET_RATE_LIMIT",
        ),
        name="account_reset_password",
    ),
    path("accounts/", include("allauth.urls")),
]
