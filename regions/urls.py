from __future__ import annotations

from django.urls import include, path

from regions import views, views_dashboard, views_delegations, views_identity, views_rules

app_name = "regions"
urlpatterns = [
    path("", views.region_home, name="home"),
    path("studierektor/", views_dashboard.study_director, name="study_director"),
    path(
        "studierektor/riskzon/", views_dashboard.study_director_risks, name="study_director_risks"
    ),
    path(
        "studierektor/enheter/", views_dashboard.study_director_units, name="study_director_units"
    ),
    path(
        "studierektor/export.<str:fmt>",
        views_dashboard.study_director_export,
        name="study_director_export",
    ),
    path("studierektor/ersattare/", views_delegations.delegation_list, name="delegations"),
    path(
        "studierektor/ersattare/<int:pk>/avsluta/",
        views_delegations.delegation_end,
        name="delegation_end",
    ),
    path("verksamhetschef/", views.head_of_unit, name="head_of_unit"),
    path("region/", views.regional, name="regional"),
    path("enheter/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("regler/", views_rules.rules, name="rules"),
    path("regler/jamfor/", views_rules.rules_compare, name="rules_compare"),
    path("", include("regions.onboarding.urls")),
    path("region/inloggning/", views_identity.login_settings, name="login_settings"),
]
