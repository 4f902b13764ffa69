from __future__ import annotations

from django.urls import path

from trainees import views

app_name = "trainees"
urlpatterns = [
    path("min-st/", views.my_st, name="my_st"),
    path("st/<int:pk>/", views.trainee_detail, name="detail"),
]
