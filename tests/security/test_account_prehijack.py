"""Issue 17, finding 1: pre-hijacking an account by claiming someone's e-mail address.

The attacker is a Halland trainee; the victim is a doctor Blekinge has not
enrolled yet. Claiming the address must not make it theirs: an unverified
address neither becomes primary, nor logs anyone in, nor matches the region's
identity provider, and enrolment never reuses an account it did not create.
"""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client, override_settings

from regions.models import Membership
from stprogram.models import User
from tests.conftest import reauthenticated
from tests.stprogram.test_auth import OIDC_SETTINGS, _fake_idp
from tests.trainees.test_pages import _enrol_data
from trainees.models import Trainee

VICTIM = "future.doctor@blekinge.test"
EMAIL_PAGE = "/accounts/email/"


@pytest.fixture(autouse=True)
def _clear_rate_limits(db):
    cache.clear()
    yield
    cache.clear()


def _claim(client: Client, address: str) -> None:
    """What the attacker did: add the address, then try to make it primary."""
    client.post(EMAIL_PAGE, {"action_add": "", "email": address})
    client.post(EMAIL_PAGE, {"action_primary": "", "email": address})


def _attacker(elsewhere, login) -> tuple[User, Client]:
    attacker = elsewhere.trainee.user
    return attacker, reauthenticated(login(attacker))


def test_an_unverified_address_never_becomes_primary(world, elsewhere, login):
    attacker, client = _attacker(elsewhere, login)
    _claim(client, VICTIM)
    attacker.refresh_from_db()
    assert attacker.email == "trainee@halland.test"
    assert not EmailAddress.objects.filter(email=VICTIM, verified=True).exists()


def test_enrolment_creates_its_own_account_after_an_address_was_claimed(world, elsewhere, login):
    attacker, client = _attacker(elsewhere, login)
    _claim(client, VICTIM)
    admin = Client()
    admin.force_login(world.regional_admin, backend="django.contrib.auth.backends.ModelBackend")
    admin.post("/blekinge/st/ny/", _enrol_data(world, email=VICTIM))
    trainee = Trainee.unscoped.filter(region=world.region, user__email=VICTIM).first()
    assert trainee is None or trainee.user_id != attacker.pk
    assert not Trainee.unscoped.filter(region=world.region, user=attacker).exists()
    # The attacker's own password with the claimed address opens nothing.
    thief = Client()
    thief.post("/accounts/login/", {"login": VICTIM, "password": "pw-test-123"})
    assert "_auth_user_id" not in thief.session
    assert thief.get("/blekinge/min-st/").status_code in (302, 403, 404)


def test_enrolling_an_address_an_account_already_has_is_refused(world, elsewhere, login):
    taken = elsewhere.trainee.user.email
    memberships = Membership.unscoped.count()
    admin = login(world.regional_admin)
    response = admin.post("/blekinge/st/ny/", _enrol_data(world, email=taken))
    assert response.status_code == 200
    assert "Det finns redan ett konto med e-postadressen" in response.text
    assert not Trainee.unscoped.filter(region=world.region, user__email=taken).exists()
    assert Membership.unscoped.count() == memberships


def test_logging_in_with_an_unverified_address_is_refused(world, elsewhere, login):
    _attacker_user, client = _attacker(elsewhere, login)
    client.post(EMAIL_PAGE, {"action_add": "", "email": VICTIM})
    client.logout()
    response = client.post("/accounts/login/", {"login": VICTIM, "password": "pw-test-123"})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 302)


def test_claiming_another_users_address_is_no_server_error(world, elsewhere, login):
    attacker, client = _attacker(elsewhere, login)
    client.post(EMAIL_PAGE, {"action_add": "", "email": world.trainee.user.email})
    response = client.post(
        EMAIL_PAGE, {"action_primary": "", "email": world.trainee.user.email}, follow=True
    )
    assert response.status_code == 200
    attacker.refresh_from_db()
    assert attacker.email == "trainee@halland.test"


@override_settings(SOCIALACCOUNT_PROVIDERS=OIDC_SETTINGS)
def test_an_unverified_address_never_matches_an_identity_provider_login(world, elsewhere, login):
    attacker, client = _attacker(elsewhere, login)
    client.post(EMAIL_PAGE, {"action_add": "", "email": VICTIM})
    EmailAddress.objects.filter(email=VICTIM).update(verified=False)
    victim = Client()
    with _fake_idp(VICTIM):
        start = victim.post("/accounts/oidc/siths/login/")
        state = start["Location"].split("state=")[1].split("&")[0]
        victim.get("/accounts/oidc/siths/login/callback/", {"code": "abc", "state": state})
    assert victim.session.get("_auth_user_id") != str(attacker.pk)
