"""The catalogue in the Django admin can be browsed and filtered but not edited."""

from __future__ import annotations

from assessments.models import Goal
from assessments.services import catalogue_load_shipped
from stprogram.models import User


def admin_client(client):
    user = User.objects.create_superuser(email="teknik@example.test", password="pw-test-123")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_goal_list_filters_by_regulation_and_group(db, client):
    catalogue_load_shipped()
    page = admin_client(client).get(
        "/admin/assessments/goal/",
        {"regulation__exact": "HSLF-FS 2021:8", "group__exact": "a"},
    )
    assert page.status_code == 200
    assert "Medicinsk vetenskap" in page.text
    assert "Medarbetarskap" not in page.text


def test_goals_cannot_be_added_changed_or_deleted_in_the_admin(db, client):
    catalogue_load_shipped()
    goal = Goal.objects.get(code="STa3")
    client = admin_client(client)
    assert client.get("/admin/assessments/goal/add/").status_code == 403
    view = client.get(f"/admin/assessments/goal/{goal.pk}/change/")
    assert view.status_code == 200
    assert 'name="title"' not in view.text
    assert client.post(f"/admin/assessments/goal/{goal.pk}/delete/").status_code == 403
