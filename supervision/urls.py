from __future__ import annotations

from django.urls import path

from supervision import views, views_action_plans

app_name = "supervision"
urlpatterns = [
    path("handledare/", views.supervisor_home, name="home"),
    path(
        "handledare/samtal/<int:meeting_pk>/bekrafta/",
        views.meeting_confirm,
        name="meeting_confirm",
    ),
    path("handledare/kompetens/", views.my_qualifications, name="qualifications"),
    path("handledare/enheter/", views.unit_supervisors, name="unit_supervisors"),
    path("st/<int:pk>/handledning/", views.meetings, name="meetings"),
    path("st/<int:pk>/handledning/ny/", views.meeting_new, name="meeting_new"),
    path("st/<int:pk>/uppfoljning/<str:kind>/ny/", views.yearly_new, name="yearly_new"),
    path("st/<int:pk>/atgardsplan/ny/", views_action_plans.action_plan_new, name="action_plan_new"),
    path(
        "st/<int:pk>/atgardsplan/<int:plan_pk>/",
        views_action_plans.action_plan,
        name="action_plan",
    ),
    path(
        "st/<int:pk>/atgardsplan/<int:plan_pk>/bekrafta/",
        views_action_plans.action_plan_confirm,
        name="action_plan_confirm",
    ),
    path(
        "st/<int:pk>/atgardsplan/<int:plan_pk>/atgard/<int:measure_pk>/klar/",
        views_action_plans.action_measure_done,
        name="action_measure_done",
    ),
    path(
        "st/<int:pk>/atgardsplan/<int:plan_pk>/avsluta/",
        views_action_plans.action_plan_close,
        name="action_plan_close",
    ),
]
