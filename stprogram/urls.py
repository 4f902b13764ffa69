from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from assessments.urls import token_urlpatterns
from stprogram import views, views_invitations

# The admin's own login form would skip the second factor and the failed-login
# limits; it hands over to allauth's login instead (issue 17, finding 2).
admin.site.login = secure_admin_login(admin.site.login)

# A locked SQLite database is a 503 "try again shortly" (stprogram.views.database_busy).
handler400 = "stprogram.views.bad_request"
handler500 = "stprogram.views.server_error"

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
