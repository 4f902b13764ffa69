"""Goal sign-off: evidence, fresh login, hash, revocation with reason, history, warnings."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from assessments.models import Assessment, GoalSignoff
from assessments.signoff import signoff_create, signoff_revoke
from regions.tenancy import region_context
from stprogram.models import AuditEvent
from supervision.models import SupervisorProfile, SupervisorTraining
from tests.conftest import reauthenticated


def _evidence(world, code="STa3", n=1):
    for i in range(n):
        Assessment.unscoped.create(
            region=world.region,
            trainee=world.trainee,
            method="mini-cex",
            status="signed",
            goal_codes=[code],
            performed_on=date(2026, 1, 1 + i % 27),
            assessor=world.supervisor,
            requested_by=world.trainee.user,
            data={},
        )
    return [f"assessment:{a.pk}" for a in Assessment.unscoped.all() if code in a.goal_codes]


def test_main_supervisor_signs_off_with_evidence(world):
    evidence = _evidence(world)
    with region_context(world.region):
        signoff = signoff_create(
            trainee=world.trainee, goal_code="STa3", by=world.supervisor, evidence=evidence
        )
        assert len(signoff.content_hash) == 64
        with pytest.raises(ValidationError, match="redan intygat"):
            signoff_create(
                trainee=world.trainee, goal_code="STa3", by=world.supervisor, evidence=evidence
            )


def test_sign_off_without_fitting_evidence_is_refused(world):
    _evidence(world, code="STa5")
    with region_context(world.region), pytest.raises(ValidationError, match="underlag"):
        signoff_create(
            trainee=world.trainee,
            goal_code="STa3",
            by=world.supervisor,
            evidence=["assessment:999"],
        )
    assert not GoalSignoff.unscoped.exists()


def test_non_supervisor_cannot_sign_off(world, elsewhere):
    evidence = _evidence(world)
    with region_context(world.region):
        for user in (world.study_director, world.trainee.user, elsewhere.supervisor):
            with pytest.raises(ValidationError, match="inte intyga"):
                signoff_create(trainee=world.trainee, goal_code="STa3", by=user, evidence=evidence)


def test_revocation_needs_a_reason_and_keeps_history(world):
    evidence = _evidence(world)
    with region_context(world.region):
        signoff = signoff_create(
            trainee=world.trainee, goal_code="STa3", by=world.supervisor, evidence=evidence
        )
        with pytest.raises(ValidationError, match="skälet"):
            signoff_revoke(signoff=signoff, by=world.supervisor, reason=" ")
        signoff_revoke(signoff=signoff, by=world.supervisor, reason="Fel delmål")
        again = signoff_create(
            trainee=world.trainee, goal_code="STa3", by=world.supervisor, evidence=evidence
        )
    assert GoalSignoff.unscoped.count() == 2
    assert again.revoked_at is None
    actions = list(
        AuditEvent.objects.filter(trainee_id=world.trainee.pk).values_list("action", flat=True)
    )
    assert "goal_signoff_revoked" in actions


def test_only_the_main_supervisor_or_the_signer_is_offered_the_revocation(world, login):
    evidence = _evidence(world)
    with region_context(world.region):
        signoff_create(
            trainee=world.trainee, goal_code="STa3", by=world.supervisor, evidence=evidence
        )
    url = f"/blekinge/st/{world.trainee.pk}/delmal/STa3/aterkalla/"
    supervisor = login(world.supervisor)
    # Revoking a certificate asks for the password again, as signing it did.
    assert "/accounts/reauthenticate/" in supervisor.get(url)["Location"]
    assert "/accounts/reauthenticate/" in supervisor.post(url, {"reason": "Fel"})["Location"]
    assert GoalSignoff.unscoped.get().revoked_at is None
    reauthenticated(supervisor)
    assert supervisor.get(url).status_code == 200
    for user in (world.trainee.user, world.study_director, world.head_of_unit):
        assert login(user).get(url).status_code == 403
        assert login(user).post(url, {"reason": "Fel"}).status_code == 403
    assert GoalSignoff.unscoped.get().revoked_at is None
    supervisor = reauthenticated(login(world.supervisor))
    assert supervisor.post(url, {"reason": "Fel delmål"}).status_code == 302
    assert GoalSignoff.unscoped.get().revoked_at is not None


def test_unqualified_signer_is_warned_and_recorded(world):
    evidence = _evidence(world)
    with region_context(world.region):
        signoff_create(
            trainee=world.trainee, goal_code="STa3", by=world.supervisor, evidence=evidence
        )
    warning = AuditEvent.objects.get(action="warning_signoff")
    assert "Handledarutbildning saknas." in warning.details["warnings"]


def test_qualified_signer_gets_no_warning(world):
    SupervisorProfile.objects.create(
        user=world.supervisor, specialty=world.unit.specialty, specialist_since=date(2015, 1, 1)
    )
    SupervisorTraining.objects.create(
        user=world.supervisor, kind="supervisor_training_basic", date=date(2016, 1, 1)
    )
    evidence = _evidence(world)
    with region_context(world.region):
        signoff_create(
            trainee=world.trainee, goal_code="STa3", by=world.supervisor, evidence=evidence
        )
    assert not AuditEvent.objects.filter(action__startswith="warning").exists()


def test_signoff_page_requires_fresh_login_and_role(world, elsewhere, login, catalogue):
    evidence = _evidence(world)
    url = f"/blekinge/st/{world.trainee.pk}/delmal/STa3/intyga/"
    client = login(world.supervisor)
    assert "/accounts/reauthenticate/" in client.get(url)["Location"]
    reauthenticated(client)
    response = client.post(url, {"evidence": evidence, "comment": "Bra"})
    assert response.status_code == 302
    assert GoalSignoff.unscoped.count() == 1
    assert login(world.study_director).get(url).status_code == 403
    assert login(world.trainee.user).get(url).status_code == 403
    for user in (world.other_trainee.user, elsewhere.supervisor, elsewhere.study_director):
        assert login(user).get(url).status_code == 404


def test_progress_matrix_shows_evidence_and_signoff(world, login, catalogue):
    evidence = _evidence(world)
    with region_context(world.region):
        signoff_create(
            trainee=world.trainee, goal_code="STa3", by=world.supervisor, evidence=evidence
        )
    page = login(world.study_director).get(f"/blekinge/st/{world.trainee.pk}/delmal/").text
    assert "Intygat" in page
    assert "Inget underlag" in page


def test_progress_matrix_query_count_is_constant(
    world, login, catalogue, django_assert_num_queries, django_assert_max_num_queries
):
    client = login(world.study_director)
    url = f"/blekinge/st/{world.trainee.pk}/delmal/"
    _evidence(world, n=5)
    with django_assert_max_num_queries(100) as five:
        client.get(url)
    _evidence(world, n=45)
    with django_assert_num_queries(len(five.captured_queries)):
        client.get(url)


def test_history_is_for_the_trainee_main_supervisor_and_study_director(world, elsewhere, login):
    url = f"/blekinge/st/{world.trainee.pk}/historik/"
    progress = f"/blekinge/st/{world.trainee.pk}/delmal/"
    # The main supervisor revokes sign-offs and reads back what was revoked.
    for user in (world.trainee.user, world.study_director, world.supervisor):
        assert login(user).get(url).status_code == 200
        assert url in login(user).get(progress).content.decode()
    assert login(world.head_of_unit).get(url).status_code == 404
    assert url not in login(world.head_of_unit).get(progress).content.decode()
    assert login(world.other_trainee.user).get(url).status_code == 404
    assert login(elsewhere.study_director).get(url).status_code == 404


def test_the_progress_page_offers_signing_and_revoking_only_to_who_may(world, login, catalogue):
    evidence = _evidence(world)
    _evidence(world, code="STa4")
    with region_context(world.region):
        signoff_create(
            trainee=world.trainee, goal_code="STa3", by=world.supervisor, evidence=evidence
        )
    progress = f"/blekinge/st/{world.trainee.pk}/delmal/"
    revoke = f"/blekinge/st/{world.trainee.pk}/delmal/STa3/aterkalla/"
    sign = f"/blekinge/st/{world.trainee.pk}/delmal/STa4/intyga/"
    page = login(world.supervisor).get(progress).content.decode()
    assert revoke in page
    assert sign in page
    for user in (world.trainee.user, world.study_director, world.regional_admin):
        page = login(user).get(progress).content.decode()
        assert revoke not in page
        assert sign not in page
        assert "Ej intygat" in page


def test_rotation_supervisor_from_another_region_signs_the_rotations_goal(world, elsewhere, login):
    from django.utils import timezone

    from trainees import services

    today = timezone.localdate()
    with region_context(world.region):
        rotation = services.rotation_record(
            trainee=world.trainee,
            by=world.trainee.user,
            data={
                "unit_name": "Barnkliniken",
                "host_region": elsewhere.region,
                "start": today - timezone.timedelta(days=30),
                "end": today,
                "local_supervisor": elsewhere.supervisor,
                "goal_codes": ["STc4"],
            },
        )
        # Accepted by the receiving unit (tests/security: without it, nothing).
        services.rotation_grant_decide(grant=rotation.grant, by=elsewhere.head_of_unit, accept=True)
    _evidence(world, code="STa3")
    client = reauthenticated(login(elsewhere.supervisor))
    page = client.get(f"/blekinge/st/{world.trainee.pk}/placeringar/{rotation.pk}/")
    assert "Intyga STc4" in page.text
    url = f"/blekinge/st/{world.trainee.pk}/delmal/STc4/intyga/"
    form = client.get(url)
    assert f"rotation:{rotation.pk}" in form.text
    assert "assessment:" not in form.text  # the trainee's other records stay hidden
    assert client.post(url, {"evidence": [f"rotation:{rotation.pk}"]}).status_code == 302
    signoff = GoalSignoff.unscoped.get(goal_code="STc4")
    assert signoff.party == "rotation_supervisor"
    assert signoff.rotation == rotation
    assert client.get(f"/blekinge/st/{world.trainee.pk}/delmal/STa3/intyga/").status_code == 403
    assert (
        client.get(f"/blekinge/st/{world.other_trainee.pk}/delmal/STc4/intyga/").status_code == 404
    )
