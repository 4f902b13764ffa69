from __future__ import annotations

from django.urls import path

from trainees import views, views_admin, views_documents, views_records
from trainees.certificates import views as certificates

app_name = "trainees"
urlpatterns = [
    path("min-st/", views.my_st, name="my_st"),
    path("intygsblanketter/", certificates.official_forms, name="official_forms"),
    path("st/ny/", views_admin.enrol, name="enrol"),
    path("personal/ny/", views_admin.staff_new, name="staff_new"),
    path("personal/<int:user_pk>/inbjudan/", views_admin.staff_invite, name="staff_invite"),
    path("st/<int:pk>/", views.trainee_detail, name="detail"),
    path("st/<int:pk>/portfolj.json", views.portfolio_download, name="portfolio"),
    path("st/<int:pk>/personnummer/", views.personnummer_reveal, name="personnummer"),
    path("st/<int:pk>/ansvariga/", views_admin.assignments, name="assignments"),
    path("st/<int:pk>/inbjudan/", views_admin.invite, name="invite"),
    path("st/<int:pk>/kontrakt/", views_documents.contract_page, name="contract"),
    path(
        "st/<int:pk>/kontrakt/<int:contract_pk>/signera/",
        views_documents.contract_sign,
        name="contract_sign",
    ),
    path("st/<int:pk>/iup/", views_documents.iup_page, name="iup"),
    path("st/<int:pk>/iup/<str:phase>/redigera/", views_documents.iup_edit, name="iup_edit"),
    path("st/<int:pk>/iup/v/<int:version_pk>/", views_documents.iup_version, name="iup_version"),
    path("st/<int:pk>/iup/v/<int:version_pk>/signera/", views_documents.iup_sign, name="iup_sign"),
    path("st/<int:pk>/placeringar/ny/", views_records.rotation_new, name="rotation_new"),
    path(
        "st/<int:pk>/placeringar/<int:rotation_pk>/", views_records.rotation_detail, name="rotation"
    ),
    path("st/<int:pk>/aktiviteter/ny/", views_records.activity_new, name="activity_new"),
    path("st/<int:pk>/franvaro/ny/", views_records.absence_new, name="absence_new"),
    path(
        "st/<int:pk>/<str:kind>/<int:record_pk>/ta-bort/",
        views_records.record_delete,
        name="record_delete",
    ),
    path("gast/placeringar/", views_records.guest_rotations, name="guest_rotations"),
    path("placeringar/forfragningar/", views_records.grant_requests, name="grant_requests"),
    path(
        "placeringar/forfragningar/<int:grant_pk>/besvara/",
        views_records.grant_decide,
        name="grant_decide",
    ),
    path("st/<int:pk>/intyg/", certificates.certificate_list, name="certificates"),
    path("st/<int:pk>/intyg/paket/", certificates.packet_new, name="packet_new"),
    path(
        "st/<int:pk>/intyg/paket/<int:packet_pk>.pdf",
        certificates.packet_download,
        name="packet_download",
    ),
    path(
        "st/<int:pk>/intyg/baskompetens/extern-bedomare/",
        certificates.external_assessor,
        name="external_assessor",
    ),
    path("st/<int:pk>/intyg/<slug:key>/", certificates.certificate_preview, name="certificate"),
    path(
        "st/<int:pk>/intyg/<slug:key>.pdf",
        certificates.certificate_download,
        name="certificate_pdf",
    ),
]
