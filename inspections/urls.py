from __future__ import annotations

from django.urls import path

from inspections import views

app_name = "inspections"
urlpatterns = [
    path("granskningar/", views.overview, name="overview"),
    path("granskningar/enhet/<int:pk>/", views.unit, name="unit"),
    path("granskningar/enhet/<int:pk>/ny/", views.review_new, name="new"),
    path("granskningar/enhet/<int:pk>/underlag/", views.pack_page, name="pack"),
    path("granskningar/enhet/<int:pk>/underlag.pdf", views.pack_pdf, name="pack_pdf"),
    path(
        "granskningar/enhet/<int:pk>/sjalvvardering/",
        views.self_assessment_start,
        name="self_assessment_start",
    ),
    path("granskningar/sjalvvardering/<int:pk>/", views.self_assessment, name="self_assessment"),
    path("granskningar/<int:pk>/", views.detail, name="detail"),
    path("granskningar/<int:pk>/andra/", views.review_edit, name="edit"),
    path("granskningar/<int:pk>/rapport/", views.report_upload, name="report_upload"),
    path("granskningar/<int:pk>/rapport.pdf", views.report_download, name="report"),
    path("granskningar/<int:pk>/fynd/", views.finding_add, name="finding_add"),
    path("granskningar/<int:pk>/atgarder/", views.measure_add, name="measure_add"),
    path(
        "granskningar/<int:pk>/atgarder/<int:measure_pk>/klar/",
        views.measure_done,
        name="measure_done",
    ),
    path("granskningar/<int:pk>/godkann/", views.plan_approve, name="approve"),
    path("granskningar/<int:pk>/uppfoljning/", views.follow_up, name="follow_up"),
]
