"""Staff pages beside the back office, behind its login (``admin.site.admin_view``)."""

from django.contrib import admin
from django.urls import path

from staff import views

app_name = "staff"

urlpatterns = [
    path("", admin.site.admin_view(views.own_token), name="token"),
    path("providers/", admin.site.admin_view(views.provider_tokens), name="provider-tokens"),
]
