from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from assessments.urls import token_urlpatterns
from stprogram import views, views_invitations

region_patterns = [
    path("", include("regions.urls")),
    path("", include("trainees.urls")),
    path("", include("supervision.urls")),
    path("", include("assessments.urls")),
    path("", include("inspections.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("inbjudan/<str:token>/", views_invitations.invitation, name="invitation"),
    path("", include((token_urlpatterns, "assessments"), namespace="assessment_links")),
    path("", include("stprogram.reminders.urls")),
    path("", views.home, name="home"),
    path("<slug:region>/", include(region_patterns)),
]
