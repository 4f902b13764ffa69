from __future__ import annotations

from django.urls import path

from regions.onboarding import views

urlpatterns = [
    path("inlasning/", views.onboarding, name="onboarding"),
    path("inlasning/mall.xlsx", views.onboarding_template_xlsx, name="onboarding_template_xlsx"),
    path(
        "inlasning/mall-<slug:table>.csv",
        views.onboarding_template_csv,
        name="onboarding_template_csv",
    ),
    path("inlasning/<int:pk>/", views.onboarding_status, name="onboarding_status"),
    path(
        "inlasning/<int:pk>/bekrafta/",
        views.onboarding_confirm_view,
        name="onboarding_confirm",
    ),
]
