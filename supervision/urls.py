from __future__ import annotations

from django.urls import path

from supervision import views

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
]
