from __future__ import annotations

from django.urls import path

from stprogram.reminders import views

app_name = "notifications"
urlpatterns = [
    path("aviseringar/", views.notification_list, name="list"),
    path("aviseringar/<int:pk>/last/", views.mark_read, name="mark_read"),
    path("aviseringar/alla-lasta/", views.mark_all_read, name="mark_all_read"),
    path("aviseringar/installningar/", views.preferences, name="preferences"),
    path("aviseringar/kalender/", views.calendar_manage, name="calendar_manage"),
    path("kalender/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
