"""Issue 17, item 5: yearly records are written by the role their source names, dated honestly.

The attack: a trainee recorded their own "development talk" dated 2024-01-15, which
cleared the head of unit's overdue must obligation.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from regions.models import Membership, Role
from regions.tenancy import region_context
from supervision import services
from supervision.models import YearlyRecord
from supervision.yearly import YEARLY_FORMS
from tests.assessments.test_instruments import sample_data
from tests.factories import UserFactory
from trainees.portfolio import portfolio_for

BACKDATED = date(2024, 1, 15)


def _post(kind: str, **extra: str) -> dict[str, object]:
    data = sample_data(YEARLY_FORMS[kind].form_class)
    data.pop("late_reason", None)
    return {**data, **extra}


def _url(world, kind: str) -> str:
    return f"/blekinge/st/{world.trainee.pk}/uppfoljning/{kind}/ny/"


def test_a_trainees_backdated_development_talk_is_refused(world, login):
    client = login(world.trainee.user)
    response = client.post(
        _url(world, "development_talk"), _post("development_talk", date=BACKDATED.isoformat())
    )
    assert response.status_code == 403
    assert not YearlyRecord.unscoped.exists()
    events = [e.type for e in portfolio_for(world.trainee).events]
    assert "development_talk" not in events
    # Nor does the trainee's page offer the form any more.
    page = client.get(f"/blekinge/st/{world.trainee.pk}/handledning/")
    assert "uppfoljning/development_talk/ny/" not in page.text
    assert "uppfoljning/trainee_annual_report/ny/" in page.text


@pytest.mark.parametrize(
    ("kind", "author"),
    [
        ("trainee_annual_report", "trainee"),
        ("supervisor_statement", "supervisor"),
        ("development_talk", "head_of_unit"),
        ("studierektor_followup", "study_director"),
        ("supervision_evaluation", "study_director"),
        ("planning_meeting", "study_director"),
    ],
)
def test_only_the_author_role_may_write_each_kind(world, login, kind, author):
    people = {
        "trainee": world.trainee.user,
        "supervisor": world.supervisor,
        "head_of_unit": world.head_of_unit,
        "study_director": world.study_director,
        "regional_admin": world.regional_admin,
    }
    for name, user in people.items():
        response = login(user).post(_url(world, kind), _post(kind))
        expected = 302 if name == author else 403
        assert response.status_code == expected, (name, kind)
    record = YearlyRecord.unscoped.get()
    assert record.author == people[author]


def test_the_head_of_another_unit_gets_nothing(world, elsewhere, login):
    other_head = UserFactory(email="other.head@blekinge.test")
    Membership.unscoped.create(
        user=other_head, region=world.region, role=Role.HEAD_OF_UNIT, unit=world.other_unit
    )
    for user in (other_head, elsewhere.head_of_unit, world.no_role):
        response = login(user).post(_url(world, "development_talk"), _post("development_talk"))
        assert response.status_code == 404
        assert world.trainee.user.last_name not in response.text
    assert not YearlyRecord.unscoped.exists()


def test_a_backdated_record_needs_a_reason_and_shows_as_late(world, login):
    client = login(world.head_of_unit)
    url = _url(world, "development_talk")
    response = client.post(url, _post("development_talk", date=BACKDATED.isoformat()))
    assert response.status_code == 200
    assert "Ange varför uppföljningen registreras i efterhand" in response.text
    assert not YearlyRecord.unscoped.exists()

    reason = "Samtalet hölls på papper; journalsystemet låg nere."
    data = _post("development_talk", date=BACKDATED.isoformat(), late_reason=reason)
    assert client.post(url, data).status_code == 302
    record = YearlyRecord.unscoped.get()
    assert record.recorded_late
    assert record.late_reason == reason
    page = client.get(f"/blekinge/st/{world.trainee.pk}/handledning/")
    today = timezone.localdate().isoformat()
    assert f"Registrerad i efterhand ({today})" in page.text
    assert reason in page.text


def test_a_recent_date_within_the_grace_needs_no_reason(world, login):
    recent = timezone.localdate() - timedelta(days=14)
    data = _post("development_talk", date=recent.isoformat())
    assert login(world.head_of_unit).post(_url(world, "development_talk"), data).status_code == 302
    assert not YearlyRecord.unscoped.get().recorded_late


def test_a_future_date_is_refused_by_page_and_service(world, login):
    future = timezone.localdate() + timedelta(days=1)
    data = _post("development_talk", date=future.isoformat())
    response = login(world.head_of_unit).post(_url(world, "development_talk"), data)
    assert response.status_code == 200
    assert "Datumet kan inte ligga i framtiden." in response.text
    with region_context(world.region), pytest.raises(ValidationError):
        services.yearly_record_save(
            trainee=world.trainee,
            kind="development_talk",
            by=world.head_of_unit,
            record_date=future,
            data={},
        )
    assert not YearlyRecord.unscoped.exists()


def test_the_service_refuses_a_trainee_as_author(world):
    with region_context(world.region), pytest.raises(PermissionDenied):
        services.yearly_record_save(
            trainee=world.trainee,
            kind="development_talk",
            by=world.trainee.user,
            record_date=timezone.localdate(),
            data={},
        )
