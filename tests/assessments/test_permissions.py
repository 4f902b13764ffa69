"""The assessment doors: who reaches an assessment, who signs it, and the link to signing."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import Client

from assessments.permissions import assessment_for, may_sign_assessment, may_sign_now
from assessments.workflow import assessment_request
from regions.tenancy import region_context
from tests.assessments.test_workflow import _external, _post_data
from tests.door_requests import request_as


@pytest.fixture(autouse=True)
def _in_blekinge(world):
    """The doors are asked inside the region, as the middleware leaves a request."""
    with region_context(world.region):
        yield


def _by_account(world, assessor):
    with region_context(world.region):
        assessment, _raw = assessment_request(
            trainee=world.trainee,
            by=world.trainee.user,
            method="dops",
            goal_codes=["STa3"],
            assessor=assessor,
        )
    return assessment


def test_a_link_completed_assessment_is_signed_by_the_main_supervisor_only(world):
    assessment, raw = _external(world)
    assert not may_sign_now(world.supervisor, assessment)  # not filled in yet
    Client().post(f"/bedomning/{raw}/", _post_data("mini-cex"))
    assessment.refresh_from_db()
    assert may_sign_now(world.supervisor, assessment)
    for user in (world.trainee.user, world.study_director, world.head_of_unit):
        assert not may_sign_assessment(user, assessment)


def test_an_account_assessor_signs_their_own_assessment(world):
    assessment = _by_account(world, world.head_of_unit)
    assert may_sign_assessment(world.head_of_unit, assessment)
    assert not may_sign_assessment(world.supervisor, assessment)


def test_the_assessor_reaches_the_assessment_without_seeing_the_trainee(world, elsewhere):
    assessment = _by_account(world, elsewhere.supervisor)
    door = assessment_for(
        request_as(elsewhere.supervisor, world.region), world.trainee.pk, assessment.pk
    )
    assert door == assessment
    with pytest.raises(Http404):
        assessment_for(
            request_as(elsewhere.study_director, world.region), world.trainee.pk, assessment.pk
        )
    with pytest.raises(Http404):
        # The right assessment under another trainee's address is not found either.
        assessment_for(
            request_as(world.study_director, world.region), world.other_trainee.pk, assessment.pk
        )


def test_the_sign_link_is_shown_exactly_to_whom_the_sign_page_opens(world, login):
    assessment, raw = _external(world)
    Client().post(f"/bedomning/{raw}/", _post_data("mini-cex"))
    url = f"/blekinge/st/{world.trainee.pk}/bedomningar/{assessment.pk}/"
    for user, opens in ((world.supervisor, True), (world.study_director, False)):
        client = login(user)
        assert ("signera/" in client.get(url).text) is opens
        status = client.get(url + "signera/").status_code
        assert (status != 403) is opens
