"""Assessments end to end: request, complete (by account or single-use link), sign, lock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from assessments.instruments import INSTRUMENTS
from assessments.models import Assessment, AssessmentToken
from assessments.workflow import assessment_request
from regions.models import Membership, Role
from regions.tenancy import region_context
from tests.assessments.test_instruments import sample_data
from tests.conftest import reauthenticated
from tests.factories import AssignmentFactory, UserFactory
from trainees.portfolio import portfolio_for


def _external(world, method="mini-cex"):
    with region_context(world.region):
        return assessment_request(
            trainee=world.trainee,
            by=world.trainee.user,
            method=method,
            goal_codes=["STa3"],
            assessor_name="Sjuksköterska Siv",
            assessor_email="siv@example.test",
            assessor_profession="sjuksköterska",
        )


def _post_data(method):
    data = sample_data(INSTRUMENTS[method].form_class)
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


def test_external_assessor_gets_a_link_by_mail_and_uses_it_once(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assessment, raw = _external(world)
    assert len(mail.outbox) == 1
    assert raw in mail.outbox[0].body
    assert "19" not in mail.outbox[0].body.split("\n")[0]
    client = Client()
    url = f"/bedomning/{raw}/"
    assert client.get(url).status_code == 200
    done = client.post(url, _post_data("mini-cex"))
    assert done.status_code == 200
    assert "Tack" in done.text
    assessment.refresh_from_db()
    assert assessment.status == "completed"
    again = client.get(url)
    assert again.status_code == 404
    assert "redan använd" in again.text
    assert client.post(url, _post_data("mini-cex")).status_code == 404
    assert AssessmentToken.objects.get().token_hash != raw


def test_expired_link_is_refused(world):
    _assessment, raw = _external(world)
    AssessmentToken.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = Client().get(f"/bedomning/{raw}/")
    assert response.status_code == 404
    assert "gått ut" in response.text


def test_a_link_reaches_nothing_else(world):
    _assessment, raw = _external(world)
    client = Client()
    client.get(f"/bedomning/{raw}/")
    for path in (
        "/blekinge/",
        f"/blekinge/st/{world.trainee.pk}/",
        f"/blekinge/st/{world.trainee.pk}/bedomningar/",
    ):
        assert client.get(path).status_code == 302, path
    assert Client().get("/bedomning/not-a-token/").status_code == 404


def test_invalid_submission_through_the_link_keeps_the_link(world):
    _assessment, raw = _external(world)
    client = Client()
    response = client.post(f"/bedomning/{raw}/", {"performed_on": "2999-01-01"})
    assert response.status_code == 200
    assert AssessmentToken.objects.get().used_at is None
    assert client.get(f"/bedomning/{raw}/").status_code == 200


def test_link_completed_assessment_is_attested_by_the_main_supervisor(world, login):
    assessment, raw = _external(world)
    Client().post(f"/bedomning/{raw}/", _post_data("mini-cex"))
    client = reauthenticated(login(world.supervisor))
    url = f"/blekinge/st/{world.trainee.pk}/bedomningar/{assessment.pk}/signera/"
    assert client.post(url).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == "signed"
    assert login(world.trainee.user).get(url).status_code == 403


def test_account_assessor_completes_signs_and_it_is_locked(world, login):
    with region_context(world.region):
        assessment, raw = assessment_request(
            trainee=world.trainee,
            by=world.trainee.user,
            method="dops",
            goal_codes=["STa3"],
            assessor=world.study_director,
        )
    assert raw is None
    client = reauthenticated(login(world.study_director))
    url = f"/blekinge/st/{world.trainee.pk}/bedomningar/{assessment.pk}/"
    assert client.post(url, _post_data("dops")).status_code == 302
    assert client.post(url + "signera/").status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == "signed"
    before = dict(assessment.data)
    page = client.post(url, {**_post_data("dops"), "procedure": "Ändrat"})
    assert page.status_code == 200
    assessment.refresh_from_db()
    assert assessment.data == before
    events = [e for e in portfolio_for(world.trainee).events if e.type == "assessment"]
    assert [e.method for e in events] == ["dops"]


def test_colloquium_counts_as_specialist_colloquium_once_attested(world, login):
    assessment, raw = _external(world, method="specialistkollegium")
    Client().post(f"/bedomning/{raw}/", _post_data("specialistkollegium"))
    assert "specialist_colloquium" not in [e.type for e in portfolio_for(world.trainee).events]
    client = reauthenticated(login(world.supervisor))
    client.post(f"/blekinge/st/{world.trainee.pk}/bedomningar/{assessment.pk}/signera/")
    types = [e.type for e in portfolio_for(world.trainee).events]
    assert "specialist_colloquium" in types
    assert "assessment" not in types


def test_request_needs_an_assessor(world, login, catalogue):
    url = f"/blekinge/st/{world.trainee.pk}/bedomningar/"
    response = login(world.trainee.user).post(url, {"method": "cbd"})
    assert "Välj en bedömare" in response.text
    assert not Assessment.unscoped.exists()


def _raters(n, other):
    return [
        {
            "name": f"R{i}",
            "email": f"r{i}@example.test",
            "profession": "sjuksköterska" if i < other else "läkare",
        }
        for i in range(n)
    ]


def _rater_post(raters):
    data = {
        "rater-TOTAL_FORMS": str(len(raters)),
        "rater-INITIAL_FORMS": "0",
        "rater-MIN_NUM_FORMS": "0",
        "rater-MAX_NUM_FORMS": "20",
    }
    for i, r in enumerate(raters):
        data.update({f"rater-{i}-{k}": v for k, v in r.items()})
    return data


@pytest.mark.parametrize(("n", "other", "ok"), [(5, 2, False), (6, 1, False), (6, 2, True)])
def test_360_needs_six_raters_two_from_other_professions(world, login, n, other, ok):
    url = f"/blekinge/st/{world.trainee.pk}/bedomningar/360/"
    response = login(world.trainee.user).post(url, _rater_post(_raters(n, other)))
    if ok:
        assert response.status_code == 302
        parent = Assessment.unscoped.get(method="360")
        assert parent.assessor == world.supervisor
        raters = Assessment.unscoped.filter(parent=parent)
        assert raters.count() == n + 1
        assert raters.filter(assessor=world.trainee.user).exists()
    else:
        assert response.status_code == 200
        assert not Assessment.unscoped.exists()


def test_assessment_pages_by_persona(world, elsewhere, login):
    with region_context(world.region):
        assessment, _raw = assessment_request(
            trainee=world.trainee,
            by=world.trainee.user,
            method="cbd",
            goal_codes=[],
            assessor=world.study_director,
        )
    other_sup = UserFactory(email="sup.of.other@blekinge.test")
    Membership.unscoped.create(
        user=other_sup, region=world.region, role=Role.SUPERVISOR, unit=world.unit
    )
    AssignmentFactory(trainee=world.other_trainee, user=other_sup, role="main_supervisor")
    base = f"/blekinge/st/{world.trainee.pk}/bedomningar/"
    detail = f"{base}{assessment.pk}/"
    for user in (world.trainee.user, world.supervisor, world.study_director):
        assert login(user).get(detail).status_code == 200
        assert login(user).get(base).status_code == 200
    for user in (
        world.other_trainee.user,
        other_sup,
        elsewhere.trainee.user,
        elsewhere.supervisor,
        elsewhere.study_director,
        world.no_role,
    ):
        assert login(user).get(detail).status_code == 404
        assert login(user).get(base).status_code == 404
    assert login(world.trainee.user).get(detail + "signera/").status_code == 403
