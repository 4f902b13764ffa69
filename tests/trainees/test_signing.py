"""Contract and IUP: parties sign once each, non-parties cannot, signed content is locked."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from regions.models import Membership, Role
from regions.tenancy import region_context
from stprogram.models import AuditEvent, Signature
from stprogram.signing import SigningError
from tests.conftest import reauthenticated
from trainees import services
from trainees.models import Contract, IupVersion
from trainees.portfolio import portfolio_for


@pytest.fixture
def contract(world):
    with region_context(world.region):
        return services.contract_create(
            trainee=world.trainee,
            kind="ordinary",
            terms="Villkor.",
            reason="",
            by=world.trainee.user,
        )


def _all_sign_contract(world, contract):
    with region_context(world.region):
        for user, party in (
            (world.trainee.user, "trainee"),
            (world.head_of_unit, "head_of_unit"),
            (world.supervisor, "main_supervisor"),
            (world.study_director, "study_director"),
        ):
            services.contract_sign(contract=contract, user=user, party=party)


def test_every_party_signs_and_the_contract_counts_as_signed(world, contract):
    assert not [e for e in portfolio_for(world.trainee).events if e.type == "contract_signed"]
    _all_sign_contract(world, contract)
    events = [e for e in portfolio_for(world.trainee).events if e.type == "contract_signed"]
    assert len(events) == 1
    assert Signature.objects.count() == 4
    assert AuditEvent.objects.filter(action="signed", trainee_id=world.trainee.pk).count() == 4


def test_a_party_cannot_sign_twice(world, contract):
    with region_context(world.region):
        services.contract_sign(contract=contract, user=world.supervisor, party="main_supervisor")
        with pytest.raises(SigningError, match="redan undertecknat"):
            services.contract_sign(
                contract=contract, user=world.supervisor, party="main_supervisor"
            )
    assert Signature.objects.count() == 1


def test_a_non_party_cannot_sign(world, elsewhere, contract):
    with region_context(world.region):
        for user, party in (
            (world.regional_admin, "study_director"),
            (world.other_trainee.user, "trainee"),
            (elsewhere.supervisor, "main_supervisor"),
            (world.supervisor, "head_of_unit"),
        ):
            with pytest.raises(SigningError, match="inte part"):
                services.contract_sign(contract=contract, user=user, party=party)
    assert Signature.objects.count() == 0


def test_signed_contract_cannot_be_edited_a_new_version_is_made(world, contract):
    with region_context(world.region):
        services.contract_sign(contract=contract, user=world.trainee.user, party="trainee")
        with pytest.raises(ValidationError):
            services.contract_update(contract=contract, terms="Ändrat.", by=world.trainee.user)
        with pytest.raises(ValidationError, match="varför"):
            services.contract_create(
                trainee=world.trainee,
                kind="ordinary",
                terms="Ändrat.",
                reason="",
                by=world.trainee.user,
            )
        new = services.contract_create(
            trainee=world.trainee,
            kind="ordinary",
            terms="Ändrat.",
            reason="Ny huvudhandledare",
            by=world.trainee.user,
        )
    contract.refresh_from_db()
    assert contract.terms == "Villkor."
    assert new.version == 2


def test_changed_content_under_a_signature_is_refused(world, contract):
    with region_context(world.region):
        services.contract_sign(contract=contract, user=world.trainee.user, party="trainee")
        Contract.objects.filter(pk=contract.pk).update(terms="Smygändrat.")
        contract.refresh_from_db()
        with pytest.raises(SigningError, match="ändrats"):
            services.contract_sign(
                contract=contract, user=world.supervisor, party="main_supervisor"
            )


def _iup(world, summary=""):
    with region_context(world.region):
        return services.iup_save(
            trainee=world.trainee,
            phase="ST",
            by=world.trainee.user,
            texts={"self_study": "4 h/vecka"},
            change_summary=summary,
            goal_plans=[{"goal_code": "STa3", "activities": "Kurs", "assessment": "Intyg"}],
            planned=[],
        )


def test_iup_approval_then_revision_makes_a_new_version(world):
    iup = _iup(world)
    with region_context(world.region):
        for user, party in (
            (world.trainee.user, "trainee"),
            (world.head_of_unit, "head_of_unit"),
            (world.supervisor, "main_supervisor"),
            (world.study_director, "study_director"),
        ):
            services.iup_sign(iup=iup, user=user, party=party)
        with pytest.raises(ValidationError, match="Beskriv"):
            _iup(world)
    revised = _iup(world, summary="Ny placering")
    assert revised.version == 2
    assert IupVersion.unscoped.get(pk=iup.pk).goal_plans.count() == 1
    types = [e.type for e in portfolio_for(world.trainee).events]
    assert types.count("iup_approved") == 1
    assert "iup_revised" not in types  # version 2 is not approved yet


def test_halland_iup_needs_head_of_unit_or_study_director(elsewhere):
    world = elsewhere
    iup = _iup(world)
    with region_context(world.region):
        for user, party in (
            (world.trainee.user, "trainee"),
            (world.supervisor, "main_supervisor"),
            (world.study_director, "study_director"),
        ):
            services.iup_sign(iup=iup, user=user, party=party)
    assert [e.type for e in portfolio_for(world.trainee).events] == ["iup_approved"]


def test_signing_page_requires_a_fresh_login(world, contract, login):
    client = login(world.supervisor)
    url = f"/blekinge/st/{world.trainee.pk}/kontrakt/{contract.pk}/signera/"
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/reauthenticate/" in response["Location"]
    reauthenticated(client)
    assert client.get(url).status_code == 200
    done = client.post(url, {"party": "main_supervisor"})
    assert done.status_code == 302
    assert Signature.objects.filter(user=world.supervisor).count() == 1
    again = client.post(url, {"party": "main_supervisor"}, follow=True)
    assert "redan gjorda" in again.text
    assert Signature.objects.filter(user=world.supervisor).count() == 1


def test_a_signed_contract_offers_no_signing_and_asks_for_no_password(world, contract, login):
    _all_sign_contract(world, contract)
    page = f"/blekinge/st/{world.trainee.pk}/kontrakt/"
    url = f"/blekinge/st/{world.trainee.pk}/kontrakt/{contract.pk}/signera/"
    for user in (world.trainee.user, world.supervisor, world.study_director):
        client = login(user)
        assert url not in client.get(page).text
        # Not sent to the password prompt only to be told it was all done.
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == page


def test_the_contract_page_offers_signing_to_a_party_until_they_have_signed(world, contract, login):
    page = f"/blekinge/st/{world.trainee.pk}/kontrakt/"
    url = f"/blekinge/st/{world.trainee.pk}/kontrakt/{contract.pk}/signera/"
    assert url in login(world.supervisor).get(page).text
    assert url not in login(world.regional_admin).get(page).text
    with region_context(world.region):
        services.contract_sign(contract=contract, user=world.supervisor, party="main_supervisor")
    assert url not in login(world.supervisor).get(page).text
    assert url in login(world.trainee.user).get(page).text


def test_non_party_gets_403_on_the_signing_page(world, contract, login):
    client = reauthenticated(login(world.regional_admin))
    url = f"/blekinge/st/{world.trainee.pk}/kontrakt/{contract.pk}/signera/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"party": "study_director"}).status_code == 403


def test_signing_a_party_the_user_does_not_hold_shows_a_message(world, contract, login):
    client = reauthenticated(login(world.supervisor))
    url = f"/blekinge/st/{world.trainee.pk}/kontrakt/{contract.pk}/signera/"
    response = client.post(url, {"party": "head_of_unit"})
    assert response.status_code == 200
    assert "inte part" in response.text
    assert Signature.objects.count() == 0


def test_other_region_cannot_reach_the_signing_page(world, elsewhere, contract, login):
    Membership.unscoped.create(
        user=elsewhere.supervisor, region=elsewhere.region, role=Role.SUPERVISOR
    )
    client = reauthenticated(login(elsewhere.supervisor))
    for region in ("blekinge", "halland"):
        url = f"/{region}/st/{world.trainee.pk}/kontrakt/{contract.pk}/signera/"
        assert client.get(url).status_code == 404
