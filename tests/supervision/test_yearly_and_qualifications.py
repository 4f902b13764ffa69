"""Yearly records and supervisor qualifications through the pages, and the warnings."""

from __future__ import annotations

from datetime import date

import pytest

from regions.models import Membership, Region, Role
from stprogram.models import AuditEvent
from supervision.models import SupervisorProfile, SupervisorTraining, YearlyRecord
from supervision.yearly import YEARLY_FORMS
from tests.assessments.test_instruments import sample_data
from tests.factories import world_build


def _post(kind):
    data = sample_data(YEARLY_FORMS[kind].form_class)
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


AUTHORS = {
    "trainee": lambda w: w.trainee.user,
    "main_supervisor": lambda w: w.supervisor,
    "study_director": lambda w: w.study_director,
    "head_of_unit": lambda w: w.head_of_unit,
}


# The IUP follow-up is offered only where it counts for the yearly revision.
ELSEWHERE = {"iup_followup": ("norrbotten", "Region Norrbotten")}


@pytest.mark.parametrize("kind", list(YEARLY_FORMS))
def test_each_yearly_record_is_saved_and_counts(world, login, kind):
    slug = "blekinge"
    if kind in ELSEWHERE:
        slug = ELSEWHERE[kind][0]
        world = world_build(slug=ELSEWHERE[kind][0], name=ELSEWHERE[kind][1])
    url = f"/{slug}/st/{world.trainee.pk}/uppfoljning/{kind}/ny/"
    author = AUTHORS[YEARLY_FORMS[kind].author](world)
    response = login(author).post(url, _post(kind))
    assert response.status_code == 302
    record = YearlyRecord.unscoped.get()
    assert record.kind == kind
    from trainees.portfolio import portfolio_for

    assert kind in [e.type for e in portfolio_for(world.trainee).events]


def test_yearly_record_without_date_is_refused(world, login):
    url = f"/blekinge/st/{world.trainee.pk}/uppfoljning/development_talk/ny/"
    data = {**_post("development_talk"), "date": ""}
    response = login(world.head_of_unit).post(url, data)
    assert response.status_code == 200
    assert "Detta fält måste fyllas i" in response.text
    assert not YearlyRecord.unscoped.exists()


def test_yearly_record_pages_by_persona(world, elsewhere, login):
    url = f"/blekinge/st/{world.trainee.pk}/uppfoljning/development_talk/ny/"
    assert login(world.head_of_unit).get(url).status_code == 200
    for user in (world.trainee.user, world.supervisor, world.study_director):
        assert login(user).get(url).status_code == 403
    for user in (
        world.other_trainee.user,
        elsewhere.supervisor,
        elsewhere.study_director,
        world.no_role,
    ):
        assert login(user).get(url).status_code == 404
    bad = f"/blekinge/st/{world.trainee.pk}/uppfoljning/nonsense/ny/"
    assert login(world.head_of_unit).get(bad).status_code == 404


def test_supervisor_records_training_and_becomes_qualified(world, login):
    client = login(world.supervisor)
    page = client.get("/blekinge/handledare/kompetens/")
    assert "Handledarutbildning saknas." in page.text
    client.post(
        "/blekinge/handledare/kompetens/",
        {"profile": "1", "specialty": world.unit.specialty_id, "specialist_since": "2015-06-01"},
    )
    client.post(
        "/blekinge/handledare/kompetens/",
        {
            "training": "1",
            "kind": "supervisor_training_basic",
            "day": "2016-02-01",
            "provider": "Regionen",
        },
    )
    assert "Uppfyller kraven" in client.get("/blekinge/handledare/kompetens/").text
    future = client.post(
        "/blekinge/handledare/kompetens/",
        {"training": "1", "kind": "supervisor_training_basic", "day": "2999-01-01"},
    )
    assert "framtiden" in future.text
    assert SupervisorTraining.objects.count() == 1


def test_study_director_sees_supervisors_qualifications(world, elsewhere, login):
    SupervisorProfile.objects.create(
        user=world.supervisor, specialty=world.unit.specialty, specialist_since=date(2015, 1, 1)
    )
    page = login(world.study_director).get("/blekinge/handledare/enheter/")
    assert page.status_code == 200
    assert world.supervisor.last_name in page.text
    assert "Handledarutbildning saknas." in page.text
    assert login(world.trainee.user).get("/blekinge/handledare/enheter/").status_code == 403
    assert login(elsewhere.study_director).get("/blekinge/handledare/enheter/").status_code == 404


def test_norrbotten_supervisor_training_renewal_is_enforced(db):
    norr = world_build(slug="norrbotten", name="Region Norrbotten")
    SupervisorProfile.objects.create(
        user=norr.supervisor, specialty=norr.unit.specialty, specialist_since=date(2010, 1, 1)
    )
    SupervisorTraining.objects.create(
        user=norr.supervisor, kind="supervisor_training_basic", date=date(2012, 1, 1)
    )
    from supervision.qualifications import qualification

    status = qualification(
        norr.supervisor, norr.unit.specialty_id, "norrbotten", on=date(2026, 11, 22)
    )
    assert "Handledarutbildningen behöver förnyas." in status.problems
    assert status.renewals["supervisor_training_basic"] == date(2022, 1, 1)


def test_assigning_an_unqualified_main_supervisor_warns_and_records(world, login):
    client = login(world.regional_admin)
    response = client.post(
        f"/blekinge/st/{world.trainee.pk}/ansvariga/",
        {"role": "main_supervisor", "user": world.study_director.pk, "start": "2026-03-01"},
        follow=True,
    )
    assert "Huvudhandledaren: Specialistkompetens är inte registrerad." in response.text
    assert AuditEvent.objects.filter(action="warning_assignment").exists()


def test_jonkoping_warns_about_head_of_unit_as_supervisor(db, login):
    jkp = world_build(slug="jonkoping", name="Region Jönköpings län")
    Membership.unscoped.create(
        user=jkp.head_of_unit, region=jkp.region, role=Role.SUPERVISOR, unit=jkp.unit
    )
    response = login(jkp.regional_admin).post(
        f"/jonkoping/st/{jkp.trainee.pk}/ansvariga/",
        {"role": "main_supervisor", "user": jkp.head_of_unit.pk, "start": "2026-03-01"},
        follow=True,
    )
    assert "jäv" in response.text
    assert Region.objects.filter(slug="jonkoping").exists()
