"""The trainee doors for certificates and signing: packets, drafts, the external assessor."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from regions.models import Membership, Role
from regions.tenancy import region_context
from tests.door_requests import request_as
from trainees import parties as p
from trainees.permissions import (
    draft_for,
    is_owner,
    may_see_external_assessor,
    may_see_packets,
    parties_left,
    signing_parties,
)


@pytest.fixture(autouse=True)
def _in_blekinge(world):
    """The doors are asked inside the region, as the middleware leaves a request."""
    with region_context(world.region):
        yield


def test_packets_are_for_the_trainee_and_the_staff_responsible_for_them(world, elsewhere):
    def sees(user, region=world.region):
        return may_see_packets(request_as(user, region), world.trainee)

    for user in (world.trainee.user, world.supervisor, world.study_director, world.head_of_unit):
        assert sees(user)
    for user in (world.other_trainee.user, world.regional_admin, world.regional_study_director):
        assert not sees(user)
    assert not sees(elsewhere.head_of_unit, elsewhere.region)


def test_the_head_of_another_unit_sees_no_packets(world):
    Membership.unscoped.create(
        user=world.no_role, region=world.region, role=Role.HEAD_OF_UNIT, unit=world.other_unit
    )
    assert not may_see_packets(request_as(world.no_role, world.region), world.trainee)


def test_the_external_assessor_page_is_for_who_names_it_and_the_trainee(world, login):
    for user in (world.trainee.user, world.supervisor, world.study_director):
        assert may_see_external_assessor(request_as(user, world.region), world.trainee)
    head = request_as(world.head_of_unit, world.region)
    assert not may_see_external_assessor(head, world.trainee)
    url = f"/blekinge/st/{world.trainee.pk}/intyg/baskompetens/extern-bedomare/"
    assert login(world.head_of_unit).get(url).status_code == 403


def test_a_draft_opens_for_the_trainee_and_the_staff_it_names(world):
    trainee_request = request_as(world.trainee.user, world.region)
    assert is_owner(trainee_request, world.trainee)
    with pytest.raises(Http404):
        draft_for(trainee_request, world.trainee.pk, "no-such-draft")
    with pytest.raises(Http404):
        draft_for(request_as(world.trainee.user, world.region), world.other_trainee.pk, "x")


def test_a_regional_admin_named_on_no_draft_is_refused(world):
    from trainees.certificates.drafts import drafts_for

    key = drafts_for(world.trainee)[0].key
    assert draft_for(request_as(world.trainee.user, world.region), world.trainee.pk, key)
    with pytest.raises(PermissionDenied):
        draft_for(request_as(world.regional_admin, world.region), world.trainee.pk, key)


def test_a_signer_has_nothing_left_once_their_place_is_signed(world):
    parties = p.CONTRACT_PARTIES[world.region.slug]
    mine = signing_parties(world.supervisor, world.trainee, parties)
    assert mine == [p.MAIN_SUPERVISOR]
    assert parties_left(mine, parties, {"signatures": []}) == mine
    signed = {"signatures": [SimpleNamespace(party=p.MAIN_SUPERVISOR)]}
    assert parties_left(mine, parties, signed) == []
    assert signing_parties(world.regional_admin, world.trainee, parties) == []
