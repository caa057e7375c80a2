from django.urls import path

from public.views import talentpool as views

app_name = "talentpool"

urlpatterns = [
    path("talent-pool/", views.EditionView.as_view(), name="edition"),
    path("talent-pool/apply/", views.application_apply, name="apply"),
    path("talent-pool/apply/thanks/", views.application_thanks, name="thanks"),
    path("talent-pool/status/", views.application_status, name="status"),
]
