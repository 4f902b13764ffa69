from __future__ import annotations

from django.urls import path

from supervision import views

app_name = "supervision"
urlpatterns = [
    path("handledare/", views.supervisor_home, name="home"),
]
