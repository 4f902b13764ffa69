from __future__ import annotations

from django.urls import path

from assessments import views

app_name = "assessments"
urlpatterns = [
    path("st/<int:pk>/bedomningar/", views.assessment_list, name="list"),
    path("st/<int:pk>/bedomningar/360/", views.request_360, name="request_360"),
    path("st/<int:pk>/bedomningar/<int:assessment_pk>/", views.assessment_detail, name="detail"),
    path(
        "st/<int:pk>/bedomningar/<int:assessment_pk>/signera/", views.assessment_sign, name="sign"
    ),
    path(
        "st/<int:pk>/bedomningar/<int:assessment_pk>/ny-lank/",
        views.link_resend,
        name="link_resend",
    ),
    path("st/<int:pk>/delmal/", views.progress, name="progress"),
    path("st/<int:pk>/delmal/<str:goal>/intyga/", views.signoff, name="signoff"),
    path("st/<int:pk>/delmal/<str:goal>/aterkalla/", views.revoke, name="revoke"),
    path("st/<int:pk>/historik/", views.history, name="history"),
]

token_urlpatterns = [
    path("bedomning/<str:token>/", views.token_fill, name="token"),
]
